import { randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { bodyAad } from '../../src/features/messaging/conversation-access';
import { ENCRYPTED_COLUMNS } from '../../src/platform/crypto/key-rotation';
import {
  completeKeyFileRotation,
  DecryptionError,
  masterKeyId,
  prepareKeyFileRotation,
  uuidToBytes,
} from '../../src/platform/crypto/keyring';
import { createLogger } from '../../src/platform/logging';
import { vapidKeyAad } from '../../src/platform/push/web-push';
import { openRuntime, type Runtime } from '../../src/platform/runtime';
import { browserKeys } from '../helpers/push-service';
import { storesUnderTest, withSchemaLock } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  PARIS_PRACTICE,
  recordConsultation,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
} from '../helpers/test-app';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300, 0x20)]);

interface World {
  admin: TestClient;
  doctor: TestClient;
  jeanne: TestClient;
  doctorId: string;
  conversationId: string;
  attachmentId: string;
  bodies: string[];
  pushAuth: string;
}

/** A practice with a conversation holding every kind of encrypted record: messages, subject, attachment, renewal, TOTP secret, outbox. */
async function seed(t: TestApp): Promise<World> {
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
    {
      ...DEFAULT_SETTINGS,
      open: true,
      maxOpenConversations: 10,
    },
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
    'x-file-name': 'bilan.pdf',
  });
  const bodies = ['Ma tension est stable, je voudrais renouveler.'];
  const started = await jeanne.post('/api/v1/conversations', {
    practitionerId: doctorId,
    practiceId,
    patientProfileId: profileId,
    category: 'renewal',
    subject: 'Renouvellement',
    clientMessageId: randomUUID().replace(/-/g, ''),
    body: bodies[0],
    attachmentIds: [upload.json().id],
    renewal: {
      medication: 'Amlodipine',
      dosage: '5 mg',
      takenFor: '2 ans',
      lastPrescriptionOn: '2026-06-01',
    },
  });
  expect(started.statusCode, started.body).toBe(201);
  const conversationId = started.json().conversation.id;
  for (let i = 0; i < 5; i++) {
    const body = `Réponse numéro ${i}`;
    bodies.push(body);
    const sent = await doctor.post(`/api/v1/conversations/${conversationId}/messages`, {
      clientMessageId: randomUUID().replace(/-/g, ''),
      body,
    });
    expect(sent.statusCode, sent.body).toBe(201);
  }
  // Web Push: the server's VAPID key pair and a browser subscription hold encrypted secrets too.
  expect((await jeanne.get('/api/v1/push/key')).statusCode).toBe(200);
  const browser = browserKeys();
  const subscribed = await jeanne.post('/api/v1/me/push-subscriptions', {
    endpoint: 'https://push.example.org/jeanne',
    expirationTime: null,
    keys: { p256dh: browser.p256dh, auth: browser.auth },
  });
  expect(subscribed.statusCode, subscribed.body).toBe(204);
  return {
    admin,
    doctor,
    jeanne,
    doctorId,
    conversationId,
    attachmentId: upload.json().id,
    bodies,
    pushAuth: browser.auth,
  };
}

/** Every record of every binary column of every table (not only the registered ones) whose header names `keyId`. */
async function recordsOfKey(runtime: Runtime, keyId: string): Promise<string[]> {
  const db = runtime.store.db;
  const tables = await db.introspection.getTables();
  const keyBytes = uuidToBytes(keyId);
  const found: string[] = [];
  for (const table of tables) {
    if (table.name === 'data_keys') continue;
    for (const column of table.columns) {
      if (!['blob', 'bytea'].includes(column.dataType.toLowerCase())) continue;
      const rows = await sql<{
        n: number | string;
      }>`select count(*) as n from ${sql.table(table.name)} where substr(${sql.ref(column.name)}, 2, 16) = ${keyBytes}`.execute(
        db,
      );
      const n = Number(rows.rows[0]?.n ?? 0);
      if (n > 0) found.push(`${table.name}.${column.name}: ${n}`);
    }
  }
  return found;
}

async function countRecordsNotOn(runtime: Runtime, keyId: string): Promise<number> {
  let n = 0;
  for (const { table, columns } of ENCRYPTED_COLUMNS) {
    const rows = await sql<
      Record<string, Uint8Array | null>
    >`select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)}`.execute(runtime.store.db);
    for (const row of rows.rows)
      for (const c of columns) if (row[c] && runtime.keys.keyIdOf(row[c]!) !== keyId) n++;
  }
  return n;
}

