import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../../src/platform/db/store';
import { type RunningServer, startServer } from '../../test/e2e/helpers/server';
import { CpuMeter } from '../lib/cpu';
import { BENCH_PASSWORD, createFixture, type Fixture } from '../lib/fixture';
import { request } from '../lib/http';
import { type BenchResult, goal, latencySeries, RateMeter, type ScenarioOptions } from '../lib/result';
import { round } from '../lib/stats';

const BODY = `${'Bonjour docteur, '.repeat(60)}`.slice(0, 1_000);

export async function signIn(base: string, email: string): Promise<string> {
  const response = await request(`${base}/api/v1/auth/login`, {
    method: 'POST',
    json: { email, password: BENCH_PASSWORD },
  });
  if (response.status !== 200 || !response.cookies[0]) throw new Error(`sign-in failed: ${response.status}`);
  return response.cookies[0].split(';')[0]!;
}

export interface Sender {
  cookie: string;
  conversationId: string;
}

export async function send(
  base: string,
  sender: Sender,
  signal?: AbortSignal,
): Promise<{ ok: boolean; ms: number }> {
  const started = performance.now();
  try {
    const response = await request(`${base}/api/v1/conversations/${sender.conversationId}/messages`, {
      method: 'POST',
      headers: { cookie: sender.cookie },
      json: { clientMessageId: randomUUID().replace(/-/g, ''), body: BODY },
      ...(signal ? { signal } : {}),
    });
    return { ok: response.status === 201, ms: performance.now() - started };
  } catch {
    // A connection refused or reset is an error of the run, counted like a refused send.
    return { ok: false, ms: performance.now() - started };
  }
}

