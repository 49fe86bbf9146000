import { type Kysely, sql } from 'kysely';

/**
 * Key rotation: the re-encryption job's progress and lease, so that it resumes after a restart and runs on
 * one instance at a time. Audit retention: the anchor of a truncated audit chain, and an index on time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('key_rotations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The data key every record must end up encrypted with. */
    .addColumn('data_key_id', 'text', (c) => c.notNull().references('data_keys.id'))
    /** running, done, or superseded (a newer rotation took over). */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('pass', 'integer', (c) => c.notNull())
    /** Where the job stands: index in the list of encrypted tables, and the last row id handled there. */
    .addColumn('table_index', 'integer', (c) => c.notNull())
    .addColumn('cursor_id', 'text', (c) => c.notNull())
    /** Rows holding a record of another key when the rotation started. */
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('processed', 'bigint', (c) => c.notNull())
    .addColumn('reencrypted', 'bigint', (c) => c.notNull())
    /** Records the current pass could not decrypt (left as they are, reported). */
    .addColumn('unreadable', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('key_rotations_status')
    .on('key_rotations')
    .columns(['status', 'started_at'])
    .execute();

  await db.schema
    .createTable('audit_anchor')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    /** Last entry removed by retention, and its hash: the verification starts from here. */
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint')
    .execute();
  await sql`insert into audit_anchor (id, seq, hash, at) values (1, 0, ${'0'.repeat(64)}, null)`.execute(db);
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();
}
