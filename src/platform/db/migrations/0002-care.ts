import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migrate';

/** Booking, the practice's patient records, care relationships, relatives, and the durable outbox. */
export async function up(db: Kysely<unknown>, { binaryType }: MigrationContext): Promise<void> {
  await db.schema
    .alterTable('practices')
    .addColumn('cancellation_deadline_hours', 'integer', (c) => c.notNull().defaultTo(24))
    .execute();
  await db.schema.alterTable('patient_profiles').addColumn('own_account_since', 'bigint').execute();

  await db.schema
    .createTable('practitioner_schedules')
    .addColumn('practitioner_user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id').onDelete('cascade'))
    .addColumn('slot_minutes', 'integer', (c) => c.notNull())
    .addColumn('periods', 'text', (c) => c.notNull())
    .addColumn('booking_horizon_days', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('practitioner_schedules_pk', ['practitioner_user_id', 'practice_id'])
    .execute();

  await db.schema
    .createTable('schedule_exceptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('practitioner_user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id').onDelete('cascade'))
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('schedule_exceptions_practitioner')
    .on('schedule_exceptions')
    .columns(['practitioner_user_id', 'practice_id', 'ends_on'])
    .execute();

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('practitioner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('patient_profile_id', 'text', (c) => c.notNull().references('patient_profiles.id'))
    .addColumn('booked_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_by_user_id', 'text')
    .addColumn('status_changed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // One live appointment per practitioner and start time: the database, not the application, prevents
  // double booking, also between instances.
  await db.schema
    .createIndex('appointments_one_per_slot')
    .on('appointments')
    .columns(['practitioner_user_id', 'starts_at'])
    .unique()
    .where(sql.ref('status'), '<>', 'cancelled')
    .execute();
  await db.schema
    .createIndex('appointments_practice_time')
    .on('appointments')
    .columns(['practice_id', 'starts_at'])
    .execute();
  await db.schema
    .createIndex('appointments_profile')
    .on('appointments')
    .columns(['patient_profile_id', 'starts_at'])
    .execute();

  await db.schema
    .createTable('practice_patients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id').onDelete('cascade'))
    .addColumn('patient_profile_id', 'text', (c) => c.references('patient_profiles.id'))
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    /** Lower-cased, accent-free "last|first|birth date", to match imported rows to existing records. */
    .addColumn('match_key', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('practice_patients_profile')
    .on('practice_patients')
    .columns(['practice_id', 'patient_profile_id'])
    .unique()
    .where('patient_profile_id', 'is not', null)
    .execute();
  await db.schema
    .createIndex('practice_patients_match')
    .on('practice_patients')
    .columns(['practice_id', 'match_key'])
    .execute();
  await db.schema
    .createIndex('practice_patients_by_profile')
    .on('practice_patients')
    .column('patient_profile_id')
    .execute();

  await db.schema
    .createTable('care_relationships')
    .addColumn('practice_patient_id', 'text', (c) =>
      c.notNull().references('practice_patients.id').onDelete('cascade'),
    )
    .addColumn('practitioner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('first_consultation_at', 'bigint', (c) => c.notNull())
    .addColumn('last_consultation_at', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('care_relationships_pk', ['practice_patient_id', 'practitioner_user_id'])
    .execute();
  await db.schema
    .createIndex('care_relationships_practitioner')
    .on('care_relationships')
    .columns(['practitioner_user_id', 'last_consultation_at'])
    .execute();

  await db.schema
    .createTable('patient_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('practice_patient_id', 'text', (c) =>
      c.notNull().references('practice_patients.id').onDelete('cascade'),
    )
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .addColumn('accepted_by_user_id', 'text')
    .execute();
  await db.schema
    .createIndex('patient_invitations_record')
    .on('patient_invitations')
    .column('practice_patient_id')
    .execute();

  await db.schema
    .createTable('profile_claims')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('patient_profile_id', 'text', (c) =>
      c.notNull().references('patient_profiles.id').onDelete('cascade'),
    )
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('topic', 'text', (c) => c.notNull())
    /** Encrypted JSON: mails carry sign-in links with tokens. */
    .addColumn('payload', binaryType, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .execute();
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['done_at', 'available_at']).execute();
}
