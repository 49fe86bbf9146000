import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrate';

/** Prevention campaigns and practice news, delivered once per patient profile; opt-outs per practice. */
export async function up(db: Kysely<unknown>, { binaryType }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('author_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', binaryType, (c) => c.notNull())
    .addColumn('body', binaryType, (c) => c.notNull())
    .addColumn('patients_may_reply', 'integer', (c) => c.notNull())
    /** JSON audience definition (no health data: windows, ages, sex, tag names). */
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scheduled_at', 'bigint')
    .addColumn('started_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('total_recipients', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('campaigns_practice')
    .on('campaigns')
    .columns(['practice_id', 'created_at'])
    .execute();
  await db.schema.createIndex('campaigns_due').on('campaigns').columns(['status', 'scheduled_at']).execute();

  await db.schema
    .createTable('campaign_recipients')
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('patient_profile_id', 'text', (c) => c.notNull().references('patient_profiles.id'))
    .addColumn('conversation_id', 'text', (c) => c.references('conversations.id'))
    .addColumn('delivered_at', 'bigint')
    .addPrimaryKeyConstraint('campaign_recipients_pk', ['campaign_id', 'patient_profile_id'])
    .execute();

  await db.schema
    .createTable('campaign_optouts')
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('patient_profile_id', 'text', (c) => c.notNull().references('patient_profiles.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_optouts_pk', ['practice_id', 'patient_profile_id'])
    .execute();
}
