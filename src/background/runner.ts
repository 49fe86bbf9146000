import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { EventBus } from '../platform/bus/bus';
import type { Store } from '../platform/db/store';
import type { Outbox } from '../platform/outbox/outbox';
import type { BackgroundWorkerData, FromBackgroundWorker, ToBackgroundWorker } from './worker';

/**
 * The server runs its TypeScript through tsx, whose loader a worker thread does not inherit: the worker
 * registers it, then loads its module.
 */
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); })`;

/** A worker that died is started again after this long. */
const RESTART_DELAY_MS = 1_000;

export interface BackgroundRunner {
  /** Starts due campaigns and delivers what remains; resolves with how many recipients this run reached. */
  runCampaigns(): Promise<number>;
  /** Stops between two campaign batches (what remains is delivered on the next start) and ends the worker. */
  close(): Promise<void>;
}

/**
 * The main-process side of the background worker (worker.ts): starts it, hands it this process's outbox
 * draining, lends it the store's writer lock turn by turn, and publishes its events on this
 * process's bus. A worker that dies is started again (a batch it left half-done was rolled back with its
 * transaction); meanwhile this process drains the outbox and checkpoints itself.
 */
export function startBackgroundRunner(deps: {
  config: Config;
  store: Store;
  bus: EventBus;
  outbox: Outbox;
  logger: Logger;
}): BackgroundRunner {
  const { config, store, bus, outbox, logger } = deps;
  let worker: Worker | undefined;
  let current: { promise: Promise<number>; settle: (delivered: number | Error) => void } | undefined;
  let closing = false;
  const send = (message: ToBackgroundWorker) => worker?.postMessage(message);

  function start(): Worker {
    const started = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: { config } satisfies BackgroundWorkerData,
    });
    // Turns of the writer lock this worker holds: given back if it dies holding them.
    let held = 0;
    let alive = true;
    started.on('message', (message: FromBackgroundWorker) => {
      switch (message.type) {
        case 'lock':
          void store.writerLock.lock({ background: true }).then(() => {
            if (!alive) return store.writerLock.unlock();
            held++;
            started.postMessage({ type: 'granted' } satisfies ToBackgroundWorker);
          });
          break;
        case 'unlock':
          if (held > 0) {
            held--;
            store.writerLock.unlock();
          }
          break;
        case 'events':
          for (const event of message.events)
            bus.publish(event).catch((err) => logger.warn({ err }, 'publishing a background event failed'));
          break;
        case 'campaigns-done':
          current?.settle(message.delivered);
          break;
        case 'campaigns-failed':
          current?.settle(new Error('campaign sending failed'));
          break;
      }
    });
    started.on('error', (err) => logger.error({ err }, 'background worker failed'));
    // While the worker runs, it drains the outbox and checkpoints the write-ahead log; without it, this
    // process does.
    outbox.delegate(() => send({ type: 'wake-outbox' }));
    store.setAutoCheckpoint(false);
    started.on('exit', (code) => {
      alive = false;
      for (; held > 0; held--) store.writerLock.unlock();
      if (worker === started) worker = undefined;
      current?.settle(new Error(`background worker exited (${code})`));
      if (closing) return;
      logger.error({ code }, 'background worker stopped; starting it again');
      outbox.delegate(undefined);
      outbox.start();
      store.setAutoCheckpoint(true);
      setTimeout(() => {
        if (closing || worker) return;
        void outbox.stop().then(() => {
          if (!closing && !worker) worker = start();
        });
      }, RESTART_DELAY_MS).unref();
    });
    return started;
  }

  worker = start();

  return {
    runCampaigns() {
      if (closing) return Promise.resolve(0);
      if (current) return current.promise;
      let settle!: (delivered: number | Error) => void;
      const promise = new Promise<number>((resolve, reject) => {
        settle = (outcome) => {
          current = undefined;
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        };
      });
      current = { promise, settle };
      worker ??= start();
      send({ type: 'run-campaigns' });
      return promise;
    },

    async close() {
      closing = true;
      const stopping = worker;
      if (!stopping) return;
      const exited = new Promise<void>((resolve) => stopping.once('exit', () => resolve()));
      stopping.postMessage({ type: 'stop' } satisfies ToBackgroundWorker);
      const timer = setTimeout(() => void stopping.terminate(), 10_000);
      await exited;
      clearTimeout(timer);
      outbox.delegate(undefined);
      store.setAutoCheckpoint(true);
    },
  };
}
