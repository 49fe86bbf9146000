import { type Kysely, sql } from 'kysely';

/**
 * The fan-out takes a campaign's next recipients not yet delivered. Delivered rows stay in the table for
 * the statistics, so without this partial index each batch would step over every recipient delivered
 * before it, and a large campaign would slow down as it progresses.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index campaign_recipients_pending on campaign_recipients (campaign_id, patient_profile_id) where delivered_at is null`.execute(
    db,
  );
}
