import { type RunningServer, startServer } from '../../test/e2e/helpers/server';
import { createFixture } from '../lib/fixture';
import {
  closedLoopSends,
  connectSockets,
  DeliveryTracker,
  MIB,
  openLoopSends,
  recipientsOf,
  type SocketPool,
  sampleProcess,
  socketCapacity,
} from '../lib/realtime';
import { type BenchResult, goal, latencySeries, type ScenarioOptions } from '../lib/result';
import { round } from '../lib/stats';

/**
 * A long run at half the maximum send rate with many sockets open: the practitioner replies to patients
 * whose sockets are connected, so every send is also a delivery. Nothing may fail or go missing, and the
 * server's memory must not keep growing (RSS sampled at a fixed period after a warm-up).
 */
export async function runSoak(options: ScenarioOptions): Promise<BenchResult> {
  const wantedSockets = options.smoke ? 50 : 5_000;
  const durationMs = options.smoke ? 5_000 : 600_000;
  const warmupMs = options.smoke ? 1_000 : 60_000;
  const sampleEveryMs = options.smoke ? 1_000 : 10_000;
  const probeMs = options.smoke ? 1_000 : 10_000;
  const capacity = socketCapacity(wantedSockets);
  const count = capacity.count;
  const fixture = await createFixture(options.store, count, { sessions: true, conversations: count });
  let server: RunningServer | undefined;
  let pool: SocketPool | undefined;
  try {
    server = await startServer(fixture.env);
    const pid = server.pid;
    const { tokens, conversationIds } = recipientsOf(fixture);
    const cookie = `${fixture.cookieName}=${fixture.practitionerToken}`;
    let tracker = new DeliveryTracker();
    pool = await connectSockets(server.url, fixture.cookieName, tokens, (event) => tracker.receive(event));

    // The maximum, briefly: concurrent senders as fast as acknowledgements come back.
    const concurrency = Math.max(1, Math.min(64, Math.floor(conversationIds.length / 2)));
    const probe = await closedLoopSends(server.url, cookie, conversationIds, tracker, concurrency, probeMs);
    const probeUndelivered = await tracker.drain(10_000);
    const maxRate = probe.ackLatencies.length / (probe.elapsedMs / 1_000);
    const targetRate = Math.max(1, maxRate / 2);

    tracker = new DeliveryTracker();
    const samples: { second: number; rssMiB: number }[] = [];
    const started = performance.now();
    const sampler = setInterval(() => {
      const elapsed = performance.now() - started;
      if (elapsed >= warmupMs - 50)
        samples.push({ second: round(elapsed / 1_000), rssMiB: round(sampleProcess(pid).rssBytes / MIB) });
    }, sampleEveryMs);
    let load: Awaited<ReturnType<typeof openLoopSends>>;
    try {
      load = await openLoopSends(server.url, cookie, conversationIds, tracker, targetRate, durationMs);
    } finally {
      clearInterval(sampler);
    }
    const undelivered = await tracker.drain(10_000);
    samples.push({
      second: round((performance.now() - started) / 1_000),
      rssMiB: round(sampleProcess(pid).rssBytes / MIB),
    });

    const rssStart = samples[0]!.rssMiB;
    const rssEnd = samples.at(-1)!.rssMiB;
    const rssMax = Math.max(...samples.map((s) => s.rssMiB));
    const growth = ((rssEnd - rssStart) / rssStart) * 100;
    const dropped = pool.dropped();
    const errors =
      probe.errors +
      probeUndelivered +
      load.errors +
      undelivered +
      tracker.unexpected +
      pool.failures +
      dropped;
    const ack = latencySeries('send acknowledged (HTTP), 50 % of the maximum', load.ackLatencies);
    const delivery = latencySeries(
      'send request → event on the socket, 50 % of the maximum',
      tracker.latencies,
    );
    const achievedRate = load.ackLatencies.length / (load.elapsedMs / 1_000);
    const socketsNote = capacity.capped
      ? `${pool.sockets.length} (capped by the open-files limit of ${capacity.limit})`
      : String(pool.sockets.length);
    return {
      scenario: 'soak',
      store: options.store,
      smoke: options.smoke,
      summary: {
        sockets: socketsNote,
        minutes: round(load.elapsedMs / 60_000, 2),
        'max sends/s': round(maxRate),
        'sends/s (50 %)': round(achievedRate),
        'ack / delivery p99 ms': `${ack.p99} / ${delivery.p99}`,
        'RSS start / end / max MiB': `${rssStart} / ${rssEnd} / ${rssMax}`,
        'RSS growth %': round(growth, 2),
        errors,
      },
      goals: [
        goal('errors (failed sends, lost deliveries, dropped sockets)', '0', String(errors), errors === 0),
        goal('server memory growth after warm-up', '≤ 10 %', `${round(growth, 2)} %`, growth <= 10),
        goal('connected sockets', String(wantedSockets), socketsNote, pool.sockets.length >= wantedSockets),
      ],
      latency: [ack, delivery],
      throughput: [
        load.meter.series('sends acknowledged at 50 %', 'messages/s'),
        tracker.meter.series('events received at 50 %', 'messages/s'),
      ],
      details: {
        wantedSockets,
        openFilesLimit: capacity.limit,
        durationMs,
        warmupMs,
        sampleEveryMs,
        probe: {
          concurrency,
          durationMs: probeMs,
          acknowledged: probe.ackLatencies.length,
          failedSends: probe.errors,
          undelivered: probeUndelivered,
        },
        targetRate: round(targetRate),
        sent: load.sent,
        acknowledged: load.ackLatencies.length,
        delivered: delivery.count,
        failedSends: load.errors,
        undelivered,
        unexpectedEvents: tracker.unexpected,
        connectFailures: pool.failures,
        droppedSockets: dropped,
        rssSamplesMiB: samples,
      },
    };
  } finally {
    await pool?.close();
    await server?.stop();
    await fixture.cleanup();
  }
}
