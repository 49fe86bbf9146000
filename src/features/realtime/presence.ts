import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../../platform/clock/clock';
import type { Store } from '../../platform/db/store';

/**
 * Who has a live connection right now, across every instance: each open WebSocket holds a row whose
 * lease its heartbeats renew. Push notifications skip someone who is connected (the page shows the
 * message already); a connection whose instance died stops counting when its lease runs out.
 */
export type Presence = ReturnType<typeof createPresence>;

export function createPresence(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  const db = store.db;
  return {
    async open(userId: string, leaseMs: number): Promise<string> {
      const id = uuidv7();
      const now = clock.now();
      // Leases left behind by an instance that died: the table stays as small as the live connections.
      await db.deleteFrom('live_connections').where('expires_at', '<', now).execute();
      await db
        .insertInto('live_connections')
        .values({ id, user_id: userId, expires_at: now + leaseMs })
        .execute();
      return id;
    },
    async renew(id: string, leaseMs: number): Promise<void> {
      await db
        .updateTable('live_connections')
        .set({ expires_at: clock.now() + leaseMs })
        .where('id', '=', id)
        .execute();
    },
    async close(id: string): Promise<void> {
      await db.deleteFrom('live_connections').where('id', '=', id).execute();
    },
    async isConnected(userId: string): Promise<boolean> {
      const row = await db
        .selectFrom('live_connections')
        .select('id')
        .where('user_id', '=', userId)
        .where('expires_at', '>', clock.now())
        .executeTakeFirst();
      return Boolean(row);
    },
  };
}
