import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate';

/**
 * Web Push: the server's VAPID key pair (shared by every instance, the private key encrypted with the
 * keyring), each browser's push subscription, the push channel choice, what was pushed (for batching),
 * and which users have a live connection (no push for someone who is looking at the app).
 */
export async function up(db: Kysely<unknown>, { binaryType }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('web_push_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_key', binaryType, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('push_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    /** The push service's URL for this browser; a browser belongs to whoever subscribed it last. */
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    /** JSON { p256dh, auth } encrypted with the keyring: whoever holds them can read the pushes. */
    .addColumn('keys', binaryType, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_success_at', 'bigint')
    .execute();
  await db.schema.createIndex('push_subscriptions_user').on('push_subscriptions').column('user_id').execute();

  await db.schema
    .alterTable('notification_preferences')
    .addColumn('push', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('push_log')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_log_pk', ['conversation_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('live_connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    /** Renewed by the socket's heartbeats; a connection whose instance died simply expires. */
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('live_connections_user')
    .on('live_connections')
    .columns(['user_id', 'expires_at'])
    .execute();
}
