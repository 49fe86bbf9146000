import { type Kysely, sql } from 'kysely';

/**
 * The practice inbox lists a practice's conversations that are not closed, emergencies first, then the
 * longest-waiting: a partial index in exactly that order lets the first page and its count read only
 * the live part of a practice's history, however many closed conversations it holds. The expressions
 * must stay identical to the inbox query's (messaging.repository.ts, practiceInbox).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index conversations_inbox on conversations (
    practice_id,
    (case when emergency_flagged_at is null then 1 else 0 end),
    (coalesce(awaiting_reply_since, last_message_at)),
    id
  ) where status <> 'closed'`.execute(db);
}
