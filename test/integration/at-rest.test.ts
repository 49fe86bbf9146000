import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
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

/** Words that appear only in health content written by this test. */
const SECRETS = ['Quetiapinexyz', 'glycemiezorg', 'Phlebozorkine', 'ordonnance-zorg', 'Vaccizorgale'];
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n'),
  Buffer.from(`Resultats ${SECRETS[1]} `),
  Buffer.alloc(500, 0x20),
]);

describe.each(storesUnderTest())('health data at rest on %s', (kind) => {
  let t: TestApp;
  const logs: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(
      kind,
      { LOG_LEVEL: 'debug' },
      { logDestination: { write: (line: string) => void logs.push(line) } },
    );
    const { client: admin } = await signInAdmin(t);
    const { userId: doctorId, practiceId } = await registerPractitioner(admin, {
      email: 'doctor@example.org',
      rppsPayload: '1000000071',
      practice: { newPractice: PARIS_PRACTICE },
    });
    const { client: doctor } = await activateStaff(t, 'doctor@example.org');
    await doctor.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/messaging-settings`,
      { ...DEFAULT_SETTINGS, open: true, maxOpenConversations: 10 },
    );
    const jeanne = await signUpPatient(t, 'jeanne@example.org');
    const profileId = (await jeanne.get('/api/v1/relatives')).json().profiles[0].id;
    await recordConsultation(t, {
      profileId,
      practiceId,
      practitionerId: doctorId,
      at: t.clock.now() - 86_400_000,
    });
    const upload = await jeanne.request('POST', '/api/v1/attachments', PDF, {
      'content-type': 'application/pdf',
      'x-file-name': `${SECRETS[3]}.pdf`,
    });
    const started = await jeanne.post('/api/v1/conversations', {
      practitionerId: doctorId,
      practiceId,
      patientProfileId: profileId,
      category: 'renewal',
      subject: `Renouvellement ${SECRETS[0]}`,
      clientMessageId: randomUUID().replace(/-/g, ''),
      body: `Ma ${SECRETS[1]} est stable, je voudrais renouveler.`,
      attachmentIds: [upload.json().id],
      renewal: {
        medication: SECRETS[2],
        dosage: '50 mg',
        takenFor: '2 ans',
        lastPrescriptionOn: '2026-06-01',
      },
    });
    expect(started.statusCode, started.body).toBe(201);
    const conversationId = started.json().conversation.id;
    await doctor.post(`/api/v1/conversations/${conversationId}/messages`, {
      clientMessageId: randomUUID().replace(/-/g, ''),
      body: `Pour la ${SECRETS[0]}, passez au cabinet.`,
    });
    await doctor.get(`/api/v1/conversations/${conversationId}/messages`);
    const renewalId = (await doctor.get(`/api/v1/conversations/${conversationId}`)).json().renewal.id;
    await doctor.post(`/api/v1/renewals/${renewalId}/decision`, {
      decision: 'refused',
      reason: `Contrôle de ${SECRETS[1]} d'abord`,
    });
    const campaign = await doctor.post(`/api/v1/practices/${practiceId}/campaigns`, {
      kind: 'prevention',
      title: `Campagne ${SECRETS[4]}`,
      body: `Le rappel ${SECRETS[4]} est ouvert : prenez rendez-vous.`,
      patientsMayReply: false,
      audience: {
        lastConsultationMonths: null,
        minAge: null,
        maxAge: null,
        sex: null,
        tags: [],
        includeRelatives: false,
      },
      sendAt: t.clock.now() + 7 * 86_400_000,
      contentRulesAccepted: true,
    });
    expect(campaign.statusCode, campaign.body).toBe(201);
    // The content is there and readable through the API…
    expect((await jeanne.get(`/api/v1/conversations/${conversationId}/messages`)).body).toContain(SECRETS[0]);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function rawStore(): Promise<Buffer> {
    let raw: Buffer;
    if (kind === 'sqlite') {
      // The database file and its write-ahead log, as they are on disk.
      const files = (await readdir(t.dataDir)).filter((f) => f.startsWith('missive.sqlite'));
      expect(files).toContain('missive.sqlite-wal');
      raw = Buffer.concat(await Promise.all(files.map((f) => readFile(join(t.dataDir, f)))));
    } else {
      raw = execFileSync(
        'pg_dump',
        ['--data-only', '--schema', t.runtime.store.schema!, process.env.DATABASE_URL!],
        { maxBuffer: 256 * 1024 * 1024 },
      );
    }
    return raw;
  }

  function expectNoSecretIn(raw: Buffer) {
    expect(raw.length).toBeGreaterThan(10_000);
    const text = raw.toString('latin1');
    for (const secret of SECRETS) {
      expect(text.includes(secret), `"${secret}" found in the raw store`).toBe(false);
      expect(raw.toString('utf16le').includes(secret), `"${secret}" found as UTF-16`).toBe(false);
    }
    // A control: something stored in clear (the practice's name) is found, so the search itself works.
    expect(text.includes('Cabinet des Lilas')).toBe(true);
  }

  function expectNoSecretInLogs() {
    const logText = logs.join('');
    expect(logText.length).toBeGreaterThan(1_000);
    for (const secret of SECRETS)
      expect(logText.includes(secret), `"${secret}" found in the logs`).toBe(false);
  }

  it('…but appears nowhere in the raw store, nor in the logs', async () => {
    expectNoSecretIn(await rawStore());
    expectNoSecretInLogs();
  });

  it('…nor after a key rotation re-encrypted it all', async () => {
    await t.runtime.keyRotation.start();
    t.clock.advance(60_000);
    expect(await t.runtime.keyRotation.runDue()).toBe('done');
    expect((await t.runtime.keyRotation.progress())?.reencrypted).toBeGreaterThan(5);
    expectNoSecretIn(await rawStore());
    expectNoSecretInLogs();
  });
});
