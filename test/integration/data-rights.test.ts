import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { SYSTEM_ACTOR } from '../../src/features/audit/audit.service';
import { createTermsService, VERSIONS_TTL_MS } from '../../src/features/terms/terms.service';
import { createTermsTexts } from '../../src/features/terms/terms-texts';
import { fhirSchemaErrors } from '../helpers/fhir-schema';
import { tokenFrom } from '../helpers/smtp-sink';
import { storesUnderTest } from '../helpers/stores';
import {
  acceptCurrentTerms,
  activateStaff,
  createTestApp,
  GOOD_PASSWORD,
  PARIS_PRACTICE,
  patientInput,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
} from '../helpers/test-app';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1_500, 0x20)]);
const cid = () => randomUUID().replace(/-/g, '');
const DAY = 86_400_000;
const YEAR = 365.25 * DAY;

describe.each(storesUnderTest())('terms, data export and account closure on %s', (kind) => {
  let t: TestApp;
  let admin: TestClient;
  let doctor: TestClient;
  let doctorId: string;
  let practiceId: string;

  const selfProfile = async (client: TestClient) =>
    ((await client.get('/api/v1/relatives')).json().profiles as { id: string; relationship: string }[]).find(
      (p) => p.relationship === 'self',
    )!.id;
  const consulted = async (profileId: string, at: number) => {
    const profile = (await t.services.patients.findProfile(profileId))!;
    await t.runtime.store.db
      .transaction()
      .execute((trx) =>
        t.services.care.recordConsultation(trx, { practiceId, practitionerId: doctorId, profile, at }),
      );
  };
  const settingsPath = () => `/api/v1/practices/${practiceId}/practitioners/${doctorId}/messaging-settings`;
  const openMessaging = () =>
    doctor.request('PUT', settingsPath(), {
      ...DEFAULT_SETTINGS,
      open: true,
      maxOpenConversations: 20,
      dailyMessageCap: 100,
    });
  const start = (client: TestClient, profileId: string, extra: Record<string, unknown> = {}) =>
    client.post('/api/v1/conversations', {
      practitionerId: doctorId,
      practiceId,
      patientProfileId: profileId,
      category: 'health_question',
      subject: 'Question sur mon traitement',
      clientMessageId: cid(),
      body: 'Puis-je prendre mon traitement le soir ?',
      ...extra,
    });
  /** A patient who has signed in but not yet accepted any terms. */
  const newPatient = async (email: string) => {
    const client = t.client();
    await client.post('/api/v1/auth/signup', patientInput(email));
    const mail = await t.smtp.waitFor(email, (m) => m.text.includes('/verify-email#token='));
    await client.post('/api/v1/auth/verify-email', { token: tokenFrom(mail) });
    await client.post('/api/v1/auth/login', { email, password: GOOD_PASSWORD });
    return client;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    ({ client: admin } = await signInAdmin(t));
    ({ userId: doctorId, practiceId } = await registerPractitioner(admin, {
      email: 'doctor@example.org',
      rppsPayload: '1000000021',
      lastName: 'Martin',
      practice: { newPractice: PARIS_PRACTICE },
    }));
    ({ client: doctor } = await activateStaff(t, 'doctor@example.org'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('publishes the terms and privacy notice in every language, to anyone', async () => {
    for (const termsKind of ['patient', 'practitioner', 'privacy']) {
      for (const locale of ['fr', 'it', 'en']) {
        const response = await t.client().get(`/api/v1/terms/${termsKind}?locale=${locale}`);
        expect(response.statusCode).toBe(200);
        expect(response.json()).toMatchObject({ kind: termsKind, version: 1, locale });
        expect(response.json().body.length).toBeGreaterThan(500);
      }
    }
    const patientTerms = (await t.client().get('/api/v1/terms/patient?locale=fr')).json().body as string;
    expect(patientTerms).toContain('gratuite');
    expect(patientTerms).toContain('15 ou le 112');
    expect((await t.client().get('/api/v1/terms/other')).statusCode).toBe(400);
  });

  it('asks a practitioner to accept the practitioner terms before opening messaging', async () => {
    await t.runtime.store.db.deleteFrom('terms_acceptances').where('user_id', '=', doctorId).execute();
    const refused = await openMessaging();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('MISSIVE_TERMS_NOT_ACCEPTED');
    expect((await doctor.get('/api/v1/me/terms')).json().terms).toEqual([
      expect.objectContaining({
        kind: 'practitioner',
        currentVersion: 1,
        acceptedVersion: null,
        mustAccept: true,
      }),
    ]);
    // A practitioner cannot accept the patients' terms, nor a patient the practitioners'.
    expect((await doctor.post('/api/v1/me/terms/accept', { kind: 'patient', version: 1 })).statusCode).toBe(
      404,
    );
    await acceptCurrentTerms(doctor, 'practitioner');
    expect((await openMessaging()).statusCode).toBe(200);
  });

  it('refuses a patient’s first message until the messaging terms are accepted, and again after a new version', async () => {
    const client = await newPatient('terms@example.org');
    const profileId = await selfProfile(client);
    await consulted(profileId, t.clock.now() - 10 * DAY);
    const refused = await start(client, profileId);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('MISSIVE_TERMS_NOT_ACCEPTED');
    expect(await t.runtime.store.db.selectFrom('conversations').select('id').execute()).toHaveLength(0);

    // Accepting a version other than the one in force is refused.
    const stale = await client.post('/api/v1/me/terms/accept', { kind: 'patient', version: 7 });
    expect(stale.json().error.code).toBe('MISSIVE_TERMS_OUTDATED');
    await acceptCurrentTerms(client, 'patient');
    const status = (await client.get('/api/v1/me/terms')).json().terms[0];
    expect(status).toMatchObject({
      kind: 'patient',
      acceptedVersion: 1,
      acceptedAt: t.clock.now(),
      mustAccept: false,
    });
    const started = await start(client, profileId);
    expect(started.statusCode).toBe(201);
    const conversationId = started.json().conversation.id as string;

    // The operator publishes version 2 (its texts exist in every language): the next message waits for it.
    const dir = await mkdtemp(join(tmpdir(), 'missive-terms-'));
    try {
      await mkdir(join(dir, 'patient'));
      for (const locale of ['fr', 'it', 'en'])
        await writeFile(join(dir, 'patient', `v2.${locale}.md`), '# v2\n');
      const operator = createTermsService({
        store: t.runtime.store,
        clock: t.clock,
        texts: createTermsTexts(dir),
      });
      await expect(operator.publish('patient', 3, SYSTEM_ACTOR)).rejects.toMatchObject({
        code: 'MISSIVE_VALIDATION',
      });
      await operator.publish('patient', 2, SYSTEM_ACTOR);
      await expect(operator.publish('patient', 2, SYSTEM_ACTOR)).rejects.toMatchObject({
        code: 'MISSIVE_VALIDATION',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Published by another process: the server applies it once its copy of the versions in force expires.
    t.clock.advance(VERSIONS_TTL_MS);
    const reply = () =>
      client.post(`/api/v1/conversations/${conversationId}/messages`, {
        clientMessageId: cid(),
        body: 'Merci.',
      });
    expect((await reply()).json().error.code).toBe('MISSIVE_TERMS_NOT_ACCEPTED');
    expect((await client.get('/api/v1/me/terms')).json().terms[0]).toMatchObject({
      currentVersion: 2,
      acceptedVersion: 1,
      mustAccept: true,
    });
    await acceptCurrentTerms(client, 'patient');
    expect((await reply()).statusCode).toBe(201);
    const acceptances = await t.runtime.store.db
      .selectFrom('terms_acceptances')
      .selectAll()
      .innerJoin('users', 'users.id', 'terms_acceptances.user_id')
      .where('users.email', '=', 'terms@example.org')
      .execute();
    expect(acceptances.map((a) => a.version).sort()).toEqual([1, 2]);
  });

  it('only an administrator sees and publishes versions through the API, and only versions whose texts exist', async () => {
    expect((await doctor.get('/api/v1/admin/terms')).statusCode).toBe(404);
    const list = (await admin.get('/api/v1/admin/terms')).json();
    expect(list.versions).toContainEqual(
      expect.objectContaining({ kind: 'privacy', version: 1, current: true }),
    );
    expect(list.publishable).toEqual([]);
    const missing = await admin.post('/api/v1/admin/terms', { kind: 'privacy', version: 2 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues).toEqual([{ path: 'version', reason: 'text_missing' }]);
  });

  it('exports all of a patient’s data as a ZIP after re-authentication, downloadable only by that session', async () => {
    const jeanne = await signUpPatient(t, 'jeanne@example.org');
    const profileId = await selfProfile(jeanne);
    await consulted(profileId, t.clock.now() - 20 * DAY);
    const upload = await jeanne.request('POST', '/api/v1/attachments', PDF, {
      'content-type': 'application/pdf',
      'x-file-name': encodeURIComponent('ordonnance mars.pdf'),
    });
    const started = await start(jeanne, profileId, {
      body: 'Voici mon ordonnance, puis-je continuer ?',
      attachmentIds: [upload.json().id],
    });
    expect(started.statusCode).toBe(201);
    const conversationId = started.json().conversation.id as string;
    await doctor.get(`/api/v1/conversations/${conversationId}`);
    await doctor.post(`/api/v1/conversations/${conversationId}/messages`, {
      clientMessageId: cid(),
      body: 'Oui, continuez le même traitement.',
    });

    const wrong = await jeanne.post('/api/v1/me/exports', { password: 'not my password at all' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('MISSIVE_INVALID_CREDENTIALS');
    expect((await doctor.post('/api/v1/me/exports', { password: GOOD_PASSWORD })).statusCode).toBe(404);

    const requested = await jeanne.post('/api/v1/me/exports', { password: GOOD_PASSWORD });
    expect(requested.statusCode).toBe(202);
    expect(requested.json().status).toBe('building');
    const exportId = requested.json().id as string;
    await t.services.exports.settled();
    const ready = (await jeanne.get(`/api/v1/me/exports/${exportId}`)).json();
    expect(ready).toMatchObject({ status: 'ready', total: 2, progress: 2 });
    expect((await jeanne.get('/api/v1/me/exports')).json().exports[0].id).toBe(exportId);

    // Another session of the same person must re-authenticate; another person does not even see it.
    const otherSession = t.client();
    await otherSession.post('/api/v1/auth/login', { email: 'jeanne@example.org', password: GOOD_PASSWORD });
    const elsewhere = await otherSession.get(`/api/v1/me/exports/${exportId}/download`);
    expect(elsewhere.json().error.code).toBe('MISSIVE_REAUTHENTICATION_REQUIRED');
    const paul = await signUpPatient(t, 'paul@example.org');
    expect((await paul.get(`/api/v1/me/exports/${exportId}/download`)).statusCode).toBe(404);

    const download = await jeanne.get(`/api/v1/me/exports/${exportId}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(download.headers['content-disposition']).toContain('attachment');
    const files = unzipSync(new Uint8Array(download.rawPayload));
    const json = (path: string) => JSON.parse(strFromU8(files[path]!));
    expect(json('profile.json').account).toMatchObject({ email: 'jeanne@example.org', firstName: 'Jeanne' });
    expect(json('profile.json').termsAccepted).toEqual([
      expect.objectContaining({ kind: 'patient', version: 2 }),
    ]);
    expect(json('relatives.json')).toEqual([
      expect.objectContaining({ id: profileId, relationship: 'self' }),
    ]);
    const conversation = json(`conversations/${conversationId}.json`);
    expect(conversation.conversation.subject).toBe('Question sur mon traitement');
    expect(conversation.messages.map((m: { body: string }) => m.body)).toEqual([
      'Voici mon ordonnance, puis-je continuer ?',
      'Oui, continuez le même traitement.',
    ]);
    const [attachment] = json('attachments.json');
    expect(attachment.name).toBe('ordonnance mars.pdf');
    expect(Buffer.from(files[attachment.path]!)).toEqual(PDF);
    const access = json('access-history.json');
    expect(access.conversations[0].entries).toContainEqual(
      expect.objectContaining({ name: 'Claire Martin', action: 'opened' }),
    );
    expect(access.account.map((e: { action: string }) => e.action)).toContain('session.created');
    expect(files['README.txt']).toBeDefined();
    // The same record as a FHIR R4 Bundle, valid against the official schema, with the patient and the thread.
    const bundle = json(`fhir/${profileId}.json`);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    const resources = bundle.entry.map((e: { resource: { resourceType: string; id: string } }) => e.resource);
    expect(resources).toContainEqual(
      expect.objectContaining({ resourceType: 'Patient', id: profileId, birthDate: expect.any(String) }),
    );
    expect(resources).toContainEqual(
      expect.objectContaining({ resourceType: 'Communication', id: conversationId }),
    );
    const payloads = resources
      .filter((r: { resourceType: string }) => r.resourceType === 'Communication')
      .flatMap((r: { payload?: { contentString?: string }[] }) => r.payload ?? [])
      .map((p: { contentString?: string }) => p.contentString);
    expect(payloads).toContain('Oui, continuez le même traitement.');

    // The archive is stored encrypted, and the download is in the audit trail.
    const stored = await t.runtime.store.db
      .selectFrom('data_exports')
      .select('archive')
      .where('id', '=', exportId)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(stored.archive!).includes(Buffer.from('profile.json'))).toBe(false);
    const audit = await t.runtime.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', exportId)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['data_export.requested', 'data_export.downloaded']);

    // Past its download window the archive is erased by the hourly job (sessions are not touched meanwhile).
    const now = t.clock.now();
    t.clock.advance(t.config.dataExportTtlMs - 1);
    await t.services.exports.purgeExpired();
    expect(await t.runtime.store.db.selectFrom('data_exports').select('id').execute()).toHaveLength(1);
    t.clock.advance(1);
    await t.services.exports.purgeExpired();
    expect(await t.runtime.store.db.selectFrom('data_exports').select('id').execute()).toEqual([]);
    t.clock.set(now);
  });

  it('leaves a teenager who holds their own account with their profile when the parent closes theirs', async () => {
    const db = t.runtime.store.db;
    const parent = await signUpPatient(t, 'parent@example.org', { firstName: 'Marc', lastName: 'Blanc' });
    const teen = await parent.post('/api/v1/relatives', {
      relationship: 'child',
      firstName: 'Zoé',
      lastName: 'Blanc',
      birthDate: '2010-06-01',
    });
    const teenProfileId = teen.json().id as string;
    // The teenager took over the profile with their own account (what accepting an own-account offer does).
    const teenUserId = await db.transaction().execute(async (trx) => {
      const id = await t.services.accounts.createUserForProfile(trx, {
        email: 'zoe@example.org',
        firstName: 'Zoé',
        lastName: 'Blanc',
        locale: 'fr',
        country: 'FR',
        passwordHash: (await db
          .selectFrom('users')
          .select('password_hash')
          .where('email', '=', 'parent@example.org')
          .executeTakeFirstOrThrow())!.password_hash!,
      });
      await trx
        .updateTable('patient_profiles')
        .set({ user_id: id, own_account_since: t.clock.now() })
        .where('id', '=', teenProfileId)
        .execute();
      return id;
    });
    expect(
      (await parent.post('/api/v1/me/close', { password: GOOD_PASSWORD, confirm: true })).statusCode,
    ).toBe(200);
    expect(await t.services.patients.findProfile(teenProfileId)).toMatchObject({
      owner_user_id: teenUserId,
      user_id: teenUserId,
      closed_at: null,
    });
    const zoe = t.client();
    expect(
      (await zoe.post('/api/v1/auth/login', { email: 'zoe@example.org', password: GOOD_PASSWORD }))
        .statusCode,
    ).toBe(200);
    expect((await zoe.get('/api/v1/relatives')).json().profiles).toEqual([
      expect.objectContaining({ id: teenProfileId }),
    ]);
  });

  it('closes an account: personal data erased, conversations kept by the practice and marked, then erased when retention expires', async () => {
    const db = t.runtime.store.db;
    const lea = await signUpPatient(t, 'lea@example.org', { firstName: 'Léa', lastName: 'Roux' });
    const profileId = await selfProfile(lea);
    const child = await lea.post('/api/v1/relatives', {
      relationship: 'child',
      firstName: 'Tom',
      lastName: 'Roux',
      birthDate: '2018-02-03',
    });
    const childId = child.json().id as string;
    await consulted(profileId, t.clock.now() - 40 * DAY);
    const started = await start(lea, profileId);
    const conversationId = started.json().conversation.id as string;
    const userId = (await lea.get('/api/v1/me')).json().user.id as string;
    await lea.request('PUT', '/api/v1/me/notifications', { email: false, digest: false });

    expect(
      (await lea.post('/api/v1/me/close', { password: 'wrong password here', confirm: true })).statusCode,
    ).toBe(401);
    expect((await lea.post('/api/v1/me/close', { password: GOOD_PASSWORD })).statusCode).toBe(400);
    const closedAt = t.clock.now();
    const closed = await lea.post('/api/v1/me/close', { password: GOOD_PASSWORD, confirm: true });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().retainedConversations).toBe(1);
    expect(closed.json().retainedUntil).toBeGreaterThan(closedAt + 19 * YEAR);
    expect(lea.hasSession).toBe(false);

    // The account can no longer sign in, and its e-mail address is free again.
    const signIn = await t
      .client()
      .post('/api/v1/auth/login', { email: 'lea@example.org', password: GOOD_PASSWORD });
    expect(signIn.json().error.code).toBe('MISSIVE_INVALID_CREDENTIALS');
    const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ password_hash: null, first_name: '', last_name: '', closed_at: closedAt });
    expect(user.email).not.toContain('lea');
    for (const table of [
      'sessions',
      'notification_preferences',
      'terms_acceptances',
      'email_tokens',
    ] as const) {
      expect(await db.selectFrom(table).select('user_id').where('user_id', '=', userId).execute()).toEqual(
        [],
      );
    }
    // The child with nothing kept is gone; the patient's own profile is kept with the practice's record.
    expect(await t.services.patients.findProfile(childId)).toBeUndefined();
    expect(await t.services.patients.findProfile(profileId)).toMatchObject({ closed_at: closedAt });

    // The practice still has the conversation, marked, and cannot write to the patient any more.
    const detail = (await doctor.get(`/api/v1/conversations/${conversationId}`)).json();
    expect(detail.conversation).toMatchObject({ status: 'closed', closedReason: 'account_closed' });
    const messages = (await doctor.get(`/api/v1/conversations/${conversationId}/messages`)).json().messages;
    expect(messages[0].body).toBe('Puis-je prendre mon traitement le soir ?');
    expect(messages[0].sender?.name ?? null).toBeNull();
    const reply = await doctor.post(`/api/v1/conversations/${conversationId}/messages`, {
      clientMessageId: cid(),
      body: 'Bonjour',
    });
    expect(reply.json().error.code).toBe('MISSIVE_PATIENT_ACCOUNT_CLOSED');
    const reopen = await doctor.request('PATCH', `/api/v1/conversations/${conversationId}`, {
      status: 'open',
    });
    expect(reopen.json().error.code).toBe('MISSIVE_PATIENT_ACCOUNT_CLOSED');
    const inbox = (await doctor.get(`/api/v1/practices/${practiceId}/inbox?status=closed`)).json();
    expect(inbox.conversations).toContainEqual(
      expect.objectContaining({ id: conversationId, closedReason: 'account_closed' }),
    );

    // Nothing is erased before the retention period ends; then everything is.
    t.clock.set(closed.json().retainedUntil - DAY);
    expect(await t.services.closure.purgeExpiredRetention()).toBe(0);
    t.clock.set(closed.json().retainedUntil + 1);
    expect(await t.services.closure.purgeExpiredRetention()).toBe(1);
    expect(
      await db.selectFrom('conversations').select('id').where('id', '=', conversationId).execute(),
    ).toEqual([]);
    expect(
      await db.selectFrom('messages').select('id').where('conversation_id', '=', conversationId).execute(),
    ).toEqual([]);
    expect(await t.services.patients.findProfile(profileId)).toBeUndefined();
    expect(await db.selectFrom('users').select('id').where('id', '=', userId).execute()).toEqual([]);
    const practiceRecord = await db
      .selectFrom('practice_patients')
      .select(['patient_profile_id', 'last_name'])
      .where('practice_id', '=', practiceId)
      .where('last_name', '=', 'Roux')
      .executeTakeFirstOrThrow();
    expect(practiceRecord.patient_profile_id).toBeNull();
    t.clock.set(closedAt);
  });
});
