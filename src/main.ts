import { hostname } from 'node:os';
import { buildApp, DEFAULT_WEB_ROOT } from './app';
import { startBackgroundRunner } from './background/runner';
import { ConfigError, loadConfig } from './config';
import { applyAuditRetention } from './features/audit/audit-retention';
import { formatDemoLogins, hasAnyUser, loadDemo } from './features/demo/demo.service';
import { systemClock } from './platform/clock/clock';
import { createLogger } from './platform/logging';
import { openRuntime } from './platform/runtime';
import { createServices } from './services';

const SESSION_PURGE_INTERVAL_MS = 3_600_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config);
  const clock = systemClock;
  const runtime = await openRuntime(config, clock, logger);
  const services = createServices({ config, clock, logger, ...runtime });

  // First start of the embedded store outside production: load the demo practice so there is something to try.
  if (config.demo && !config.databaseUrl && !(await hasAnyUser(runtime.store))) {
    const logins = await loadDemo({ store: runtime.store, clock, ...services });
    console.log(`\n${formatDemoLogins(logins)}\n`);
  }

  // Background work in a worker thread (src/background): the outbox (mails, notices, push), write-ahead
  // log checkpoints, and campaign sending, a resumable job looked at every few seconds and right after a
  // campaign is created.
  const background = startBackgroundRunner({
    config,
    store: runtime.store,
    bus: runtime.bus,
    outbox: runtime.outbox,
    logger,
  });
  let campaignRun: Promise<unknown> | undefined;
  const runCampaigns = () => {
    campaignRun ??= background
      .runCampaigns()
      .catch((err) => logger.warn({ err }, 'campaign sending failed'))
      .finally(() => {
        campaignRun = undefined;
      });
  };
  const campaignTimer = setInterval(runCampaigns, 5_000);
  campaignTimer.unref();

  // Re-encryption after a key rotation: resumable, batched; one instance at a time holds its lease.
  let rotationRun: Promise<unknown> | undefined;
  const rotationStop = new AbortController();
  const rotationTimer = setInterval(() => {
    rotationRun ??= runtime.keyRotation
      .runDue({ signal: rotationStop.signal })
      .catch((err) => logger.error({ err }, 'key rotation batch failed'))
      .finally(() => {
        rotationRun = undefined;
      });
  }, 5_000);
  rotationTimer.unref();
  const app = await buildApp({
    config,
    clock,
    logger,
    ...runtime,
    services,
    webRoot: DEFAULT_WEB_ROOT,
    onCampaignCreated: runCampaigns,
  });
  // Hourly housekeeping: expired sessions, conversations idle past their practitioner's delay, daily digests.
  const purge = setInterval(() => {
    services.sessions.purgeExpired().catch((err) => logger.warn({ err }, 'session purge failed'));
    services.triage
      .closeIdle(services.messagingSettings.settingsOf)
      .catch((err) => logger.warn({ err }, 'closing idle conversations failed'));
    services.notifications.sendDailyDigests().catch((err) => logger.warn({ err }, 'daily digest failed'));
    applyAuditRetention(runtime.store, clock, config.auditRetentionMonths)
      .then((removed) => removed > 0 && logger.info({ removed }, 'audit entries past retention removed'))
      .catch((err) => logger.error({ err }, 'audit retention failed'));
    // Records of closed accounts whose retention has expired, and data exports past their download window.
    services.closure.purgeExpiredRetention().catch((err) => logger.warn({ err }, 'retention expiry failed'));
    services.exports.purgeExpired().catch((err) => logger.warn({ err }, 'export purge failed'));
  }, SESSION_PURGE_INTERVAL_MS);
  purge.unref();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    clearInterval(purge);
    clearInterval(campaignTimer);
    clearInterval(rotationTimer);
    rotationStop.abort();
    await background.close();
    await campaignRun?.catch(() => undefined);
    await rotationRun;
    await services.exports.settled();
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await app.close();
      await runtime.close();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  logger.info(
    { url: config.publicUrl, store: runtime.store.dialect, instance: hostname() },
    'Missive is listening',
  );
  console.log(`Missive is ready: ${config.publicUrl}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
