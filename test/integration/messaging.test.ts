import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { emergencyNumbers } from '../../src/domain/safety/detector';
import { verifyAuditChain } from '../../src/features/audit/audit.service';
import { tokenFrom } from '../helpers/smtp-sink';
import { storesUnderTest } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  GOOD_PASSWORD,
  PARIS_PRACTICE,
  recordConsultation,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
  totpCode,
} from '../helpers/test-app';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2_000, 0x20)]);
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(2_000, 0x41)]);
const cid = () => randomUUID().replace(/-/g, '');
const DAY = 86_400_000;

describe.each(storesUnderTest())('patient messaging on %s', (kind) => {
  let t: TestApp;
  let admin: TestClient;
  let doctor: TestClient;
  let doctorId: string;
  let practiceId: string;
  let assistant: TestClient;
  let assistantId: string;
  let otherDoctor: TestClient;
  let jeanne: TestClient;
  let jeanneProfile: string;
  let paul: TestClient;
  let paulProfile: string;

  const selfProfile = async (client: TestClient) =>
    ((await client.get('/api/v1/relatives')).json().profiles as { id: string; relationship: string }[]).find(
      (p) => p.relationship === 'self',
    )!.id;
  /** Records a consultation as an attended appointment would. */
  const consulted = (profileId: string, at: number, practitionerId = doctorId) =>
    recordConsultation(t, { profileId, practiceId, practitionerId, at });
  const settingsPath = () => `/api/v1/practices/${practiceId}/practitioners/${doctorId}/messaging-settings`;
  // Limits are generous unless a test is about them: the suite sends many messages as one patient in one day.
  const setSettings = (changes: Partial<typeof DEFAULT_SETTINGS>) =>
    doctor.request('PUT', settingsPath(), {
      ...DEFAULT_SETTINGS,
      open: true,
      maxOpenConversations: 20,
      dailyMessageCap: 100,
      ...changes,
    });
  const start = (client: TestClient, profileId: string, extra: Record<string, unknown> = {}) =>
    client.post('/api/v1/conversations', {
      practitionerId: doctorId,
      practiceId,
      patientProfileId: profileId,
      category: 'health_question',
      subject: 'Question sur mon traitement',
      clientMessageId: cid(),
      body: 'Bonjour docteur, puis-je prendre mon traitement le soir ?',
      ...extra,
    });
  const send = (
    client: TestClient,
    conversationId: string,
    body: string,
    extra: Record<string, unknown> = {},
  ) =>
    client.post(`/api/v1/conversations/${conversationId}/messages`, {
      clientMessageId: cid(),
      body,
      ...extra,
    });
  const upload = (client: TestClient, data: Buffer, name: string, type = 'application/pdf') =>
    client.request('POST', '/api/v1/attachments', data, {
      'content-type': type,
      'x-file-name': encodeURIComponent(name),
    });

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
    await registerPractitioner(admin, {
      email: 'other@example.org',
      rppsPayload: '1000000022',
      practice: { newPractice: { ...PARIS_PRACTICE, name: 'Autre cabinet' } },
    });
    ({ client: otherDoctor } = await activateStaff(t, 'other@example.org'));
    await doctor.post(`/api/v1/practices/${practiceId}/invitations`, {
      email: 'assistant@example.org',
      role: 'assistant',
      rights: ['messaging'],
      isAdmin: false,
    });
    const token = tokenFrom(await t.smtp.waitFor('assistant@example.org'));
    await t.client().post('/api/v1/invitations/accept', {
      token,
      firstName: 'Sophie',
      lastName: 'Bernard',
      password: GOOD_PASSWORD,
    });
    assistant = t.client();
    await assistant.post('/api/v1/auth/login', { email: 'assistant@example.org', password: GOOD_PASSWORD });
    const secret = (await assistant.post('/api/v1/auth/totp/setup')).json().manualKey;
    assistantId = (
      await assistant.post('/api/v1/auth/totp/enable', { code: await totpCode(t, secret) })
    ).json().user.id;
    jeanne = await signUpPatient(t, 'jeanne@example.org');
    jeanneProfile = await selfProfile(jeanne);
    paul = await signUpPatient(t, 'paul@example.org', {
      firstName: 'Paul',
      lastName: 'Durand',
      birthDate: '1980-05-05',
    });
    paulProfile = await selfProfile(paul);
    await consulted(jeanneProfile, t.clock.now() - 30 * DAY);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is closed by default and then refuses with a precise reason, offering booking instead', async () => {
    const eligibility = await jeanne.get(
      `/api/v1/messaging/eligibility?practitionerId=${doctorId}&practiceId=${practiceId}&patientProfileId=${jeanneProfile}`,
    );
    expect(eligibility.json()).toMatchObject({
      eligible: false,
      reason: 'MISSIVE_MESSAGING_CLOSED',
      bookingPath: `/book/${practiceId}/${doctorId}`,
    });
    const refused = await start(jeanne, jeanneProfile);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('MISSIVE_MESSAGING_CLOSED');

    expect((await setSettings({})).statusCode).toBe(200);
    const open = (
      await jeanne.get(
        `/api/v1/messaging/eligibility?practitionerId=${doctorId}&practiceId=${practiceId}&patientProfileId=${jeanneProfile}`,
      )
    ).json();
    expect(open).toMatchObject({ eligible: true, reason: null, bookingPath: null });
    expect(open.categories).toContainEqual({ category: 'renewal', responseDays: 3 });
    // Paul never consulted Dr Martin.
    expect((await start(paul, paulProfile)).json().error.code).toBe('MISSIVE_NO_CARE_RELATIONSHIP');
    // Settings are the practitioner's (or a practice admin's), not an assistant's.
    expect((await assistant.get(settingsPath())).statusCode).toBe(404);
  });

  it('applies the consultation window, the categories offered and the relatives rule', async () => {
    await consulted(paulProfile, t.clock.now() - 30 * 30 * DAY);
    expect((await start(paul, paulProfile)).json().error.code).toBe('MISSIVE_CONSULTATION_TOO_OLD');
    await setSettings({ windowMonths: null });
    expect(
      (
        await paul.get(
          `/api/v1/messaging/eligibility?practitionerId=${doctorId}&practiceId=${practiceId}&patientProfileId=${paulProfile}`,
        )
      ).json().eligible,
    ).toBe(true);
    await setSettings({
      categories: { ...DEFAULT_SETTINGS.categories, test_results: { enabled: false, responseDays: 2 } },
    });
    expect((await start(jeanne, jeanneProfile, { category: 'test_results' })).json().error.code).toBe(
      'MISSIVE_CATEGORY_NOT_OFFERED',
    );
    const child = (
      await jeanne.post('/api/v1/relatives', {
        relationship: 'child',
        firstName: 'Tom',
        lastName: 'Petit',
        birthDate: '2015-01-15',
      })
    ).json();
    await consulted(child.id, t.clock.now() - DAY);
    await setSettings({ allowRelatives: false });
    expect((await start(jeanne, child.id)).json().error.code).toBe('MISSIVE_RELATIVES_NOT_ALLOWED');
    await setSettings({});
  });

  it('starts a conversation idempotently, stores it encrypted, and hides it from everyone else', async () => {
    const clientMessageId = cid();
    const first = await start(jeanne, jeanneProfile, {
      clientMessageId,
      subject: 'Lévothyrox le soir ?',
      body: 'Puis-je prendre mon Lévothyrox 75 le soir plutôt que le matin ?',
    });
    expect(first.statusCode, first.body).toBe(201);
    const { conversation, message } = first.json();
    expect(conversation).toMatchObject({
      status: 'open',
      category: 'health_question',
      subject: 'Lévothyrox le soir ?',
      patientName: 'Jeanne Petit',
      practitionerName: 'Claire Martin',
      emergencyFlagged: false,
      overdue: false,
    });
    expect(conversation.dueAt).toBeGreaterThan(t.clock.now());
    expect(message).toMatchObject({ seq: 1, kind: 'text', sender: { side: 'patient' } });

    const retry = await start(jeanne, jeanneProfile, {
      clientMessageId,
      subject: 'Lévothyrox le soir ?',
      body: 'Puis-je prendre mon Lévothyrox 75 le soir plutôt que le matin ?',
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().message.id).toBe(message.id);
    const count = await t.runtime.store.db
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', conversation.id)
      .execute();
    expect(count).toHaveLength(1);

    const raw = await t.runtime.store.db
      .selectFrom('conversations')
      .select('subject')
      .where('id', '=', conversation.id)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(raw.subject).toString('latin1')).not.toContain('Lévothyrox');
    const body = await t.runtime.store.db
      .selectFrom('messages')
      .select('body')
      .where('id', '=', message.id)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(body.body).toString('latin1')).not.toContain('soir');

    for (const stranger of [paul, otherDoctor]) {
      expect((await stranger.get(`/api/v1/conversations/${conversation.id}`)).json().error.code).toBe(
        'MISSIVE_NOT_FOUND',
      );
      expect((await stranger.get(`/api/v1/conversations/${conversation.id}/messages`)).statusCode).toBe(404);
      expect((await send(stranger, conversation.id, 'Hello')).statusCode).toBe(404);
    }
    // A missing conversation and a forbidden one look the same.
    expect((await paul.get(`/api/v1/conversations/${randomUUID()}`)).json().error.code).toBe(
      'MISSIVE_NOT_FOUND',
    );
    expect((await paul.get('/api/v1/conversations')).json().conversations).toEqual([]);
  });

  it('numbers messages without gaps under concurrent sends from both sides, and moves the status with each side', async () => {
    const conversation = (
      await start(jeanne, jeanneProfile, { category: 'administrative', subject: 'Attestation' })
    ).json().conversation;
    const results = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => send(jeanne, conversation.id, `Précision ${i}`)),
      ...Array.from({ length: 4 }, (_, i) => send(assistant, conversation.id, `Réponse ${i}`)),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    const page = (await doctor.get(`/api/v1/conversations/${conversation.id}/messages?limit=50`)).json();
    expect(page.messages.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(page.hasMore).toBe(false);
    // Each message says who wrote it, with their role in the practice.
    const roles = new Set(page.messages.map((m: { sender: { role: string } }) => m.sender.role));
    expect(roles).toEqual(new Set(['patient', 'assistant']));
    // Paging by sequence.
    const older = (
      await doctor.get(`/api/v1/conversations/${conversation.id}/messages?before=5&limit=2`)
    ).json();
    expect(older.messages.map((m: { seq: number }) => m.seq)).toEqual([3, 4]);
    expect(older.hasMore).toBe(true);

    await send(doctor, conversation.id, 'Votre attestation est prête à l’accueil.');
    expect((await jeanne.get(`/api/v1/conversations/${conversation.id}`)).json().conversation.status).toBe(
      'waiting_patient',
    );
    await send(jeanne, conversation.id, 'Merci !');
    expect((await doctor.get(`/api/v1/conversations/${conversation.id}`)).json().conversation.status).toBe(
      'open',
    );
  });

  it('keeps medical categories to practitioners and renewal decisions to practitioners only', async () => {
    await setSettings({ maxOpenConversations: 10 });
    const question = (await start(jeanne, jeanneProfile, { subject: 'Tension' })).json().conversation;
    const refused = await send(assistant, question.id, 'Je transmets au docteur.');
    expect(refused.json().error.code).toBe('MISSIVE_PRACTITIONERS_ONLY');
    // The assistant can still triage: assign to the practitioner and change the status.
    const assigned = await assistant.patch(`/api/v1/conversations/${question.id}`, {
      assigneeUserId: doctorId,
      status: 'in_progress',
    });
    expect(assigned.json()).toMatchObject({
      status: 'in_progress',
      assignee: { userId: doctorId, name: 'Claire Martin' },
    });
    const filtered = (
      await assistant.get(`/api/v1/practices/${practiceId}/inbox?assigneeId=${doctorId}`)
    ).json();
    expect(filtered.conversations.map((c: { id: string }) => c.id)).toContain(question.id);
  });

  it('handles a renewal request with an old prescription photo, decided in one step', async () => {
    await setSettings({ maxOpenConversations: 10 });
    const missing = await start(jeanne, jeanneProfile, { category: 'renewal', subject: 'Renouvellement' });
    expect(missing.json().error.code).toBe('MISSIVE_RENEWAL_DETAILS_REQUIRED');
    const photo = (await upload(jeanne, PDF, 'ordonnance.pdf')).json();
    const created = await start(jeanne, jeanneProfile, {
      category: 'renewal',
      subject: 'Renouvellement Lévothyrox',
      body: 'Mon ordonnance se termine la semaine prochaine.',
      renewal: {
        medication: 'Lévothyrox',
        dosage: '75 µg, 1 le matin',
        takenFor: '6 ans',
        lastPrescriptionOn: '2026-05-02',
        photoAttachmentId: photo.id,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const conversationId = created.json().conversation.id;
    const detail = (await doctor.get(`/api/v1/conversations/${conversationId}`)).json();
    expect(detail.renewal).toMatchObject({
      status: 'pending',
      details: { medication: 'Lévothyrox' },
      photo: { name: 'ordonnance.pdf', contentType: 'application/pdf' },
    });

    const byAssistant = await assistant.post(`/api/v1/renewals/${detail.renewal.id}/decision`, {
      decision: 'approved',
      pickup: 'pharmacy',
    });
    expect(byAssistant.json().error.code).toBe('MISSIVE_PRACTITIONERS_ONLY');
    expect(
      (await doctor.post(`/api/v1/renewals/${detail.renewal.id}/decision`, { decision: 'approved' })).json()
        .error.issues,
    ).toEqual([{ path: 'pickup', reason: 'required' }]);
    const decided = await doctor.post(`/api/v1/renewals/${detail.renewal.id}/decision`, {
      decision: 'approved',
      pickup: 'pharmacy',
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json().status).toBe('waiting_patient');
    expect(
      (
        await doctor.post(`/api/v1/renewals/${detail.renewal.id}/decision`, {
          decision: 'refused',
          reason: 'Non',
        })
      ).json().error.code,
    ).toBe('MISSIVE_INVALID_TRANSITION');

    const seen = (await jeanne.get(`/api/v1/conversations/${conversationId}`)).json();
    expect(seen.renewal).toMatchObject({ status: 'approved', pickup: 'pharmacy' });
    const messages = (await jeanne.get(`/api/v1/conversations/${conversationId}/messages`)).json().messages;
    expect(messages.map((m: { kind: string }) => m.kind)).toEqual(['renewal_request', 'renewal_decision']);
    expect(JSON.parse(messages[1].body)).toEqual({ decision: 'approved', pickup: 'pharmacy', reason: null });
    await setSettings({});
  });

  it('checks attachments by content and size, and serves them only as downloads to those who may see them', async () => {
    const spoofed = await upload(jeanne, EXE, 'resultats.pdf');
    expect(spoofed.statusCode).toBe(415);
    expect(spoofed.json().error.code).toBe('MISSIVE_ATTACHMENT_REFUSED');
    const big = await upload(jeanne, Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]), 'gros.pdf');
    expect(big.statusCode).toBe(413);
    await setSettings({ maxOpenConversations: 10 });
    const png = (
      await upload(
        jeanne,
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
        '../../etc/passwd',
        'application/octet-stream',
      )
    ).json();
    expect(png).toMatchObject({ contentType: 'image/png', name: 'passwd.png' });

    const conversation = (
      await start(jeanne, jeanneProfile, {
        category: 'administrative',
        subject: 'Document',
        attachmentIds: [png.id],
      })
    ).json();
    expect(conversation.message.attachments).toEqual([expect.objectContaining({ id: png.id })]);
    const download = await doctor.get(`/api/v1/attachments/${png.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''passwd\.png$/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toContain('sandbox');
    expect(download.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect((await paul.get(`/api/v1/attachments/${png.id}`)).statusCode).toBe(404);
    // An attachment already sent cannot be reused in another message.
    expect(
      (await send(jeanne, conversation.conversation.id, 'Encore', { attachmentIds: [png.id] })).json().error
        .issues,
    ).toEqual([{ path: 'attachmentIds', reason: 'unknown_or_used' }]);
    await doctor.patch(`/api/v1/conversations/${conversation.conversation.id}`, { status: 'closed' });
  });

  it('interrupts an emergency, sends it only once the patient confirms, and flags it at the top of the inbox', async () => {
    await setSettings({ maxOpenConversations: 10 });
    const text =
      "J'ai une douleur dans la poitrine qui serre et qui irradie dans le bras gauche depuis 20 minutes";
    const stopped = await start(jeanne, jeanneProfile, { body: text, subject: 'Douleur' });
    expect(stopped.statusCode).toBe(422);
    expect(stopped.json().error).toMatchObject({
      code: 'MISSIVE_EMERGENCY_DETECTED',
      issues: [{ path: 'body', reason: 'chest_pain' }],
    });
    // The refusal carries the alert itself: the situation and the numbers of the patient's country.
    const alert = stopped.json().error.emergency;
    expect(alert.kind).toBe('chest_pain');
    expect(alert.numbers.map((n: { number: string }) => n.number)).toEqual(
      emergencyNumbers('FR', 'fr', 'chest_pain').map((n) => n.number),
    );
    expect(alert.numbers[0]).toMatchObject({ number: '15', kind: 'call' });
    expect(JSON.stringify(stopped.json())).not.toContain('poitrine');
    const sent = await start(jeanne, jeanneProfile, {
      body: text,
      subject: 'Douleur',
      emergencyAcknowledged: true,
    });
    expect(sent.statusCode).toBe(201);
    expect(sent.json().message.emergencyKind).toBe('chest_pain');
    const inbox = (await doctor.get(`/api/v1/practices/${practiceId}/inbox`)).json();
    expect(inbox.conversations[0]).toMatchObject({ id: sent.json().conversation.id, emergencyFlagged: true });
    // A reply is checked the same way, and its refusal names the suicide prevention line first.
    const reply = await send(jeanne, sent.json().conversation.id, 'Je veux en finir ce soir, tout est prêt');
    expect(reply.statusCode).toBe(422);
    expect(reply.json().error.emergency).toEqual({
      kind: 'suicide',
      numbers: emergencyNumbers('FR', 'fr', 'suicide'),
    });
    expect(reply.json().error.emergency.numbers[0].number).toBe('3114');
    // A device showing Missive in Italian (its Accept-Language) gets the alert in Italian, whatever the
    // account's language; a language Missive does not speak leaves the account's.
    const italian = await jeanne.request(
      'POST',
      `/api/v1/conversations/${sent.json().conversation.id}/messages`,
      { clientMessageId: cid(), body: 'Je veux en finir ce soir, tout est prêt' },
      { 'accept-language': 'it-IT,it;q=0.9,fr;q=0.8' },
    );
    expect(italian.json().error.emergency).toEqual({
      kind: 'suicide',
      numbers: emergencyNumbers('FR', 'it', 'suicide'),
    });
    expect(italian.json().error.emergency.numbers[1].label).not.toBe(
      emergencyNumbers('FR', 'fr', 'suicide')[1]!.label,
    );
    const german = await jeanne.request(
      'POST',
      `/api/v1/conversations/${sent.json().conversation.id}/messages`,
      { clientMessageId: cid(), body: 'Je veux en finir ce soir, tout est prêt' },
      { 'accept-language': 'de-DE' },
    );
    expect(german.json().error.emergency.numbers).toEqual(emergencyNumbers('FR', 'fr', 'suicide'));

    expect(
      (await t.client().post('/api/v1/safety/check', { text, lang: 'fr', country: 'FR' })).statusCode,
    ).toBe(401);
    const check = (await jeanne.post('/api/v1/safety/check', { text, lang: 'fr', country: 'FR' })).json();
    expect(check).toMatchObject({ emergency: true, kind: 'chest_pain' });
    expect(check.numbers[0]).toMatchObject({ number: '15' });
    expect(
      (
        await jeanne.post('/api/v1/safety/check', {
          text: 'Pas de douleur thoracique, je voudrais renouveler mon Kardégic',
          lang: 'fr',
          country: 'FR',
        })
      ).json().emergency,
    ).toBe(false);
    await doctor.patch(`/api/v1/conversations/${sent.json().conversation.id}`, { status: 'closed' });
    await setSettings({});
  });

  it('limits open conversations and daily messages per patient', async () => {
    await setSettings({ maxOpenConversations: 10, dailyMessageCap: 100 });
    const open = (await jeanne.get('/api/v1/conversations'))
      .json()
      .conversations.filter((c: { status: string }) => c.status !== 'closed').length;
    await setSettings({ maxOpenConversations: open });
    expect((await start(jeanne, jeanneProfile)).json().error.code).toBe(
      'MISSIVE_TOO_MANY_OPEN_CONVERSATIONS',
    );
    await setSettings({ maxOpenConversations: open + 1, dailyMessageCap: 1 });
    const limited = await start(jeanne, jeanneProfile);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('MISSIVE_DAILY_LIMIT_REACHED');
    await setSettings({});
  });

  it("counts a patient's messages of the day up to the highest cap, and refuses the one past it", async () => {
    await setSettings({ dailyMessageCap: 100 });
    const lucie = await signUpPatient(t, 'lucie@example.org', {
      firstName: 'Lucie',
      birthDate: '1990-02-02',
    });
    const lucieProfile = await selfProfile(lucie);
    await consulted(lucieProfile, t.clock.now() - 10 * DAY);
    const conversation = (await start(lucie, lucieProfile)).json().conversation;
    let refusal: string | undefined;
    for (let i = 0; i < 110 && !refusal; i++) {
      const answer = await send(lucie, conversation.id, `Précision ${i}`);
      if (answer.statusCode !== 201) refusal = answer.json().error.code;
    }
    expect(refusal).toBe('MISSIVE_DAILY_LIMIT_REACHED');
    const written = await t.runtime.store.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('conversation_id', '=', conversation.id)
      .where('sender_side', '=', 'patient')
      .executeTakeFirstOrThrow();
    expect(Number(written.n)).toBe(100);
  });

  it('closes and reopens with a notice, and lets the practitioner write first with or without replies', async () => {
    await setSettings({ maxOpenConversations: 20, dailyMessageCap: 100 });
    const conversation = (await start(jeanne, jeanneProfile, { subject: 'Clôture' })).json().conversation;
    await doctor.patch(`/api/v1/conversations/${conversation.id}`, { status: 'closed' });
    expect((await send(jeanne, conversation.id, 'Encore une question')).json().error.code).toBe(
      'MISSIVE_CONVERSATION_CLOSED',
    );
    expect(
      (await doctor.patch(`/api/v1/conversations/${conversation.id}`, { status: 'waiting_patient' })).json()
        .error.code,
    ).toBe('MISSIVE_INVALID_TRANSITION');
    expect(
      (await doctor.patch(`/api/v1/conversations/${conversation.id}`, { status: 'open' })).json().status,
    ).toBe('open');
    const notices = (await jeanne.get(`/api/v1/conversations/${conversation.id}/messages`))
      .json()
      .messages.filter((m: { kind: string }) => m.kind === 'notice');
    expect(notices.map((m: { body: string }) => m.body)).toEqual(['closed_by_practice', 'reopened']);

    const info = await doctor.post(`/api/v1/practices/${practiceId}/conversations`, {
      practitionerId: doctorId,
      patientProfileId: jeanneProfile,
      category: 'administrative',
      subject: 'Fermeture du cabinet',
      clientMessageId: cid(),
      body: 'Le cabinet sera fermé du 24 au 31 décembre.',
      patientMayReply: false,
    });
    expect(info.statusCode, info.body).toBe(201);
    expect((await send(jeanne, info.json().conversation.id, 'Merci')).json().error.code).toBe(
      'MISSIVE_REPLIES_DISABLED',
    );
    const question = await doctor.post(`/api/v1/practices/${practiceId}/conversations`, {
      practitionerId: doctorId,
      patientProfileId: jeanneProfile,
      category: 'test_results',
      subject: 'Vos résultats',
      clientMessageId: cid(),
      body: 'Vos résultats sont normaux. Avez-vous des questions ?',
      patientMayReply: true,
    });
    expect((await send(jeanne, question.json().conversation.id, 'Non, merci beaucoup.')).statusCode).toBe(
      201,
    );
    expect(
      (
        await doctor.post(`/api/v1/practices/${practiceId}/conversations`, {
          practitionerId: doctorId,
          patientProfileId: paulProfile,
          category: 'administrative',
          subject: 'x',
          clientMessageId: cid(),
          body: 'x',
          patientMayReply: true,
        })
      ).statusCode,
    ).toBe(201);
    const stranger = (
      await (await signUpPatient(t, 'stranger@example.org', { firstName: 'Max' })).get('/api/v1/relatives')
    ).json().profiles[0].id;
    expect(
      (
        await doctor.post(`/api/v1/practices/${practiceId}/conversations`, {
          practitionerId: doctorId,
          patientProfileId: stranger,
          category: 'administrative',
          subject: 'x',
          clientMessageId: cid(),
          body: 'x',
          patientMayReply: true,
        })
      ).json().error.code,
    ).toBe('MISSIVE_NO_CARE_RELATIONSHIP');
  });

  it('tracks delivered and read markers and unread counts on both sides', async () => {
    const conversation = (await start(jeanne, jeanneProfile, { subject: 'Lecture' })).json().conversation;
    const before = (await jeanne.get(`/api/v1/conversations/${conversation.id}`)).json().otherSide;
    expect(before).toEqual({ deliveredSeq: 0, readSeq: 0 });
    const inboxRow = (await doctor.get(`/api/v1/practices/${practiceId}/inbox?unread=true`))
      .json()
      .conversations.find((c: { id: string }) => c.id === conversation.id);
    expect(inboxRow.unread).toBe(1);
    await doctor.get(`/api/v1/conversations/${conversation.id}/messages`);
    expect((await jeanne.get(`/api/v1/conversations/${conversation.id}`)).json().otherSide).toEqual({
      deliveredSeq: 1,
      readSeq: 0,
    });
    const read = await doctor.post(`/api/v1/conversations/${conversation.id}/read`, { seq: 99 });
    expect(read.json().readSeq).toBe(1);
    expect((await jeanne.get(`/api/v1/conversations/${conversation.id}`)).json().otherSide).toEqual({
      deliveredSeq: 1,
      readSeq: 1,
    });
    await send(doctor, conversation.id, 'Je vous réponds demain.');
    expect((await jeanne.get('/api/v1/unread')).json().total).toBeGreaterThanOrEqual(1);
    const mine = (await jeanne.get('/api/v1/conversations'))
      .json()
      .conversations.find((c: { id: string }) => c.id === conversation.id);
    expect(mine.unread).toBe(1);
  });

  it('lists what the practice has to answer before what waits for the patient, however old', async () => {
    await setSettings({ maxOpenConversations: 20, dailyMessageCap: 100 });
    const ines = await signUpPatient(t, 'ines@example.org', { firstName: 'Inès', birthDate: '1992-03-03' });
    const inesProfile = await selfProfile(ines);
    await consulted(inesProfile, t.clock.now() - 10 * DAY);
    const answered = (await start(ines, inesProfile, { subject: 'Répondue' })).json().conversation;
    t.clock.advance(5 * 60 * 1_000);
    expect((await send(doctor, answered.id, 'Voici ma réponse.')).statusCode).toBe(201);
    t.clock.advance(5 * 60 * 1_000);
    const waiting = (await start(ines, inesProfile, { subject: 'En attente' })).json().conversation;
    const order: { id: string; status: string }[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = (
        await doctor.get(`/api/v1/practices/${practiceId}/inbox?limit=100&offset=${offset}`)
      ).json();
      order.push(...page.conversations);
      if (page.conversations.length < 100) break;
    }
    const position = (id: string) => order.findIndex((c) => c.id === id);
    expect(order[position(answered.id)]?.status).toBe('waiting_patient');
    expect(position(waiting.id)).toBeGreaterThanOrEqual(0);
    expect(position(waiting.id)).toBeLessThan(position(answered.id));
    // Every conversation to answer comes before every one waiting for the patient.
    const firstWaiting = order.findIndex((c) => c.status === 'waiting_patient');
    expect(order.slice(firstWaiting).every((c) => c.status === 'waiting_patient')).toBe(true);
  });

  it('answers automatically while the practitioner is away, once per conversation', async () => {
    const today = new Date(t.clock.now()).toISOString().slice(0, 10);
    const otherId =
      (await doctor.get(`/api/v1/practices/${practiceId}/members`))
        .json()
        .members.find(
          (m: { role: string; userId: string }) => m.role === 'practitioner' && m.userId !== doctorId,
        )?.userId ?? null;
    const saved = await setSettings({
      maxOpenConversations: 20,
      dailyMessageCap: 100,
      absence: {
        from: today,
        until: '2026-11-20',
        message: 'En congés, retour le 20 novembre.',
        coveringPractitionerId: otherId,
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const eligibility = (
      await jeanne.get(
        `/api/v1/messaging/eligibility?practitionerId=${doctorId}&practiceId=${practiceId}&patientProfileId=${jeanneProfile}`,
      )
    ).json();
    expect(eligibility.absence).toMatchObject({
      until: '2026-11-20',
      message: 'En congés, retour le 20 novembre.',
    });
    const conversation = (await start(jeanne, jeanneProfile, { subject: 'Pendant les congés' })).json()
      .conversation;
    await send(jeanne, conversation.id, 'Et une autre chose');
    const messages = (await jeanne.get(`/api/v1/conversations/${conversation.id}/messages`)).json().messages;
    expect(messages.map((m: { kind: string }) => m.kind)).toEqual(['text', 'auto_reply', 'text']);
    expect(JSON.parse(messages[1].body)).toMatchObject({
      until: '2026-11-20',
      message: 'En congés, retour le 20 novembre.',
    });
    await setSettings({ maxOpenConversations: 20, dailyMessageCap: 100 });
  });

  it('cuts access at once when a member loses the messaging right', async () => {
    const conversation = (
      await start(jeanne, jeanneProfile, { category: 'administrative', subject: 'Droits' })
    ).json().conversation;
    expect((await assistant.get(`/api/v1/conversations/${conversation.id}`)).statusCode).toBe(200);
    await doctor.patch(`/api/v1/practices/${practiceId}/members/${assistantId}`, { rights: ['agenda'] });
    expect((await assistant.get(`/api/v1/conversations/${conversation.id}`)).statusCode).toBe(404);
    expect((await assistant.get(`/api/v1/practices/${practiceId}/inbox`)).statusCode).toBe(404);
    expect((await send(assistant, conversation.id, 'Encore là ?')).statusCode).toBe(404);
    await doctor.patch(`/api/v1/practices/${practiceId}/members/${assistantId}`, { rights: ['messaging'] });
  });

  it('records every opening of a conversation by the practice in the audit trail', async () => {
    const conversation = (
      await start(jeanne, jeanneProfile, { category: 'administrative', subject: 'Audit' })
    ).json().conversation;
    await assistant.get(`/api/v1/conversations/${conversation.id}`);
    const entries = await t.runtime.store.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'action', 'patient_profile_id'])
      .where('target_id', '=', conversation.id)
      .where('action', '=', 'conversation.opened')
      .execute();
    expect(entries).toEqual([
      { actor_user_id: assistantId, action: 'conversation.opened', patient_profile_id: jeanneProfile },
    ]);
    // The patient sees who at the practice opened it, with their role; their own readings are not listed.
    await jeanne.get(`/api/v1/conversations/${conversation.id}`);
    const log = (await jeanne.get(`/api/v1/conversations/${conversation.id}/access-log`)).json();
    expect(log.entries).toEqual([
      expect.objectContaining({ name: 'Sophie Bernard', role: 'assistant', action: 'opened' }),
    ]);
    expect((await paul.get(`/api/v1/conversations/${conversation.id}/access-log`)).statusCode).toBe(404);
  });

  type Patient = { email: string; firstName: string; subject: string };
  type Opened = [client: TestClient, conversation: { id: string }, profileId: string];
  /** Default settings, and two patients who consulted ten days ago, each with a new administrative conversation. */
  async function twoConversations(...patients: [Patient, Patient]): Promise<[Opened, Opened]> {
    await setSettings({});
    const open = async ({ email, firstName, subject }: Patient): Promise<Opened> => {
      const client = await signUpPatient(t, email, { firstName });
      const profile = await selfProfile(client);
      await consulted(profile, t.clock.now() - 10 * DAY);
      const conversation = (await start(client, profile, { category: 'administrative', subject })).json()
        .conversation;
      return [client, conversation, profile];
    };
    return [await open(patients[0]), await open(patients[1])];
  }

  it('writes concurrent sends of several conversations in shared transactions, with nothing run twice', async () => {
    const [[zoe, a], [noah, b]] = await twoConversations(
      { email: 'zoe@example.org', firstName: 'Zoé', subject: 'Attestation' },
      { email: 'noah@example.org', firstName: 'Noah', subject: 'Ordonnance' },
    );
    const before = t.services.writes.stats();
    const results = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => send(zoe, a.id, `Attestation, détail ${i}`)),
      ...Array.from({ length: 4 }, (_, i) => send(noah, b.id, `Ordonnance, détail ${i}`)),
      send(doctor, a.id, 'Je vous prépare l’attestation.'),
      send(doctor, b.id, 'Je regarde votre ordonnance.'),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const after = t.services.writes.stats();
    // Sends queued together are written with one set of statements: none had to run again alone.
    expect(after.pieces - before.pieces).toBe(10);
    expect(after.reruns - before.reruns).toBe(0);
    expect(after.transactions - before.transactions).toBeLessThan(10);
    const seqs = async (id: string) =>
      (
        (await doctor.get(`/api/v1/conversations/${id}/messages?limit=50`)).json().messages as {
          seq: number;
        }[]
      )
        .map((m) => m.seq)
        .sort((x, y) => x - y);
    expect(await seqs(a.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await seqs(b.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes concurrent sends of several conversations together, and answers a retry racing its original once', async () => {
    const [[lea, a, leaProfile], [marc, b]] = await twoConversations(
      { email: 'lea@example.org', firstName: 'Léa', subject: 'Certificat' },
      { email: 'marc@example.org', firstName: 'Marc', subject: 'Facture' },
    );
    await send(doctor, b.id, 'Je regarde votre facture.');
    const retried = cid();
    const results = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => send(lea, a.id, `Certificat, précision ${i}`)),
      ...Array.from({ length: 5 }, (_, i) => send(marc, b.id, `Facture, précision ${i}`)),
      send(assistant, a.id, 'Bien reçu, nous préparons le certificat.'),
      send(lea, a.id, 'Envoyé une seule fois', { clientMessageId: retried }),
      send(lea, a.id, 'Envoyé une seule fois', { clientMessageId: retried }),
    ]);
    expect(results.slice(0, 11).map((r) => r.statusCode)).toEqual(Array(11).fill(201));
    // The retry of the same client id, in flight with its original, gets the original back, not a copy.
    expect(
      results
        .slice(11)
        .map((r) => r.statusCode)
        .sort(),
    ).toEqual([200, 201]);
    expect(results[11]!.json().id).toBe(results[12]!.json().id);
    // The same client id in another conversation is a client bug, refused rather than answered with the original.
    const other = (await start(lea, leaProfile, { category: 'administrative', subject: 'Autre' })).json()
      .conversation;
    const reused = await send(lea, other.id, 'Envoyé une seule fois', { clientMessageId: retried });
    expect(reused.json().error.code).toBe('MISSIVE_CLIENT_ID_REUSED');

    const thread = async (id: string) =>
      (await doctor.get(`/api/v1/conversations/${id}/messages?limit=50`)).json().messages as {
        seq: number;
        body: string;
      }[];
    const inA = await thread(a.id);
    expect(inA.map((m) => m.seq).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(inA.filter((m) => m.body === 'Envoyé une seule fois')).toHaveLength(1);
    const inB = await thread(b.id);
    expect(inB.map((m) => m.seq).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    // Each conversation's state follows its own messages: Marc's messages came after the practice's
    // answer, so his conversation waits for the practice again, since the first of them.
    const summaryB = (await doctor.get(`/api/v1/conversations/${b.id}`)).json().conversation;
    expect(summaryB.status).toBe('open');
    expect(summaryB.awaitingReplySince).toBeTypeOf('number');
    expect(summaryB.dueAt).toBeGreaterThan(summaryB.awaitingReplySince);
    expect(summaryB.unread).toBe(5);
    // Lists show who wrote last and the start of it.
    const inbox = (await doctor.get(`/api/v1/practices/${practiceId}/inbox?limit=100`)).json();
    const rowB = inbox.conversations.find((c: { id: string }) => c.id === b.id);
    expect(rowB.lastMessage).toEqual({
      side: 'patient',
      preview: expect.stringMatching(/^Facture, précision \d$/),
    });
    const listed = (await marc.get('/api/v1/conversations')).json().conversations;
    expect(listed.find((c: { id: string }) => c.id === b.id).lastMessage.side).toBe('patient');
    // A sender has read everything up to their own last message.
    expect((await marc.get(`/api/v1/conversations/${b.id}`)).json().conversation.unread).toBe(0);
    expect((await verifyAuditChain(t.runtime.store.db)).ok).toBe(true);
  });

  it('closes idle conversations after the configured delay, with a notice', async () => {
    const conversation = (
      await start(jeanne, jeanneProfile, { category: 'administrative', subject: 'Oubliée' })
    ).json().conversation;
    t.clock.advance(15 * DAY);
    const closed = await t.services.triage.closeIdle(t.services.messagingSettings.settingsOf);
    expect(closed).toBeGreaterThanOrEqual(1);
    const row = await t.runtime.store.db
      .selectFrom('conversations')
      .select(['status', 'closed_reason'])
      .where('id', '=', conversation.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'closed', closed_reason: 'idle' });
  });
});
