import type { Kysely } from 'kysely';

/** The daily message cap counts a patient's messages since the start of the day: index sender and time. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('messages_sender_time')
    .on('messages')
    .columns(['sender_user_id', 'created_at'])
    .execute();
}
