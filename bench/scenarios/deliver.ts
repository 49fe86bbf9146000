import { type RunningServer, startServer } from '../../test/e2e/helpers/server';
import { createFixture, type Fixture } from '../lib/fixture';
import {
  connectSockets,
  DeliveryTracker,
  openLoopSends,
  recipientsOf,
  redisReachable,
  sleep,
  socketCapacity,
} from '../lib/realtime';
import {
  type BenchResult,
  type Goal,
  goal,
  type LatencySeries,
  latencySeries,
  type ScenarioOptions,
  type ThroughputSeries,
} from '../lib/result';
import { round } from '../lib/stats';

interface PhaseResult {
  delivery: LatencySeries;
  ack: LatencySeries;
  sendRate: number;
  sent: number;
  acknowledged: number;
  failedSends: number;
  undelivered: number;
  unexpected: number;
  dropped: number;
  connectFailures: number;
  warmupUndelivered: number;
  throughput: ThroughputSeries[];
}

/**
 * Every patient's socket is connected to `socketsOn`; the practitioner replies over HTTP to `sendTo`, at a
 * fixed rate, to the patients' conversations in turn, and each reply is timed until its event reaches the
 * patient's socket. A warm-up round (one reply per conversation) runs first and is not measured.
 */
async function measurePhase(
  label: string,
  fixture: Fixture,
  sendTo: RunningServer,
  socketsOn: RunningServer,
  rate: number,
  durationMs: number,
): Promise<PhaseResult> {
  const { tokens, conversationIds } = recipientsOf(fixture);
  const cookie = `${fixture.cookieName}=${fixture.practitionerToken}`;
  let tracker = new DeliveryTracker();
  const pool = await connectSockets(socketsOn.url, fixture.cookieName, tokens, (event) =>
    tracker.receive(event),
  );
  try {
    // Subscriptions through Redis are confirmed asynchronously: give them a moment, then warm up.
    await sleep(500);
    await openLoopSends(
      sendTo.url,
      cookie,
      conversationIds,
      tracker,
      rate,
      (conversationIds.length / rate) * 1_000,
    );
    const warmupUndelivered = await tracker.drain(5_000);
    tracker = new DeliveryTracker();
    const load = await openLoopSends(sendTo.url, cookie, conversationIds, tracker, rate, durationMs);
    const undelivered = await tracker.drain(10_000);
    return {
      delivery: latencySeries(`${label}: send request → event on the socket`, tracker.latencies),
      ack: latencySeries(`${label}: send acknowledged (HTTP)`, load.ackLatencies),
      sendRate: load.offeredRate,
      sent: load.sent,
      acknowledged: load.ackLatencies.length,
      failedSends: load.errors,
      undelivered,
      unexpected: tracker.unexpected,
      dropped: pool.dropped(),
      connectFailures: pool.failures,
      warmupUndelivered,
      throughput: [
        load.meter.series(`${label}: sends acknowledged`, 'messages/s'),
        tracker.meter.series(`${label}: events received`, 'messages/s'),
      ],
    };
  } finally {
    await pool.close();
  }
}

const countsOf = (p: PhaseResult) => ({
  sent: p.sent,
  acknowledged: p.acknowledged,
  delivered: p.delivery.count,
  failedSends: p.failedSends,
  undelivered: p.undelivered,
  unexpectedEvents: p.unexpected,
  droppedSockets: p.dropped,
  connectFailures: p.connectFailures,
  warmupUndelivered: p.warmupUndelivered,
});

const errorsOf = (p: PhaseResult) =>
  p.failedSends + p.undelivered + p.unexpected + p.dropped + p.connectFailures;

export async function runDeliver(options: ScenarioOptions): Promise<BenchResult> {
  const wantedSockets = options.smoke ? 50 : 10_000;
  const rate = options.smoke ? 50 : 1_000;
  const durationMs = options.smoke ? 2_000 : 30_000;
  const capacity = socketCapacity(wantedSockets);
  const sockets = capacity.count;
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
  const fixture = await createFixture(options.store, sockets, { sessions: true, conversations: sockets });
  const servers: RunningServer[] = [];
  try {
    const single = await startServer(fixture.env);
    servers.push(single);
    const one = await measurePhase('1 instance', fixture, single, single, rate, durationMs);
    await single.stop();
    servers.length = 0;

    let two: PhaseResult | undefined;
    let twoNote: string;
    if (options.store !== 'postgres') twoNote = 'not applicable (SQLite runs one instance)';
    else if (!(await redisReachable(redisUrl))) twoNote = `not measured: Redis unreachable at ${redisUrl}`;
    else {
      const env = { ...fixture.env, REDIS_URL: redisUrl };
      const a = await startServer(env);
      servers.push(a);
      const b = await startServer(env);
      servers.push(b);
      two = await measurePhase('2 instances via Redis', fixture, a, b, rate, durationMs);
      twoNote = `${two.delivery.p99} ms`;
    }

    const errors = errorsOf(one) + (two ? errorsOf(two) : 0);
    const socketsNote = capacity.capped
      ? `${sockets} (capped by the open-files limit of ${capacity.limit})`
      : String(sockets);
    const goals: Goal[] = [
      goal(
        'delivery p99, one instance',
        '≤ 50 ms',
        `${one.delivery.p99} ms`,
        one.delivery.p99 <= 50 && one.delivery.count > 0,
      ),
    ];
    if (options.store === 'postgres')
      goals.push(
        goal(
          'delivery p99, two instances through Redis',
          '≤ 100 ms',
          twoNote,
          two !== undefined && two.delivery.p99 <= 100 && two.delivery.count > 0,
        ),
      );
    goals.push(
      goal('connected sockets', `${wantedSockets}`, socketsNote, sockets >= wantedSockets),
      goal(
        'send rate held by the load generator',
        `${rate} messages/s`,
        `${round(one.sendRate)} messages/s${two ? ` (two instances: ${round(two.sendRate)})` : ''}`,
        one.sendRate >= rate * 0.95 && (!two || two.sendRate >= rate * 0.95),
      ),
      goal('lost or failed deliveries', '0', String(errors), errors === 0),
    );
    return {
      scenario: 'deliver',
      store: options.store,
      smoke: options.smoke,
      summary: {
        sockets: socketsNote,
        'messages/s sent': round(one.sendRate),
        'p50 / p95 / p99 ms, 1 instance': `${one.delivery.p50} / ${one.delivery.p95} / ${one.delivery.p99}`,
        'p50 / p95 / p99 ms, 2 instances (Redis)': two
          ? `${two.delivery.p50} / ${two.delivery.p95} / ${two.delivery.p99}`
          : twoNote,
        'send ack p99 ms': one.ack.p99,
        errors,
      },
      goals,
      latency: [one.delivery, one.ack, ...(two ? [two.delivery, two.ack] : [])],
      throughput: [...one.throughput, ...(two?.throughput ?? [])],
      details: {
        wantedSockets,
        sockets,
        openFilesLimit: capacity.limit,
        targetRate: rate,
        durationMs,
        redis: options.store === 'postgres' ? redisUrl : null,
        twoInstancesNote: twoNote,
        oneInstance: countsOf(one),
        twoInstances: two ? countsOf(two) : null,
      },
    };
  } finally {
    for (const server of servers) await server.stop();
    await fixture.cleanup();
  }
}
