import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import type { DestinationStream } from 'pino';
import { buildApp } from '../../src/app';
import { type Config, loadConfig } from '../../src/config';
import { luhnCheckDigit } from '../../src/domain/rpps';
import { ManualClock } from '../../src/platform/clock/clock';
import { createRedisCounter } from '../../src/platform/http/rate-limit';
import { createLogger } from '../../src/platform/logging';
import { openRuntime, type Runtime } from '../../src/platform/runtime';
import { createServices, type Services } from '../../src/services';
import { type SmtpSink, startSmtpSink, tokenFrom } from './smtp-sink';
import { createPgSchema, type StoreKind, withSchemaLock } from './stores';

export const START_TIME = Date.UTC(2026, 10, 2, 9, 0, 0);
export const PUBLIC_URL = 'http://localhost:3000';
export const GOOD_PASSWORD = 'correct horse battery staple';

export interface TestApp {
  kind: StoreKind;
  app: FastifyInstance;
  config: Config;
  clock: ManualClock;
  runtime: Runtime;
  services: Services;
  smtp: SmtpSink;
  dataDir: string;
  client(): TestClient;
  close(): Promise<void>;
}

/**
 * The whole application on a real store (SQLite in a temporary directory, or an isolated PostgreSQL
 * schema) with mail going through a real SMTP server on 127.0.0.1.
 */
export async function createTestApp(
  kind: StoreKind,
  env: Record<string, string> = {},
  options: { logDestination?: DestinationStream; webRoot?: string; heartbeatMs?: number } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'missive-test-'));
  const smtp = await startSmtpSink();
  const pgSchema = kind === 'postgres' ? await createPgSchema(process.env.DATABASE_URL!) : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PUBLIC_URL,
    LOG_LEVEL: 'silent',
    MISSIVE_DEMO: '0',
    SMTP_URL: smtp.url,
    // Every test client shares 127.0.0.1, and the test clock stands still, so that a whole suite's sign-ins
    // and messages fall in one window from one address: the limits are raised here for the suites, and
    // test/integration/rate-limits.test.ts checks the production defaults.
    RATE_LIMIT_AUTH_PER_IP: '100000',
    RATE_LIMIT_AUTH_PER_ACCOUNT: '10000',
    RATE_LIMIT_SENDS_PER_IP: '100000',
    RATE_LIMIT_SENDS_PER_ACCOUNT: '10000',
    RATE_LIMIT_SAFETY_PER_IP: '100000',
    RATE_LIMIT_SAFETY_PER_ACCOUNT: '10000',
    // The scale-out deployment: PostgreSQL, and Redis for events when REDIS_URL is set too.
    ...(kind === 'postgres'
      ? {
          DATABASE_URL: process.env.DATABASE_URL!,
          DATABASE_POOL_SIZE: '4',
          ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
        }
      : {}),
    ...env,
  });
  const clock = new ManualClock(START_TIME);
  const logger = createLogger(config, options.logDestination);
  const open = () =>
    openRuntime(config, clock, logger, {
      outboxIntervalMs: 100,
      ...(pgSchema ? { pgSchema: pgSchema.schema } : {}),
    });
  // Migrations list every schema's tables: on PostgreSQL they wait for other workers' schema drops.
  const runtime = pgSchema ? await withSchemaLock(process.env.DATABASE_URL!, open) : await open();
  const services = createServices({ config, clock, logger, ...runtime });
  // Test files run in parallel with the same clock and the same e-mail addresses: each app counts in its own keys.
  const rateCounter = config.redisUrl
    ? createRedisCounter(config.redisUrl, logger, `missive:test:${randomUUID()}:rate:`)
    : undefined;
  const app = await buildApp({
    config,
    clock,
    logger,
    ...runtime,
    services,
    webRoot: options.webRoot,
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    ...(rateCounter ? { rateCounter } : {}),
  });
  await app.ready();
  runtime.outbox.start();
  const testApp: TestApp = {
    kind,
    app,
    config,
    clock,
    runtime,
    services,
    smtp,
    dataDir,
    client: () => new TestClient(app),
    async close() {
      await app.close();
      await rateCounter?.close();
      await runtime.close();
      await smtp.close();
      await pgSchema?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return testApp;
}

/** A browser-like client: keeps the session cookie between requests. */
export class TestClient {
  private cookie: string | undefined;
  constructor(private readonly app: FastifyInstance) {}

  async request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method,
      url,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    const setCookie = response.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      if (!pair) continue;
      const [, value] = pair.split('=');
      this.cookie = value && !/Max-Age=0|Expires=Thu, 01 Jan 1970/.test(line) ? pair : undefined;
    }
    return response;
  }
  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body ?? {});
  patch = (url: string, body: unknown) => this.request('PATCH', url, body);
  delete = (url: string) => this.request('DELETE', url);
  /** The Cookie header this client sends (for WebSocket connections). */
  get cookieHeader(): string | undefined {
    return this.cookie;
  }
  get hasSession(): boolean {
    return this.cookie !== undefined;
  }
}

export const patientInput = (email: string, overrides: Record<string, unknown> = {}) => ({
  email,
  password: GOOD_PASSWORD,
  firstName: 'Jeanne',
  lastName: 'Petit',
  birthDate: '1951-03-14',
  country: 'FR',
  locale: 'fr',
  ...overrides,
});

