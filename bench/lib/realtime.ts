import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { cpuMsOf } from './cpu';
import type { Fixture } from './fixture';
import { request } from './http';
import { RateMeter } from './result';

/** Descriptors kept aside for the database, logs and Node's own use when sizing socket counts. */
const DESCRIPTOR_MARGIN = 256;

/** The soft limit on open files of this process (the server, its child, inherits the same), if readable. */
export function openFilesLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}

/**
 * How many sockets this run can hold: each one is a descriptor in the load generator and another in the
 * server, and both processes have the same open-files limit. `capped` says the limit, not the scenario,
 * set the count.
 */
export function socketCapacity(wanted: number): { count: number; limit: number | null; capped: boolean } {
  const limit = openFilesLimit();
  if (limit === null || wanted + DESCRIPTOR_MARGIN <= limit) return { count: wanted, limit, capped: false };
  return { count: Math.max(1, limit - DESCRIPTOR_MARGIN), limit, capped: true };
}

export interface ProcessSample {
  /** Resident set size (VmRSS), bytes. */
  rssBytes: number;
  /** User plus system CPU time since the process started, milliseconds. */
  cpuMs: number;
}

/** Memory and CPU time of a process, from /proc (Linux). */
export function sampleProcess(pid: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return { rssBytes: rssKb * 1_024, cpuMs: cpuMsOf(`/proc/${pid}/stat`) };
}

export const MIB = 2 ** 20;
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A live-event frame as the server sends it (see src/contracts/realtime.ts). */
export interface LiveEvent {
  type: string;
  /** Set on conversation events. */
  conversationId?: string;
  /** Set on `campaign.delivered`. */
  campaignId?: string;
  cursor: number;
}

export interface SocketPool {
  sockets: WebSocket[];
  /** Upgrade request to the `ready` frame, per socket, milliseconds. */
  connectLatencies: number[];
  failures: number;
  elapsedMs: number;
  meter: RateMeter;
  /** Sockets closed by the server or the network since they were ready. */
  dropped(): number;
  /** WebSocket pings received from the server (heartbeats). */
  pings(): number;
  close(): Promise<void>;
}

/**
 * Opens one authenticated WebSocket per token, `concurrency` upgrades at a time, as browsers would (session
 * cookie and the app's Origin). Resolves once every socket got its `ready` frame or failed.
 */
export async function connectSockets(
  baseUrl: string,
  cookieName: string,
  tokens: readonly string[],
  /** Called with the event and the index of the socket's token. */
  onEvent: (event: LiveEvent, index: number) => void,
  concurrency = 200,
): Promise<SocketPool> {
  const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
  const sockets: WebSocket[] = [];
  const connectLatencies: number[] = [];
  const meter = new RateMeter();
  let failures = 0;
  let dropped = 0;
  let pings = 0;
  let closing = false;

  const open = (token: string, index: number) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const ws = new WebSocket(wsUrl, {
        headers: { cookie: `${cookieName}=${token}`, origin: baseUrl },
        perMessageDeflate: false,
      });
      let ready = false;
      const fail = () => {
        if (ready) return;
        ready = true;
        failures++;
        ws.terminate();
        resolve();
      };
      const timer = setTimeout(fail, 30_000);
      ws.on('unexpected-response', fail);
      ws.on('error', fail);
      ws.on('ping', () => {
        pings++;
      });
      ws.on('close', () => {
        clearTimeout(timer);
        if (ready && !closing) dropped++;
        fail();
      });
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; event?: LiveEvent };
        if (frame.type === 'event' && frame.event) onEvent(frame.event, index);
        else if (frame.type === 'ready' && !ready) {
          ready = true;
          clearTimeout(timer);
          const now = performance.now();
          connectLatencies.push(now - started);
          meter.mark(now);
          sockets.push(ws);
          resolve();
        }
      });
    });

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, tokens.length) }, async () => {
      while (next < tokens.length) {
        const index = next++;
        await open(tokens[index]!, index);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  return {
    sockets,
    connectLatencies,
    failures,
    elapsedMs,
    meter,
    dropped: () => dropped,
    pings: () => pings,
    async close() {
      closing = true;
      await Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              const timer = setTimeout(() => {
                ws.terminate();
                resolve();
              }, 10_000);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              ws.close(1000);
            }),
        ),
      );
    },
  };
}

/**
 * Matches `message.created` events to the sends that caused them, by conversation, in send order: the
 * time from the start of the send request to the event's arrival on the recipient's socket.
 */
export class DeliveryTracker {
  private readonly pending = new Map<string, number[]>();
  readonly latencies: number[] = [];
  readonly meter = new RateMeter();
  /** Events nobody was waiting for (a duplicate, or a message this run did not send). */
  unexpected = 0;

  expect(conversationId: string, at: number): void {
    const queue = this.pending.get(conversationId);
    if (queue) queue.push(at);
    else this.pending.set(conversationId, [at]);
  }

