import { loadConfig } from '../../src/config';
import { ALL_RIGHTS } from '../../src/domain/permissions';
import { systemClock } from '../../src/platform/clock/clock';
import { createLogger } from '../../src/platform/logging';
import { openRuntime } from '../../src/platform/runtime';
import { type RunningServer, startServer } from '../../test/e2e/helpers/server';
import { analyse, bulkConversations, bulkPatients, bulkPractitioners } from '../lib/bulk';
import { createFixture } from '../lib/fixture';
import { request } from '../lib/http';
import { type BenchResult, goal, latencySeries, RateMeter, type ScenarioOptions } from '../lib/result';
import { round } from '../lib/stats';

/** Requests `url()` in a closed loop from `clients` concurrent clients for `durationMs`. */
async function measure(base: string, cookie: string, url: () => string, clients: number, durationMs: number) {
  const latencies: number[] = [];
  const meter = new RateMeter();
  let errors = 0;
  const deadline = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const response = await request(`${base}${url()}`, { headers: { cookie } });
        if (response.status === 200) {
          latencies.push(performance.now() - started);
          meter.mark();
        } else errors++;
      }
    }),
  );
  return { latencies, errors, meter };
}

/**
 * A large practice: 10 million messages in 200,000 conversations of 100,000 patients with 50
 * practitioners (smoke: 2,000 messages), loaded in bulk; then the practice inbox's first page, a
 * thread page and a sync page are read by 4 concurrent clients each.
 */
export async function runInbox(options: ScenarioOptions): Promise<BenchResult> {
  const patientsCount = options.smoke ? 100 : 100_000;
  const messagesPerConversation = options.smoke ? 10 : 50;
  const durationMs = options.smoke ? 1_000 : 15_000;
  const fixture = await createFixture(options.store, 1, { sessions: true });
  const config = loadConfig({ ...fixture.env, LOG_LEVEL: 'warn' });
  const runtime = await openRuntime(config, systemClock, createLogger(config));
  let server: RunningServer | undefined;
  try {
    const loadStarted = performance.now();
    const hash = (
      await runtime.store.db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', fixture.practitionerId)
        .executeTakeFirstOrThrow()
    ).password_hash!;
    const others = await bulkPractitioners(runtime.store, {
      practiceId: fixture.practiceId,
      count: 49,
      passwordHash: hash,
      rights: ALL_RIGHTS,
    });
    const practitionerIds = [fixture.practitionerId, ...others];
    const patients = await bulkPatients(runtime.store, {
      practiceId: fixture.practiceId,
      practitionerId: fixture.practitionerId,
      count: patientsCount,
      passwordHash: hash,
      prefix: 'bench.inbox',
    });
    let lastReport = 0;
    const data = await bulkConversations(runtime.store, runtime.keys, {
      practiceId: fixture.practiceId,
      practitionerIds,
      patients: patients.userIds.map((userId, i) => ({ userId, profileId: patients.profileIds[i]! })),
      conversationsPerPatient: 2,
      messagesPerConversation,
      openShare: 0.1,
      onProgress: (written) => {
        if (written - lastReport >= 1_000_000) {
          lastReport = written;
          console.log(`  ${(written / 1_000_000).toFixed(0)} million messages written`);
        }
      },
    });
    await analyse(runtime.store);
    const loadMs = performance.now() - loadStarted;
    const messages = data.conversations.length * messagesPerConversation;
    await runtime.close();

    server = await startServer(fixture.env);
    const base = server.url;
    const cookie = `${fixture.cookieName}=${fixture.practitionerToken}`;
    const mine = data.conversations.filter((c) => c.practitionerId === fixture.practitionerId);
    let next = 0;
    const inbox = await measure(
      base,
      cookie,
      () => `/api/v1/practices/${fixture.practiceId}/inbox`,
      4,
      durationMs,
    );
    const thread = await measure(
      base,
      cookie,
      () => `/api/v1/conversations/${mine[next++ % mine.length]!.id}/messages?limit=50`,
      4,
      durationMs,
    );
    const sync = await measure(
      base,
      cookie,
      () => `/api/v1/sync?since=${Math.max(0, data.lastCursor - 5_000)}&limit=100`,
      4,
      durationMs,
    );
    const inboxLatency = latencySeries('practice inbox, first page', inbox.latencies);
    const threadLatency = latencySeries('thread page (50 messages)', thread.latencies);
    const syncLatency = latencySeries('sync page since a recent cursor', sync.latencies);
    const errors = inbox.errors + thread.errors + sync.errors;
    return {
      scenario: 'inbox',
      store: options.store,
      smoke: options.smoke,
      summary: {
        messages,
        conversations: data.conversations.length,
        patients: patientsCount,
        'bulk load (s)': round(loadMs / 1_000, 1),
        'inbox p50 / p99 ms': `${inboxLatency.p50} / ${inboxLatency.p99}`,
        'thread p50 / p99 ms': `${threadLatency.p50} / ${threadLatency.p99}`,
        'sync p50 / p99 ms': `${syncLatency.p50} / ${syncLatency.p99}`,
        errors,
      },
      goals: [
        goal('practice inbox first page p99', '≤ 20 ms', `${inboxLatency.p99} ms`, inboxLatency.p99 <= 20),
        goal('thread page p99', '≤ 15 ms', `${threadLatency.p99} ms`, threadLatency.p99 <= 15),
        goal('sync since a cursor p99', '≤ 20 ms', `${syncLatency.p99} ms`, syncLatency.p99 <= 20),
        goal('errors', '0', String(errors), errors === 0),
      ],
      latency: [inboxLatency, threadLatency, syncLatency],
      throughput: [
        inbox.meter.series('inbox pages', 'requests/s'),
        thread.meter.series('thread pages', 'requests/s'),
        sync.meter.series('sync pages', 'requests/s'),
      ],
      details: { messages, loadSeconds: round(loadMs / 1_000, 1), clients: 4, durationMs },
    };
  } finally {
    await server?.stop();
    await fixture.cleanup();
  }
}
