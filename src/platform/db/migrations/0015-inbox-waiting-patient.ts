import { type Kysely, sql } from 'kysely';

/**
 * The practice inbox: possible emergencies first, then what the practice has to answer, longest-waiting
 * first, and only then the conversations waiting for the patient. The index of migration 0011 gains the
 * middle key. The expressions must stay identical to the inbox query's (messaging.repository.ts,
 * practiceInbox).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index conversations_inbox`.execute(db);
  await sql`create index conversations_inbox on conversations (
    practice_id,
    (case when emergency_flagged_at is null then 1 else 0 end),
    (case when status = 'waiting_patient' then 1 else 0 end),
    (coalesce(awaiting_reply_since, last_message_at)),
    id
  ) where status <> 'closed'`.execute(db);
}
