import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { ALL_RIGHTS } from '../../src/domain/permissions';
import { luhnCheckDigit } from '../../src/domain/rpps';
import { SYSTEM_ACTOR } from '../../src/features/audit/audit.service';
import { systemClock } from '../../src/platform/clock/clock';
import { hashPassword } from '../../src/platform/crypto/passwords';
import { hashToken, newToken } from '../../src/platform/crypto/tokens';
import type { SessionRow, UserRow } from '../../src/platform/db/schema';
import { sessionCookie } from '../../src/platform/http/auth';
import { createLogger } from '../../src/platform/logging';
import { openRuntime } from '../../src/platform/runtime';
import { createServices } from '../../src/services';
import { acceptCurrentTerms } from './bulk';

export const BENCH_PASSWORD = 'bench password long enough';

export interface FixturePatient {
  email: string;
  userId: string;
  profileId: string;
  /** Session token (the cookie's value) when sessions were asked for. */
  token?: string;
  /** The conversation this patient opened, when conversations were asked for. */
  conversationId?: string;
}

export interface FixtureOptions {
  /**
   * One signed-in session per patient, and one MFA-verified session for the practitioner, written straight
   * into the store as sign-in writes them (only the token's hash is stored): thousands of sockets need
   * thousands of sessions, and thousands of password checks would measure argon2, not the server.
   */
  sessions?: boolean;
  /** The first N patients each open a conversation with the practitioner, through the messaging service. */
  conversations?: number;
}

export interface Fixture {
  env: Record<string, string>;
  practiceId: string;
  practitionerId: string;
  patients: FixturePatient[];
  /** The practitioner's session token, when sessions were asked for. */
  practitionerToken?: string;
  /** Name of the session cookie the server expects. */
  cookieName: string;
  cleanup(): Promise<void>;
}

const SESSION_CHUNK = 500;

/**
 * A store with one practice, an open practitioner and N patients with a care relationship, written
 * through the services before the server under test starts. Limits are lifted so that load is not refused.
 */
