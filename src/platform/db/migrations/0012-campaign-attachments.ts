import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate';

/**
 * A campaign's optional file (PDF or image, checked like message attachments), stored once for the
 * campaign and shown in every recipient's conversation: never copied per recipient. Its id is the
 * campaign's.
 */
export async function up(db: Kysely<unknown>, { binaryType }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('campaign_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey().references('campaigns.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('name', binaryType, (c) => c.notNull())
    .addColumn('data', binaryType, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // A recipient's conversation leads back to its campaign (to show the campaign's file there).
  await db.schema
    .createIndex('campaign_recipients_conversation')
    .on('campaign_recipients')
    .column('conversation_id')
    .execute();
}
