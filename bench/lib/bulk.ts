import { type Kysely, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { matchKey } from '../../src/domain/care';
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

/** Planner statistics after a bulk load, so that the first measured queries use the indexes. */
export async function analyse(store: Store): Promise<void> {
  await sql`analyze`.execute(store.db);
}
