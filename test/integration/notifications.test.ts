import { randomUUID } from 'node:crypto';
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
  type TestClient,
} from '../helpers/test-app';

const cid = () => randomUUID().replace(/-/g, '');

describe.each(storesUnderTest())('notifications on %s', (kind) => {
  let t: TestApp;
  let doctor: TestClient;
  let doctorId: string;
  let practiceId: string;
  let jeanne: TestClient;
  let jeanneProfile: string;

  const newConversation = async (subject: string) =>
    (
      await jeanne.post('/api/v1/conversations', {
        practitionerId: doctorId,
        practiceId,
        patientProfileId: jeanneProfile,
        category: 'health_question',
        subject,
        clientMessageId: cid(),
        body: 'Ma tension est à 15/9 depuis trois jours, dois-je augmenter le traitement ?',
      })
    ).json().conversation.id as string;
  const reply = (conversationId: string, body: string) =>
    doctor.post(`/api/v1/conversations/${conversationId}/messages`, { clientMessageId: cid(), body });
  const mailsTo = (address: string, subject: string) =>
    t.smtp.messages.filter((m) => m.to === address && m.subject.includes(subject));
  /** Lets the notification delay pass (staying within the sessions' idle timeouts) and delivers what is due. */
  const passDelay = async () => {
    t.clock.advance(t.config.notifications.delayMs + 1_000);
    await t.runtime.outbox.drainOnce();
    await t.runtime.outbox.drainOnce();
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    const { client: admin } = await signInAdmin(t);
    ({ userId: doctorId, practiceId } = await registerPractitioner(admin, {
      email: 'doctor@example.org',
      rppsPayload: '1000000051',
      practice: { newPractice: PARIS_PRACTICE },
    }));
    ({ client: doctor } = await activateStaff(t, 'doctor@example.org'));
    await doctor.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/messaging-settings`,
      { ...DEFAULT_SETTINGS, open: true, maxOpenConversations: 20, dailyMessageCap: 100 },
    );
    jeanne = await signUpPatient(t, 'jeanne@example.org');
    jeanneProfile = (await jeanne.get('/api/v1/relatives')).json().profiles[0].id;
    await recordConsultation(t, {
      profileId: jeanneProfile,
      practiceId,
      practitionerId: doctorId,
      at: t.clock.now() - 86_400_000,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('mails "a new message from the practice" after the delay, with no health content, at most once per period', async () => {
    const conversationId = await newConversation('Tension artérielle');
    expect(
      (await reply(conversationId, 'Augmentez le Coversyl à 10 mg et revenez me voir.')).statusCode,
    ).toBe(201);
    expect(mailsTo('jeanne@example.org', 'Nouveau message')).toHaveLength(0);
    await passDelay();
    const mail = await t.smtp.waitFor('jeanne@example.org', (m) => m.subject.includes('Nouveau message'));
    expect(mail.text).toContain('Cabinet des Lilas');
    expect(mail.text).toContain('http://localhost:3000/messages');
    for (const secret of ['Coversyl', 'Tension', 'tension', '15/9', 'traitement']) {
      expect(mail.text).not.toContain(secret);
      expect(mail.subject).not.toContain(secret);
    }
    // A second reply within the batching period does not mail again.
    await reply(conversationId, 'Et pensez à prendre votre tension le matin.');
    await passDelay();
    expect(mailsTo('jeanne@example.org', 'Nouveau message')).toHaveLength(1);
  });

  it('sends nothing when the patient read the message before the delay, or turned mail off', async () => {
    const before = mailsTo('jeanne@example.org', 'Nouveau message').length;
    const read = await newConversation('Lue à temps');
    const sent = (await reply(read, 'Réponse lue tout de suite.')).json();
    await jeanne.post(`/api/v1/conversations/${read}/read`, { seq: sent.seq });
    await passDelay();
    expect(mailsTo('jeanne@example.org', 'Nouveau message')).toHaveLength(before);

    expect(
      (await jeanne.request('PUT', '/api/v1/me/notifications', { email: false, digest: false })).json(),
    ).toEqual({ email: false, digest: false, push: false });
    await reply(await newConversation('Sans mail'), 'Réponse sans mail.');
    await passDelay();
    expect(mailsTo('jeanne@example.org', 'Nouveau message')).toHaveLength(before);
    await jeanne.request('PUT', '/api/v1/me/notifications', { email: true, digest: false });
  });

  it('sends the practice a daily digest of waiting and overdue conversations, once a day', async () => {
    await newConversation('En attente');
    const sent = await t.services.notifications.sendDailyDigests();
    expect(sent).toBe(1);
    await t.runtime.outbox.drainOnce();
    const digest = await t.smtp.waitFor('doctor@example.org', (m) => m.subject.includes('en attente'));
    expect(digest.text).toMatch(/\d+ conversation\(s\) en attente/);
    expect(digest.text).not.toContain('En attente de');
    expect(await t.services.notifications.sendDailyDigests()).toBe(0);
  });
});
