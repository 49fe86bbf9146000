import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as foundation from './migrations/0001-foundation';
import * as care from './migrations/0002-care';
import * as messaging from './migrations/0003-messaging';
import * as notifications from './migrations/0004-notifications';
import * as messageIndexes from './migrations/0005-message-indexes';
import * as campaigns from './migrations/0006-campaigns';
import * as webPush from './migrations/0007-web-push';
import * as keyRotation from './migrations/0008-key-rotation';
import * as termsAndRights from './migrations/0009-terms-and-rights';
import * as inboxOrder from './migrations/0011-inbox-order';
import * as campaignAttachments from './migrations/0012-campaign-attachments';
import * as campaignPending from './migrations/0013-campaign-pending';
import * as campaignReferences from './migrations/0014-campaign-references';
import * as inboxWaitingPatient from './migrations/0015-inbox-waiting-patient';
import type { Store } from './store';

export interface MigrationContext {
  binaryType: 'blob' | 'bytea';
}

type MigrationModule = { up(db: Kysely<unknown>, context: MigrationContext): Promise<void> };

/** Forward-only, in order. A migration, once released, is never edited: add a new one. */
const MIGRATIONS: Record<string, MigrationModule> = {
  '0001-foundation': foundation,
  '0002-care': care,
  '0003-messaging': messaging,
  '0004-notifications': notifications,
  '0005-message-indexes': messageIndexes,
  '0006-campaigns': campaigns,
  '0007-web-push': webPush,
  '0008-key-rotation': keyRotation,
  '0009-terms-and-rights': termsAndRights,
  '0011-inbox-order': inboxOrder,
  '0012-campaign-attachments': campaignAttachments,
  '0013-campaign-pending': campaignPending,
  '0014-campaign-references': campaignReferences,
  '0015-inbox-waiting-patient': inboxWaitingPatient,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly context: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, module]) => [
        name,
        { up: (db: Kysely<unknown>) => module.up(db, this.context) },
      ]),
    );
  }
}

/** Runs pending migrations. On PostgreSQL Kysely takes an advisory lock, so concurrent starts are safe. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db as unknown as Kysely<unknown>,
    provider: new StaticProvider({ binaryType: store.binaryType }),
    // Kysely looks for its bookkeeping tables across all schemas unless told which one is ours.
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('Migration failed');
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  return applied;
}
