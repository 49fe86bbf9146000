import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { ALL_RIGHTS } from '../../src/domain/permissions';
import { luhnCheckDigit } from '../../src/domain/rpps';
import { SYSTEM_ACTOR } from '../../src/features/audit/audit.service';
import { systemClock } from '../../src/platform/clock/clock';
import { hashPassword } from '../../src/platform/crypto/passwords';
import { createLogger } from '../../src/platform/logging';
import { openRuntime, type Runtime } from '../../src/platform/runtime';
import { createServices } from '../../src/services';
import { type RunningServer, startServer } from '../e2e/helpers/server';
import { GOOD_PASSWORD, PARIS_PRACTICE } from '../helpers/test-app';

const enabled = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
const cid = () => randomUUID().replace(/-/g, '');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A Redis of this test's own, so that stopping it does not disturb the other suites. */
function startRedis(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve(child);
    });
    child.once('error', reject);
  });
}

/** Minimal HTTP client with a cookie jar, speaking to one instance. */
class Http {
  cookie = '';
  constructor(readonly base: string) {}
  async call(method: string, path: string, body?: unknown) {
    const response = await fetch(this.base + path, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }
}

describe.skipIf(!enabled)('two instances on one PostgreSQL and one Redis', () => {
  const database = `missive_multi_${randomBytes(4).toString('hex')}`;
  const masterKey = randomBytes(32).toString('base64');
  let redisPort: number;
  let redis: ChildProcess;
  let a: RunningServer;
  let b: RunningServer;
  let runtime: Runtime;
  let databaseUrl: string;
  const ids = { doctor: '', practice: '', patientProfile: '' };

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    redisPort = await freePort();
    redis = await startRedis(redisPort);

    // Set-up straight through the services, as an operator's tooling would.
    const dataDir = await mkdtemp(join(tmpdir(), 'missive-multi-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      MISSIVE_MASTER_KEY: masterKey,
      LOG_LEVEL: 'silent',
      MISSIVE_DEMO: '0',
    });
    const logger = createLogger(config);
    runtime = await openRuntime(config, systemClock, logger);
    const services = createServices({ config, clock: systemClock, logger, ...runtime });
    const passwordHash = await hashPassword(GOOD_PASSWORD);
    await runtime.store.db.transaction().execute(async (trx) => {
      const practice = await services.practices.createPractice(
        trx,
        { ...PARIS_PRACTICE, country: 'FR' },
        SYSTEM_ACTOR,
      );
      ids.practice = practice.id;
      ids.doctor = await services.accounts.createStaffUser(trx, {
        email: 'doctor@example.org',
        firstName: 'Claire',
        lastName: 'Martin',
        kind: 'staff',
        locale: 'fr',
        country: 'FR',
        passwordHash,
        emailVerified: true,
      });
      await services.practitioners.insertProfile(trx, {
        userId: ids.doctor,
        rpps: `1000000041${luhnCheckDigit('1000000041')}`,
        specialty: 'Médecine générale',
        verified: true,
      });
      await services.practices.addMember(trx, {
        practiceId: practice.id,
        userId: ids.doctor,
        role: 'practitioner',
        isAdmin: true,
        rights: ALL_RIGHTS,
      });
      const patientId = await services.accounts.createPatient(
        trx,
        {
          email: 'jeanne@example.org',
          firstName: 'Jeanne',
          lastName: 'Petit',
          birthDate: '1951-03-14',
          country: 'FR',
          locale: 'fr',
        },
        passwordHash,
        SYSTEM_ACTOR,
        { emailVerified: true },
      );
      const profile = await trx
        .selectFrom('patient_profiles')
        .selectAll()
        .where('user_id', '=', patientId)
        .executeTakeFirstOrThrow();
      ids.patientProfile = profile.id;
      await services.care.recordConsultation(trx, {
        practiceId: practice.id,
        practitionerId: ids.doctor,
        profile,
        at: Date.now() - 86_400_000,
      });
      await trx
        .insertInto('messaging_settings')
        .values({
          practitioner_user_id: ids.doctor,
          practice_id: practice.id,
          settings: JSON.stringify({ ...DEFAULT_SETTINGS, open: true }),
          updated_at: Date.now(),
        })
        .execute();
    });
    await rm(dataDir, { recursive: true, force: true });

    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      MISSIVE_MASTER_KEY: masterKey,
      MISSIVE_DEMO: '0',
    };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await runtime?.close();
    redis?.kill('SIGKILL');
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  it('delivers a reply posted on one instance to a patient connected to the other, and loses nothing while Redis is down', async () => {
    const patient = new Http(a.url);
    expect(
      (
        await patient.call('POST', '/api/v1/auth/login', {
          email: 'jeanne@example.org',
          password: GOOD_PASSWORD,
        })
      ).status,
    ).toBe(200);
    const doctor = new Http(b.url);
    expect(
      (
        await doctor.call('POST', '/api/v1/auth/login', {
          email: 'doctor@example.org',
          password: GOOD_PASSWORD,
        })
      ).json.mfa,
    ).toBe('enrolment_required');
    const secret = (await doctor.call('POST', '/api/v1/auth/totp/setup')).json.manualKey;
    expect(
      (await doctor.call('POST', '/api/v1/auth/totp/enable', { code: await generate({ secret }) })).status,
    ).toBe(200);

    // The patient accepts the messaging terms once, before the first message.
    expect(
      (await patient.call('POST', '/api/v1/me/terms/accept', { kind: 'patient', version: 1 })).status,
    ).toBe(204);
    const started = await patient.call('POST', '/api/v1/conversations', {
      practitionerId: ids.doctor,
      practiceId: ids.practice,
      patientProfileId: ids.patientProfile,
      category: 'administrative',
      subject: 'Certificat',
      clientMessageId: cid(),
      body: 'Bonjour',
    });
    expect(started.status).toBe(201);
    const conversationId = started.json.conversation.id as string;

    const events: { type: string; event?: { type: string; cursor: number } }[] = [];
    const socket = new WebSocket(`${a.url.replace('http', 'ws')}/api/v1/ws`, {
      headers: { origin: a.url, cookie: patient.cookie },
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data));
        events.push(frame);
        if (frame.type === 'ready') resolve();
      });
      socket.on('error', reject);
    });
    const waitForEvent = async (count: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (events.filter((e) => e.type === 'event').length < count && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      return events.filter((e) => e.type === 'event').length >= count;
    };

    const sentAt = Date.now();
    expect(
      (
        await doctor.call('POST', `/api/v1/conversations/${conversationId}/messages`, {
          clientMessageId: cid(),
          body: 'Prêt demain.',
        })
      ).status,
    ).toBe(201);
    expect(await waitForEvent(1, 1_000)).toBe(true);
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    const cursor = (await patient.call('GET', '/api/v1/sync?since=0')).json.cursor as number;

    // Redis goes away: the reply is committed all the same; the patient resyncs from the database.
    redis.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    expect(
      (
        await doctor.call('POST', `/api/v1/conversations/${conversationId}/messages`, {
          clientMessageId: cid(),
          body: 'Pendant la panne.',
        })
      ).status,
    ).toBe(201);
    const resync = (await patient.call('GET', `/api/v1/sync?since=${cursor}`)).json;
    expect(resync.conversations.map((c: { id: string; lastSeq: number }) => [c.id, c.lastSeq])).toEqual([
      [conversationId, 3],
    ]);
    const missed = (await patient.call('GET', `/api/v1/conversations/${conversationId}/messages?after=2`))
      .json.messages;
    expect(missed.map((m: { body: string }) => m.body)).toEqual(['Pendant la panne.']);

    // Redis comes back on the same port: delivery resumes once the instances have reconnected.
    redis = await startRedis(redisPort);
    const before = events.filter((e) => e.type === 'event').length;
    let delivered = false;
    for (let attempt = 0; attempt < 20 && !delivered; attempt++) {
      await doctor.call('POST', `/api/v1/conversations/${conversationId}/messages`, {
        clientMessageId: cid(),
        body: `Après la panne ${attempt}`,
      });
      delivered = await waitForEvent(before + 1, 1_000);
    }
    expect(delivered).toBe(true);
    socket.close();
  }, 90_000);
});
