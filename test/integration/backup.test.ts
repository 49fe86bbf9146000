import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { verifyAuditChain } from '../../src/features/audit/audit.service';
import { subjectAad } from '../../src/features/messaging/conversation-access';
import { systemClock } from '../../src/platform/clock/clock';
import { createLogger } from '../../src/platform/logging';
import { openRuntime } from '../../src/platform/runtime';
import { storesUnderTest } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  PARIS_PRACTICE,
  recordConsultation,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
} from '../helpers/test-app';

describe.each(storesUnderTest())('backup and restore on %s', (kind) => {
  let t: TestApp;
  let conversationId: string;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind);
    const { client: admin } = await signInAdmin(t);
    const { userId: doctorId, practiceId } = await registerPractitioner(admin, {
      email: 'doctor@example.org',
      rppsPayload: '1000000061',
      practice: { newPractice: PARIS_PRACTICE },
    });
    const { client: doctor } = await activateStaff(t, 'doctor@example.org');
    await doctor.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/messaging-settings`,
      { ...DEFAULT_SETTINGS, open: true },
    );
    const jeanne = await signUpPatient(t, 'jeanne@example.org');
    const profileId = (await jeanne.get('/api/v1/relatives')).json().profiles[0].id;
    await recordConsultation(t, {
      profileId,
      practiceId,
      practitionerId: doctorId,
      at: t.clock.now() - 86_400_000,
    });
    const started = await jeanne.post('/api/v1/conversations', {
      practitionerId: doctorId,
      practiceId,
      patientProfileId: profileId,
      category: 'health_question',
      subject: 'Sauvegarde',
      clientMessageId: randomUUID().replace(/-/g, ''),
      body: 'Un message à retrouver après restauration.',
    });
    conversationId = started.json().conversation.id;
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await t?.close();
  });

  it('restores into a fresh instance that serves the same conversations, with the master key kept apart', async () => {
    const restoredDir = await mkdtemp(join(tmpdir(), 'missive-restore-'));
    cleanups.push(() => rm(restoredDir, { recursive: true, force: true }));
    let env: Record<string, string> = {
      NODE_ENV: 'test',
      DATA_DIR: restoredDir,
      LOG_LEVEL: 'silent',
      MISSIVE_DEMO: '0',
    };
    let pgSchema: string | undefined;
    if (kind === 'sqlite') {
      await t.runtime.store.backupTo(join(restoredDir, 'missive.sqlite'));
    } else {
      // pg_dump of this instance's schema, restored into a new database.
      const source = process.env.DATABASE_URL!;
      pgSchema = t.runtime.store.schema!;
      const database = `missive_restore_${randomBytes(4).toString('hex')}`;
      const adminClient = new pg.Client({ connectionString: source });
      await adminClient.connect();
      await adminClient.query(`create database ${database}`);
      await adminClient.end();
      cleanups.push(async () => {
        const c = new pg.Client({ connectionString: source });
        await c.connect();
        await c.query(`drop database if exists ${database} with (force)`);
        await c.end();
      });
      const target = new URL(source);
      target.pathname = `/${database}`;
      const dump = execFileSync('pg_dump', ['--no-owner', '--schema', pgSchema, source], {
        maxBuffer: 256 * 1024 * 1024,
      });
      execFileSync('psql', ['--quiet', '--set', 'ON_ERROR_STOP=1', target.toString()], { input: dump });
      env = { ...env, DATABASE_URL: target.toString() };
    }
    // The key file travels separately from the database copy.
    await copyFile(join(t.dataDir, 'master.key'), join(restoredDir, 'master.key'));

    const config = loadConfig(env);
    const restored = await openRuntime(
      config,
      systemClock,
      createLogger(config),
      pgSchema ? { pgSchema } : {},
    );
    cleanups.push(() => restored.close());
    const row = await restored.store.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    expect(await restored.keys.decryptText(row.subject, subjectAad(row.id))).toBe('Sauvegarde');
    const messages = await restored.store.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .execute();
    expect(messages).toHaveLength(1);
    expect((await verifyAuditChain(restored.store.db)).ok).toBe(true);
  });
});
