import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate';

/** Messaging: per-practitioner settings, templates, conversations, messages, attachments, read markers, renewals. */
export async function up(db: Kysely<unknown>, { binaryType }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('messaging_settings')
    .addColumn('practitioner_user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id').onDelete('cascade'))
    /** JSON of the settings (see domain/messaging.ts); small, read whole, validated by the service. */
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('messaging_settings_pk', ['practitioner_user_id', 'practice_id'])
    .execute();

  await db.schema
    .createTable('message_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id').onDelete('cascade'))
    /** Null for a template shared by the whole practice. */
    .addColumn('owner_user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_templates_practice')
    .on('message_templates')
    .column('practice_id')
    .execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('practitioner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('patient_profile_id', 'text', (c) => c.notNull().references('patient_profiles.id'))
    .addColumn('created_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('subject', binaryType, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('patient_may_reply', 'integer', (c) => c.notNull())
    .addColumn('emergency_flagged_at', 'bigint')
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('last_message_at', 'bigint', (c) => c.notNull())
    /** Oldest patient message not yet answered by the practice: waiting time and overdue status. */
    .addColumn('awaiting_reply_since', 'bigint')
    .addColumn('due_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('closed_reason', 'text')
    /** Global commit-ordered position of the last change (the audit chain's sequence): sync cursors. */
    .addColumn('change_cursor', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversations_practice_status')
    .on('conversations')
    .columns(['practice_id', 'status', 'last_message_at'])
    .execute();
  await db.schema
    .createIndex('conversations_profile')
    .on('conversations')
    .columns(['patient_profile_id', 'last_message_at'])
    .execute();
  await db.schema
    .createIndex('conversations_cursor')
    .on('conversations')
    .columns(['change_cursor'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('client_message_id', 'text')
    .addColumn('sender_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('sender_side', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', binaryType, (c) => c.notNull())
    /** Emergency situation the detector recognised and the patient confirmed was not one (the kind, never the text). */
    .addColumn('emergency_kind', 'text')
    .addColumn('attachment_count', 'integer', (c) => c.notNull())
    .addColumn('change_cursor', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('messages_conversation_seq', ['conversation_id', 'seq'])
    .addUniqueConstraint('messages_client_id', ['sender_user_id', 'client_message_id'])
    .execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('conversation_id', 'text', (c) => c.references('conversations.id'))
    .addColumn('message_id', 'text', (c) => c.references('messages.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('name', binaryType, (c) => c.notNull())
    .addColumn('data', binaryType, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_message').on('attachments').column('message_id').execute();

  await db.schema
    .createTable('read_markers')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('delivered_seq', 'integer', (c) => c.notNull())
    .addColumn('read_seq', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('read_markers_pk', ['conversation_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('renewals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('patient_profile_id', 'text', (c) => c.notNull().references('patient_profiles.id'))
    .addColumn('practitioner_user_id', 'text', (c) => c.notNull().references('users.id'))
    /** Encrypted JSON: medication, dosage, how long taken, last prescription date. */
    .addColumn('details', binaryType, (c) => c.notNull())
    .addColumn('photo_attachment_id', 'text', (c) => c.references('attachments.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision_reason', binaryType)
    .addColumn('pickup', 'text')
    .addColumn('decided_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('renewals_conversation').on('renewals').column('conversation_id').execute();
}
