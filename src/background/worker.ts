/**
 * The server's background work, in a worker thread: campaign fan-out, the outbox (mails, notices, push)
 * and, on the embedded store, write-ahead log checkpoints. A large campaign is hundreds of thousands of
 * encryptions, hashes and rows, and its notices as many mails; run on the main thread they would take
 * turns with every request. Here they take another core. On the embedded store every write transaction
 * borrows the main process's writer lock (runner.ts) as a background writer, so interactive writes wait at
 * most for one batch to commit, and never in SQLite's busy loop.
 *
 * The worker opens its own connections to the same store, its own keyring and mailer; the events it
 * produces are handed to the main process's bus.
 */

import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config';
import type { BusEvent, EventBus } from '../platform/bus/bus';
import { systemClock } from '../platform/clock/clock';
import type { WriterLock } from '../platform/db/sqlite-driver';
import { createLogger } from '../platform/logging';
import { openRuntime } from '../platform/runtime';
import { createServices } from '../services';

export interface BackgroundWorkerData {
  config: Config;
}

/** Messages from the main process. */
export type ToBackgroundWorker =
  | { type: 'run-campaigns' }
  | { type: 'wake-outbox' }
  | { type: 'granted' }
  | { type: 'stop' };

/** Messages to the main process. */
export type FromBackgroundWorker =
  | { type: 'lock' }
  | { type: 'unlock' }
  | { type: 'events'; events: BusEvent[] }
  | { type: 'campaigns-done'; delivered: number }
  | { type: 'campaigns-failed' };

const port = parentPort!;
const post = (message: FromBackgroundWorker) => port.postMessage(message);
const CHECKPOINT_INTERVAL_MS = 1_000;
/** The outbox drains a backlog at half pace at most: the other half of this thread's time stays free. */
const OUTBOX_BUSY_SHARE = 0.5;

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

const { config } = workerData as BackgroundWorkerData;
const logger = createLogger(config);
const lock = new BorrowedWriterLock();

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
    throw new Error('The background worker publishes events only');
  },
  async close() {},
};

// The same adapters as the main process (keys reloaded periodically, mailer, outbox), on its own
// connections; the features register their outbox handlers while the services are wired, so the outbox
// starts draining only then.
const ready = openRuntime(config, systemClock, logger, {
  worker: { writerLock: lock, bus, pgPoolSize: 4, outboxBusyShare: OUTBOX_BUSY_SHARE },
}).then((runtime) => {
  const services = createServices({ config, clock: systemClock, logger, ...runtime });
  runtime.outbox.start();
  return { runtime, services };
});
ready.catch((err) => logger.error({ err }, 'the background worker could not start'));

// The server's own commits leave the write-ahead log to this thread (runner.ts): copied back into the
// database file every second, off the thread that answers requests.
const checkpoints = setInterval(() => {
  void ready.then(
    ({ runtime }) => {
      try {
        runtime.store.checkpoint();
      } catch (err) {
        logger.warn({ err }, 'write-ahead log checkpoint failed');
      }
    },
    () => undefined,
  );
}, CHECKPOINT_INTERVAL_MS);
const stop = new AbortController();
let campaigns: Promise<void> | undefined;

async function runCampaigns(): Promise<void> {
  try {
    const { services } = await ready;
    const delivered = await services.campaigns.runDue({ signal: stop.signal });
    post({ type: 'campaigns-done', delivered });
  } catch (err) {
    logger.warn({ err }, 'campaign sending failed');
    post({ type: 'campaigns-failed' });
  }
}

async function shutdown(): Promise<void> {
  stop.abort();
  clearInterval(checkpoints);
  await campaigns;
  const started = await ready.catch(() => undefined);
  await started?.runtime.close();
}

port.on('message', (message: ToBackgroundWorker) => {
  switch (message.type) {
    case 'granted':
      lock.granted();
      break;
    case 'run-campaigns':
      campaigns ??= runCampaigns().finally(() => {
        campaigns = undefined;
      });
      break;
    case 'wake-outbox':
      void ready.then(({ runtime }) => runtime.outbox.wake()).catch(() => undefined);
      break;
    case 'stop':
      void shutdown()
        .catch((err) => logger.error({ err }, 'stopping the background worker failed'))
        .finally(() => port.close());
      break;
  }
});