/** Records a consultation of a patient's profile with a practitioner, as an attended appointment would. */
export async function recordConsultation(
  t: TestApp,
  consultation: { profileId: string; practiceId: string; practitionerId: string; at: number },
): Promise<void> {
  const profile = (await t.services.patients.findProfile(consultation.profileId))!;
  await t.runtime.store.db.transaction().execute((trx) =>
    t.services.care.recordConsultation(trx, {
      practiceId: consultation.practiceId,
      practitionerId: consultation.practitionerId,
      profile,
      at: consultation.at,
    }),
  );
}

/** Signs up, confirms the e-mail through the mailed link and signs in. */
export async function signUpPatient(
  t: TestApp,
  email: string,
  overrides: Record<string, unknown> = {},
): Promise<TestClient> {
  const client = t.client();
  const signup = await client.post('/api/v1/auth/signup', patientInput(email, overrides));
  if (signup.statusCode !== 202) throw new Error(`signup failed: ${signup.body}`);
  const mail = await t.smtp.waitFor(email, (m) => m.text.includes('/verify-email#token='));
  const verify = await client.post('/api/v1/auth/verify-email', { token: tokenFrom(mail) });
  if (verify.statusCode !== 204) throw new Error(`verify failed: ${verify.body}`);
  const login = await client.post('/api/v1/auth/login', {
    email,
    password: overrides.password ?? GOOD_PASSWORD,
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  await acceptCurrentTerms(client, 'patient');
  return client;
}

/** Accepts the version of the terms in force, as a person does once before writing (patients) or opening messaging (practitioners). */
export async function acceptCurrentTerms(
  client: TestClient,
  kind: 'patient' | 'practitioner',
): Promise<void> {
  const status = await client.get('/api/v1/me/terms');
  const version = status.json().terms.find((t: { kind: string }) => t.kind === kind)?.currentVersion;
  const accept = await client.post('/api/v1/me/terms/accept', { kind, version });
  if (accept.statusCode !== 204) throw new Error(`accepting terms failed: ${accept.body}`);
}

/** Current TOTP code for a secret at the test clock's time. */
export function totpCode(t: TestApp, secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(t.clock.now() / 1000) });
}

/** Creates an administrator directly (as `missive create-admin` does), activates it and completes TOTP enrolment. */
export async function signInAdmin(
  t: TestApp,
  email = 'admin@example.org',
): Promise<{ client: TestClient; secret: string }> {
  const userId = await t.runtime.store.db.transaction().execute((trx) =>
    t.services.accounts.createStaffUser(trx, {
      email,
      firstName: 'Ada',
      lastName: 'Admin',
      kind: 'admin',
      locale: 'en',
      country: 'FR',
    }),
  );
  await t.services.accounts.sendActivation(userId);
  return activateStaff(t, email);
}

/** Opens the activation mail, sets the password, signs in and enrols TOTP. */
export async function activateStaff(
  t: TestApp,
  email: string,
): Promise<{ client: TestClient; secret: string }> {
  const client = t.client();
  const mail = await t.smtp.waitFor(email, (m) => m.text.includes('/activate#token='));
  const confirm = await client.post('/api/v1/auth/password-reset/confirm', {
    token: tokenFrom(mail),
    password: GOOD_PASSWORD,
  });
  if (confirm.statusCode !== 204) throw new Error(`activation failed: ${confirm.body}`);
  const login = await client.post('/api/v1/auth/login', { email, password: GOOD_PASSWORD });
  if (login.json().mfa !== 'enrolment_required') throw new Error(`unexpected mfa state: ${login.body}`);
  const setup = await client.post('/api/v1/auth/totp/setup');
  const secret = setup.json().manualKey as string;
  const enable = await client.post('/api/v1/auth/totp/enable', { code: await totpCode(t, secret) });
  if (enable.statusCode !== 200) throw new Error(`totp enable failed: ${enable.body}`);
  // Codes are single-use per 30 s step: move past it so the next sign-in gets a fresh code.
  t.clock.advance(30_000);
  if (enable.json().user.kind === 'staff') await acceptCurrentTerms(client, 'practitioner');
  return { client, secret };
}

/** Registers a practitioner through the admin API (RPPS built from a 10-digit payload), optionally verified. */
export async function registerPractitioner(
  admin: TestClient,
  input: {
    email: string;
    rppsPayload: string;
    lastName?: string;
    specialty?: string;
    practice: Record<string, unknown>;
    verify?: boolean;
  },
): Promise<{ userId: string; practiceId: string }> {
  const rpps = `${input.rppsPayload}${luhnCheckDigit(input.rppsPayload)}`;
  const response = await admin.post('/api/v1/admin/practitioners', {
    email: input.email,
    firstName: 'Claire',
    lastName: input.lastName ?? input.email.split('@')[0],
    specialty: input.specialty ?? 'Médecine générale',
    rpps,
    ...input.practice,
  });
  if (response.statusCode !== 201) throw new Error(response.body);
  const { userId, practices } = response.json();
  if (input.verify !== false) await admin.post(`/api/v1/admin/practitioners/${userId}/verify`);
  return { userId, practiceId: practices[0].id };
}

/** A campaign audience of every patient of the practice, relatives included. */
export const EVERY_PATIENT = {
  lastConsultationMonths: null,
  minAge: null,
  maxAge: null,
  sex: null,
  tags: [],
  includeRelatives: true,
};

export const PARIS_PRACTICE = {
  name: 'Cabinet des Lilas',
  address: '1 rue des Lilas',
  postcode: '75011',
  city: 'Paris',
  country: 'FR',
};
