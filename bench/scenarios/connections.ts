import { DEFAULT_HEARTBEAT_MS } from '../../src/features/realtime/realtime.routes';
import { type RunningServer, startServer } from '../../test/e2e/helpers/server';
import { createFixture } from '../lib/fixture';
import {
  connectSockets,
  MIB,
  recipientsOf,
  type SocketPool,
  sampleProcess,
  sleep,
  socketCapacity,
} from '../lib/realtime';
import { type BenchResult, goal, latencySeries, type ScenarioOptions } from '../lib/result';
import { round } from '../lib/stats';

const RSS_GOAL_BYTES = 1.5 * 2 ** 30;

/** The server's CPU time over a quiet window (no requests from the load generator), and its peak memory. */
async function quietWindow(pid: number, ms: number): Promise<{ cpuMs: number; maxRssBytes: number }> {
  const first = sampleProcess(pid);
  let maxRssBytes = first.rssBytes;
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    await sleep(Math.min(1_000, deadline - performance.now()));
    maxRssBytes = Math.max(maxRssBytes, sampleProcess(pid).rssBytes);
  }
  return { cpuMs: sampleProcess(pid).cpuMs - first.cpuMs, maxRssBytes };
}

/**
 * Many signed-in patients keep a WebSocket open on one instance: how fast they connect, what the sockets
 * cost in server memory, and what the heartbeats (a ping and a session check per socket per period) cost
 * in CPU over a quiet window, against the same window with no socket.
 */
export async function runConnections(options: ScenarioOptions): Promise<BenchResult> {
  const wantedSockets = options.smoke ? 100 : 20_000;
  const quietMs = options.smoke ? 3_000 : 60_000;
  const capacity = socketCapacity(wantedSockets);
  const count = capacity.count;
  const fixture = await createFixture(options.store, count, { sessions: true });
  let server: RunningServer | undefined;
  let pool: SocketPool | undefined;
  try {
    server = await startServer(fixture.env);
    const pid = server.pid;
    // Let start-up work (migrations check, outbox, timers) settle before the baseline window.
    await sleep(options.smoke ? 500 : 5_000);
    const before = sampleProcess(pid);
    const idle = await quietWindow(pid, quietMs);

    const { tokens } = recipientsOf(fixture);
    pool = await connectSockets(server.url, fixture.cookieName, tokens, () => undefined);
    const connected = pool.sockets.length;
    const connectRate = connected / (pool.elapsedMs / 1_000);
    const afterConnect = sampleProcess(pid);
    const pingsBefore = pool.pings();
    const loaded = await quietWindow(pid, quietMs);
    const after = sampleProcess(pid);
    const heartbeatsSeen = pool.pings() - pingsBefore;
    const dropped = pool.dropped();
    const errors = pool.failures + dropped;

    const extraCpuMs = loaded.cpuMs - idle.cpuMs;
    const heartbeatsDue = connected * (quietMs / DEFAULT_HEARTBEAT_MS);
    const perSocketBytes = connected > 0 ? (afterConnect.rssBytes - before.rssBytes) / connected : 0;
    const maxRss = Math.max(afterConnect.rssBytes, after.rssBytes, loaded.maxRssBytes);
    const cpuShare = (cpuMs: number) => round((cpuMs / quietMs) * 100, 2);
    const connect = latencySeries('upgrade request → ready frame', pool.connectLatencies);
    const socketsNote = capacity.capped
      ? `${connected} (capped by the open-files limit of ${capacity.limit})`
      : String(connected);
    return {
      scenario: 'connections',
      store: options.store,
      smoke: options.smoke,
      summary: {
        sockets: socketsNote,
        'connects/s': round(connectRate),
        'connect p99 ms': connect.p99,
        'RSS before / after MiB': `${round(before.rssBytes / MIB)} / ${round(after.rssBytes / MIB)}`,
        'KiB per socket': round(perSocketBytes / 1_024),
        'CPU % quiet, no socket / all sockets': `${cpuShare(idle.cpuMs)} / ${cpuShare(loaded.cpuMs)}`,
        'heartbeat every s': DEFAULT_HEARTBEAT_MS / 1_000,
        errors,
      },
      goals: [
        goal(
          'server memory with every socket open',
          '≤ 1.5 GiB RSS',
          `${round(maxRss / MIB)} MiB`,
          maxRss <= RSS_GOAL_BYTES && connected > 0,
        ),
        goal(
          'concurrent authenticated sockets',
          String(wantedSockets),
          socketsNote,
          connected >= wantedSockets,
        ),
        goal('failed connections and dropped sockets', '0', String(errors), errors === 0),
      ],
      latency: [connect],
      throughput: [pool.meter.series('sockets ready', 'connections/s')],
      details: {
        wantedSockets,
        openFilesLimit: capacity.limit,
        connected,
        connectFailures: pool.failures,
        droppedDuringQuietWindow: dropped,
        connectSeconds: round(pool.elapsedMs / 1_000, 2),
        quietWindowMs: quietMs,
        heartbeatIntervalMs: DEFAULT_HEARTBEAT_MS,
        heartbeatsDueInWindow: Math.floor(heartbeatsDue),
        heartbeatPingsReceived: heartbeatsSeen,
        rssBeforeMiB: round(before.rssBytes / MIB),
        rssAfterConnectMiB: round(afterConnect.rssBytes / MIB),
        rssAfterQuietWindowMiB: round(after.rssBytes / MIB),
        rssMaxMiB: round(maxRss / MIB),
        cpuMsQuietNoSocket: round(idle.cpuMs),
        cpuMsQuietAllSockets: round(loaded.cpuMs),
        // Server CPU attributable to the open sockets, per socket and heartbeat period (microseconds).
        cpuUsPerSocketHeartbeat: heartbeatsSeen > 0 ? round((extraCpuMs * 1_000) / heartbeatsSeen, 1) : null,
      },
    };
  } finally {
    await pool?.close();
    await server?.stop();
    await fixture.cleanup();
  }
}
