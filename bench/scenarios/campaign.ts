import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../../src/platform/db/store';
import { type RunningServer, startServer } from '../../test/e2e/helpers/server';
import { analyse, bulkPatients, bulkSessions } from '../lib/bulk';
import { createFixture } from '../lib/fixture';
import { connectSockets } from '../lib/realtime';
import { type BenchResult, goal, latencySeries, RateMeter, type ScenarioOptions } from '../lib/result';
import { round } from '../lib/stats';
import { openLoop, startSenders } from './send';

/**
 * A prevention campaign to 100,000 patients (smoke: 300), with some recipients connected: time until
 * every delivery is persisted and until the last connected recipient is pushed; meanwhile 16 patients
 * keep sending at a steady rate, and their p99 is compared with the same load without the campaign.
 */
export async function runCampaign(options: ScenarioOptions): Promise<BenchResult> {
  const recipients = options.smoke ? 300 : 100_000;
  const connected = options.smoke ? 20 : 1_000;
  const interactiveRate = options.smoke ? 20 : 100;
  const quietMs = options.smoke ? 1_500 : 10_000;
  const fixture = await createFixture(options.store, 16, { sessions: true });
  let server: RunningServer | undefined;
  const store = openStore({
    databaseUrl: fixture.env.DATABASE_URL,
    sqlitePath: join(fixture.env.DATA_DIR!, 'missive.sqlite'),
  });
  try {
    const loadStarted = performance.now();
    const hash = (
      await store.db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', fixture.practitionerId)
        .executeTakeFirstOrThrow()
    ).password_hash!;
    const bulk = await bulkPatients(store, {
      practiceId: fixture.practiceId,
      practitionerId: fixture.practitionerId,
      count: recipients,
      passwordHash: hash,
      prefix: 'bench.campaign',
    });
    const step = Math.max(1, Math.floor(recipients / connected));
    const listenerIndexes = Array.from({ length: connected }, (_, i) => i * step);
    const listeners = listenerIndexes.map((index) => bulk.userIds[index]!);
    const listenerTokens = await bulkSessions(store, listeners);
    await analyse(store);
    const loadMs = performance.now() - loadStarted;

    server = await startServer(fixture.env);
    const base = server.url;
    const senders = await startSenders(base, fixture);
    // Each listener hears of the campaign once: when, and how many times, by listener.
    const pushedAt = new Map<number, number>();
    const pushes = new Array<number>(connected).fill(0);
    const sockets = await connectSockets(base, fixture.cookieName, listenerTokens, (event, index) => {
      if (event.type !== 'campaign.delivered') return;
      pushes[index]!++;
      if (!pushedAt.has(index)) pushedAt.set(index, performance.now());
    });

    // Interactive sends without the campaign, then the same load while the campaign fans out.
    const quiet = await openLoop(base, senders, interactiveRate, quietMs);
    const startedAt = Date.now();
    const started = performance.now();
    const deliveredMeter = new RateMeter();
    const created = await fetch(`${base}/api/v1/practices/${fixture.practiceId}/campaigns`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `${fixture.cookieName}=${fixture.practitionerToken}`,
        origin: base,
      },
      body: JSON.stringify({
        kind: 'prevention',
        title: 'Vaccination contre la grippe',
        body: 'La campagne de vaccination contre la grippe a commencé : prenez rendez-vous au cabinet.',
        patientsMayReply: false,
        audience: {
          lastConsultationMonths: null,
          minAge: null,
          maxAge: null,
          sex: null,
          tags: [],
          includeRelatives: false,
        },
        contentRulesAccepted: true,
      }),
    });
    if (created.status !== 201)
      throw new Error(`campaign refused: ${created.status} ${await created.text()}`);
    const campaignId = ((await created.json()) as { id: string }).id;
    const total = recipients + fixture.patients.length;
    // Polled by the campaign's status alone (one row): counting deliveries while they are written would
    // load the database under measurement. When each delivery was persisted is read afterwards from the
    // rows themselves (same machine, same clock).
    let sent = false;
    const busy = openLoop(base, senders, interactiveRate, 600_000, () => sent);
    const deadline = started + (options.smoke ? 120_000 : 600_000);
    while (performance.now() < deadline && !sent) {
      const { status } = await store.db
        .selectFrom('campaigns')
        .select('status')
        .where('id', '=', campaignId)
        .executeTakeFirstOrThrow();
      sent = status === 'sent';
      if (!sent) await new Promise((r) => setTimeout(r, 100));
    }
    const during = await busy;
    const deliveredAt = (
      await store.db
        .selectFrom('campaign_recipients')
        .select('delivered_at')
        .where('campaign_id', '=', campaignId)
        .where('delivered_at', 'is not', null)
        .execute()
    ).map((row) => Number(row.delivered_at));
    if (!sent || deliveredAt.length !== total)
      throw new Error(
        `campaign not delivered in time (${deliveredAt.length} of ${total}); server said:\n${server.output().slice(-3_000)}`,
      );
    for (const at of deliveredAt) deliveredMeter.mark(started + (at - startedAt));
    const persistedMs = deliveredAt.reduce((latest, at) => Math.max(latest, at - startedAt), 0);
    // Give the last pushes a moment to arrive, then read when each connected recipient heard of it.
    const pushDeadline = performance.now() + 10_000;
    while (pushedAt.size < connected && performance.now() < pushDeadline)
      await new Promise((r) => setTimeout(r, 50));
    const pushed = [...pushedAt.values()];
    const lastPushMs = pushed.length ? Math.max(...pushed) - started : Number.NaN;
    await sockets.close();

    // Exactly once: one delivery per recipient (the recipient rows' key), one push per connected
    // recipient, and one conversation per recipient once they list their inbox (the connected ones do,
    // as their app would on the push).
    const duplicatePushes = pushes.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    let nextListener = 0;
    let listingErrors = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (nextListener < listenerTokens.length) {
          const token = listenerTokens[nextListener++]!;
          const listed = await fetch(`${base}/api/v1/conversations`, {
            headers: { cookie: `${fixture.cookieName}=${token}` },
          });
          if (listed.status !== 200) listingErrors++;
          await listed.arrayBuffer();
        }
      }),
    );
    const listenerProfiles = listenerIndexes.map((index) => bulk.profileIds[index]!);
    const opened = await store.db
      .selectFrom('conversations')
      .select(['patient_profile_id', sql<number>`count(*)`.as('n')])
      .where('origin', '=', 'campaign')
      .where('patient_profile_id', 'in', listenerProfiles)
      .groupBy('patient_profile_id')
      .execute();
    const conversations = opened.length;
    const duplicates = opened.filter((row) => Number(row.n) > 1).length + duplicatePushes;
    const quietLatency = latencySeries('interactive sends without the campaign', quiet.latencies);
    const duringLatency = latencySeries('interactive sends during the campaign', during.latencies);
    const ratio = duringLatency.p99 / Math.max(0.1, quietLatency.p99);
    const errors = quiet.errors + during.errors + listingErrors;
    const abandoned = quiet.abandoned + during.abandoned;
    return {
      scenario: 'campaign',
      store: options.store,
      smoke: options.smoke,
      summary: {
        recipients: total,
        'persisted (s)': round(persistedMs / 1_000, 2),
        'last connected recipient pushed (s)': round(lastPushMs / 1_000, 2),
        'connected recipients pushed': `${pushed.length} / ${connected}`,
        'interactive p99 ms without / during': `${quietLatency.p99} / ${duringLatency.p99}`,
        'p99 ratio': round(ratio, 2),
        'deliveries / conversations of connected after listing / duplicates': `${deliveredAt.length} / ${conversations} of ${connected} / ${duplicates}`,
        errors,
        'interactive sends abandoned (backlog)': abandoned,
      },
      goals: [
        goal(
          'every delivery persisted',
          '≤ 10 s',
          `${round(persistedMs / 1_000, 2)} s`,
          persistedMs <= 10_000,
        ),
        goal(
          'last connected recipient pushed',
          '≤ 10 s',
          `${round(lastPushMs / 1_000, 2)} s`,
          lastPushMs <= 10_000 && pushed.length === connected,
        ),
        goal('interactive send p99 during the campaign', '≤ 2× without', `${round(ratio, 2)}×`, ratio <= 2),
        goal(
          'exactly once',
          `${total} deliveries, ${connected} conversations of connected, 0 duplicates`,
          `${deliveredAt.length}, ${conversations}, ${duplicates}`,
          deliveredAt.length === total && conversations === connected && duplicates === 0,
        ),
        goal('errors', '0', String(errors), errors === 0),
      ],
      latency: [quietLatency, duringLatency],
      throughput: [
        deliveredMeter.series('deliveries persisted', 'deliveries/s'),
        during.meter.series('interactive sends during the campaign', 'sends/s'),
      ],
      details: {
        recipients: total,
        connected,
        interactiveRate,
        loadSeconds: round(loadMs / 1_000, 1),
        persistedMs: round(persistedMs),
        lastPushMs: round(lastPushMs),
      },
    };
  } finally {
    await server?.stop();
    await store.close();
    await fixture.cleanup();
  }
}