export async function createFixture(
  store: 'sqlite' | 'postgres',
  patientCount: number,
  options: FixtureOptions = {},
): Promise<Fixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'missive-bench-'));
  const masterKey = randomBytes(32).toString('base64');
  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (store === 'postgres') {
    const base =
      process.env.BENCH_DATABASE_URL ??
      process.env.DATABASE_URL ??
      'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `missive_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    MISSIVE_MASTER_KEY: masterKey,
    MISSIVE_DEMO: '0',
    LOG_LEVEL: 'warn',
    // Load comes from one address and a few accounts, far beyond what a person does: lift the rate limits.
    RATE_LIMIT_AUTH_PER_ACCOUNT: '10000',
    RATE_LIMIT_AUTH_PER_IP: '10000000',
    RATE_LIMIT_SENDS_PER_ACCOUNT: '1000000',
    RATE_LIMIT_SENDS_PER_IP: '10000000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '16' } : {}),
  };
  const config = loadConfig(env);
  const logger = createLogger(config);
  const runtime = await openRuntime(config, systemClock, logger);
  const services = createServices({ config, clock: systemClock, logger, ...runtime });
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const ids = { practiceId: '', practitionerId: '' };
  const patients: Fixture['patients'] = [];
  await runtime.store.db.transaction().execute(async (trx) => {
    const practice = await services.practices.createPractice(
      trx,
      {
        name: 'Cabinet de mesure',
        address: '1 rue du Banc',
        postcode: '75001',
        city: 'Paris',
        country: 'FR',
      },
      SYSTEM_ACTOR,
    );
    ids.practiceId = practice.id;
    ids.practitionerId = await services.accounts.createStaffUser(trx, {
      email: 'bench.doctor@example.org',
      firstName: 'Bench',
      lastName: 'Doctor',
      kind: 'staff',
      locale: 'fr',
      country: 'FR',
      passwordHash,
      emailVerified: true,
    });
    await services.practitioners.insertProfile(trx, {
      userId: ids.practitionerId,
      rpps: `1000009990${luhnCheckDigit('1000009990')}`,
      specialty: 'Médecine générale',
      verified: true,
    });
    await services.practices.addMember(trx, {
      practiceId: practice.id,
      userId: ids.practitionerId,
      role: 'practitioner',
      isAdmin: true,
      rights: ALL_RIGHTS,
    });
    // Load tests send far more than a patient ever would: lift the per-patient limits for this practitioner.
    const settings = {
      ...DEFAULT_SETTINGS,
      open: true,
      maxOpenConversations: 1_000,
      dailyMessageCap: 1_000_000_000,
    };
    await trx
      .insertInto('messaging_settings')
      .values({
        practitioner_user_id: ids.practitionerId,
        practice_id: practice.id,
        settings: JSON.stringify(settings),
        updated_at: Date.now(),
      })
      .execute();
    for (let i = 0; i < patientCount; i++) {
      const email = `bench.patient${i}@example.org`;
      const userId = await services.accounts.createPatient(
        trx,
        {
          email,
          firstName: 'Patient',
          lastName: `N${i}`,
          birthDate: '1970-01-01',
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
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      await services.care.recordConsultation(trx, {
        practiceId: practice.id,
        practitionerId: ids.practitionerId,
        profile,
        at: Date.now() - 86_400_000,
      });
      patients.push({ email, userId, profileId: profile.id });
    }
  });
  // Everyone measured has accepted the terms in force, as they would have in the app.
  await acceptCurrentTerms(
    runtime.store.db,
    patients.map((p) => p.userId),
    'patient',
  );
  await acceptCurrentTerms(runtime.store.db, [ids.practitionerId], 'practitioner');
  let practitionerToken: string | undefined;
  if (options.sessions) {
    const now = Date.now();
    const session = (userId: string, token: string, patient: boolean): SessionRow => ({
      id: hashToken(token),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: now + config.session.absoluteTimeoutMs,
      idle_timeout_ms: patient ? config.session.patientIdleTimeoutMs : config.session.staffIdleTimeoutMs,
      mfa_verified_at: null,
      user_agent: 'missive-bench',
    });
    for (const patient of patients) patient.token = newToken();
    for (let i = 0; i < patients.length; i += SESSION_CHUNK) {
      const rows = patients.slice(i, i + SESSION_CHUNK).map((p) => session(p.userId, p.token!, true));
      await runtime.store.db.insertInto('sessions').values(rows).execute();
    }
    // The practitioner enrols TOTP through the accounts service, which also marks this session verified.
    practitionerToken = newToken();
    const row = session(ids.practitionerId, practitionerToken, false);
    await runtime.store.db.insertInto('sessions').values(row).execute();
    const user = (await runtime.store.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', ids.practitionerId)
      .executeTakeFirstOrThrow()) as UserRow;
    const auth = { sessionId: row.id, user, mfa: 'enrolment_required' as const };
    const { manualKey } = await services.sessions.setupTotp(auth);
    const code = await generate({ secret: manualKey, epoch: Math.floor(Date.now() / 1_000) });
    await services.sessions.enableTotp(auth, code, SYSTEM_ACTOR);
  }
  const opening = patients.slice(0, options.conversations ?? 0);
  // Many at a time, as concurrent patients would: concurrent sends share commits.
  for (let i = 0; i < opening.length; i += 64) {
    await Promise.all(
      opening.slice(i, i + 64).map(async (patient) => {
        const user = (await runtime.store.db
          .selectFrom('users')
          .selectAll()
          .where('id', '=', patient.userId)
          .executeTakeFirstOrThrow()) as UserRow;
        const { conversation } = await services.conversations.start(
          { sessionId: '', user, mfa: 'not_required' },
          {
            practitionerId: ids.practitionerId,
            practiceId: ids.practiceId,
            patientProfileId: patient.profileId,
            category: 'administrative',
            subject: 'Mesure',
            clientMessageId: randomUUID().replace(/-/g, ''),
            body: 'Premier message',
            attachmentIds: [],
            emergencyAcknowledged: false,
          },
          SYSTEM_ACTOR,
        );
        patient.conversationId = conversation.id;
      }),
    );
  }
  await runtime.close();
  return {
    env,
    ...ids,
    patients,
    practitionerToken,
    cookieName: sessionCookie(config).name,
    async cleanup() {
      await dropDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
