import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/features/audit/audit.service';
import { storesUnderTest } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  PARIS_PRACTICE,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
} from '../helpers/test-app';

const EVERYONE = {
  lastConsultationMonths: null,
  minAge: null,
  maxAge: null,
  sex: null,
  tags: [],
  includeRelatives: true,
};

describe.each(storesUnderTest())('campaigns on %s', (kind) => {
  let t: TestApp;
  let doctor: TestClient;
  let practiceId: string;
  let jeanne: TestClient;
  let jeanneProfile: string;
  let paul: TestClient;
  let paulProfile: string;
  let childProfile: string;

  const consulted = async (profileId: string, at: number) => {
    const userId = (await doctor.get('/api/v1/me')).json().user.id;
    const profile = (await t.services.patients.findProfile(profileId))!;
    await t.runtime.store.db
      .transaction()
      .execute((trx) =>
        t.services.care.recordConsultation(trx, { practiceId, practitionerId: userId, profile, at }),
      );
  };
  const count = async (audience: Record<string, unknown>) =>
    (
      await doctor.post(`/api/v1/practices/${practiceId}/campaigns/audience`, {
        audience: { ...EVERYONE, ...audience },
      })
    ).json();
  const create = (extra: Record<string, unknown> = {}) =>
    doctor.post(`/api/v1/practices/${practiceId}/campaigns`, {
      kind: 'prevention',
      title: 'Vaccination contre la grippe',
      body: 'La campagne de vaccination antigrippale a commencé : prenez rendez-vous.',
      patientsMayReply: false,
      audience: EVERYONE,
      contentRulesAccepted: true,
      ...extra,
    });
  const campaignConversations = async (profileId: string) =>
    t.runtime.store.db
      .selectFrom('conversations')
      .select(['id', 'status'])
      .where('origin', '=', 'campaign')
      .where('patient_profile_id', '=', profileId)
      .execute();

  beforeAll(async () => {
    t = await createTestApp(kind);
    const { client: admin } = await signInAdmin(t);
    ({ practiceId } = await registerPractitioner(admin, {
      email: 'doctor@example.org',
      rppsPayload: '1000000091',
      practice: { newPractice: PARIS_PRACTICE },
    }));
    ({ client: doctor } = await activateStaff(t, 'doctor@example.org'));
    jeanne = await signUpPatient(t, 'jeanne@example.org');
    jeanneProfile = (await jeanne.get('/api/v1/relatives')).json().profiles[0].id;
    paul = await signUpPatient(t, 'paul@example.org', {
      firstName: 'Paul',
      lastName: 'Durand',
      birthDate: '1980-05-05',
    });
    paulProfile = (await paul.get('/api/v1/relatives')).json().profiles[0].id;
    childProfile = (
      await paul.post('/api/v1/relatives', {
        relationship: 'child',
        firstName: 'Léa',
        lastName: 'Durand',
        birthDate: '2015-06-01',
        sex: 'female',
      })
    ).json().id;
    const now = t.clock.now();
    await consulted(jeanneProfile, now - 30 * 86_400_000);
    await consulted(paulProfile, now - 400 * 86_400_000);
    await consulted(childProfile, now - 10 * 86_400_000);
    const jeanneRecord = (await doctor.get(`/api/v1/practices/${practiceId}/patients?q=petit`)).json()
      .patients[0].id;
    await doctor.request('PUT', `/api/v1/practices/${practiceId}/patients/${jeanneRecord}/tags`, {
      tags: ['diabetes'],
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts the audience live: age at the send date, window, sex, tags, relatives, opt-outs', async () => {
    expect(await count({})).toEqual({ recipients: 3, optedOut: 0 });
    expect(await count({ minAge: 65 })).toEqual({ recipients: 1, optedOut: 0 });
    expect(await count({ lastConsultationMonths: 12 })).toEqual({ recipients: 2, optedOut: 0 });
    expect(await count({ tags: ['diabetes'] })).toEqual({ recipients: 1, optedOut: 0 });
    expect(await count({ includeRelatives: false })).toEqual({ recipients: 2, optedOut: 0 });
    expect(await count({ sex: 'female', maxAge: 17 })).toEqual({ recipients: 1, optedOut: 0 });
    expect(
      (
        await paul.request('PUT', `/api/v1/practices/${practiceId}/campaign-optout`, {
          patientProfileId: childProfile,
          optedOut: true,
        })
      ).statusCode,
    ).toBe(204);
    expect(await count({})).toEqual({ recipients: 2, optedOut: 1 });
    await paul.request('PUT', `/api/v1/practices/${practiceId}/campaign-optout`, {
      patientProfileId: childProfile,
      optedOut: false,
    });
    expect(
      (
        await jeanne.request('PUT', `/api/v1/practices/${practiceId}/campaign-optout`, {
          patientProfileId: childProfile,
          optedOut: true,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('delivers a campaign once to each recipient, as a message in their inbox, and counts it', async () => {
    const created = await create({ audience: { ...EVERYONE, minAge: 65 } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'scheduled', title: 'Vaccination contre la grippe' });
    const db = t.runtime.store.db;
    const notices = async () =>
      Number(
        (
          await db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('topic', '=', 'notify.message')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const noticesBefore = await notices();
    expect(await t.services.campaigns.runDue()).toBe(1);
    expect(await t.services.campaigns.runDue()).toBe(0);
    // The delivery is in the chained audit trail, for that patient, and the patient is told (later, by mail).
    expect((await verifyAuditChain(db)).ok).toBe(true);
    const trail = await db
      .selectFrom('audit_log')
      .select(['action', 'practice_id'])
      .where('patient_profile_id', '=', jeanneProfile)
      .where('action', '=', 'message.text')
      .execute();
    expect(trail).toEqual([{ action: 'message.text', practice_id: practiceId }]);
    expect(await notices()).toBe(noticesBefore + 1);
    const delivered = await campaignConversations(jeanneProfile);
    expect(delivered).toEqual([expect.objectContaining({ status: 'closed' })]);
    const messages = (await jeanne.get(`/api/v1/conversations/${delivered[0]!.id}/messages`)).json().messages;
    expect(messages.map((m: { body: string }) => m.body)).toEqual([
      'La campagne de vaccination antigrippale a commencé : prenez rendez-vous.',
    ]);
    expect(await campaignConversations(paulProfile)).toEqual([]);
    const list = (await doctor.get(`/api/v1/practices/${practiceId}/campaigns`)).json().campaigns;
    expect(list[0]).toMatchObject({ status: 'sent', totalRecipients: 1, delivered: 1, read: 1, replied: 0 });
    const audit = await t.runtime.store.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'campaign.created')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details).audience).toContain('"minAge":65');
  });

  it('finishes a fan-out interrupted half-way without delivering anyone twice', async () => {
    await create({ title: 'Nouveaux horaires', kind: 'practice_info', patientsMayReply: true });
    // One recipient, then the process "dies"; a restarted worker finishes the rest.
    expect(await t.services.campaigns.runDue({ maxBatches: 1, batchSize: 1 })).toBe(1);
    const sending = (await doctor.get(`/api/v1/practices/${practiceId}/campaigns`)).json().campaigns[0];
    expect(sending).toMatchObject({ status: 'sending', totalRecipients: 3, delivered: 1 });
    expect(await t.services.campaigns.runDue()).toBe(2);
    for (const profile of [jeanneProfile, paulProfile, childProfile]) {
      const rows = await t.runtime.store.db
        .selectFrom('campaign_recipients')
        .innerJoin('campaigns', 'campaigns.id', 'campaign_recipients.campaign_id')
        .select('campaign_recipients.conversation_id')
        .where('campaigns.kind', '=', 'practice_info')
        .where('campaign_recipients.patient_profile_id', '=', profile)
        .execute();
      expect(rows).toHaveLength(1);
    }
    // Replies were allowed: a patient answers in the conversation the campaign opened.
    const paulConversation = (await campaignConversations(paulProfile))[0]!;
    expect(paulConversation.status).toBe('waiting_patient');
    expect(
      (
        await paul.post(`/api/v1/conversations/${paulConversation.id}/messages`, {
          clientMessageId: 'reply-to-campaign-1',
          body: 'Merci pour l’information.',
        })
      ).statusCode,
    ).toBe(201);
    expect((await doctor.get(`/api/v1/practices/${practiceId}/campaigns`)).json().campaigns[0]).toMatchObject(
      { status: 'sent', delivered: 3, replied: 1 },
    );
  });

  it('honours an opt-out made after scheduling, and cancels a scheduled campaign', async () => {
    const later = t.clock.now() + 60 * 60_000;
    const scheduled = (await create({ title: 'Dépistage', sendAt: later })).json();
    const cancelled = (await create({ title: 'Annulée', sendAt: later })).json();
    await jeanne.request('PUT', `/api/v1/practices/${practiceId}/campaign-optout`, {
      patientProfileId: jeanneProfile,
      optedOut: true,
    });
    expect(
      (await doctor.post(`/api/v1/practices/${practiceId}/campaigns/${cancelled.id}/cancel`)).json().status,
    ).toBe('cancelled');
    expect(await t.services.campaigns.runDue()).toBe(0);
    t.clock.advance(61 * 60_000);
    expect(await t.services.campaigns.runDue()).toBe(2);
    const rows = await t.runtime.store.db
      .selectFrom('campaign_recipients')
      .select('patient_profile_id')
      .where('campaign_id', '=', scheduled.id)
      .execute();
    expect(rows.map((r) => r.patient_profile_id).sort()).toEqual([paulProfile, childProfile].sort());
    expect(
      await t.runtime.store.db
        .selectFrom('campaign_recipients')
        .select('patient_profile_id')
        .where('campaign_id', '=', cancelled.id)
        .execute(),
    ).toEqual([]);
  });
});
