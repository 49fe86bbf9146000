import { type Kysely, sql } from 'kysely';

/**
 * A campaign's message is stored once, with the campaign. Delivering it to a recipient writes their
 * recipient row (delivered, no conversation yet); the conversation that shows it in their inbox is
 * written the first time one of their accounts lists its conversations (`conversation_id` then set).
 * Rows are no longer written ahead as pending, so the pending index goes; the fan-out and the inbox
 * instead look for delivered rows without a conversation, by profile. The notices of a campaign go by
 * jobs of many recipients; `notified_at` marks those a job has mailed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('campaign_recipients').addColumn('notified_at', 'bigint').execute();
  await sql`drop index campaign_recipients_pending`.execute(db);
  await sql`create index campaign_recipients_unopened on campaign_recipients (patient_profile_id) where conversation_id is null and delivered_at is not null`.execute(
    db,
  );
  // Only rows with a conversation are looked up by it.
  await sql`drop index campaign_recipients_conversation`.execute(db);
  await sql`create index campaign_recipients_conversation on campaign_recipients (conversation_id) where conversation_id is not null`.execute(
    db,
  );
}
