/**
 * The campaign fan-out, in a worker thread of the server. A large campaign is thousands of encryptions,
 * hashes and multi-row writes; run on the main thread they would take turns with every request. Here they
 * take another core, and on the embedded store every write transaction borrows the main process's writer
 * lock (fanout-runner.ts), so interactive writes wait at most for one batch to commit, and never in
 * SQLite's busy loop.
 *
 * The worker opens its own connections to the same store, its own keyring, and an outbox it never runs
 * (notices it queues are sent by the main process); events are handed to the main process's bus.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config';
import type { BusEvent, EventBus } from '../../platform/bus/bus';
import { systemClock } from '../../platform/clock/clock';
import { loadMasterKeys, openKeyring } from '../../platform/crypto/keyring';
import type { WriterLock } from '../../platform/db/sqlite-driver';
import { openStore } from '../../platform/db/store';
import { createLogger } from '../../platform/logging';
import { createFileMailer } from '../../platform/mail/mailer';
import { createOutbox } from '../../platform/outbox/outbox';
import { createServices } from '../../services';

export interface FanoutWorkerData {
  config: Config;
}

/** Messages from the main process. */
export type ToFanoutWorker = { type: 'run' } | { type: 'granted' } | { type: 'stop' };

/** Messages to the main process. */
export type FromFanoutWorker =
  | { type: 'lock' }
  | { type: 'unlock' }
  | { type: 'events'; events: BusEvent[] }
  | { type: 'done'; delivered: number }
  | { type: 'failed' };

const port = parentPort!;
const post = (message: FromFanoutWorker) => port.postMessage(message);

/** The main process's writer lock, asked for by message: grants come back in the order they were asked. */
class BorrowedWriterLock implements WriterLock {
  readonly #waiting: (() => void)[] = [];

  lock(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      post({ type: 'lock' });
    });
  }

  unlock(): void {
    post({ type: 'unlock' });
  }

  granted(): void {
    this.#waiting.shift()?.();
  }
}

const { config } = workerData as FanoutWorkerData;
const logger = createLogger(config);
const lock = new BorrowedWriterLock();
const store = openStore({
  databaseUrl: config.databaseUrl,
  sqlitePath: join(config.dataDir, 'missive.sqlite'),
  pgPoolSize: 4,
  sqliteWriterLock: lock,
});
// Events are handed over a batch at a time (one message per turn of this thread's event loop).
let outgoing: BusEvent[] = [];
const bus: EventBus = {
  async publish(event) {
    if (outgoing.length === 0)
      setImmediate(() => {
        post({ type: 'events', events: outgoing });
        outgoing = [];
      });
    outgoing.push(event);
  },
  subscribe() {
    throw new Error('The fan-out worker publishes events only');
  },
  async close() {},
};
const ready = loadMasterKeys(config.masterKey, config.previousMasterKey, config.dataDir)
  .then((master) => openKeyring(store, master, systemClock))
  .then((keys) => {
    const mailer = createFileMailer(join(config.dataDir, 'mail'), config.mailFrom, logger);
    const outbox = createOutbox({ store, keys, clock: systemClock, logger, handlers: {} });
    return {
      keys,
      services: createServices({ config, store, keys, outbox, mailer, bus, clock: systemClock, logger }),
    };
  });
const stop = new AbortController();
let running: Promise<void> | undefined;

async function run(): Promise<void> {
  try {
    const { keys, services } = await ready;
    // A key rotation may have happened since the last run: encrypt with the current key.
    await keys.refresh();
    const delivered = await services.campaigns.runDue({ signal: stop.signal });
    post({ type: 'done', delivered });
  } catch (err) {
    logger.warn({ err }, 'campaign sending failed');
    post({ type: 'failed' });
  }
}

port.on('message', (message: ToFanoutWorker) => {
  if (message.type === 'granted') lock.granted();
  else if (message.type === 'run') {
    running ??= run().finally(() => {
      running = undefined;
    });
  } else if (message.type === 'stop') {
    stop.abort();
    void (running ?? Promise.resolve()).then(() => store.close()).finally(() => port.close());
  }
});