/** Everything the patient and the practitioner could read before is still readable through the API. */
async function expectAllReadable(t: TestApp, w: World) {
  const messages = (await w.jeanne.get(`/api/v1/conversations/${w.conversationId}/messages`)).json().messages;
  expect(messages.map((m: { body: string }) => m.body)).toEqual(expect.arrayContaining(w.bodies));
  const detail = await w.doctor.get(`/api/v1/conversations/${w.conversationId}`);
  expect(detail.statusCode, detail.body).toBe(200);
  expect(detail.json().conversation.subject).toBe('Renouvellement');
  expect(detail.json().renewal.details.medication).toBe('Amlodipine');
  const file = await w.doctor.get(`/api/v1/attachments/${w.attachmentId}`);
  expect(file.statusCode).toBe(200);
  expect(Buffer.compare(file.rawPayload, PDF)).toBe(0);
  const doctor = await t.runtime.store.db
    .selectFrom('users')
    .select(['id', 'totp_secret'])
    .where('id', '=', w.doctorId)
    .executeTakeFirstOrThrow();
  expect(await t.runtime.keys.decryptText(doctor.totp_secret!, `users.totp_secret:${doctor.id}`)).toMatch(
    /^[A-Z2-7]+$/,
  );
  const vapid = await t.runtime.store.db.selectFrom('web_push_keys').selectAll().executeTakeFirstOrThrow();
  expect(await t.runtime.keys.decryptText(vapid.private_key, vapidKeyAad(vapid.id))).toMatch(/^[\w-]{40,}$/);
  const [subscription] = await t.runtime.store.db.selectFrom('push_subscriptions').selectAll().execute();
  expect(
    JSON.parse(
      await t.runtime.keys.decryptText(subscription!.keys, `push_subscriptions.keys:${subscription!.id}`),
    ),
  ).toMatchObject({ auth: w.pushAuth });
}

/** Another instance on the same store, as a server started with `config` would open it. */
async function openInstance(t: TestApp, config: Config): Promise<Runtime> {
  const logger = createLogger({ ...config, logLevel: 'silent' });
  const open = () =>
    openRuntime(
      config,
      t.clock,
      logger,
      t.runtime.store.schema && t.kind === 'postgres' ? { pgSchema: t.runtime.store.schema } : {},
    );
  return t.kind === 'postgres' ? withSchemaLock(process.env.DATABASE_URL!, open) : open();
}

