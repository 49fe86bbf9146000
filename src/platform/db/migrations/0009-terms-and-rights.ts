import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from '../migrate';

/** The first published version of each text (their wording lives in src/features/terms/texts/). */
const FIRST_VERSIONS_PUBLISHED_AT = Date.UTC(2026, 10, 1);

/**
 * Versioned terms of use and privacy notice with each account's acceptances; GDPR exports built in the
 * background; closed accounts and the retention of what the practice keeps in the medical record.
 */
export async function up(db: Kysely<unknown>, { binaryType }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('terms_versions')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addPrimaryKeyConstraint('terms_versions_pk', ['kind', 'version'])
    .execute();
  for (const kind of ['patient', 'practitioner', 'privacy']) {
    await sql`insert into terms_versions (kind, version, published_at, published_by) values (${kind}, 1, ${FIRST_VERSIONS_PUBLISHED_AT}, null)`.execute(
      db,
    );
  }

  await db.schema
    .createTable('terms_acceptances')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('terms_acceptances_pk', ['user_id', 'kind', 'version'])
    .execute();

  await db.schema
    .createTable('data_exports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    /** The session that re-authenticated: only it may download the archive. */
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    /** The ZIP archive, encrypted like every other piece of health data. */
    .addColumn('archive', binaryType)
    .addColumn('size', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('data_exports_user').on('data_exports').column('user_id').execute();

  await db.schema.alterTable('users').addColumn('closed_at', 'bigint').execute();
  await db.schema.alterTable('patient_profiles').addColumn('closed_at', 'bigint').execute();
  await db.schema.alterTable('patient_profiles').addColumn('retain_until', 'bigint').execute();
  await db.schema
    .createIndex('patient_profiles_retention')
    .on('patient_profiles')
    .column('retain_until')
    .execute();
}