/** Signs each fixture patient in and opens their conversation with the practitioner: one sender each. */
export async function startSenders(base: string, fixture: Fixture): Promise<Sender[]> {
  const senders: Sender[] = [];
  for (const patient of fixture.patients) {
    const cookie = await signIn(base, patient.email);
    const response = await fetch(`${base}/api/v1/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        practitionerId: fixture.practitionerId,
        practiceId: fixture.practiceId,
        patientProfileId: patient.profileId,
        category: 'administrative',
        subject: 'Mesure',
        clientMessageId: randomUUID().replace(/-/g, ''),
        body: 'Premier message',
      }),
    });
    if (response.status !== 201)
      throw new Error(`could not start a conversation: ${response.status} ${await response.text()}`);
    senders.push({
      cookie,
      conversationId: ((await response.json()) as { conversation: { id: string } }).conversation.id,
    });
  }
  return senders;
}

/** Closed loop: each of `concurrency` patients sends again as soon as the previous send is acknowledged. */
export async function closedLoop(base: string, senders: Sender[], durationMs: number) {
  const latencies: number[] = [];
  const meter = new RateMeter();
  let errors = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    senders.map(async (sender) => {
      while (performance.now() < deadline) {
        const r = await send(base, sender);
        if (r.ok) {
          latencies.push(r.ms);
          meter.mark();
        } else errors++;
      }
    }),
  );
  return { latencies, errors, elapsed: performance.now() - started, meter };
}

/**
 * Open loop at a fixed rate, spread over the senders: latency at a sustainable load. Stops after
 * `durationMs`, or earlier once `until()` says so.
 */
/** How long an open loop waits for its last requests once the load has stopped. */
const ABANDON_AFTER_MS = 15_000;

export async function openLoop(
  base: string,
  senders: Sender[],
  ratePerSecond: number,
  durationMs: number,
  until: () => boolean = () => false,
) {
  const latencies: number[] = [];
  const meter = new RateMeter();
  let errors = 0;
  let abandoned = 0;
  const interval = 1_000 / ratePerSecond;
  const inflight: Promise<void>[] = [];
  const started = performance.now();
  // A server that falls behind the offered rate builds a backlog without end: once the load stops, what
  // is still waiting after a grace period is abandoned, counted as an error, and its waiting time so
  // far kept among the latencies (a lower bound), so that the tail is not flattered.
  const giveUp = new AbortController();
  // Every request in flight listens to the one signal.
  setMaxListeners(0, giveUp.signal);
  let stopped = false;
  for (let i = 0; performance.now() - started < durationMs && !until(); i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sender = senders[i % senders.length]!;
    inflight.push(
      send(base, sender, giveUp.signal).then((r) => {
        if (r.ok) {
          latencies.push(r.ms);
          meter.mark();
        } else if (stopped && giveUp.signal.aborted) {
          abandoned++;
          errors++;
          latencies.push(r.ms);
        } else errors++;
      }),
    );
  }
  stopped = true;
  const grace = setTimeout(() => giveUp.abort(), ABANDON_AFTER_MS);
  await Promise.all(inflight);
  clearTimeout(grace);
  return { latencies, errors, abandoned, elapsed: performance.now() - started, meter };
}

/** One row per transaction with the same driver and durability settings, no HTTP: what a commit costs. */
async function singleCommitBaseline(env: Record<string, string>, durationMs: number): Promise<number> {
  const store = openStore({
    databaseUrl: env.DATABASE_URL,
    sqlitePath: join(env.DATA_DIR!, 'missive.sqlite'),
  });
  try {
    await sql`create table if not exists bench_baseline (id text primary key, body text not null, created_at bigint not null)`.execute(
      store.db,
    );
    let commits = 0;
    const deadline = performance.now() + durationMs;
    const started = performance.now();
    while (performance.now() < deadline) {
      await store.db
        .transaction()
        .execute((trx) =>
          sql`insert into bench_baseline (id, body, created_at) values (${randomUUID()}, ${BODY}, ${Date.now()})`.execute(
            trx,
          ),
        );
      commits++;
    }
    return commits / ((performance.now() - started) / 1_000);
  } finally {
    await store.close();
  }
}

export async function runSend(options: ScenarioOptions): Promise<BenchResult> {
  const concurrency = options.smoke ? 8 : 64;
  const durationMs = options.smoke ? 1_500 : 15_000;
  const fixture = await createFixture(options.store, concurrency);
  let server: RunningServer | undefined;
  try {
    server = await startServer(fixture.env);
    const base = server.url;
    const senders = await startSenders(base, fixture);
    // Warm-up, then the two measured phases.
    await closedLoop(base, senders, Math.min(1_000, durationMs / 3));
    // Where the CPU time of each phase goes: the two cores are shared by the server, the database and
    // this load generator, which bounds what any server design could reach on this machine.
    const cpu = new CpuMeter(server.pid, options.store === 'postgres');
    cpu.start();
    const max = await closedLoop(base, senders, durationMs);
    const cpuAtMax = cpu.stop(max.latencies.length);
    const maxRate = max.latencies.length / (max.elapsed / 1_000);
    cpu.start();
    const half = await openLoop(base, senders, Math.max(1, maxRate / 2), durationMs);
    const cpuAtHalf = cpu.stop(half.latencies.length);
    await server.stop();
    server = undefined;
    const baseline = await singleCommitBaseline(fixture.env, Math.min(durationMs, 5_000));
    const latencyMax = latencySeries('closed loop, 64 clients', max.latencies);
    const latencyHalf = latencySeries('open loop at 50 % of the maximum', half.latencies);
    const halfRate = half.latencies.length / (half.elapsed / 1_000);
    const ratio = maxRate / baseline;
    const errors = max.errors + half.errors;
    return {
      scenario: 'send',
      store: options.store,
      smoke: options.smoke,
      summary: {
        [`sends/s (${concurrency} clients)`]: round(maxRate),
        'p50 / p95 / p99 ms at max': `${latencyMax.p50} / ${latencyMax.p95} / ${latencyMax.p99}`,
        'sends/s at 50 %': round(halfRate),
        'p99 ms at 50 %': latencyHalf.p99,
        'single-commit baseline /s': round(baseline),
        'ratio to baseline': round(ratio, 2),
        'CPU ms per send at max: server (request thread) + database + load generator': cpuAtMax
          ? `${cpuAtMax.server} (${cpuAtMax.requestThread}) + ${cpuAtMax.database} + ${cpuAtMax.loadGenerator}`
          : 'not measured',
        'ceiling of the cores at that cost /s': cpuAtMax?.ceilingPerSecond ?? 'not measured',
        errors,
      },
      goals: [
        goal('throughput', '≥ 3,000 sends/s', `${round(maxRate)} sends/s`, maxRate >= 3_000),
        goal('ratio to single-commit baseline', '≥ 1.0×', `${round(ratio, 2)}×`, ratio >= 1),
        goal('p99 at 50 % of the maximum rate', '≤ 25 ms', `${latencyHalf.p99} ms`, latencyHalf.p99 <= 25),
        goal('errors', '0', String(errors), errors === 0),
      ],
      latency: [latencyMax, latencyHalf],
      throughput: [
        max.meter.series('closed loop (max)', 'sends/s'),
        half.meter.series('open loop (50 %)', 'sends/s'),
      ],
      details: {
        concurrency,
        durationMs,
        acknowledged: max.latencies.length + half.latencies.length,
        maxErrors: max.errors,
        halfErrors: half.errors,
        targetHalfRate: round(maxRate / 2),
        baselineCommitsPerSecond: round(baseline),
        cpuAtMax,
        cpuAtHalf,
      },
    };
  } finally {
    await server?.stop();
    await fixture.cleanup();
  }
}