describe.each(storesUnderTest())('key rotation with the embedded key file on %s', (kind) => {
  let t: TestApp;
  let w: World;
  const others: Runtime[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await seed(t);
  });
  afterEach(async () => {
    for (const runtime of others.splice(0)) await runtime.close();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('replaces the master and data keys while running, re-encrypts everything, and resumes after an interruption', async () => {
    const oldKeyId = t.runtime.keys.activeKeyId;
    const oldMaster = (await readFile(join(t.dataDir, 'master.key'), 'utf8')).trim();
    const toReencrypt = await countRecordsNotOn(t.runtime, 'none');
    expect(toReencrypt).toBeGreaterThanOrEqual(10);

    await prepareKeyFileRotation(t.dataDir);
    await t.runtime.keys.refresh();
    const { progress, rewrappedFrom } = await t.runtime.keyRotation.start();
    await completeKeyFileRotation(t.dataDir);
    expect(rewrappedFrom).toEqual([masterKeyId(Buffer.from(oldMaster, 'base64'))]);
    expect(progress).toMatchObject({ status: 'running', percent: 0, total: expect.any(Number) });
    const newKeyId = t.runtime.keys.activeKeyId;
    expect(newKeyId).not.toBe(oldKeyId);
    expect(progress.dataKeyId).toBe(newKeyId);

    // The new master key replaced the file; the old one is kept aside, owner-only, for older backups.
    const newMaster = (await readFile(join(t.dataDir, 'master.key'), 'utf8')).trim();
    expect(newMaster).not.toBe(oldMaster);
    const retired = (await readdir(t.dataDir)).filter((f) => f.startsWith('master.key.retired-'));
    expect(retired).toHaveLength(1);
    expect((await readFile(join(t.dataDir, retired[0]!), 'utf8')).trim()).toBe(oldMaster);
    const wrappedBy = await t.runtime.store.db.selectFrom('data_keys').select('master_key_id').execute();
    expect(new Set(wrappedBy.map((r) => r.master_key_id))).toEqual(
      new Set([masterKeyId(Buffer.from(newMaster, 'base64'))]),
    );

    // Old records are readable before the job has touched them; new ones use the new key.
    await expectAllReadable(t, w);
    const late = 'Écrit pendant la rotation';
    w.bodies.push(late);
    await w.jeanne.post(`/api/v1/conversations/${w.conversationId}/messages`, {
      clientMessageId: randomUUID().replace(/-/g, ''),
      body: late,
    });

    // One batch, then this instance "crashes": its lease holds the job for a while.
    expect(await t.runtime.keyRotation.step()).toBe('working');
    const interrupted = (await t.runtime.keyRotation.progress())!;
    expect(interrupted.reencrypted).toBeGreaterThan(0);
    expect(interrupted.reencrypted).toBeLessThan(toReencrypt);

    // Another instance, started from the key files as a restarted server would be, takes over once the lease expires.
    const other = await openInstance(t, t.config);
    others.push(other);
    expect(await other.keyRotation.step()).toBe('busy');
    t.clock.advance(31_000);
    expect(await other.keyRotation.runDue()).toBe('done');
    const done = (await other.keyRotation.progress())!;
    expect(done).toMatchObject({ status: 'done', percent: 100, unreadable: 0 });
    // Resumed where it stopped: every old record re-encrypted exactly once.
    expect(done.reencrypted).toBe(toReencrypt);

    expect(await recordsOfKey(t.runtime, oldKeyId)).toEqual([]);
    expect(await countRecordsNotOn(t.runtime, newKeyId)).toBe(0);
    await expectAllReadable(t, w);
    // The other instance reads them as well.
    const messages = await other.store.db
      .selectFrom('messages')
      .select(['id', 'body'])
      .where('conversation_id', '=', w.conversationId)
      .execute();
    const read = await Promise.all(messages.map((m) => other.keys.decryptText(m.body, bodyAad(m.id))));
    expect(read).toEqual(expect.arrayContaining(w.bodies));
  });

  it('survives a rotation interrupted before the new key file replaced the old one', async () => {
    await prepareKeyFileRotation(t.dataDir);
    await t.runtime.keys.refresh();
    await t.runtime.keyRotation.start();
    // The data keys are now wrapped by master.key.next; master.key still holds the previous key.
    const restarted = await openInstance(t, t.config);
    others.push(restarted);
    const [message] = await restarted.store.db
      .selectFrom('messages')
      .select(['id', 'body'])
      .where('conversation_id', '=', w.conversationId)
      .orderBy('seq')
      .limit(1)
      .execute();
    expect(await restarted.keys.decryptText(message!.body, bodyAad(message!.id))).toBe(w.bodies[0]);
    // Running the completion again (as the next rotate-keys does) settles the files.
    await completeKeyFileRotation(t.dataDir);
    expect((await readdir(t.dataDir)).filter((f) => f.startsWith('master.key')).sort()).toHaveLength(3);
    t.clock.advance(60_000);
    expect(await t.runtime.keyRotation.runDue()).toBe('done');
    await expectAllReadable(t, w);
  });

  it('refuses a ciphertext moved to another row', async () => {
    const [a, b] = await t.runtime.store.db
      .selectFrom('messages')
      .select(['id', 'body'])
      .where('conversation_id', '=', w.conversationId)
      .orderBy('seq')
      .limit(2)
      .execute();
    await expect(t.runtime.keys.decrypt(a!.body, bodyAad(b!.id))).rejects.toBeInstanceOf(DecryptionError);
    await t.runtime.store.db.updateTable('messages').set({ body: a!.body }).where('id', '=', b!.id).execute();
    const page = await w.jeanne.get(`/api/v1/conversations/${w.conversationId}/messages`);
    expect(page.statusCode).toBe(500);
    expect(page.body).not.toContain(w.bodies[0]);
  });

  it('reports its progress to operator administrators only', async () => {
    const status = await w.admin.get('/api/v1/admin/key-rotation');
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toMatchObject({
      rotation: { status: 'done', percent: 100 },
      activeDataKeyId: t.runtime.keys.activeKeyId,
    });
    expect((await w.doctor.get('/api/v1/admin/key-rotation')).statusCode).toBe(404);
    expect((await w.jeanne.get('/api/v1/admin/key-rotation')).statusCode).toBe(404);
  });
});

describe.each(storesUnderTest())('key rotation with MISSIVE_MASTER_KEY on %s', (kind) => {
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  let t: TestApp;
  let w: World;
  const others: Runtime[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind, { MISSIVE_MASTER_KEY: oldKey });
    w = await seed(t);
  });
  afterEach(async () => {
    for (const runtime of others.splice(0)) await runtime.close();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('moves the data keys to the new master key given with the previous one, after which the old key opens nothing', async () => {
    const oldKeyId = t.runtime.keys.activeKeyId;
    // An instance restarted with the new key alone cannot open the store yet.
    await expect(openInstance(t, { ...t.config, masterKey: newKey })).rejects.toThrow(
      /MISSIVE_PREVIOUS_MASTER_KEY/,
    );
    const rotating = await openInstance(t, { ...t.config, masterKey: newKey, previousMasterKey: oldKey });
    others.push(rotating);
    const { rewrappedFrom } = await rotating.keyRotation.start();
    expect(rewrappedFrom).toEqual([masterKeyId(Buffer.from(oldKey, 'base64'))]);
    t.clock.advance(60_000);
    expect(await rotating.keyRotation.runDue()).toBe('done');
    expect(await recordsOfKey(rotating, oldKeyId)).toEqual([]);

    // Once every instance runs with the new key alone, everything is readable; the old key opens nothing.
    const fresh = await openInstance(t, { ...t.config, masterKey: newKey });
    others.push(fresh);
    const messages = await fresh.store.db
      .selectFrom('messages')
      .select(['id', 'body'])
      .where('conversation_id', '=', w.conversationId)
      .execute();
    const read = await Promise.all(messages.map((m) => fresh.keys.decryptText(m.body, bodyAad(m.id))));
    expect(read).toEqual(expect.arrayContaining(w.bodies));
    await expect(openInstance(t, { ...t.config, masterKey: oldKey })).rejects.toThrow(/master key/);
  });
});
