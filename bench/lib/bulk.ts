import { type Kysely, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { matchKey } from '../../src/domain/care';
import { luhnCheckDigit } from '../../src/domain/rpps';
import type { Keyring } from '../../src/platform/crypto/keyring';
import { hashToken, newToken } from '../../src/platform/crypto/tokens';
import type { Database } from '../../src/platform/db/schema';
import type { Store } from '../../src/platform/db/store';

/** Rows per multi-row insert: far below both stores' bound-parameter limits for these tables. */
const CHUNK = 500;

async function insertChunks<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: readonly Database[T][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as never)
      .execute();
}

export interface BulkPatients {
  userIds: string[];
  profileIds: string[];
}

/**
 * Patients with their own account and a care relationship with the practitioner, written directly with
 * multi-row inserts (a benchmark data set, not a path of the product: no audit entries, no mail).
 * `birthDate(i)` lets a scenario shape the audience.
 */
export async function bulkPatients(
  store: Store,
  input: {
    practiceId: string;
    practitionerId: string;
    count: number;
    passwordHash: string;
    prefix: string;
    birthDate?: (index: number) => string;
    lastConsultationAt?: number;
  },
): Promise<BulkPatients> {
  const now = Date.now();
  const consulted = input.lastConsultationAt ?? now - 30 * 86_400_000;
  const userIds: string[] = [];
  const profileIds: string[] = [];
  await store.db.transaction().execute(async (trx) => {
    for (let start = 0; start < input.count; start += 5_000) {
      const end = Math.min(input.count, start + 5_000);
      const users: Database['users'][] = [];
      const profiles: Database['patient_profiles'][] = [];
      const records: Database['practice_patients'][] = [];
      const care: Database['care_relationships'][] = [];
      for (let i = start; i < end; i++) {
        const userId = uuidv7();
        const profileId = uuidv7();
        const recordId = uuidv7();
        const birthDate = input.birthDate?.(i) ?? '1970-01-01';
        const lastName = `${input.prefix}${i}`;
        users.push({
          id: userId,
          email: `${input.prefix}${i}@example.org`,
          password_hash: input.passwordHash,
          first_name: 'Patient',
          last_name: lastName,
          kind: 'patient',
          locale: 'fr',
          country: 'FR',
          email_verified_at: now,
          totp_secret: null,
          totp_enrolled_at: null,
          totp_last_step: null,
          failed_logins: 0,
          locked_until: null,
          is_demo: 0,
          created_at: now,
          updated_at: now,
          closed_at: null,
        });
        profiles.push({
          id: profileId,
          owner_user_id: userId,
          user_id: userId,
          relationship: 'self',
          first_name: 'Patient',
          last_name: lastName,
          birth_date: birthDate,
          sex: i % 2 === 0 ? 'female' : 'male',
          own_account_since: null,
          created_at: now,
          updated_at: now,
          closed_at: null,
          retain_until: null,
        });
        records.push({
          id: recordId,
          practice_id: input.practiceId,
          patient_profile_id: profileId,
          first_name: 'Patient',
          last_name: lastName,
          birth_date: birthDate,
          email: null,
          match_key: matchKey(lastName, 'Patient', birthDate),
          tags: '[]',
          created_at: now,
          updated_at: now,
        });
        care.push({
          practice_patient_id: recordId,
          practitioner_user_id: input.practitionerId,
          practice_id: input.practiceId,
          first_consultation_at: consulted,
          last_consultation_at: consulted,
          source: 'import',
          updated_at: now,
        });
        userIds.push(userId);
        profileIds.push(profileId);
      }
      await insertChunks(trx, 'users', users);
      await insertChunks(trx, 'patient_profiles', profiles);
      await insertChunks(trx, 'practice_patients', records);
      await insertChunks(trx, 'care_relationships', care);
      await acceptCurrentTerms(
        trx,
        users.map((u) => u.id),
        'patient',
      );
    }
  });
  return { userIds, profileIds };
}

/**
 * Signed-in sessions written directly (as the sign-in would store them: only the token's hash), so that
 * thousands of sockets can connect without thousands of password hashes. Returns the cookie tokens.
 */
