import type { SyncResponse } from '../../contracts/realtime';
import type { Store } from '../../platform/db/store';
import type { AuthContext } from '../accounts/sessions.service';
import { type ConversationAccess, patientMaySee } from '../messaging/conversation-access';
import * as messaging from '../messaging/messaging.repository';
import type { PatientsService } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';

export type SyncService = ReturnType<typeof createSyncService>;

/**
 * Everything a user may see that changed after a cursor. The database is the source of truth: a client
 * that missed events (offline, asleep, another instance, Redis away) catches up here without gap.
 */
export function createSyncService(deps: {
  store: Store;
  practices: PracticesService;
  patients: PatientsService;
  access: ConversationAccess;
  /** Writes the conversations of campaign messages delivered to these profiles, before they are read. */
  openDeliveries: (profileIds: readonly string[]) => Promise<void>;
}) {
  const { store, practices, patients, access, openDeliveries } = deps;
  const db = store.db;

  async function scopeOf(auth: AuthContext) {
    if (auth.user.kind === 'patient') {
      const profileIds = (await patients.profilesOf(auth.user.id)).map((p) => p.id);
      await openDeliveries(profileIds);
      return { profileIds, practiceIds: [] };
    }
    const memberships = await practices.membershipsOf(auth.user.id);
    return {
      profileIds: [],
      practiceIds: memberships.filter((m) => m.rights.includes('messaging')).map((m) => m.practiceId),
    };
  }

  return {
    async since(auth: AuthContext, since: number, limit: number): Promise<SyncResponse> {
      const rows = await messaging.conversationsChangedSince(db, await scopeOf(auth), since, limit);
      const hasMore = rows.length > limit;
      const page = rows.slice(0, limit);
      const visible =
        auth.user.kind === 'patient' ? page.filter((row) => patientMaySee(auth.user.id, row)) : page;
      const side = auth.user.kind === 'patient' ? 'patient' : 'practice';
      // The cursor moves past hidden rows too, so that a confidential conversation never stalls the sync.
      const cursor = page.at(-1)?.change_cursor ?? since;
      return {
        cursor,
        conversations: await access.toSummaries(visible, auth.user.id, side),
        hasMore,
      };
    },

    /** The cursor to start from: the newest change in the whole store. */
    async currentCursor(): Promise<number> {
      const head = await db
        .selectFrom('audit_head')
        .select('seq')
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      return Number(head.seq);
    },
  };
}
