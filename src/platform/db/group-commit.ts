import { type Kysely, sql } from 'kysely';
import { isTransientConflict } from './dialect';
import type { Database } from './schema';

type Work<T> = (trx: Kysely<Database>) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface GroupCommit {
  /**
   * Runs `work` in a transaction, possibly shared with other writers that arrived meanwhile, and
   * resolves once that transaction is committed. Each piece of work runs inside its own savepoint: if it
   * throws, only its own changes are rolled back and only its caller sees the error.
   */
  run<T>(work: Work<T>): Promise<T>;
}

/**
 * Group commit: concurrent writers share one transaction, so one durable commit (one fsync on SQLite,
 * one WAL flush on PostgreSQL) acknowledges many of them. Nothing waits on a timer: a batch starts at the
 * next turn of the event loop, and while a commit is in progress the writers that arrive queue up and go
 * together into the next one, so a lone writer pays one commit and a busy server one commit per batch.
 *
 * Work must confine its effects to the transaction (anything done after commit belongs to the caller),
 * and must be safe to run again: when the shared commit itself fails, every piece runs again alone.
 */
export function createGroupCommit(db: Kysely<Database>, options: { maxBatch?: number } = {}): GroupCommit {
  const maxBatch = options.maxBatch ?? 64;
  const queue: Pending[] = [];
  let draining = false;

  async function alone(item: Pending): Promise<void> {
    try {
      item.resolve(await db.transaction().execute(item.work));
    } catch (error) {
      item.reject(error);
    }
  }

  async function together(batch: Pending[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await db.transaction().execute(async (trx) => {
        for (const item of batch) {
          await sql`savepoint group_commit_item`.execute(trx);
          try {
            const value = await item.work(trx);
            await sql`release savepoint group_commit_item`.execute(trx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sql`rollback to savepoint group_commit_item`.execute(trx);
            await sql`release savepoint group_commit_item`.execute(trx);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch {
      // Nothing of this batch is durable: give each piece its own transaction, so that one cannot fail the others.
      for (const item of batch) await alone(item);
      return;
    }
    const retries: Pending[] = [];
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      // A lock cycle with a concurrent transaction: the shared transaction held locks the piece could not
      // wait for. Alone, after the commit released them, it can.
      else if (isTransientConflict(outcome.error)) retries.push(item);
      else item.reject(outcome.error);
    });
    for (const item of retries) await alone(item);
  }

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        if (batch.length === 1) await alone(batch[0]!);
        else await together(batch);
      }
    } finally {
      draining = false;
    }
  }

  return {
    run<T>(work: Work<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (!draining) {
          draining = true;
          // Start after the requests already received in this turn of the event loop have queued too: an
          // SQLite commit blocks the thread while it syncs, so a batch started at once would hold one writer.
          setImmediate(() => void drain());
        }
      });
    },
  };
}
