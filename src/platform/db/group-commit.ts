import { type Kysely, sql } from 'kysely';
import { isTransientConflict } from './dialect';
import type { Database } from './schema';
import type { WriterLock } from './sqlite-driver';

type Work<T> = (trx: Kysely<Database>) => Promise<T>;

/**
 * The same kind of work for many callers, done at once: one set of multi-row statements instead of one
 * set per caller. Returns one result per input, in the inputs' order. Its effects must be those of calling
 * it once per input, in order (up to the order of rows written in the same commit).
 */
export type Combine<I, T> = (trx: Kysely<Database>, inputs: readonly I[]) => Promise<T[]>;

interface Pending {
  combine: Combine<unknown, unknown>;
  input: unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface GroupCommit {
  /**
   * Runs `work` in a transaction, possibly shared with other writers that arrived meanwhile, and
   * resolves once that transaction is committed. If it throws, only its own changes are rolled back and
   * only its caller sees the error.
   */
  run<T>(work: Work<T>): Promise<T>;
  /** `run` for work that `combine` does for many callers at once, with the others queued with it. */
  runCombined<I, T>(combine: Combine<I, T>, input: I): Promise<T>;
  /**
   * Counts since creation: transactions run, pieces of work done, and pieces run again on their own
   * because their batch or group failed. Reruns are expected when a piece is refused; many reruns with
   * no refusals mean that combined work fails where its pieces do not.
   */
  stats(): { transactions: number; pieces: number; reruns: number };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Plain work: one after the other, in the shared transaction. */
const oneByOne: Combine<Work<unknown>, unknown> = async (trx, works) => {
  const values: unknown[] = [];
  for (const work of works) values.push(await work(trx));
  return values;
};

/**
 * Group commit: concurrent writers share one transaction, so one durable commit (one fsync on SQLite,
 * one WAL flush on PostgreSQL) acknowledges many of them. Nothing waits on a timer: a batch starts at the
 * next turn of the event loop, and while a commit is in progress the writers that arrive queue up and go
 * together into the next one, so a lone writer pays one commit and a busy server one commit per batch.
 *
 * Within a batch, the work of one kind goes together: one call of its `combine` (plain work runs one
 * after the other). When the batch holds several kinds, each runs inside a savepoint; when one fails, its
 * savepoint is rolled back and each of its pieces runs again in its own savepoint, so that a refused piece
 * rolls back alone and only its caller sees the error. A batch of one kind needs no savepoint: when it
 * fails, the transaction rolls back and each piece runs again in its own transaction.
 *
 * Work must confine its effects to the transaction (anything done after commit belongs to the caller),
 * and must be safe to run again: when the shared commit itself fails, every piece runs again alone.
 */
export function createGroupCommit(
  db: Kysely<Database>,
  options: {
    maxBatch?: number;
    /** Taken around each transaction (PostgreSQL: turns with a campaign's batches, see Store.writerLock). */
    turn?: WriterLock | undefined;
  } = {},
): GroupCommit {
  const maxBatch = options.maxBatch ?? 256;
  const { turn } = options;

  /** A transaction in this writer's turn. */
  async function transaction<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    await turn?.lock();
    try {
      return await db.transaction().execute(work);
    } finally {
      turn?.unlock();
    }
  }
  const queue: Pending[] = [];
  let draining = false;
  const counts = { transactions: 0, pieces: 0, reruns: 0 };

  async function alone(item: Pending): Promise<void> {
    counts.transactions++;
    try {
      const [value] = await transaction((trx) => item.combine(trx, [item.input]));
      item.resolve(value);
    } catch (error) {
      item.reject(error);
    }
  }

  /** Runs a group of pieces inside a savepoint: all of it happens, or none of it. */
  async function inSavepoint(trx: Kysely<Database>, group: readonly Pending[]): Promise<unknown[]> {
    await sql`savepoint group_commit_item`.execute(trx);
    try {
      const values = await group[0]!.combine(
        trx,
        group.map((item) => item.input),
      );
      if (values.length !== group.length)
        throw new Error(`combined work returned ${values.length} results for ${group.length} inputs`);
      await sql`release savepoint group_commit_item`.execute(trx);
      return values;
    } catch (error) {
      await sql`rollback to savepoint group_commit_item`.execute(trx);
      await sql`release savepoint group_commit_item`.execute(trx);
      throw error;
    }
  }

  async function together(batch: Pending[]): Promise<void> {
    const outcomes = new Map<Pending, Outcome>();
    const groups = new Map<Combine<unknown, unknown>, Pending[]>();
    for (const item of batch) {
      const group = groups.get(item.combine);
      if (group) group.push(item);
      else groups.set(item.combine, [item]);
    }
    counts.transactions++;
    try {
      await transaction(async (trx) => {
        if (groups.size === 1) {
          // One kind of work: no savepoint (two round trips fewer). If it fails, the transaction rolls
          // back and each piece runs alone below, as it would after a failed commit.
          const values = await batch[0]!.combine(
            trx,
            batch.map((item) => item.input),
          );
          if (values.length !== batch.length)
            throw new Error(`combined work returned ${values.length} results for ${batch.length} inputs`);
          for (const [index, item] of batch.entries()) outcomes.set(item, { ok: true, value: values[index] });
          return;
        }
        for (const group of groups.values()) {
          try {
            const values = await inSavepoint(trx, group);
            for (const [index, item] of group.entries())
              outcomes.set(item, { ok: true, value: values[index] });
            continue;
          } catch (error) {
            if (group.length === 1) {
              outcomes.set(group[0]!, { ok: false, error });
              continue;
            }
          }
          // One piece spoiled the group: each runs again on its own.
          counts.reruns += group.length;
          for (const item of group) {
            try {
              const [value] = await inSavepoint(trx, [item]);
              outcomes.set(item, { ok: true, value });
            } catch (error) {
              outcomes.set(item, { ok: false, error });
            }
          }
        }
      });
    } catch {
      // Nothing of this batch is durable: give each piece its own transaction, so that one cannot fail the others.
      counts.reruns += batch.length;
      for (const item of batch) await alone(item);
      return;
    }
    const retries: Pending[] = [];
    for (const item of batch) {
      const outcome = outcomes.get(item)!;
      if (outcome.ok) item.resolve(outcome.value);
      // A lock cycle with a concurrent transaction: the shared transaction held locks the piece could not
      // wait for. Alone, after the commit released them, it can.
      else if (isTransientConflict(outcome.error)) retries.push(item);
      else item.reject(outcome.error);
    }
    counts.reruns += retries.length;
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

  function enqueue<T>(combine: Combine<unknown, unknown>, input: unknown): Promise<T> {
    counts.pieces++;
    return new Promise<T>((resolve, reject) => {
      queue.push({ combine, input, resolve: resolve as (value: unknown) => void, reject });
      if (!draining) {
        draining = true;
        // Start after the requests already received in this turn of the event loop have queued too.
        setImmediate(() => void drain());
      }
    });
  }

  return {
    run<T>(work: Work<T>): Promise<T> {
      return enqueue(oneByOne as Combine<unknown, unknown>, work);
    },
    runCombined<I, T>(combine: Combine<I, T>, input: I): Promise<T> {
      return enqueue(combine as Combine<unknown, unknown>, input);
    },
    stats() {
      return { ...counts };
    },
  };
}
