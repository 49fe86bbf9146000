import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { MAX_DAILY_MESSAGE_CAP } from '../../contracts/messaging';
import { compiledOnce } from '../../platform/db/compiled';
import { forUpdate, insertRows, type Statement } from '../../platform/db/dialect';
import type {
  AttachmentRow,
  ConversationRow,
  Database,
  MessageRow,
  MessageTemplateRow,
  RenewalRow,
} from '../../platform/db/schema';
import type { Dialect } from '../../platform/db/store';

type Db = Kysely<Database>;

// ----- Settings and templates -----

export function findSettings(db: Db, practitionerId: string, practiceId: string) {
  return db
    .selectFrom('messaging_settings')
    .select('settings')
    .where('practitioner_user_id', '=', practitionerId)
    .where('practice_id', '=', practiceId)
    .executeTakeFirst();
}

export async function saveSettings(
  db: Db,
  practitionerId: string,
  practiceId: string,
  settings: string,
  now: number,
) {
  await db
    .insertInto('messaging_settings')
    .values({ practitioner_user_id: practitionerId, practice_id: practiceId, settings, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['practitioner_user_id', 'practice_id']).doUpdateSet({ settings, updated_at: now }),
    )
    .execute();
}

export function listTemplates(db: Db, practiceId: string, userId: string) {
  return db
    .selectFrom('message_templates')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where((eb) => eb.or([eb('owner_user_id', 'is', null), eb('owner_user_id', '=', userId)]))
    .orderBy('title')
    .execute();
}

export async function insertTemplate(db: Db, row: MessageTemplateRow) {
  await db.insertInto('message_templates').values(row).execute();
}