  /** The send was refused: no event is due for it. */
  cancel(conversationId: string, at: number): void {
    const queue = this.pending.get(conversationId);
    const index = queue?.indexOf(at) ?? -1;
    if (queue && index >= 0) queue.splice(index, 1);
  }

  receive(event: LiveEvent): void {
    if (event.type !== 'message.created' || !event.conversationId) return;
    const started = this.pending.get(event.conversationId)?.shift();
    if (started === undefined) {
      this.unexpected++;
      return;
    }
    const now = performance.now();
    this.latencies.push(now - started);
    this.meter.mark(now);
  }

  get outstanding(): number {
    let count = 0;
    for (const queue of this.pending.values()) count += queue.length;
    return count;
  }

  /** Waits until every expected event arrived, or the timeout; returns how many are still missing. */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (this.outstanding > 0 && performance.now() < deadline) await sleep(10);
    return this.outstanding;
  }
}

export const REPLY = `${'Bonjour, voici la réponse à votre question. '.repeat(8)}`.slice(0, 300);

export interface SendOutcome {
  ok: boolean;
  ms: number;
}

/** The practitioner replies in a patient's conversation over HTTP (on kept-alive connections). */
export async function practitionerSend(
  baseUrl: string,
  cookie: string,
  conversationId: string,
  tracker: DeliveryTracker,
): Promise<SendOutcome> {
  const started = performance.now();
  tracker.expect(conversationId, started);
  try {
    const response = await request(`${baseUrl}/api/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { cookie },
      json: { clientMessageId: randomUUID().replace(/-/g, ''), body: REPLY },
    });
    const ok = response.status === 201;
    if (!ok) tracker.cancel(conversationId, started);
    return { ok, ms: performance.now() - started };
  } catch {
    tracker.cancel(conversationId, started);
    return { ok: false, ms: performance.now() - started };
  }
}

export interface LoadOutcome {
  ackLatencies: number[];
  errors: number;
  sent: number;
  /** Sends issued per second over the time spent issuing them (what the load generator held). */
  offeredRate: number;
  elapsedMs: number;
  meter: RateMeter;
}

/** Open loop: `ratePerSecond` sends spread evenly over the run, to the conversations in turn. */
export async function openLoopSends(
  baseUrl: string,
  cookie: string,
  conversationIds: readonly string[],
  tracker: DeliveryTracker,
  ratePerSecond: number,
  durationMs: number,
): Promise<LoadOutcome> {
  const ackLatencies: number[] = [];
  const meter = new RateMeter();
  let errors = 0;
  const interval = 1_000 / ratePerSecond;
  // Counted rather than kept: a long run issues hundreds of thousands of sends.
  let inflight = 0;
  let settled: () => void = () => undefined;
  const started = performance.now();
  let i = 0;
  for (; performance.now() - started < durationMs; i++) {
    const wait = started + i * interval - performance.now();
    if (wait > 1) await sleep(wait);
    // Catching up after a late timer: still let sockets and responses be read now and then.
    else if (i % 32 === 0) await new Promise((resolve) => setImmediate(resolve));
    const conversationId = conversationIds[i % conversationIds.length]!;
    inflight++;
    void practitionerSend(baseUrl, cookie, conversationId, tracker).then((r) => {
      if (r.ok) {
        ackLatencies.push(r.ms);
        meter.mark();
      } else errors++;
      if (--inflight === 0) settled();
    });
  }
  const offeredRate = i / ((performance.now() - started) / 1_000);
  if (inflight > 0)
    await new Promise<void>((resolve) => {
      settled = resolve;
    });
  return { ackLatencies, errors, sent: i, offeredRate, elapsedMs: performance.now() - started, meter };
}

/**
 * Closed loop: `concurrency` senders, each with its own share of the conversations, send again as soon as
 * the previous send is acknowledged (so one conversation never has two sends in flight).
 */
export async function closedLoopSends(
  baseUrl: string,
  cookie: string,
  conversationIds: readonly string[],
  tracker: DeliveryTracker,
  concurrency: number,
  durationMs: number,
): Promise<LoadOutcome> {
  const ackLatencies: number[] = [];
  const meter = new RateMeter();
  let errors = 0;
  let sent = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const mine = conversationIds.filter((_, index) => index % concurrency === worker);
      for (let k = 0; performance.now() < deadline; k++) {
        sent++;
        const r = await practitionerSend(baseUrl, cookie, mine[k % mine.length]!, tracker);
        if (r.ok) {
          ackLatencies.push(r.ms);
          meter.mark();
        } else errors++;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  return { ackLatencies, errors, sent, offeredRate: sent / (elapsedMs / 1_000), elapsedMs, meter };
}

/** Patients' session tokens and conversations, in fixture order. */
export function recipientsOf(fixture: Fixture): { tokens: string[]; conversationIds: string[] } {
  return {
    tokens: fixture.patients.map((p) => p.token!),
    conversationIds: fixture.patients.flatMap((p) => (p.conversationId ? [p.conversationId] : [])),
  };
}

/** Whether Redis answers at this URL within a second. */
export async function redisReachable(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