export async function bulkSessions(
  store: Store,
  userIds: readonly string[],
  options: { mfaVerified?: boolean } = {},
): Promise<string[]> {
  const now = Date.now();
  const tokens = userIds.map(() => newToken());
  await store.db.transaction().execute((trx) =>
    insertChunks(
      trx,
      'sessions',
      userIds.map((userId, i) => ({
        id: hashToken(tokens[i]!),
        user_id: userId,
        created_at: now,
        last_seen_at: now,
        expires_at: now + 7 * 86_400_000,
        idle_timeout_ms: 7 * 86_400_000,
        mfa_verified_at: options.mfaVerified ? now : null,
        user_agent: 'bench',
      })),
    ),
  );
  return tokens;
}

/** Planner statistics (and on PostgreSQL the visibility map) after a bulk load, so that the first measured queries use the indexes. */
export async function analyse(store: Store): Promise<void> {
  // On PostgreSQL, vacuum too: after a bulk load no page is marked all-visible until (auto)vacuum has run,
  // so counts that an index alone could answer read the table instead. A production server's autovacuum
  // gets there on its own; a benchmark server may run without it.
  await sql.raw(store.dialect === 'postgres' ? 'vacuum analyze' : 'analyze').execute(store.db);
  // Then have the load's pages written and synced to disk now. Otherwise the operating system writes them
  // back (and PostgreSQL's next checkpoint syncs them) while the scenario is measured, and the commits of
  // whichever window that falls in wait behind it. On SQLite a checkpoint copies the write-ahead log into
  // the database and syncs the file. PostgreSQL's needs a superuser or pg_checkpoint: without the right,
  // the scenario runs as it would have.
  if (store.dialect === 'postgres') await sql`checkpoint`.execute(store.db).catch(() => undefined);
  else store.checkpoint();
}

/** Practitioners (staff accounts with a practitioner profile) who are members of the practice with every right. */
export async function bulkPractitioners(
  store: Store,
  input: { practiceId: string; count: number; passwordHash: string; rights: readonly string[] },
): Promise<string[]> {
  const now = Date.now();
  const ids: string[] = [];
  const users: Database['users'][] = [];
  const practitioners: Database['practitioners'][] = [];
  const members: Database['practice_members'][] = [];
  for (let i = 0; i < input.count; i++) {
    const id = uuidv7();
    ids.push(id);
    users.push({
      id,
      email: `bench.practitioner${i}@example.org`,
      password_hash: input.passwordHash,
      first_name: 'Praticien',
      last_name: `P${i}`,
      kind: 'staff',
      locale: 'fr',
      country: 'FR',
      email_verified_at: now,
      totp_secret: null,
      totp_enrolled_at: now,
      totp_last_step: null,
      failed_logins: 0,
      locked_until: null,
      is_demo: 0,
      created_at: now,
      updated_at: now,
      closed_at: null,
    });
    const base = `2${String(i).padStart(9, '0')}`;
    practitioners.push({
      user_id: id,
      rpps: `${base}${luhnCheckDigit(base)}`,
      specialty: 'Médecine générale',
      verified_at: now,
      verified_by: null,
      created_at: now,
    });
    members.push({
      practice_id: input.practiceId,
      user_id: id,
      role: 'practitioner',
      is_admin: 0,
      rights: JSON.stringify(input.rights),
      created_at: now,
      updated_at: now,
    });
  }
  await store.db.transaction().execute(async (trx) => {
    await insertChunks(trx, 'users', users);
    await insertChunks(trx, 'practitioners', practitioners);
    await insertChunks(trx, 'practice_members', members);
  });
  return ids;
}

const MESSAGE_TEXTS = [
  'Bonjour docteur, mes résultats de prise de sang sont arrivés, pouvez-vous les regarder ?',
  'Bonjour, oui je les ai reçus : tout est dans les normes, on en reparle au prochain rendez-vous.',
  'Merci beaucoup. Faut-il continuer le traitement au même dosage ?',
  'Oui, continuez au même dosage jusqu’à notre prochaine consultation.',
];

/**
 * Conversations with their messages, encrypted exactly as the product stores them (row id as associated
 * data), and the practitioner's read markers, written with multi-row inserts. Change cursors continue
 * after the audit head, which is moved past them so that later writes keep increasing cursors (the
 * data set has no audit entries of its own: it is synthetic). `onProgress` reports messages written.
 */
