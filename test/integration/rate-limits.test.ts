import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { createMemoryCounter, createRedisCounter } from '../../src/platform/http/rate-limit';
import { createLogger } from '../../src/platform/logging';
import { storesUnderTest } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  GOOD_PASSWORD,
  PARIS_PRACTICE,
  patientInput,
  recordConsultation,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
} from '../helpers/test-app';

const cid = () => randomUUID().replace(/-/g, '');
const MINUTE = 60_000;

/**
 * The default limits, as in production; requests that test per-IP limits state their own client address
 * (the suite's other clients all share 127.0.0.1).
 */
describe.each(storesUnderTest())('rate limits on %s', (kind) => {
  let t: TestApp;
  // The production defaults (src/config.ts), which the other suites raise.
  const defaults = {
    RATE_LIMIT_AUTH_PER_ACCOUNT: '10',
    RATE_LIMIT_AUTH_PER_IP: '100',
    RATE_LIMIT_SENDS_PER_ACCOUNT: '30',
    RATE_LIMIT_SENDS_PER_IP: '150',
    RATE_LIMIT_SAFETY_PER_ACCOUNT: '60',
    RATE_LIMIT_SAFETY_PER_IP: '300',
  };

  const from = (ip: string, url: string, payload: object, cookie?: string) =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      remoteAddress: ip,
      headers: cookie ? { cookie } : {},
    });

  beforeAll(async () => {
    t = await createTestApp(kind, defaults);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('limits password-reset requests per e-mail address with the same generic answer for known and unknown addresses', async () => {
    await signUpPatient(t, 'known@example.org');
    for (const email of ['known@example.org', 'unknown@example.org']) {
      for (let i = 0; i < 10; i++) {
        const response = await from('192.0.2.10', '/api/v1/auth/password-reset/request', { email });
        expect(response.statusCode).toBe(202);
        expect(response.json()).toEqual({ status: 'accepted' });
      }
      const limited = await from('192.0.2.10', '/api/v1/auth/password-reset/request', { email });
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('MISSIVE_RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    }
    // Upper case is the same address.
    const upper = await from('192.0.2.10', '/api/v1/auth/password-reset/request', {
      email: 'KNOWN@example.org',
    });
    expect(upper.statusCode).toBe(429);
    t.clock.advance(15 * MINUTE);
    expect(
      (await from('192.0.2.10', '/api/v1/auth/password-reset/request', { email: 'known@example.org' }))
        .statusCode,
    ).toBe(202);
  });

  it('answers sign-up the same way for a registered and a new address', async () => {
    const existing = await from('192.0.2.11', '/api/v1/auth/signup', patientInput('known@example.org'));
    const fresh = await from('192.0.2.11', '/api/v1/auth/signup', patientInput('fresh@example.org'));
    expect(existing.statusCode).toBe(202);
    expect(fresh.statusCode).toBe(202);
    expect(existing.body).toBe(fresh.body);
  });

  it('limits account requests per IP address across e-mail addresses; other addresses are unaffected', async () => {
    for (let i = 0; i < 100; i++) {
      const response = await from('198.51.100.7', '/api/v1/auth/resend-verification', {
        email: `someone${i}@example.org`,
      });
      expect(response.statusCode).toBe(202);
    }
    const limited = await from('198.51.100.7', '/api/v1/auth/resend-verification', {
      email: 'someone-else@example.org',
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('MISSIVE_RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    const elsewhere = await from('198.51.100.8', '/api/v1/auth/resend-verification', {
      email: 'someone-else@example.org',
    });
    expect(elsewhere.statusCode).toBe(202);
    // Sign-in counts every attempt per address, successful or not, on top of the lockout after failures.
    for (let i = 0; i < 10; i++) {
      const response = await from(`203.0.113.${i + 1}`, '/api/v1/auth/login', {
        email: 'known@example.org',
        password: GOOD_PASSWORD,
      });
      expect(response.statusCode).toBe(200);
    }
    const script = await from('203.0.113.99', '/api/v1/auth/login', {
      email: 'known@example.org',
      password: GOOD_PASSWORD,
    });
    expect(script.statusCode).toBe(429);
    expect(script.json().error.code).toBe('MISSIVE_RATE_LIMITED');
    t.clock.advance(15 * MINUTE);
  });

  it('lets a person write at a human pace but stops a script sending messages or safety checks', async () => {
    const { client: admin } = await signInAdmin(t);
    const { userId: doctorId, practiceId } = await registerPractitioner(admin, {
      email: 'doctor@example.org',
      rppsPayload: '1000000021',
      practice: { newPractice: PARIS_PRACTICE },
    });
    const { client: doctor } = await activateStaff(t, 'doctor@example.org');
    await doctor.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/messaging-settings`,
      {
        ...DEFAULT_SETTINGS,
        open: true,
        maxOpenConversations: 20,
        dailyMessageCap: 100,
      },
    );
    const patient: TestClient = await signUpPatient(t, 'writer@example.org');
    const profileId = (await patient.get('/api/v1/relatives')).json().profiles[0].id as string;
    await recordConsultation(t, {
      profileId,
      practiceId,
      practitionerId: doctorId,
      at: t.clock.now() - MINUTE,
    });
    // Start at the beginning of a minute window, so that the whole burst falls in one window.
    t.clock.set(Math.ceil(t.clock.now() / MINUTE) * MINUTE);
    const started = await patient.post('/api/v1/conversations', {
      practitionerId: doctorId,
      practiceId,
      patientProfileId: profileId,
      category: 'health_question',
      subject: 'Question',
      clientMessageId: cid(),
      body: 'Bonjour docteur.',
    });
    expect(started.json()).toMatchObject({ conversation: { status: 'open' } });
    const conversationId = started.json().conversation.id as string;
    const send = () =>
      patient.post(`/api/v1/conversations/${conversationId}/messages`, {
        clientMessageId: cid(),
        body: 'Encore une question.',
      });
    for (let i = 1; i < 30; i++) expect((await send()).statusCode).toBe(201);
    const limited = await send();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('MISSIVE_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    const stored = await t.runtime.store.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .execute();
    expect(stored).toHaveLength(30);
    t.clock.advance(MINUTE);
    expect((await send()).statusCode).toBe(201);

    const check = () =>
      patient.post('/api/v1/safety/check', { text: 'J’ai un peu mal à la tête', lang: 'fr', country: 'FR' });
    for (let i = 0; i < 60; i++) expect((await check()).statusCode).toBe(200);
    expect((await check()).statusCode).toBe(429);
    t.clock.advance(MINUTE);
    expect((await check()).statusCode).toBe(200);
  });
});

describe('rate counters', () => {
  it('count per key within a window in memory, and start again in the next window', async () => {
    const counter = createMemoryCounter();
    expect(await counter.hit('a', MINUTE, 0)).toBe(1);
    expect(await counter.hit('a', MINUTE, MINUTE - 1)).toBe(2);
    expect(await counter.hit('b', MINUTE, MINUTE - 1)).toBe(1);
    expect(await counter.hit('a', MINUTE, MINUTE)).toBe(1);
    await counter.close();
  });

  it.runIf(process.env.REDIS_URL)('are shared by every instance through Redis', async () => {
    const logger = createLogger({ logLevel: 'silent' });
    const first = createRedisCounter(process.env.REDIS_URL!, logger);
    const second = createRedisCounter(process.env.REDIS_URL!, logger);
    const key = `test-${randomUUID()}`;
    const now = Date.UTC(2026, 10, 2, 9, 0, 0);
    try {
      expect(await first.hit(key, MINUTE, now)).toBe(1);
      expect(await second.hit(key, MINUTE, now + 1_000)).toBe(2);
      expect(await first.hit(key, MINUTE, now + 2_000)).toBe(3);
      expect(await second.hit(key, MINUTE, now + MINUTE)).toBe(1);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