export function findTemplate(db: Db, practiceId: string, id: string) {
  return db
    .selectFrom('message_templates')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function deleteTemplate(db: Db, id: string) {
  await db.deleteFrom('message_templates').where('id', '=', id).execute();
}

// ----- Conversations -----

/** A conversation with the names the API shows. */
export async function findConversation(db: Db, id: string) {
  return (await conversationById(db, { id }))[0];
}

/** Read on every request about a conversation (its access check), so compiled once. */
const conversationById = compiledOnce((db, args: { id: string }) =>
  summaries(db).where('conversations.id', '=', args.id),
);
export type ConversationDetails = NonNullable<Awaited<ReturnType<typeof findConversation>>>;

function summaries(db: Db) {
  return db
    .selectFrom('conversations')
    .innerJoin('practices', 'practices.id', 'conversations.practice_id')
    .innerJoin('users as practitioner', 'practitioner.id', 'conversations.practitioner_user_id')
    .innerJoin('patient_profiles as profile', 'profile.id', 'conversations.patient_profile_id')
    .leftJoin('users as assignee', 'assignee.id', 'conversations.assignee_user_id')
    .selectAll('conversations')
    .select([
      'practices.name as practice_name',
      'practices.time_zone',
      'practitioner.first_name as practitioner_first_name',
      'practitioner.last_name as practitioner_last_name',
      'profile.first_name as patient_first_name',
      'profile.last_name as patient_last_name',
      'profile.birth_date as patient_birth_date',
      'profile.owner_user_id as profile_owner_user_id',
      'profile.user_id as profile_user_id',
      'profile.own_account_since as profile_own_account_since',
      'assignee.first_name as assignee_first_name',
      'assignee.last_name as assignee_last_name',
    ]);
}

/** Conversations changed after a cursor, among those of these profiles or practices, in commit order. */
export function conversationsChangedSince(
  db: Db,
  scope: { profileIds: string[]; practiceIds: string[] },
  since: number,
  limit: number,
) {
  if (scope.profileIds.length === 0 && scope.practiceIds.length === 0) return Promise.resolve([]);
  return summaries(db)
    .where('conversations.change_cursor', '>', since)
    .where((eb) => {
      const parts = [];
      if (scope.profileIds.length > 0)
        parts.push(eb('conversations.patient_profile_id', 'in', scope.profileIds));
      if (scope.practiceIds.length > 0) parts.push(eb('conversations.practice_id', 'in', scope.practiceIds));
      return eb.or(parts);
    })
    .orderBy('conversations.change_cursor')
    .limit(limit + 1)
    .execute();
}

export function conversationsOfProfiles(db: Db, profileIds: string[]) {
  if (profileIds.length === 0) return Promise.resolve([]);
  return summaries(db)
    .where('conversations.patient_profile_id', 'in', profileIds)
    .orderBy('conversations.last_message_at', 'desc')
    .limit(200)
    .execute();
}

export interface InboxFilters {
  status?: string | undefined;
  category?: string | undefined;
  practitionerId?: string | undefined;
  assigneeId?: string | undefined;
  overdueAt?: number | undefined;
  unreadFor?: string | undefined;
}

/** The practice inbox's filters as one condition on conversations (shared by the page and its count). */
function inboxCondition(practiceId: string, filters: InboxFilters) {
  return (eb: ExpressionBuilder<Database, 'conversations'>) => {
    const parts: Expression<SqlBool>[] = [eb('conversations.practice_id', '=', practiceId)];
    if (filters.status)
      parts.push(eb('conversations.status', '=', filters.status as ConversationRow['status']));
    // A literal, not a parameter: it is the condition of the partial index conversations_inbox.
    else parts.push(sql<boolean>`conversations.status <> 'closed'`);
    if (filters.category)
      parts.push(eb('conversations.category', '=', filters.category as ConversationRow['category']));
    if (filters.practitionerId)
      parts.push(eb('conversations.practitioner_user_id', '=', filters.practitionerId));
    if (filters.assigneeId === 'none') parts.push(eb('conversations.assignee_user_id', 'is', null));
    else if (filters.assigneeId) parts.push(eb('conversations.assignee_user_id', '=', filters.assigneeId));
    if (filters.overdueAt !== undefined)
      parts.push(
        eb('conversations.due_at', '<', filters.overdueAt),
        eb('conversations.awaiting_reply_since', 'is not', null),
      );
    if (filters.unreadFor) {
      const reader = filters.unreadFor;
      parts.push(
        eb.not(
          eb.exists(
            eb
              .selectFrom('read_markers')
              .select('read_markers.user_id')
              .whereRef('read_markers.conversation_id', '=', 'conversations.id')
              .where('read_markers.user_id', '=', reader)
              .whereRef('read_markers.read_seq', '>=', 'conversations.last_seq'),
          ),
        ),
      );
    }
    return eb.and(parts);
  };
}

/** The practice inbox: emergencies first, then the longest-waiting patients. */
export async function practiceInbox(
  db: Db,
  practiceId: string,
  filters: InboxFilters,
  offset: number,
  limit: number,
) {
  const condition = inboxCondition(practiceId, filters);
  // The count needs no joins: every conversation has its practice, practitioner and profile.
  const count = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(condition)
    .executeTakeFirstOrThrow();
  const rows = await summaries(db)
    .where((eb) => condition(eb as unknown as ExpressionBuilder<Database, 'conversations'>))
    // The same expressions as the index conversations_inbox (migration 0015), so the page is read in order:
    // possible emergencies, then what the practice has to answer, then what waits for the patient.
    .orderBy(sql`(case when conversations.emergency_flagged_at is null then 1 else 0 end)`)
    .orderBy(sql`(case when conversations.status = 'waiting_patient' then 1 else 0 end)`)
    .orderBy(sql`(coalesce(conversations.awaiting_reply_since, conversations.last_message_at))`)
    .orderBy('conversations.id')
    .offset(offset)
    .limit(limit)
    .execute();
  return { total: Number(count.n), rows };
}
export type ConversationSummaryRow = Awaited<ReturnType<typeof practiceInbox>>['rows'][number];

export async function insertConversation(db: Db, row: ConversationRow) {
  await db.insertInto('conversations').values(row).execute();
}

export async function updateConversation(db: Db, id: string, changes: Partial<ConversationRow>) {
  await db.updateTable('conversations').set(changes).where('id', '=', id).execute();
}

/** The SQL types of the columns updateConversations writes with one statement for many rows. */
const CONVERSATION_COLUMN_TYPES: Partial<Record<keyof ConversationRow, 'text' | 'integer' | 'bigint'>> = {
  status: 'text',
  assignee_user_id: 'text',
  category: 'text',
  closed_reason: 'text',
  patient_may_reply: 'integer',
  last_seq: 'integer',
  emergency_flagged_at: 'bigint',
  last_message_at: 'bigint',
  awaiting_reply_since: 'bigint',
  due_at: 'bigint',
  closed_at: 'bigint',
  change_cursor: 'bigint',
};

/**
 * Updates many conversations, each with its own values: one statement for the rows that change the same
 * columns (the new values joined from a VALUES list), one update per row otherwise.
 */
/** The statements of updateConversations (see executeTogether): one per set of changed columns. */
export function conversationUpdates(
  db: Db,
  changes: ReadonlyMap<string, Partial<ConversationRow>>,
): Statement[] {
  const groups = new Map<string, [string, Partial<ConversationRow>][]>();
  for (const [id, set] of changes) {
    const key = Object.keys(set).sort().join(',');
    const group = groups.get(key);
    if (group) group.push([id, set]);
    else groups.set(key, [[id, set]]);
  }
  const statements: Statement[] = [];
  for (const [key, rows] of groups) {
    const columns = key.split(',') as (keyof ConversationRow)[];
    if (rows.length === 1 || columns.some((column) => !CONVERSATION_COLUMN_TYPES[column])) {
      for (const [id, set] of rows)
        statements.push(db.updateTable('conversations').set(set).where('id', '=', id));
      continue;
    }
    for (let i = 0; i < rows.length; i += 500) {
      const values = rows
        .slice(i, i + 500)
        .map(
          ([id, set]) =>
            sql`(${id}, ${sql.join(
              columns.map(
                (column) => sql`cast(${set[column]} as ${sql.raw(CONVERSATION_COLUMN_TYPES[column]!)})`,
              ),
            )})`,
        );
      statements.push(sql`with v (id, ${sql.join(columns.map((column) => sql.ref(column)))}) as (values ${sql.join(values)})
        update conversations
        set ${sql.join(columns.map((column) => sql`${sql.ref(column)} = ${sql.ref(`v.${column}`)}`))}
        from v where conversations.id = v.id`);
    }
  }
  return statements;
}

/**
 * The sequence and state of conversations about to receive messages, read once; on PostgreSQL the rows
 * are locked until the end of the transaction, in id order so that two writers cannot wait on each other.
 */
export async function lockConversationStates(db: Db, ids: readonly string[], dialect: Dialect) {
  const rows = await forUpdate(
    db
      .selectFrom('conversations')
      .select(['id', 'last_seq', 'status', 'awaiting_reply_since'])
      .where('id', 'in', [...ids])
      .orderBy('id'),
    dialect,
  ).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** Conversations still open for a profile with a practitioner (the overload limit). */
export async function countOpenConversations(
  db: Db,
  profileIds: string[],
  practitionerId: string,
): Promise<number> {
  const row = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('patient_profile_id', 'in', profileIds)
    .where('practitioner_user_id', '=', practitionerId)
    .where('status', '<>', 'closed')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A patient account's messages since a time, as many as the daily limit can need: no cap a practitioner
 * may set is above MAX_DAILY_MESSAGE_CAP, so the count stops there however many were sent.
 */
function messagesSince(db: Db, userId: string, since: number) {
  return db
    .selectFrom('messages')
    .select('id')
    .where('sender_user_id', '=', userId)
    .where('created_at', '>=', since)
    .limit(MAX_DAILY_MESSAGE_CAP)
    .as('today');
}

/** Messages a patient account sent since a time (the daily cap), counted up to the highest cap. */
export async function countMessagesSince(db: Db, userId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom(messagesSince(db, userId, since))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function idleConversations(db: Db, before: number, limit: number) {
  return db
    .selectFrom('conversations')
    .select(['id', 'practice_id', 'practitioner_user_id', 'last_message_at'])
    .where('status', '<>', 'closed')
    .where('last_message_at', '<', before)
    .limit(limit)
    .execute();
}

// ----- Messages -----

/** The statements that insert messages (see executeTogether). */
export function messageInserts(dialect: Dialect, rows: readonly MessageRow[]): Statement[] {
  return insertRows(dialect, 'messages', rows);
}

/**
 * What a send needs to know besides the conversation, in one round trip: the message a retry of the same
 * client id already created, the practitioner's settings as stored, and (for a patient) how many messages
 * the sender wrote since the start of the practice's day (counted up to the highest cap a practitioner may
 * set, which is all the limit needs).
 */
export async function sendContext(
  db: Db,
  query: {
    senderUserId: string;
    clientMessageId: string;
    practitionerId: string;
    practiceId: string;
    countSince: number | null;
  },
) {
  const [row] = await (query.countSince === null ? sendContextUncounted : sendContextCounted)(db, {
    ...query,
    countSince: query.countSince ?? 0,
  });
  if (!row) throw new Error('A select without a table returned no row');
  return {
    replayId: row.replay_id ?? null,
    settings: row.settings ?? null,
    sentToday: Number(row.sent_today ?? 0),
  };
}

type SendContextArgs = {
  senderUserId: string;
  clientMessageId: string;
  practitionerId: string;
  practiceId: string;
  countSince: number;
};

function sendContextQuery(db: Db, args: SendContextArgs, counted: boolean) {
  return db.selectNoFrom((eb) => [
    eb
      .selectFrom('messages')
      .select('id')
      .where('sender_user_id', '=', args.senderUserId)
      .where('client_message_id', '=', args.clientMessageId)
      .as('replay_id'),
    eb
      .selectFrom('messaging_settings')
      .select('settings')
      .where('practitioner_user_id', '=', args.practitionerId)
      .where('practice_id', '=', args.practiceId)
      .as('settings'),
    counted
      ? eb
          .selectFrom(messagesSince(db, args.senderUserId, args.countSince))
          .select((count) => count.fn.countAll<number>().as('n'))
          .as('sent_today')
      : sql<number>`0`.as('sent_today'),
  ]);
}

// Read on every send, so compiled once: with the day's count, and without it (no daily cap).
const sendContextCounted = compiledOnce((db, args: SendContextArgs) => sendContextQuery(db, args, true));
const sendContextUncounted = compiledOnce((db, args: SendContextArgs) => sendContextQuery(db, args, false));

export function findMessageByClientId(db: Db, senderUserId: string, clientMessageId: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('sender_user_id', '=', senderUserId)
    .where('client_message_id', '=', clientMessageId)
    .executeTakeFirst();
}

/**
 * Messages with their sender's name and role: the practice role (practitioner, assistant) for staff,
 * so that the thread says who answered; the account kind otherwise.
 */
function withSender(db: Db) {
  return db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .leftJoin('users', 'users.id', 'messages.sender_user_id')
    .leftJoin('practice_members', (join) =>
      join
        .onRef('practice_members.user_id', '=', 'messages.sender_user_id')
        .onRef('practice_members.practice_id', '=', 'conversations.practice_id'),
    )
    .selectAll('messages')
    .select((eb) => [
      'users.first_name as sender_first_name',
      'users.last_name as sender_last_name',
      eb.fn.coalesce('practice_members.role', 'users.kind').as('sender_kind'),
    ]);
}

export function messagePage(
  db: Db,
  conversationId: string,
  page: { after?: number | undefined; before?: number | undefined; limit: number },
) {
  let query = withSender(db).where('messages.conversation_id', '=', conversationId);
  if (page.after !== undefined)
    query = query.where('messages.seq', '>', page.after).orderBy('messages.seq', 'asc');
  else {
    if (page.before !== undefined) query = query.where('messages.seq', '<', page.before);
    query = query.orderBy('messages.seq', 'desc');
  }
  return query.limit(page.limit + 1).execute();
}
export type MessageWithSender = Awaited<ReturnType<typeof messagePage>>[number];

export function findMessage(db: Db, id: string) {
  return withSender(db).where('messages.id', '=', id).executeTakeFirstOrThrow();
}

/** The last message of each conversation (its sequence is the conversation's last_seq). */
export function lastMessages(db: Db, conversationIds: readonly string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('conversations')
    .innerJoin('messages', (join) =>
      join
        .onRef('messages.conversation_id', '=', 'conversations.id')
        .onRef('messages.seq', '=', 'conversations.last_seq'),
    )
    .select([
      'messages.id',
      'messages.conversation_id',
      'messages.kind',
      'messages.sender_side',
      'messages.body',
    ])
    .where('conversations.id', 'in', [...conversationIds])
    .execute();
}

/** Unread messages for a reader: from the other side, after their read marker. */
export async function unreadCounts(
  db: Db,
  conversationIds: string[],
  readerId: string,
  readerSide: 'patient' | 'practice',
) {
  if (conversationIds.length === 0) return new Map<string, number>();
  // One count per conversation, from its read marker (looked up by key) to its end: only the unread part
  // of each thread is read. Joining the markers to all the messages of the page instead let PostgreSQL
  // scan every marker of the reader, and read every message of each conversation, read or not.
  // Sequences start at 1, so no marker counts the whole thread.
  const rows = await db
    .selectFrom('conversations')
    .leftJoin('read_markers', (join) =>
      join
        .onRef('read_markers.conversation_id', '=', 'conversations.id')
        .on('read_markers.user_id', '=', readerId),
    )
    .select((eb) => [
      'conversations.id as conversation_id',
      eb
        .selectFrom('messages')
        .select((sub) => sub.fn.countAll<number>().as('n'))
        .whereRef('messages.conversation_id', '=', 'conversations.id')
        .where('messages.seq', '>', eb.fn.coalesce('read_markers.read_seq', sql.lit(0)))
        .where('messages.sender_side', '<>', readerSide)
        .as('n'),
    ])
    .where('conversations.id', 'in', conversationIds)
    .execute();
  return new Map(rows.filter((r) => Number(r.n) > 0).map((r) => [r.conversation_id, Number(r.n)]));
}

// ----- Read markers -----

export interface MarkerUpdate {
  conversationId: string;
  userId: string;
  side: 'patient' | 'practice';
  seq: number;
}

/** Moves read markers forward (never back) to a sequence, for one reader or many at once. */
export async function upsertMarkers(db: Db, updates: readonly MarkerUpdate[], now: number, dialect: Dialect) {
  // One row per reader and conversation: a statement may not update the same row twice.
  const latest = new Map<string, MarkerUpdate>();
  for (const update of updates) {
    const key = `${update.conversationId} ${update.userId}`;
    const known = latest.get(key);
    if (!known || known.seq < update.seq) latest.set(key, update);
  }
  if (latest.size === 0) return;
  const greatest = dialect === 'postgres' ? 'greatest' : 'max';
  await db
    .insertInto('read_markers')
    .values(
      [...latest.values()].map((update) => ({
        conversation_id: update.conversationId,
        user_id: update.userId,
        side: update.side,
        delivered_seq: update.seq,
        read_seq: update.seq,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['conversation_id', 'user_id']).doUpdateSet({
        read_seq: sql`${sql.raw(greatest)}(read_markers.read_seq, excluded.read_seq)`,
        delivered_seq: sql`${sql.raw(greatest)}(read_markers.delivered_seq, excluded.delivered_seq)`,
        updated_at: now,
      }),
    )
    .execute();
}

export async function otherSideMarkers(db: Db, conversationId: string, otherSide: 'patient' | 'practice') {
  const row = await db
    .selectFrom('read_markers')
    .select((eb) => [eb.fn.max('delivered_seq').as('delivered'), eb.fn.max('read_seq').as('read')])
    .where('conversation_id', '=', conversationId)
    .where('side', '=', otherSide)
    .executeTakeFirst();
  return { deliveredSeq: Number(row?.delivered ?? 0), readSeq: Number(row?.read ?? 0) };
}

// ----- Attachments -----

export async function insertAttachment(db: Db, row: AttachmentRow) {
  await db.insertInto('attachments').values(row).execute();
}

export function unattachedOf(db: Db, ownerId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .select(['id'])
    .where('owner_user_id', '=', ownerId)
    .where('id', 'in', ids)
    .where('message_id', 'is', null)
    .execute();
}

export async function attachToMessage(db: Db, ids: string[], conversationId: string, messageId: string) {
  if (ids.length === 0) return;
  await db
    .updateTable('attachments')
    .set({ conversation_id: conversationId, message_id: messageId })
    .where('id', 'in', ids)
    .execute();
}

export function attachmentsOfMessages(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .select(['id', 'message_id', 'content_type', 'size', 'name'])
    .where('message_id', 'in', messageIds)
    .execute();
}

export function findAttachment(db: Db, id: string) {
  return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

// ----- Renewals -----

export async function insertRenewal(db: Db, row: RenewalRow) {
  await db.insertInto('renewals').values(row).execute();
}

export function renewalOfConversation(db: Db, conversationId: string) {
  return db
    .selectFrom('renewals')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
}

export function findRenewal(db: Db, id: string) {
  return db.selectFrom('renewals').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function decideRenewal(db: Db, id: string, changes: Partial<RenewalRow>): Promise<boolean> {
  const result = await db
    .updateTable('renewals')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Practice-side accesses to a conversation, from the audit trail, newest first. */
export function practiceAccesses(db: Db, conversationId: string, practiceId: string) {
  return db
    .selectFrom('audit_log')
    .innerJoin('users', 'users.id', 'audit_log.actor_user_id')
    .leftJoin('practice_members', (join) =>
      join
        .onRef('practice_members.user_id', '=', 'audit_log.actor_user_id')
        .on('practice_members.practice_id', '=', practiceId),
    )
    .select([
      'audit_log.at',
      'audit_log.action',
      'users.first_name',
      'users.last_name',
      'practice_members.role',
    ])
    .where('audit_log.actor_role', '=', 'staff')
    .where((eb) =>
      eb.or([
        eb('audit_log.target_id', '=', conversationId),
        eb(
          'audit_log.target_id',
          'in',
          eb
            .selectFrom('attachments')
            .select('attachments.id')
            .where('attachments.conversation_id', '=', conversationId),
        ),
      ]),
    )
    .where('audit_log.action', 'in', [
      'conversation.opened',
      'conversation.messages_read',
      'attachment.downloaded',
    ])
    .orderBy('audit_log.seq', 'desc')
    .limit(500)
    .execute();
}
