import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Locale } from '../contracts/common';
import { createInProcessBus, type EventBus } from './bus/bus';
import { createRedisBus } from './bus/redis-bus';
import type { Clock } from './clock/clock';
import { createKeyRotation, type KeyRotation } from './crypto/key-rotation';
import { type Keyring, loadMasterKeys, openKeyring } from './crypto/keyring';
import { migrateToLatest } from './db/migrate';
import type { WriterLock } from './db/sqlite-driver';
import { openStore, type Store } from './db/store';
import { createFileMailer, createSmtpMailer, type Mailer } from './mail/mailer';
import { type MailTemplate, renderMail } from './mail/templates';
import { createOutbox, type Outbox } from './outbox/outbox';

export interface Runtime {
  store: Store;
  keys: Keyring;
  keyRotation: KeyRotation;
  bus: EventBus;
  mailer: Mailer;
  outbox: Outbox;
  close(): Promise<void>;
}

/** How often a process reloads the data keys; a key rotation waits twice this before it declares itself done. */
export const KEY_REFRESH_MS = 10_000;

/** What the outbox stores for a mail: rendered only when sent, in the recipient's language. */
export interface QueuedMail {
  to: string;
  locale: Locale;
  template: MailTemplate;
}

/** SMTP when configured; otherwise mails are written as .eml files under the data directory. */
function openMailer(config: Config, logger: Logger): Mailer {
  return config.smtpUrl
    ? createSmtpMailer(config.smtpUrl, config.mailFrom)
    : createFileMailer(join(config.dataDir, 'mail'), config.mailFrom, logger);
}

/** The outbox handler of queued mails: rendered in the recipient's language when sent. */
function mailHandler(mailer: Mailer) {
  return async (payload: unknown) => {
    const { to, locale, template } = payload as QueuedMail;
    await mailer.send({ to, ...renderMail(locale, template) });
  };
}

export interface RuntimeOptions {
  pgSchema?: string;
  outboxIntervalMs?: number;
  keyRefreshMs?: number;
  /**
   * The server's background worker thread (src/background): it borrows the main process's writer lock, hands its events to the main process's bus, leaves migrations to the main process, needs few
   * connections and drains the outbox at a share of its time.
   */
  worker?: { writerLock: WriterLock; bus: EventBus; pgPoolSize: number; outboxBusyShare: number };
}

/**
 * Opens the adapters a process needs, in order, and closes them in reverse. Shared by the server, its
 * background worker and the CLI.
 */
export async function openRuntime(
  config: Config,
  clock: Clock,
  logger: Logger,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const { worker } = options;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const store = openStore({
    databaseUrl: config.databaseUrl,
    sqlitePath: join(config.dataDir, 'missive.sqlite'),
    pgSchema: options.pgSchema,
    pgPoolSize: worker?.pgPoolSize ?? config.databasePoolSize,
    ...(worker ? { writerLock: worker.writerLock } : {}),
  });
  try {
    if (!worker) {
      const applied = await migrateToLatest(store);
      if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    }
    const masterKeys = await loadMasterKeys(config.masterKey, config.previousMasterKey, config.dataDir);
    const keys = await openKeyring(store, masterKeys, clock);
    // A rotation started by another process (missive rotate-keys, another instance) is picked up here.
    const keyRefreshMs = options.keyRefreshMs ?? KEY_REFRESH_MS;
    const keyRefresh = setInterval(() => {
      keys.refresh().catch((err) => logger.error({ err }, 'reloading the data keys failed'));
    }, keyRefreshMs);
    keyRefresh.unref();
    const keyRotation = createKeyRotation({ store, keys, clock, logger, settleMs: 2 * keyRefreshMs });
    const bus =
      worker?.bus ?? (config.redisUrl ? createRedisBus(config.redisUrl, logger) : createInProcessBus());
    const mailer = openMailer(config, logger);
    const outbox = createOutbox({
      store,
      keys,
      clock,
      logger,
      intervalMs: options.outboxIntervalMs,
      handlers: { mail: mailHandler(mailer) },
      ...(worker ? { busyShare: worker.outboxBusyShare } : {}),
    });
    return {
      store,
      keys,
      keyRotation,
      bus,
      mailer,
      outbox,
      async close() {
        clearInterval(keyRefresh);
        await outbox.stop();
        await mailer.close();
        await bus.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
