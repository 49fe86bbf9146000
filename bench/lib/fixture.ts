import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { ALL_RIGHTS } from '../../src/domain/permissions';
import { luhnCheckDigit } from '../../src/domain/rpps';
import { SYSTEM_ACTOR } from '../../src/features/audit/audit.service';
import { systemClock } from '../../src/platform/clock/clock';
import { hashPassword } from '../../src/platform/crypto/passwords';
import { createLogger } from '../../src/platform/logging';
import { openRuntime } from '../../src/platform/runtime';
import { createServices } from '../../src/services';

export const BENCH_PASSWORD = 'bench password long enough';

export interface Fixture {
  env: Record<string, string>;
  practiceId: string;
  practitionerId: string;
  patients: { email: string; profileId: string }[];
  cleanup(): Promise<void>;
}

/**
 * A store with one practice, an open practitioner and N patients with a care relationship, written
 * through the services before the server under test starts. Limits are lifted so that load is not refused.
 */
export async function createFixture(store: 'sqlite' | 'postgres', patientCount: number): Promise<Fixture> {
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
      patients.push({ email, profileId: profile.id });
    }
  });
  await runtime.close();
  return {
    env,
    ...ids,
    patients,
    async cleanup() {
      await dropDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
