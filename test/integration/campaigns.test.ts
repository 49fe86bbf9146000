import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchKey } from '../../src/domain/care';
import { verifyAuditChain } from '../../src/features/audit/audit.service';
import { audiencePages } from '../../src/features/campaigns/campaigns.repository';
import { storesUnderTest } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  EVERY_PATIENT,
  PARIS_PRACTICE,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
} from '../helpers/test-app';

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
        audience: { ...EVERY_PATIENT, ...audience },
      })
    ).json();
  const create = (extra: Record<string, unknown> = {}) =>
    doctor.post(`/api/v1/practices/${practiceId}/campaigns`, {
      kind: 'prevention',
      title: 'Vaccination contre la grippe',
      body: 'La campagne de vaccination antigrippale a commencé : prenez rendez-vous.',
      patientsMayReply: false,
      audience: EVERY_PATIENT,
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

  it('reads the practice list a page at a time, each page after the last one read', async () => {
    const pagesOf = async (size: number) => {
      const pages = [];
      for await (const page of audiencePages(t.runtime.store.db, practiceId, size)) pages.push(page);
      return pages;
    };
    const [whole, ...none] = await pagesOf(5_000);
    expect(none).toEqual([]);
    expect(whole!.map((row) => row.profile_id).sort()).toEqual(
      [jeanneProfile, paulProfile, childProfile].sort(),
    );
    // Pages of one: each patient once, in the same order, then the empty read that ends the list.
    const single = await pagesOf(1);
    expect(single.map((page) => page.length)).toEqual([1, 1, 1]);
    expect(single.flat()).toEqual(whole);
  });

  it('delivers a campaign once to each recipient, as a message in their inbox, and counts it', async () => {
    const created = await create({ audience: { ...EVERY_PATIENT, minAge: 65 } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'scheduled', title: 'Vaccination contre la grippe' });
    const db = t.runtime.store.db;
    const notices = async () =>
      Number(
        (
          await db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('topic', '=', 'notify.campaign')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const noticesBefore = await notices();
    expect(await t.services.campaigns.runDue()).toBe(1);
    expect(await t.services.campaigns.runDue()).toBe(0);
    // The delivery is in the chained audit trail, with its count, and the patient is told (later, by mail).
    expect((await verifyAuditChain(db)).ok).toBe(true);
    const batches = await db
      .selectFrom('audit_log')
      .select(['target_id', 'details'])
      .where('action', '=', 'campaign.delivered')
      .execute();
    expect(batches.map((b) => [b.target_id, JSON.parse(b.details)])).toEqual([
      [created.json().id, { recipients: 1 }],
    ]);
    expect(await notices()).toBe(noticesBefore + 1);
    // Delivered: the recipient's row, the message stored once with the campaign.
    expect(
      await db
        .selectFrom('campaign_recipients')
        .select(['patient_profile_id', 'conversation_id'])
        .where('campaign_id', '=', created.json().id)
        .execute(),
    ).toEqual([{ patient_profile_id: jeanneProfile, conversation_id: null }]);
    expect(await campaignConversations(jeanneProfile)).toEqual([]);
    // Listed from several requests at once, it becomes one conversation in her inbox, with its audit entry.
    const [inbox] = await Promise.all([
      jeanne.get('/api/v1/conversations'),
      jeanne.get('/api/v1/unread'),
      jeanne.get('/api/v1/sync?since=0'),
    ]);
    expect(inbox.statusCode, inbox.body).toBe(200);
    const delivered = await campaignConversations(jeanneProfile);
    expect(delivered).toEqual([expect.objectContaining({ status: 'closed' })]);
    expect(inbox.json().conversations).toEqual([
      expect.objectContaining({ id: delivered[0]!.id, origin: 'campaign' }),
    ]);
    const trail = await db
      .selectFrom('audit_log')
      .select(['action', 'practice_id'])
      .where('patient_profile_id', '=', jeanneProfile)
      .where('action', '=', 'message.text')
      .execute();
    expect(trail).toEqual([{ action: 'message.text', practice_id: practiceId }]);
    expect((await verifyAuditChain(db)).ok).toBe(true);
    const messages = (await jeanne.get(`/api/v1/conversations/${delivered[0]!.id}/messages`)).json().messages;
    expect(messages.map((m: { body: string }) => m.body)).toEqual([
      'La campagne de vaccination antigrippale a commencé : prenez rendez-vous.',
    ]);
    // Fetching the message marks it delivered, not read: reading is the patient's explicit step.
    expect((await doctor.get(`/api/v1/practices/${practiceId}/campaigns`)).json().campaigns[0]).toMatchObject(
      { delivered: 1, read: 0 },
    );
    await jeanne.post(`/api/v1/conversations/${delivered[0]!.id}/read`, { seq: 1 });
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
    // Replies were allowed: a patient answers in the conversation the campaign opened in his inbox.
    expect((await paul.get('/api/v1/conversations')).statusCode).toBe(200);
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

  it('shows one campaign, its counts over time, and each patient their opt-outs per practice', async () => {
    const listed = await doctor.get(`/api/v1/practices/${practiceId}/campaigns`);
    expect(listed.statusCode, listed.body).toBe(200);
    const list = listed.json().campaigns as { id: string; title: string }[];
    const news = list.find((c) => c.title === 'Nouveaux horaires')!;
    const detail = await doctor.get(`/api/v1/practices/${practiceId}/campaigns/${news.id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json()).toMatchObject({
      kind: 'practice_info',
      status: 'sent',
      body: 'La campagne de vaccination antigrippale a commencé : prenez rendez-vous.',
      audience: EVERY_PATIENT,
      delivered: 3,
      replied: 1,
    });
    const timeline = (
      await doctor.get(`/api/v1/practices/${practiceId}/campaigns/${news.id}/timeline`)
    ).json();
    expect(timeline.bucket).toBe('hour');
    expect(timeline.points.length).toBeGreaterThanOrEqual(1);
    const last = timeline.points.at(-1);
    expect(last).toMatchObject({ delivered: 3, replied: 1 });
    // Paul read the message he answered; nobody else opened this one.
    expect(last.read).toBe(1);
    for (let i = 1; i < timeline.points.length; i++)
      expect(timeline.points[i].delivered).toBeGreaterThanOrEqual(timeline.points[i - 1].delivered);

    const scheduled = (await create({ title: 'Plus tard', sendAt: t.clock.now() + 3_600_000 })).json();
    expect(
      (await doctor.get(`/api/v1/practices/${practiceId}/campaigns/${scheduled.id}/timeline`)).json(),
    ).toEqual({ bucket: 'hour', points: [] });
    await doctor.post(`/api/v1/practices/${practiceId}/campaigns/${scheduled.id}/cancel`);
    expect(
      (await doctor.get(`/api/v1/practices/${practiceId}/campaigns/00000000-0000-7000-8000-000000000000`))
        .statusCode,
    ).toBe(404);
    expect((await jeanne.get(`/api/v1/practices/${practiceId}/campaigns/${news.id}`)).statusCode).toBe(404);

    expect((await paul.get('/api/v1/campaign-optouts')).json()).toEqual({
      practices: [
        {
          practiceId,
          practiceName: expect.any(String),
          profiles: expect.arrayContaining([
            { patientProfileId: paulProfile, name: 'Paul Durand', optedOut: false },
            { patientProfileId: childProfile, name: 'Léa Durand', optedOut: false },
          ]),
        },
      ],
    });
    const optOut = (optedOut: boolean) =>
      jeanne.request('PUT', `/api/v1/practices/${practiceId}/campaign-optout`, {
        patientProfileId: jeanneProfile,
        optedOut,
      });
    await optOut(true);
    expect((await jeanne.get('/api/v1/campaign-optouts')).json().practices[0].profiles).toEqual([
      { patientProfileId: jeanneProfile, name: expect.any(String), optedOut: true },
    ]);
    await optOut(false);
    expect((await jeanne.get('/api/v1/campaign-optouts')).json().practices[0].profiles[0].optedOut).toBe(
      false,
    );
    expect((await doctor.get('/api/v1/campaign-optouts')).statusCode).toBe(404);
  });

  it('matches a CSV list against the practice patients, reports unmatched rows, and sends only to the listed', async () => {
    // A record the practice knows from its own files, whose patient does not use Missive.
    await t.runtime.store.db
      .insertInto('practice_patients')
      .values({
        id: '01900000-0000-7000-8000-00000000c5c5',
        practice_id: practiceId,
        patient_profile_id: null,
        first_name: 'Marcel',
        last_name: 'Blanc',
        birth_date: '1940-01-02',
        email: null,
        match_key: matchKey('Blanc', 'Marcel', '1940-01-02'),
        tags: '[]',
        created_at: t.clock.now(),
        updated_at: t.clock.now(),
      })
      .execute();
    const csv = [
      'Nom;Prénom;Date de naissance;Commentaire',
      'PETIT;Jeanne;14/03/1951;grippe',
      'Durand;Léa;2015-06-01;',
      'Petit;Jeanne;1951-03-14;listed twice',
      'Inconnu;Jean;01/01/1960;',
      'Blanc;Marcel;02/01/1940;',
      'Durand;Paul;31/02/1980;',
      ';Sans nom;01/01/1970;',
    ].join('\n');
    const matched = await doctor.post(`/api/v1/practices/${practiceId}/campaigns/audience/list`, { csv });
    expect(matched.statusCode, matched.body).toBe(200);
    expect(matched.json()).toEqual({
      profileIds: [jeanneProfile, childProfile],
      rows: 6,
      unmatched: [
        { line: 5, name: 'Jean Inconnu', reason: 'not_found' },
        { line: 6, name: 'Marcel Blanc', reason: 'not_on_missive' },
        { line: 7, name: 'Paul Durand', reason: 'invalid_date' },
        { line: 8, name: 'Sans nom', reason: 'missing' },
      ],
      unmatchedCount: 4,
    });
    const profileIds = matched.json().profileIds;
    expect(await count({ profileIds })).toEqual({ recipients: 2, optedOut: 0 });
    // The other criteria still narrow the list.
    expect(await count({ profileIds, minAge: 65 })).toEqual({ recipients: 1, optedOut: 0 });

    const missing = await doctor.post(`/api/v1/practices/${practiceId}/campaigns/audience/list`, {
      csv: 'Nom,Prénom\nPetit,Jeanne',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues).toEqual([{ path: 'csv.birthDate', reason: 'missing_column' }]);
    expect(
      (await jeanne.post(`/api/v1/practices/${practiceId}/campaigns/audience/list`, { csv })).statusCode,
    ).toBe(404);

    const listed = (await create({ title: 'Liste', audience: { ...EVERY_PATIENT, profileIds } })).json();
    await t.services.campaigns.runDue();
    const rows = await t.runtime.store.db
      .selectFrom('campaign_recipients')
      .select('patient_profile_id')
      .where('campaign_id', '=', listed.id)
      .execute();
    expect(rows.map((r) => r.patient_profile_id).sort()).toEqual([jeanneProfile, childProfile].sort());
  });

  it('sends a file with a campaign: stored once, shown and downloadable in each recipient conversation', async () => {
    const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2_000, 0x20)]);
    const upload = (client: TestClient, name: string) =>
      client.request('POST', '/api/v1/attachments', PDF, {
        'content-type': 'application/pdf',
        'x-file-name': encodeURIComponent(name),
      });
    const file = (await upload(doctor, 'vaccination grippe.pdf')).json();
    const created = await create({
      title: 'Avec un document',
      audience: { ...EVERY_PATIENT, minAge: 65 },
      attachmentId: file.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    // The upload became the campaign's: it cannot be used again, nor can someone else's upload.
    const again = await create({ title: 'Encore', attachmentId: file.id });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.issues).toEqual([{ path: 'attachmentId', reason: 'unknown_or_used' }]);
    const theirs = (await upload(jeanne, 'autre.pdf')).json();
    expect((await create({ title: 'Pas à moi', attachmentId: theirs.id })).statusCode).toBe(400);

    const detail = (
      await doctor.get(`/api/v1/practices/${practiceId}/campaigns/${created.json().id}`)
    ).json();
    expect(detail.attachment).toEqual({
      name: 'vaccination grippe.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    const staffCopy = await doctor.get(
      `/api/v1/practices/${practiceId}/campaigns/${created.json().id}/attachment`,
    );
    expect(staffCopy.statusCode).toBe(200);
    expect(staffCopy.rawPayload.equals(PDF)).toBe(true);

    expect(await t.services.campaigns.runDue()).toBe(1);
    await jeanne.get('/api/v1/conversations');
    const rows = await t.runtime.store.db
      .selectFrom('campaign_recipients')
      .select('conversation_id')
      .where('campaign_id', '=', created.json().id)
      .execute();
    const conversationId = rows[0]!.conversation_id!;
    expect((await jeanne.get(`/api/v1/conversations/${conversationId}/campaign-attachment`)).json()).toEqual({
      attachment: { name: 'vaccination grippe.pdf', contentType: 'application/pdf', size: PDF.length },
    });
    const download = await jeanne.get(`/api/v1/conversations/${conversationId}/campaign-attachment/file`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(download.rawPayload.equals(PDF)).toBe(true);
    const audit = await t.runtime.store.db
      .selectFrom('audit_log')
      .select('target_type')
      .where('action', '=', 'attachment.downloaded')
      .where('target_id', '=', created.json().id)
      .execute();
    expect(audit).toEqual([{ target_type: 'campaign_attachment' }]);
    // Nobody else sees it; a campaign without a file has none.
    expect((await paul.get(`/api/v1/conversations/${conversationId}/campaign-attachment`)).statusCode).toBe(
      404,
    );
    expect(
      (await paul.get(`/api/v1/conversations/${conversationId}/campaign-attachment/file`)).statusCode,
    ).toBe(404);
    await paul.get('/api/v1/conversations');
    const plain = (await campaignConversations(paulProfile))[0]!;
    expect((await paul.get(`/api/v1/conversations/${plain.id}/campaign-attachment`)).json()).toEqual({
      attachment: null,
    });
  });

  it('mails each account once after the delay, with no content, unless it read the message meanwhile', async () => {
    const mails = (address: string) =>
      t.smtp.messages.filter((m) => m.to === address && m.subject.includes('Nouveau message')).length;
    // The notices of the campaigns sent before this one go first.
    t.clock.advance(t.config.notifications.delayMs + 1_000);
    await t.runtime.outbox.drainOnce();
    await t.runtime.outbox.drainOnce();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = { jeanne: mails('jeanne@example.org'), paul: mails('paul@example.org') };
    const created = await create({ title: 'Rappel de dépistage' });
    expect(created.statusCode, created.body).toBe(201);
    expect(await t.services.campaigns.runDue()).toBe(3);
    // Jeanne reads it before the delay; Paul, who sees his own profile and his daughter's, does not.
    const listed = (await jeanne.get('/api/v1/conversations')).json().conversations as {
      id: string;
      subject: string;
    }[];
    const reminder = listed.find((c) => c.subject === 'Rappel de dépistage')!;
    expect((await jeanne.post(`/api/v1/conversations/${reminder.id}/read`, { seq: 1 })).statusCode).toBe(200);
    t.clock.advance(t.config.notifications.delayMs + 1_000);
    await t.runtime.outbox.drainOnce();
    const mail = await t.smtp.waitFor('paul@example.org', (m) => m.subject.includes('Nouveau message'));
    expect(mail.text).not.toContain('dépistage');
    expect(mail.subject).not.toContain('dépistage');
    await t.runtime.outbox.drainOnce();
    expect(mails('paul@example.org')).toBe(before.paul + 1);
    expect(mails('jeanne@example.org')).toBe(before.jeanne);
    // Each recipient is marked notified: the job, were it run again, would mail nobody twice.
    const notified = await t.runtime.store.db
      .selectFrom('campaign_recipients')
      .select('notified_at')
      .where('campaign_id', '=', created.json().id)
      .execute();
    expect(notified).toHaveLength(3);
    for (const row of notified) expect(row.notified_at).not.toBeNull();
  });

  it('resumes a campaign stopped by a crash, and drops a patient who opts out while it is sending', async () => {
    const db = t.runtime.store.db;
    const optOut = (client: TestClient, patientProfileId: string, optedOut: boolean) =>
      client.request('PUT', `/api/v1/practices/${practiceId}/campaign-optout`, {
        patientProfileId,
        optedOut,
      });
    await optOut(jeanne, jeanneProfile, false);
    const created = await create({ title: 'Reprise' });
    expect(created.statusCode, created.body).toBe(201);
    const campaign = created.json();
    // The process died just after the campaign started: status and total written, and one recipient row
    // left pending, as an earlier version wrote the list before delivering.
    await db
      .updateTable('campaigns')
      .set({ status: 'sending', started_at: t.clock.now(), total_recipients: 3 })
      .where('id', '=', campaign.id)
      .execute();
    await db
      .insertInto('campaign_recipients')
      .values({
        campaign_id: campaign.id,
        patient_profile_id: jeanneProfile,
        conversation_id: null,
        delivered_at: null,
      })
      .execute();
    // Paul opts out before the restart: the audience computed again leaves him out and the total follows.
    await optOut(paul, paulProfile, true);
    expect(await t.services.campaigns.runDue({ maxBatches: 1, batchSize: 1 })).toBe(1);
    const detail = async () =>
      (await doctor.get(`/api/v1/practices/${practiceId}/campaigns/${campaign.id}`)).json();
    expect(await detail()).toMatchObject({ status: 'sending', totalRecipients: 2, delivered: 1 });
    const deliveredTo = async () =>
      (
        await db
          .selectFrom('campaign_recipients')
          .select('patient_profile_id')
          .where('campaign_id', '=', campaign.id)
          .where('delivered_at', 'is not', null)
          .execute()
      ).map((r) => r.patient_profile_id);
    const [first] = (await deliveredTo()) as [string];
    expect([jeanneProfile, childProfile]).toContain(first);
    // The one still waiting opts out while the campaign is sending: never delivered, dropped from the total.
    const waiting = first === jeanneProfile ? childProfile : jeanneProfile;
    await optOut(waiting === jeanneProfile ? jeanne : paul, waiting, true);
    expect(await t.services.campaigns.runDue()).toBe(0);
    expect(await detail()).toMatchObject({ status: 'sent', totalRecipients: 1, delivered: 1 });
    expect(await deliveredTo()).toEqual([first]);
    // No row is left pending, and the one recipient finds it once in their inbox.
    expect(
      await db
        .selectFrom('campaign_recipients')
        .select('patient_profile_id')
        .where('campaign_id', '=', campaign.id)
        .execute(),
    ).toEqual([{ patient_profile_id: first }]);
    await (first === jeanneProfile ? jeanne : paul).get('/api/v1/conversations');
    const conversations = await db
      .selectFrom('conversations')
      .innerJoin('campaign_recipients', 'campaign_recipients.conversation_id', 'conversations.id')
      .select('conversations.patient_profile_id')
      .where('campaign_recipients.campaign_id', '=', campaign.id)
      .execute();
    expect(conversations).toEqual([{ patient_profile_id: first }]);
    await optOut(paul, paulProfile, false);
    await optOut(waiting === jeanneProfile ? jeanne : paul, waiting, false);
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
