import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock';
import type { Keyring } from '../crypto/keyring';
import { executeTogether, insertRows } from '../db/dialect';
import type { Database, OutboxRow } from '../db/schema';
import type { Store } from '../db/store';
import { uuidv7 } from '../ids';

/**
 * A durable outbox: work to do after a change (mail, later push notifications) is written in the same
 * transaction as the change, then a worker delivers it with retries. Several instances may drain one
 * PostgreSQL outbox: rows are claimed with FOR UPDATE SKIP LOCKED and a lease.
 */
export type OutboxHandler = (payload: unknown) => Promise<void>;

export interface Outbox {
  /** Adds work inside the caller's transaction; it is delivered only if that transaction commits. */
  enqueue(trx: Kysely<Database>, topic: string, payload: unknown): Promise<void>;
  /** Adds many items at once (bulk imports, campaigns), in the caller's transaction, due after an optional delay. */
  enqueueMany(
    trx: Kysely<Database>,
    topic: string,
    payloads: readonly unknown[],
    delayMs?: number,
  ): Promise<void>;
  /**
   * enqueueMany in two steps: the rows (identifiers, encrypted payloads) made before a transaction, so
   * that bulk work holds the writer only to insert them.
   */
  prepareMany(topic: string, payloads: readonly unknown[], delayMs?: number): PreparedOutboxRows;
  insertPrepared(trx: Kysely<Database>, prepared: PreparedOutboxRows): Promise<void>;
  /** Adds (or replaces) the handler of a topic; features register theirs when they are wired. */
  register(topic: string, handler: OutboxHandler): void;
  /** Adds work that becomes due only after a delay (notifications give a connected reader the time to read). */
  enqueueLater(trx: Kysely<Database>, topic: string, payload: unknown, delayMs: number): Promise<void>;
  /** Asks the worker to look now rather than at its next tick. */
  wake(): void;
  /**
   * Leaves the draining to another thread (the server's background worker): from then on wake() asks it
   * to look now, and this outbox only writes. Called with nothing, drains here again on start().
   */
  delegate(wake: (() => void) | undefined): void;
  /** Delivers what is due; returns how many items were handled. Used by the worker, the CLI and tests. */
  drainOnce(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/** Outbox rows made ahead of the transaction that inserts them. */
export interface PreparedOutboxRows {
  readonly rows: readonly OutboxRow[];
}

/** Associated data of an outbox row's encrypted payload. */
export const outboxPayloadAad = (id: string) => `outbox.payload:${id}`;

/** How long a claimed row is left to its claimant; a process killed while holding rows leaves them for this long. */
export const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 12;
const BATCH = 50;
/** 30 s, 1 min, 2 min … capped at 1 hour. */
export const retryDelay = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

export function createOutbox(deps: {
  store: Store;
  keys: Keyring;
  clock: Clock;
  logger: Logger;
  handlers: Record<string, OutboxHandler>;
  intervalMs?: number;
  /**
   * Share of the time a drain may spend working (0 < share ≤ 1): after each batch it rests in proportion,
   * so that a backlog (a campaign's notices) is sent steadily without taking the machine from requests.
   */
  busyShare?: number;
}): Outbox {
  const { store, keys, clock, logger, handlers } = deps;
  const intervalMs = deps.intervalMs ?? 2_000;
  const busyShare = Math.min(1, Math.max(0.05, deps.busyShare ?? 1));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = true;
  let delegated: (() => void) | undefined;

  const aad = outboxPayloadAad;
  const row = (topic: string, payload: unknown, now: number): OutboxRow => {
    const id = uuidv7();
    return {
      id,
      topic,
      payload: keys.encrypt(JSON.stringify(payload), aad(id)),
      attempts: 0,
      available_at: now,
      locked_until: null,
      last_error: null,
      created_at: now,
      done_at: null,
    };
  };

  async function claim(now: number): Promise<OutboxRow[]> {
    return store.db.transaction().execute(async (trx) => {
      let candidates = trx
        .selectFrom('outbox')
        .select('id')
        .where('done_at', 'is', null)
        .where('available_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .orderBy('available_at')
        .limit(BATCH);
      if (store.dialect === 'postgres') candidates = candidates.forUpdate().skipLocked();
      const ids = (await candidates.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      return trx
        .updateTable('outbox')
        .set({ locked_until: now + LEASE_MS })
        .where('id', 'in', ids)
        .returningAll()
        .execute();
    });
  }

  async function deliver(item: OutboxRow): Promise<void> {
    const handler = handlers[item.topic];
    const now = clock.now();
    try {
      if (!handler) throw new Error(`no handler for topic ${item.topic}`);
      const payload = JSON.parse(await keys.decryptText(item.payload, aad(item.id))) as unknown;
      await handler(payload);
      await store.db
        .updateTable('outbox')
        .set({ done_at: clock.now(), locked_until: null, attempts: item.attempts + 1 })
        .where('id', '=', item.id)
        .execute();
    } catch (error) {
      const attempts = item.attempts + 1;
      // The error text of an SMTP server or handler carries no health data, but keep it short anyway.
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
      const abandoned = attempts >= MAX_ATTEMPTS;
      await store.db
        .updateTable('outbox')
        .set({
          attempts,
          last_error: abandoned ? `abandoned: ${message}` : message,
          available_at: now + retryDelay(attempts),
          locked_until: null,
          done_at: abandoned ? now : null,
        })
        .where('id', '=', item.id)
        .execute();
      logger.warn(
        { outboxId: item.id, topic: item.topic, attempts, abandoned, error: message },
        'outbox delivery failed',
      );
    }
  }

  async function drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const started = performance.now();
      const batch = await claim(clock.now());
      if (batch.length === 0) return handled;
      // A few deliveries at a time: SMTP relays dislike hundreds of parallel connections.
      for (let i = 0; i < batch.length; i += 5) await Promise.all(batch.slice(i, i + 5).map(deliver));
      handled += batch.length;
      if (busyShare < 1) {
        const rest = (performance.now() - started) * (1 / busyShare - 1);
        await new Promise((resolve) => setTimeout(resolve, rest));
      }
    }
  }

  const outbox: Outbox = {
    async enqueue(trx, topic, payload) {
      await trx
        .insertInto('outbox')
        .values(row(topic, payload, clock.now()))
        .execute();
    },
    register(topic, handler) {
      handlers[topic] = handler;
    },
    async enqueueLater(trx, topic, payload, delayMs) {
      const now = clock.now();
      await trx
        .insertInto('outbox')
        .values({ ...row(topic, payload, now), available_at: now + delayMs })
        .execute();
    },
    async enqueueMany(trx, topic, payloads, delayMs = 0) {
      await this.insertPrepared(trx, this.prepareMany(topic, payloads, delayMs));
    },
    prepareMany(topic, payloads, delayMs = 0) {
      const now = clock.now();
      return { rows: payloads.map((p) => ({ ...row(topic, p, now), available_at: now + delayMs })) };
    },
    async insertPrepared(trx, { rows }) {
      await executeTogether(trx, store.dialect, insertRows(store.dialect, 'outbox', rows));
    },
    wake() {
      if (delegated) return delegated();
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = drain()
        .catch((error) => {
          logger.error({ err: error }, 'outbox drain failed');
          return 0;
        })
        .finally(() => {
          running = undefined;
          if (again && !stopped) {
            again = false;
            outbox.wake();
          }
        });
    },
    async drainOnce() {
      if (running) await running;
      return drain();
    },
    delegate(wake) {
      delegated = wake;
    },
    start() {
      stopped = false;
      timer = setInterval(() => outbox.wake(), intervalMs);
      timer.unref();
      outbox.wake();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (running) await running;
    },
  };
  return outbox;
}

/** How many items are still waiting (for readiness checks and tests). */
export async function pendingCount(db: Kysely<Database>): Promise<number> {
  const result = await sql<{ n: number }>`select count(*) as n from outbox where done_at is null`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}
