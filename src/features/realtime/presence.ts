import type { Clock } from '../../platform/clock/clock';
import type { GroupCommit } from '../../platform/db/group-commit';
import type { Store } from '../../platform/db/store';
import { uuidv7 } from '../../platform/ids';

/**
 * Who has a live connection right now, across every instance: each open WebSocket holds a row with a
 * lease. Push notifications skip someone who is connected (the page shows the message already); a
 * connection whose instance died stops counting when its lease runs out.
 *
 * The writes are grouped so that thousands of sockets cost little: rows are added and removed through
 * the shared group commit, and one timer per instance renews the leases of all its connections in one
 * transaction (and clears leases that instances which died left behind).
 */
export type Presence = ReturnType<typeof createPresence>;

const CHUNK = 500;

export function createPresence(deps: { store: Store; clock: Clock; writes: GroupCommit }) {
  const { store, clock, writes } = deps;
  const db = store.db;
  /** This instance's open connections: id → lease length. */
  const live = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let renewing = false;

  async function renewAll(): Promise<void> {
    const now = clock.now();
    const byLease = new Map<number, string[]>();
    for (const [id, leaseMs] of live) byLease.set(leaseMs, [...(byLease.get(leaseMs) ?? []), id]);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('live_connections').where('expires_at', '<', now).execute();
      for (const [leaseMs, ids] of byLease)
        for (let i = 0; i < ids.length; i += CHUNK)
          await trx
            .updateTable('live_connections')
            .set({ expires_at: now + leaseMs })
            .where('id', 'in', ids.slice(i, i + CHUNK))
            .execute();
    });
  }

  function schedule(leaseMs: number) {
    if (timer) return;
    // Renew well before a lease can run out: three times per lease.
    timer = setInterval(
      () => {
        if (live.size === 0) {
          clearInterval(timer);
          timer = undefined;
          return;
        }
        if (renewing) return;
        renewing = true;
        renewAll()
          .catch(() => undefined)
          .finally(() => {
            renewing = false;
          });
      },
      Math.max(1_000, Math.floor(leaseMs / 3)),
    );
    timer.unref();
  }

  return {
    async open(userId: string, leaseMs: number): Promise<string> {
      const id = uuidv7();
      await writes.run((trx) =>
        trx
          .insertInto('live_connections')
          .values({ id, user_id: userId, expires_at: clock.now() + leaseMs })
          .execute(),
      );
      live.set(id, leaseMs);
      schedule(leaseMs);
      return id;
    },
    async close(id: string): Promise<void> {
      live.delete(id);
      await writes.run((trx) => trx.deleteFrom('live_connections').where('id', '=', id).execute());
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
    /** Renews every lease of this instance now (the timer does it on its own; tests and shutdown use this). */
    renewAll,
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