export async function bulkConversations(
  store: Store,
  keys: Keyring,
  input: {
    practiceId: string;
    practitionerIds: readonly string[];
    patients: { userId: string; profileId: string }[];
    conversationsPerPatient: number;
    messagesPerConversation: number;
    /** Share of conversations still open (the others are closed). */
    openShare: number;
    onProgress?: (messages: number) => void;
  },
): Promise<{
  conversations: { id: string; practitionerId: string; patientUserId: string }[];
  lastCursor: number;
}> {
  const head = await store.db
    .selectFrom('audit_head')
    .select('seq')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  let cursor = Number(head.seq);
  const conversations: { id: string; practitionerId: string; patientUserId: string }[] = [];
  const dayMs = 86_400_000;
  const now = Date.now();
  const total = input.patients.length * input.conversationsPerPatient;
  const perChunk = Math.max(1, Math.floor(10_000 / input.messagesPerConversation));
  let written = 0;
  let index = 0;
  const pairs = input.patients.flatMap((patient) =>
    Array.from({ length: input.conversationsPerPatient }, () => patient),
  );
  for (let start = 0; start < total; start += perChunk) {
    const slice = pairs.slice(start, start + perChunk);
    const conversationRows: Database['conversations'][] = [];
    const messageRows: Database['messages'][] = [];
    const markers: Database['read_markers'][] = [];
    for (const patient of slice) {
      const id = uuidv7();
      const practitionerId = input.practitionerIds[index % input.practitionerIds.length]!;
      const open = (index * 7919) % 1_000 < input.openShare * 1_000;
      index++;
      // Spread over two years; open ones are the recent ones.
      const startedAt = open ? now - ((index % 30) + 1) * dayMs : now - (30 + (index % 700)) * dayMs;
      const n = input.messagesPerConversation;
      for (let seq = 1; seq <= n; seq++) {
        const messageId = uuidv7();
        cursor++;
        const fromPatient = seq % 2 === 1;
        messageRows.push({
          id: messageId,
          conversation_id: id,
          seq,
          client_message_id: null,
          sender_user_id: fromPatient ? patient.userId : practitionerId,
          sender_side: fromPatient ? 'patient' : 'practice',
          kind: 'text',
          body: keys.encrypt(MESSAGE_TEXTS[seq % MESSAGE_TEXTS.length]!, `messages.body:${messageId}`),
          emergency_kind: null,
          attachment_count: 0,
          change_cursor: cursor,
          created_at: startedAt + seq * 60_000,
        });
      }
      const lastAt = startedAt + n * 60_000;
      const lastFromPatient = n % 2 === 1;
      conversationRows.push({
        id,
        practice_id: input.practiceId,
        practitioner_user_id: practitionerId,
        patient_profile_id: patient.profileId,
        created_by_user_id: patient.userId,
        origin: 'patient',
        category: 'health_question',
        subject: keys.encrypt('Résultats de prise de sang', `conversations.subject:${id}`),
        status: open ? (lastFromPatient ? 'open' : 'waiting_patient') : 'closed',
        assignee_user_id: null,
        patient_may_reply: 1,
        emergency_flagged_at: null,
        last_seq: n,
        last_message_at: lastAt,
        awaiting_reply_since: open && lastFromPatient ? lastAt : null,
        due_at: open && lastFromPatient ? lastAt + 2 * dayMs : null,
        closed_at: open ? null : lastAt + dayMs,
        closed_reason: open ? null : 'practice',
        change_cursor: cursor,
        created_at: startedAt,
      });
      // The practitioner has read all but the last few messages of open conversations, all of closed ones.
      markers.push({
        conversation_id: id,
        user_id: practitionerId,
        side: 'practice',
        delivered_seq: n,
        read_seq: open ? Math.max(0, n - 3) : n,
        updated_at: lastAt,
      });
      conversations.push({ id, practitionerId, patientUserId: patient.userId });
    }
    await store.db.transaction().execute(async (trx) => {
      await insertChunks(trx, 'conversations', conversationRows);
      await insertChunks(trx, 'messages', messageRows);
      await insertChunks(trx, 'read_markers', markers);
    });
    written += messageRows.length;
    input.onProgress?.(written);
  }
  await store.db.updateTable('audit_head').set({ seq: cursor }).where('id', '=', 1).execute();
  return { conversations, lastCursor: cursor };
}

/** Records that these accounts accepted the terms in force of that kind, as accepting them in the app does. */
export async function acceptCurrentTerms(
  db: Kysely<Database>,
  userIds: readonly string[],
  kind: 'patient' | 'practitioner',
): Promise<void> {
  const current = await db
    .selectFrom('terms_versions')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('kind', '=', kind)
    .executeTakeFirst();
  if (!current?.version) return;
  const now = Date.now();
  await insertChunks(
    db,
    'terms_acceptances',
    userIds.map((userId) => ({ user_id: userId, kind, version: Number(current.version), accepted_at: now })),
  );
}
