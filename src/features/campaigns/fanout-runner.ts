import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { EventBus } from '../../platform/bus/bus';
import type { Store } from '../../platform/db/store';
import type { FanoutWorkerData, FromFanoutWorker, ToFanoutWorker } from './fanout-worker';

/**
 * The server runs its TypeScript through tsx, whose loader a worker thread does not inherit: the worker
 * registers it, then loads its module.
 */
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./fanout-worker.ts', import.meta.url).href)}); })`;

export interface CampaignRunner {
  /** Starts due campaigns and delivers what remains; resolves with how many recipients this run reached. */
  run(): Promise<number>;
  /** Stops between two batches (what remains is delivered on the next start) and ends the worker. */
  close(): Promise<void>;
}

/**
 * The main-process side of the campaign fan-out worker (fanout-worker.ts): starts it, lends it the
 * embedded store's writer lock turn by turn, publishes its events on this process's bus, and starts a new
 * worker at the next run if one dies (a batch it left half-done was rolled back with its transaction).
 */
export function createCampaignRunner(deps: {
  config: Config;
  store: Store;
  bus: EventBus;
  logger: Logger;
}): CampaignRunner {
  const { config, store, bus, logger } = deps;
  let worker: Worker | undefined;
  let current: { promise: Promise<number>; settle: (delivered: number | Error) => void } | undefined;
  let closing = false;

  function start(): Worker {
    const started = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      workerData: { config } satisfies FanoutWorkerData,
    });
    // Turns of the writer lock this worker holds: given back if it dies holding them.
    let held = 0;
    let alive = true;
    const send = (message: ToFanoutWorker) => started.postMessage(message);
    started.on('message', (message: FromFanoutWorker) => {
      switch (message.type) {
        case 'lock':
          if (!store.writerLock) send({ type: 'granted' });
          else
            void store.writerLock.lock({ background: true }).then(() => {
              if (!alive) return store.writerLock!.unlock();
              held++;
              send({ type: 'granted' });
            });
          break;
        case 'unlock':
          if (held > 0) {
            held--;
            store.writerLock?.unlock();
          }
          break;
        case 'events':
          for (const event of message.events)
            bus.publish(event).catch((err) => logger.warn({ err }, 'publishing a campaign event failed'));
          break;
        case 'done':
          current?.settle(message.delivered);
          break;
        case 'failed':
          current?.settle(new Error('campaign sending failed'));
          break;
      }
    });
    started.on('error', (err) => logger.error({ err }, 'campaign worker failed'));
    started.on('exit', (code) => {
      alive = false;
      for (; held > 0; held--) store.writerLock?.unlock();
      if (worker === started) worker = undefined;
      current?.settle(new Error(`campaign worker exited (${code})`));
    });
    return started;
  }

  // Started now rather than with the first campaign: loading its modules takes a moment.
  worker = start();

  return {
    run() {
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
      worker.postMessage({ type: 'run' } satisfies ToFanoutWorker);
      return promise;
    },

    async close() {
      closing = true;
      const stopping = worker;
      if (!stopping) return;
      const exited = new Promise<void>((resolve) => stopping.once('exit', () => resolve()));
      stopping.postMessage({ type: 'stop' } satisfies ToFanoutWorker);
      const timer = setTimeout(() => void stopping.terminate(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
