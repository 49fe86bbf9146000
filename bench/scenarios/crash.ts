import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../../src/platform/db/store';
import { type RunningServer, startServer } from '../../test/e2e/helpers/server';
import { createFixture } from '../lib/fixture';
import { type BenchResult, goal, latencySeries, RateMeter, type ScenarioOptions } from '../lib/result';
import { round } from '../lib/stats';
import { type Sender, startSenders } from './send';

const BODY = 'Bonjour docteur, je voulais vous poser une question au sujet de mon traitement. '.repeat(12);

interface Writer {
  cookie: string;
  conversationId: string;
}

/**
 * Send load with client retries while the server is killed with SIGKILL at random moments and
 * restarted on the same port and store. Every message a client was told is saved must be there exactly
 * once, sequences must have no gaps, and every notification queued must be delivered after restart.
 */
export async function runCrash(options: ScenarioOptions): Promise<BenchResult> {
  const kills = options.smoke ? 2 : 20;
  const patients = options.smoke ? 4 : 32;
  const fixture = await createFixture(options.store, patients, { sessions: true });
  // Notices become due at once, so the outbox has work in flight when the process dies.
  const env: Record<string, string> = { ...fixture.env, NOTIFY_DELAY_SECONDS: '0' };
  const store = openStore({
    databaseUrl: env.DATABASE_URL,
    sqlitePath: join(env.DATA_DIR!, 'missive.sqlite'),
  });
  let server: RunningServer | undefined;
  try {
    server = await startServer(env);
    const port = Number(new URL(server.url).port);
    const base = server.url;
    const senders: Sender[] = await startSenders(base, fixture);
    // Patients write in their conversations; the practitioner answers in each (that queues a notice).
    const writers: Writer[] = [
      ...senders,
      ...senders.map((s) => ({
        cookie: `${fixture.cookieName}=${fixture.practitionerToken}`,
        conversationId: s.conversationId,
      })),
    ];

    const attempted = new Set<string>();
    const acknowledged = new Set<string>();
    const latencies: number[] = [];
    const meter = new RateMeter();
    let attempts = 0;
    let failures = 0;
    let stopping = false;

    /** Sends one message until the server acknowledges it, retrying with the same client id. */
    const sendOnce = async (writer: Writer) => {
      const clientMessageId = randomUUID().replace(/-/g, '');
      attempted.add(clientMessageId);
      const started = performance.now();
      for (;;) {
        attempts++;
        try {
          const response = await fetch(`${base}/api/v1/conversations/${writer.conversationId}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: writer.cookie, origin: base },
            body: JSON.stringify({ clientMessageId, body: BODY }),
            signal: AbortSignal.timeout(15_000),
          });
          await response.arrayBuffer();
          if (response.status === 201 || response.status === 200) {
            acknowledged.add(clientMessageId);
            latencies.push(performance.now() - started);
            meter.mark();
            return;
          }
          failures++;
        } catch {
          failures++;
        }
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    };

    const load = Promise.all(
      writers.map(async (writer) => {
        while (!stopping) await sendOnce(writer);
      }),
    );

    let restartMs = 0;
    for (let i = 0; i < kills; i++) {
      await new Promise((r) => setTimeout(r, 500 + Math.random() * (options.smoke ? 500 : 2_500)));
      await server.kill();
      const down = performance.now();
      server = await startServer(env, { port });
      restartMs += performance.now() - down;
    }
    await new Promise((r) => setTimeout(r, 1_000));
    stopping = true;
    await load;

    // The outbox delivers what was pending at the last crash: wait until nothing is left to do.
    const outboxDeadline = performance.now() + 60_000;
    let pending = Number.POSITIVE_INFINITY;
    while (performance.now() < outboxDeadline) {
      pending = Number(
        (
          await store.db
            .selectFrom('outbox')
            .select(sql<number>`count(*)`.as('n'))
            .where('done_at', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const outbox = await store.db
      .selectFrom('outbox')
      .select([sql<number>`count(*)`.as('total'), sql<number>`count(last_error)`.as('withErrors')])
      .executeTakeFirstOrThrow();
    const abandoned = Number(
      (
        await store.db
          .selectFrom('outbox')
          .select(sql<number>`count(*)`.as('n'))
          .where('last_error', 'like', 'abandoned:%')
          .executeTakeFirstOrThrow()
      ).n,
    );

    // Exactly once: each acknowledged client id is in the store once; nothing unacknowledged was invented.
    const rows = await store.db
      .selectFrom('messages')
      .select(['client_message_id', sql<number>`count(*)`.as('n')])
      .where('client_message_id', 'is not', null)
      .groupBy('client_message_id')
      .execute();
    const counts = new Map(rows.map((r) => [r.client_message_id!, Number(r.n)]));
    let found = 0;
    let missing = 0;
    let duplicates = 0;
    for (const id of acknowledged) {
      const n = counts.get(id) ?? 0;
      if (n === 0) missing++;
      else found++;
      if (n > 1) duplicates += n - 1;
    }
    const strangers = [...counts.keys()].filter((id) => !attempted.has(id) && id.length === 32).length;
    // No gaps: in every conversation, sequences run 1..last_seq.
    const gaps = await store.db
      .selectFrom('conversations')
      .innerJoin('messages', 'messages.conversation_id', 'conversations.id')
      .select([
        'conversations.id',
        'conversations.last_seq',
        sql<number>`count(messages.id)`.as('n'),
        sql<number>`max(messages.seq)`.as('top'),
      ])
      .groupBy(['conversations.id', 'conversations.last_seq'])
      .execute();
    const gapCount = gaps.filter(
      (g) => Number(g.n) !== Number(g.last_seq) || Number(g.top) !== Number(g.last_seq),
    ).length;

    const latency = latencySeries('acknowledged sends, retries included', latencies);
    const exact = missing === 0 && duplicates === 0 && gapCount === 0 && pending === 0 && abandoned === 0;
    return {
      scenario: 'crash',
      store: options.store,
      smoke: options.smoke,
      summary: {
        kills,
        'sent (client ids)': attempted.size,
        acknowledged: acknowledged.size,
        found,
        missing,
        duplicates,
        'conversations with gaps': gapCount,
        'notifications pending / abandoned': `${pending} / ${abandoned}`,
        'mean restart (s)': round(restartMs / kills / 1_000, 2),
        errors: missing + duplicates + gapCount + pending + abandoned,
      },
      goals: [
        goal(
          'acknowledged messages found exactly once',
          'all',
          `${found} of ${acknowledged.size}, ${duplicates} duplicates`,
          missing === 0 && duplicates === 0,
        ),
        goal('per-conversation sequences without gaps', '0 gaps', String(gapCount), gapCount === 0),
        goal(
          'pending notifications delivered after restart',
          '0 left, 0 abandoned',
          `${pending} left, ${abandoned} abandoned`,
          pending === 0 && abandoned === 0,
        ),
        goal('SIGKILLs survived', `≥ ${kills}`, String(kills), exact),
      ],
      latency: [latency],
      throughput: [meter.series('acknowledged sends', 'sends/s')],
      details: {
        writers: writers.length,
        attempts,
        failedAttempts: failures,
        unacknowledgedButStored: strangers,
        outboxItems: Number(outbox.total),
        outboxItemsThatFailedOnce: Number(outbox.withErrors),
      },
    };
  } finally {
    await server?.stop();
    await store.close();
    await fixture.cleanup();
  }
}
