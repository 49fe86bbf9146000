import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { luhnCheckDigit } from '../../src/domain/rpps';
import { fhirSchemaErrors, prepareFhirSchema } from '../helpers/fhir-schema';
import { tokenFrom } from '../helpers/smtp-sink';
import { storesUnderTest } from '../helpers/stores';
import {
  acceptCurrentTerms,
  activateStaff,
  createTestApp,
  EVERY_PATIENT,
  GOOD_PASSWORD,
  PARIS_PRACTICE,
  PUBLIC_URL,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
  totpCode,
} from '../helpers/test-app';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1_500, 0x20)]);
const cid = () => randomUUID().replace(/-/g, '');
const DAY = 86_400_000;
const BASE = `${PUBLIC_URL}/fhir/R4`;
const WEEKDAYS = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, start: '09:00', end: '12:00' },
  { weekday, start: '14:00', end: '17:00' },
]);

interface Resource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}
interface Bundle extends Resource {
  type: string;
  link?: { relation: string; url: string }[];
  entry: { fullUrl: string; resource: Resource }[];
}
/** Parsed JSON, read field by field in assertions. */
type Anyish = ReturnType<typeof JSON.parse>;

describe.each(storesUnderTest())('FHIR R4 export on %s', (kind) => {
  let t: TestApp;
  let doctor: TestClient;
  let doctorId: string;
  let doctorRpps: string;
  let practiceId: string;
  let assistant: TestClient;
  let otherDoctor: TestClient;
  let jeanne: TestClient;
  let jeanneProfile: string;
  let tomProfile: string;
  let paul: TestClient;
  let questionId: string;
  let renewalConversationId: string;
  let renewalId: string;
  let tomConversationId: string;
  let appointmentStart: number;
  let campaignId: string;
  let appointmentId: string;
  let attachmentId: string;
  /** Every resource the server sent during the suite, validated against the official schema at the end. */
  const emitted: Resource[] = [];

  const QUESTION = 'Bonjour docteur, puis-je prendre mon traitement le soir ?';
  const REPLY = 'Oui, le soir convient très bien.';
  const REFUSAL = 'Une consultation est nécessaire avant de renouveler.';

  /** A FHIR request: answers are always FHIR JSON, collected for schema validation. */
  const fhir = async (client: TestClient, path: string): Promise<LightMyRequestResponse> => {
    const response = await client.get(path.startsWith('http') ? path.slice(PUBLIC_URL.length) : path);
    expect(response.headers['content-type'], `${path}: ${response.body.slice(0, 200)}`).toMatch(
      /^application\/fhir\+json/,
    );
    emitted.push(response.json());
    return response;
  };
  const bundle = async (client: TestClient, path: string): Promise<Bundle> => {
    const response = await fhir(client, path);
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    const body = response.json() as Bundle;
    expect(body.resourceType).toBe('Bundle');
    return body;
  };
  const resources = (b: Bundle, type?: string) =>
    b.entry.map((e) => e.resource).filter((r) => !type || r.resourceType === type) as Anyish[];
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
  const start = async (client: TestClient, profileId: string, extra: Record<string, unknown> = {}) => {
    const response = await client.post('/api/v1/conversations', {
      practitionerId: doctorId,
      practiceId,
      patientProfileId: profileId,
      category: 'health_question',
      subject: 'Question sur mon traitement',
      clientMessageId: cid(),
      body: QUESTION,
      ...extra,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().conversation.id as string;
  };
  const send = async (client: TestClient, conversationId: string, body: string) => {
    const response = await client.post(`/api/v1/conversations/${conversationId}/messages`, {
      clientMessageId: cid(),
      body,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const auditRows = (actorId: string, action: string) =>
    t.runtime.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('actor_user_id', '=', actorId)
      .where('action', '=', action)
      .orderBy('seq')
      .execute();
  const userIdOf = async (client: TestClient) => (await client.get('/api/v1/me')).json().user.id as string;

  beforeAll(async () => {
    // Compiling the official schema takes seconds: done once here, not inside a test's time limit.
    prepareFhirSchema();
    t = await createTestApp(kind);
    const { client: admin } = await signInAdmin(t);
    ({ userId: doctorId, practiceId } = await registerPractitioner(admin, {
      email: 'doctor@example.org',
      rppsPayload: '1000000041',
      lastName: 'Martin',
      practice: { newPractice: PARIS_PRACTICE },
    }));
    doctorRpps = `1000000041${luhnCheckDigit('1000000041')}`;
    ({ client: doctor } = await activateStaff(t, 'doctor@example.org'));
    await registerPractitioner(admin, {
      email: 'other@example.org',
      rppsPayload: '1000000042',
      practice: { newPractice: { ...PARIS_PRACTICE, name: 'Autre cabinet' } },
    });
    ({ client: otherDoctor } = await activateStaff(t, 'other@example.org'));
    // An assistant with the messaging right only: conversations yes, the patient list and agenda no.
    await doctor.post(`/api/v1/practices/${practiceId}/invitations`, {
      email: 'assistant@example.org',
      role: 'assistant',
      rights: ['messaging'],
      isAdmin: false,
    });
    await t.client().post('/api/v1/invitations/accept', {
      token: tokenFrom(await t.smtp.waitFor('assistant@example.org')),
      firstName: 'Sophie',
      lastName: 'Bernard',
      password: GOOD_PASSWORD,
    });
    assistant = t.client();
    await assistant.post('/api/v1/auth/login', { email: 'assistant@example.org', password: GOOD_PASSWORD });
    const secret = (await assistant.post('/api/v1/auth/totp/setup')).json().manualKey;
    await assistant.post('/api/v1/auth/totp/enable', { code: await totpCode(t, secret) });

    jeanne = await signUpPatient(t, 'jeanne@example.org');
    jeanneProfile = await selfProfile(jeanne);
    tomProfile = (
      await jeanne.post('/api/v1/relatives', {
        relationship: 'child',
        firstName: 'Tom',
        lastName: 'Petit',
        birthDate: '2015-01-15',
        sex: 'male',
      })
    ).json().id;
    paul = await signUpPatient(t, 'paul@example.org', {
      firstName: 'Paul',
      lastName: 'Durand',
      birthDate: '1980-05-05',
    });
    await consulted(jeanneProfile, t.clock.now() - 30 * DAY);
    await consulted(tomProfile, t.clock.now() - 30 * DAY);
    const settings = await doctor.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/messaging-settings`,
      { ...DEFAULT_SETTINGS, open: true, maxOpenConversations: 20, dailyMessageCap: 100 },
    );
    expect(settings.statusCode, settings.body).toBe(200);

    // A question with a file, and the practitioner's answer.
    attachmentId = (
      await jeanne.request('POST', '/api/v1/attachments', PDF, {
        'content-type': 'application/pdf',
        'x-file-name': encodeURIComponent('analyses.pdf'),
      })
    ).json().id;
    questionId = await start(jeanne, jeanneProfile, { attachmentIds: [attachmentId] });
    t.clock.advance(60_000);
    await send(doctor, questionId, REPLY);
    t.clock.advance(60_000);
    // A renewal request, refused with a reason.
    renewalConversationId = await start(jeanne, jeanneProfile, {
      category: 'renewal',
      subject: 'Renouvellement Lévothyrox',
      body: 'Mon ordonnance se termine la semaine prochaine.',
      renewal: {
        medication: 'Lévothyrox',
        dosage: '75 µg, 1 le matin',
        takenFor: '6 ans',
        lastPrescriptionOn: '2026-05-02',
      },
    });
    renewalId = (await doctor.get(`/api/v1/conversations/${renewalConversationId}`)).json().renewal.id;
    const decided = await doctor.post(`/api/v1/renewals/${renewalId}/decision`, {
      decision: 'refused',
      reason: REFUSAL,
    });
    expect(decided.statusCode, decided.body).toBe(200);
    t.clock.advance(60_000);
    // The child's conversation, written by the parent.
    tomConversationId = await start(jeanne, tomProfile, { subject: 'Fièvre de Tom', body: 'Tom a 38,5 °C.' });
    // An appointment.
    const schedule = await doctor.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/schedule`,
      { slotMinutes: 20, bookingHorizonDays: 365, periods: WEEKDAYS },
    );
    expect(schedule.statusCode, schedule.body).toBe(200);
    const slots = (
      await jeanne.get(
        `/api/v1/directory/practitioners/${doctorId}/slots?practiceId=${practiceId}&from=2026-11-09&days=7`,
      )
    ).json().slots as { startsAt: number }[];
    appointmentStart = slots[0]!.startsAt;
    const booked = await jeanne.post('/api/v1/appointments', {
      practitionerId: doctorId,
      practiceId,
      startsAt: appointmentStart,
      patientProfileId: jeanneProfile,
    });
    expect(booked.statusCode, booked.body).toBe(201);
    appointmentId = booked.json().id;
    // A campaign delivered to the practice's patients.
    const campaign = await doctor.post(`/api/v1/practices/${practiceId}/campaigns`, {
      kind: 'prevention',
      title: 'Vaccination contre la grippe',
      body: 'La campagne de vaccination antigrippale a commencé : prenez rendez-vous.',
      patientsMayReply: false,
      audience: EVERY_PATIENT,
      contentRulesAccepted: true,
    });
    expect(campaign.statusCode, campaign.body).toBe(201);
    campaignId = campaign.json().id;
    await t.services.campaigns.runDue();
    // The practitioner opens the question through the API: an access the patient's history shows.
    await doctor.get(`/api/v1/conversations/${questionId}`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('describes exactly what it supports in its CapabilityStatement', async () => {
    const response = await fhir(t.client(), '/fhir/R4/metadata');
    expect(response.statusCode).toBe(200);
    const statement = response.json();
    expect(statement).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      kind: 'instance',
    });
    const types = (statement.rest[0].resource as Anyish[]).map((r) => r.type);
    expect(types.sort()).toEqual(
      [
        'Appointment',
        'AuditEvent',
        'Communication',
        'CommunicationRequest',
        'MedicationRequest',
        'Patient',
        'Practitioner',
        'RelatedPerson',
      ].sort(),
    );
    for (const resource of statement.rest[0].resource as Anyish[]) {
      expect(resource.interaction.map((i: Anyish) => i.code)).toEqual(['read', 'search-type']);
    }
    // Every declared search parameter is accepted, and an undeclared one is refused.
    const communication = (statement.rest[0].resource as Anyish[]).find((r) => r.type === 'Communication')!;
    expect(communication.searchParam.map((p: Anyish) => p.name)).toEqual(
      expect.arrayContaining(['patient', 'sent', 'part-of', '_count']),
    );
    const unsupported = await fhir(doctor, '/fhir/R4/Communication?birthdate=1951-03-14');
    expect(unsupported.statusCode).toBe(400);
    expect(unsupported.json()).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'invalid' }],
    });
    const notForThisType = await fhir(doctor, '/fhir/R4/Patient?sent=ge2026-01-01');
    expect(notForThisType.statusCode).toBe(400);
  });

  it('answers anonymous callers 401 and unknown types or ids 404, as OperationOutcome', async () => {
    for (const path of [
      '/fhir/R4/Patient',
      `/fhir/R4/Patient/${jeanneProfile}`,
      `/fhir/R4/Communication/${questionId}/$export`,
      `/fhir/R4/Patient/${jeanneProfile}/$everything`,
    ]) {
      const response = await fhir(t.client(), path);
      expect(response.statusCode, path).toBe(401);
      expect(response.json()).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'login' }],
      });
    }
    expect((await fhir(doctor, '/fhir/R4/Observation')).statusCode).toBe(404);
    expect((await fhir(doctor, `/fhir/R4/Patient/${randomUUID()}`)).statusCode).toBe(404);
    const badId = await fhir(doctor, '/fhir/R4/Patient/not-an-id');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().issue[0].diagnostics).toContain('params.id');
  });

  it('maps the patient, their relative and the practitioner from the source records', async () => {
    const patient = (await fhir(doctor, `/fhir/R4/Patient/${jeanneProfile}`)).json();
    expect(patient).toMatchObject({
      resourceType: 'Patient',
      id: jeanneProfile,
      name: [{ family: 'Petit', given: ['Jeanne'] }],
      birthDate: '1951-03-14',
    });
    const tom = (await fhir(jeanne, `/fhir/R4/Patient/${tomProfile}`)).json();
    expect(tom).toMatchObject({
      name: [{ family: 'Petit', given: ['Tom'] }],
      birthDate: '2015-01-15',
      gender: 'male',
    });
    const related = await bundle(jeanne, `/fhir/R4/RelatedPerson?patient=Patient/${tomProfile}`);
    expect(resources(related)).toEqual([
      expect.objectContaining({
        resourceType: 'RelatedPerson',
        patient: { reference: `Patient/${tomProfile}` },
        name: [expect.objectContaining({ family: 'Petit', given: ['Jeanne'] })],
        relationship: [{ coding: [expect.objectContaining({ code: 'PRN' })] }],
      }),
    ]);
    const practitioner = (await fhir(jeanne, `/fhir/R4/Practitioner/${doctorId}`)).json();
    expect(practitioner).toMatchObject({
      resourceType: 'Practitioner',
      identifier: [{ system: 'https://rpps.esante.gouv.fr', value: doctorRpps }],
      name: [{ family: 'Martin', given: ['Claire'] }],
      active: true,
    });
  });

  it('maps conversations to threads and messages, with decrypted text and attachment links', async () => {
    const thread = (await fhir(doctor, `/fhir/R4/Communication/${questionId}`)).json();
    expect(thread).toMatchObject({
      resourceType: 'Communication',
      status: 'in-progress',
      subject: { reference: `Patient/${jeanneProfile}` },
      topic: { text: 'Question sur mon traitement' },
    });
    expect(thread.payload).toBeUndefined();
    expect(thread.partOf).toBeUndefined();
    const messages = resources(await bundle(doctor, `/fhir/R4/Communication?part-of=${questionId}`));
    expect(messages.map((m) => m.partOf)).toEqual([
      [{ reference: `Communication/${questionId}` }],
      [{ reference: `Communication/${questionId}` }],
    ]);
    const [question, reply] = messages as [Anyish, Anyish];
    expect(question.payload[0]).toEqual({ contentString: QUESTION });
    expect(question.sender).toMatchObject({ reference: `Patient/${jeanneProfile}` });
    expect(question.recipient).toEqual([expect.objectContaining({ reference: `Practitioner/${doctorId}` })]);
    const file = question.payload[1].contentAttachment;
    expect(file).toMatchObject({ contentType: 'application/pdf', title: 'analyses.pdf', size: PDF.length });
    expect(file.url).toBe(`${PUBLIC_URL}/api/v1/attachments/${attachmentId}`);
    expect(file.data).toBeUndefined();
    const download = await doctor.get(file.url.slice(PUBLIC_URL.length));
    expect(download.statusCode).toBe(200);
    expect(Buffer.from(download.rawPayload).equals(PDF)).toBe(true);
    expect(reply.payload).toEqual([{ contentString: REPLY }]);
    expect(reply.sender).toMatchObject({ reference: `Practitioner/${doctorId}` });
    expect(Date.parse(reply.sent)).toBeGreaterThan(Date.parse(question.sent));

    // The child's conversation was written by the parent: the sender is the related person.
    const tomMessages = resources(
      await bundle(jeanne, `/fhir/R4/Communication?part-of=${tomConversationId}`),
    );
    expect(tomMessages[0]).toMatchObject({
      subject: { reference: `Patient/${tomProfile}` },
      sender: { reference: `RelatedPerson/${tomProfile}` },
      payload: [{ contentString: 'Tom a 38,5 °C.' }],
    });
  });

  it('maps renewal requests to proposals with the decision in status and statusReason', async () => {
    const request = (await fhir(jeanne, `/fhir/R4/MedicationRequest/${renewalId}`)).json();
    expect(request).toMatchObject({
      resourceType: 'MedicationRequest',
      intent: 'proposal',
      status: 'cancelled',
      statusReason: { coding: [{ code: 'refused' }], text: REFUSAL },
      medicationCodeableConcept: { text: 'Lévothyrox' },
      dosageInstruction: [{ text: '75 µg, 1 le matin' }],
      requester: { reference: `Patient/${jeanneProfile}` },
      subject: { reference: `Patient/${jeanneProfile}` },
      performer: { reference: `Practitioner/${doctorId}` },
      supportingInformation: [{ reference: `Communication/${renewalConversationId}` }],
    });
    const messages = resources(
      await bundle(jeanne, `/fhir/R4/Communication?part-of=${renewalConversationId}`),
    );
    expect(messages.map((m) => m.about)).toEqual([
      [{ reference: `MedicationRequest/${renewalId}` }],
      [{ reference: `MedicationRequest/${renewalId}` }],
    ]);
  });

  it('maps campaigns to CommunicationRequest and each delivery to a Communication based on it', async () => {
    const request = (await fhir(doctor, `/fhir/R4/CommunicationRequest/${campaignId}`)).json();
    expect(request).toMatchObject({
      resourceType: 'CommunicationRequest',
      status: 'completed',
      payload: [
        { contentString: 'Vaccination contre la grippe' },
        { contentString: 'La campagne de vaccination antigrippale a commencé : prenez rendez-vous.' },
      ],
      requester: { reference: `Practitioner/${doctorId}` },
    });
    const threads = resources(await bundle(jeanne, `/fhir/R4/Communication?patient=${jeanneProfile}`)).filter(
      (c) => !c.partOf,
    );
    const delivered = threads.filter((c) => c.basedOn);
    expect(delivered).toEqual([
      expect.objectContaining({ basedOn: [{ reference: `CommunicationRequest/${campaignId}` }] }),
    ]);
    // The patient sees the campaign they received; the assistant (no campaigns right) does not.
    expect(resources(await bundle(jeanne, '/fhir/R4/CommunicationRequest')).map((r) => r.id)).toEqual([
      campaignId,
    ]);
    expect(resources(await bundle(assistant, '/fhir/R4/CommunicationRequest'))).toEqual([]);
  });

  it('maps appointments and searches them by date', async () => {
    const found = resources(await bundle(doctor, `/fhir/R4/Appointment?patient=${jeanneProfile}`));
    expect(found).toEqual([
      expect.objectContaining({
        resourceType: 'Appointment',
        status: 'booked',
        start: new Date(appointmentStart).toISOString(),
        end: new Date(appointmentStart + 20 * 60_000).toISOString(),
        participant: [
          expect.objectContaining({
            actor: expect.objectContaining({ reference: `Patient/${jeanneProfile}` }),
          }),
          expect.objectContaining({
            actor: expect.objectContaining({ reference: `Practitioner/${doctorId}` }),
          }),
        ],
      }),
    ]);
    const day = new Date(appointmentStart).toISOString().slice(0, 10);
    expect(resources(await bundle(jeanne, `/fhir/R4/Appointment?date=${day}`))).toHaveLength(1);
    expect(resources(await bundle(jeanne, `/fhir/R4/Appointment?date=gt${day}`))).toHaveLength(0);
    expect(resources(await bundle(jeanne, `/fhir/R4/Appointment?date=ge${day}&date=le${day}`))).toHaveLength(
      1,
    );
    const invalid = await fhir(jeanne, '/fhir/R4/Appointment?date=ge2026-13-45');
    expect(invalid.statusCode).toBe(400);
  });

  it('searches communications by sent date', async () => {
    const all = resources(await bundle(doctor, `/fhir/R4/Communication?patient=${jeanneProfile}&_count=200`));
    const question = all.find((c) => c.id === questionId)!;
    const from = Date.parse(question.sent) + 1;
    const later = resources(
      await bundle(
        doctor,
        `/fhir/R4/Communication?patient=${jeanneProfile}&sent=ge${new Date(from).toISOString()}`,
      ),
    );
    expect(later.length).toBeGreaterThan(0);
    expect(later.length).toBeLessThan(all.length);
    for (const c of later) expect(Date.parse(c.sent)).toBeGreaterThanOrEqual(from);
    expect(all.filter((c) => Date.parse(c.sent) >= from).map((c) => c.id)).toEqual(later.map((c) => c.id));
  });

  it('applies the API access rules: practice member, assistant, other practice, other patient, patient', async () => {
    // The practitioner sees the practice's patients and their conversations.
    const doctorPatients = resources(await bundle(doctor, '/fhir/R4/Patient')).map((p) => p.id);
    expect(doctorPatients.sort()).toEqual([jeanneProfile, tomProfile].sort());
    // The assistant holds the messaging right only: conversations yes, patient list and agenda no.
    expect(resources(await bundle(assistant, '/fhir/R4/Patient'))).toEqual([]);
    expect(resources(await bundle(assistant, '/fhir/R4/Appointment'))).toEqual([]);
    expect(resources(await bundle(assistant, `/fhir/R4/Communication?part-of=${questionId}`))).toHaveLength(
      2,
    );
    expect((await fhir(assistant, `/fhir/R4/Patient/${jeanneProfile}`)).statusCode).toBe(404);
    // Another practice sees nothing of these patients: "not found", as the API answers.
    for (const path of [
      `/fhir/R4/Patient/${jeanneProfile}`,
      `/fhir/R4/Communication/${questionId}`,
      `/fhir/R4/MedicationRequest/${renewalId}`,
      `/fhir/R4/CommunicationRequest/${campaignId}`,
      `/fhir/R4/Communication/${questionId}/$export`,
      `/fhir/R4/Patient/${jeanneProfile}/$everything`,
    ]) {
      const response = await fhir(otherDoctor, path);
      expect(response.statusCode, path).toBe(404);
      expect(response.json()).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ code: 'not-found' }],
      });
      expect((await fhir(paul, path)).statusCode, path).toBe(404);
    }
    for (const type of ['Patient', 'Communication', 'MedicationRequest', 'Appointment', 'AuditEvent']) {
      expect(resources(await bundle(otherDoctor, `/fhir/R4/${type}`)), type).toEqual([]);
    }
    // Another patient sees only their own profile.
    expect(resources(await bundle(paul, '/fhir/R4/Patient')).map((p) => p.name[0].given[0])).toEqual([
      'Paul',
    ]);
    expect(resources(await bundle(paul, `/fhir/R4/Communication?patient=${jeanneProfile}`))).toEqual([]);
    // The patient sees her own data and her child's.
    const jeannePatients = resources(await bundle(jeanne, '/fhir/R4/Patient')).map((p) => p.id);
    expect(jeannePatients.sort()).toEqual([jeanneProfile, tomProfile].sort());
    const threads = resources(await bundle(jeanne, '/fhir/R4/Communication?_count=200')).filter(
      (c) => !c.partOf,
    );
    expect(threads.map((c) => c.id)).toEqual(
      expect.arrayContaining([questionId, renewalConversationId, tomConversationId]),
    );
  });

  it('gives every FHIR route the same answers per caller: signed out, other practice, other patient, patient, practice', async () => {
    const openedEntry = await t.runtime.store.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'conversation.opened')
      .where('target_id', '=', questionId)
      .executeTakeFirstOrThrow();
    const idOf: Record<string, string> = {
      Patient: jeanneProfile,
      RelatedPerson: tomProfile,
      Practitioner: doctorId,
      Appointment: appointmentId,
      Communication: questionId,
      MedicationRequest: renewalId,
      CommunicationRequest: campaignId,
      AuditEvent: openedEntry.id,
    };
    const routes = t.app.registeredRoutes.filter((r) => r.url.startsWith('/fhir/R4/'));
    expect(routes.length).toBe(19);
    for (const route of routes) {
      expect(route.method).toBe('GET');
      const type = route.url.split('/')[3]!;
      const url = route.url.replace(':id', idOf[type] ?? '');
      const isSearch = !route.url.includes(':id');
      if (route.url === '/fhir/R4/metadata') {
        expect((await fhir(t.client(), url)).statusCode).toBe(200);
        continue;
      }
      expect((await fhir(t.client(), url)).statusCode, url).toBe(401);
      // Strangers search for this patient's data (or this very resource) and find nothing.
      const strangerUrl = !isSearch
        ? url
        : type === 'Patient' || type === 'Practitioner'
          ? `${url}?_id=${idOf[type]}`
          : `${url}?patient=${jeanneProfile}`;
      for (const [name, stranger] of [
        ['other practice', otherDoctor],
        ['other patient', paul],
      ] as const) {
        const response = await fhir(stranger, strangerUrl);
        expect(response.statusCode, `${name} ${strangerUrl}`).toBe(isSearch ? 200 : 404);
        if (isSearch) expect(resources(response.json()), `${name} ${strangerUrl}`).toEqual([]);
      }
      for (const [name, member] of [
        ['patient', jeanne],
        ['practice', doctor],
      ] as const) {
        const response = await fhir(member, url);
        expect(response.statusCode, `${name} ${url}`).toBe(200);
        if (isSearch) expect(resources(response.json()).length, `${name} ${url}`).toBeGreaterThan(0);
        else if (!url.includes('$')) expect(response.json().id, `${name} ${url}`).toBe(idOf[type]);
      }
    }
  });

  it('records every read of patient data in the audit trail, which the patient can read back', async () => {
    const before = (await auditRows(doctorId, 'fhir.searched')).length;
    await bundle(doctor, `/fhir/R4/Communication?part-of=${questionId}`);
    const after = await auditRows(doctorId, 'fhir.searched');
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({
      target_type: 'Communication',
      practice_id: practiceId,
      patient_profile_id: jeanneProfile,
    });
    expect(JSON.parse(after.at(-1)!.details)).toEqual({ resourceType: 'Communication', count: 2 });
    await fhir(doctor, `/fhir/R4/Patient/${jeanneProfile}`);
    expect((await auditRows(doctorId, 'fhir.read')).at(-1)).toMatchObject({
      target_id: jeanneProfile,
      patient_profile_id: jeanneProfile,
    });

    const history = resources(
      await bundle(jeanne, `/fhir/R4/AuditEvent?patient=${jeanneProfile}&_count=200`),
    );
    const opened = history.find(
      (e) =>
        e.subtype[0].code === 'conversation.opened' &&
        e.entity.some((x: Anyish) => x.what.reference === `Communication/${questionId}`),
    );
    expect(opened).toMatchObject({
      action: 'R',
      agent: [
        expect.objectContaining({ who: { reference: `Practitioner/${doctorId}`, display: 'Claire Martin' } }),
      ],
      entity: expect.arrayContaining([
        expect.objectContaining({ what: { reference: `Patient/${jeanneProfile}` } }),
        expect.objectContaining({ what: { reference: `Communication/${questionId}` } }),
      ]),
    });
    expect(history.some((e) => e.subtype[0].code === 'fhir.read')).toBe(true);
    // The history is only the patient's and the practice administrators'.
    expect(resources(await bundle(assistant, '/fhir/R4/AuditEvent'))).toEqual([]);
    expect(resources(await bundle(paul, `/fhir/R4/AuditEvent?patient=${jeanneProfile}`))).toEqual([]);
    expect(
      resources(await bundle(doctor, `/fhir/R4/AuditEvent?patient=${jeanneProfile}`)).length,
    ).toBeGreaterThan(0);
  });

  it('pages search results with stable order, without duplicates or gaps', async () => {
    for (let i = 0; i < 7; i++) {
      await send(doctor, questionId, `Suite ${i}`);
      // Several messages share a millisecond: ties are ordered by id.
      if (i % 3 === 2) t.clock.advance(1_000);
    }
    const whole = resources(await bundle(doctor, '/fhir/R4/Communication?_count=200')).map((r) => r.id);
    expect(whole.length).toBeGreaterThan(12);
    const walked: string[] = [];
    let next: string | undefined = '/fhir/R4/Communication?_count=3';
    let pages = 0;
    while (next) {
      const page: Bundle = await bundle(doctor, next);
      expect(page.type).toBe('searchset');
      const self = page.link!.find((l) => l.relation === 'self')!;
      expect(self.url.startsWith(`${BASE}/Communication?`)).toBe(true);
      expect(page.entry.length).toBeLessThanOrEqual(3);
      walked.push(...page.entry.map((e) => e.resource.id));
      for (const e of page.entry) expect(e.fullUrl).toBe(`${BASE}/Communication/${e.resource.id}`);
      next = page.link!.find((l) => l.relation === 'next')?.url;
      pages++;
      expect(pages).toBeLessThan(20);
    }
    expect(walked).toEqual(whole);
    expect(new Set(walked).size).toBe(walked.length);

    const badCursor = await fhir(doctor, '/fhir/R4/Communication?_cursor=bm90LWEtY3Vyc29y');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().issue[0].diagnostics).toBe('query._cursor: invalid');
    expect((await fhir(doctor, '/fhir/R4/Communication?_count=0')).statusCode).toBe(400);
  });

  it('exports a conversation as a collection Bundle for filing in the patient’s record', async () => {
    const response = await fhir(assistant, `/fhir/R4/Communication/${renewalConversationId}/$export`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="conversation-${renewalConversationId}.fhir.json"`,
    );
    const exported = response.json() as Bundle;
    expect(exported.type).toBe('collection');
    const byType = (type: string) => resources(exported, type);
    expect(byType('Patient').map((p) => p.id)).toEqual([jeanneProfile]);
    expect(byType('Practitioner')).toEqual([
      expect.objectContaining({ identifier: [expect.objectContaining({ value: doctorRpps })] }),
    ]);
    expect(byType('MedicationRequest').map((r) => r.id)).toEqual([renewalId]);
    const communications = byType('Communication');
    expect(communications[0]).toMatchObject({ id: renewalConversationId });
    expect(
      communications
        .slice(1)
        .every((c) => c.partOf[0].reference === `Communication/${renewalConversationId}`),
    ).toBe(true);
    expect(communications).toHaveLength(3);
    expect(
      (await auditRows(await userIdOf(assistant), 'conversation.exported')).map((r) => r.target_id),
    ).toEqual([renewalConversationId]);
  });

  it('builds the whole record of a patient, for themselves and for their practice', async () => {
    const record = await bundle(jeanne, `/fhir/R4/Patient/${jeanneProfile}/$everything`);
    expect(record.type).toBe('collection');
    const types = new Set(resources(record).map((r) => r.resourceType));
    for (const type of [
      'Patient',
      'Practitioner',
      'Appointment',
      'Communication',
      'MedicationRequest',
      'CommunicationRequest',
      'AuditEvent',
    ]) {
      expect(types.has(type), type).toBe(true);
    }
    // Only this patient's data: not the child's conversation.
    const ids = resources(record).map((r) => r.id);
    expect(ids).not.toContain(tomConversationId);
    expect(ids).toContain(questionId);
    expect(new Set(ids.map((id, i) => `${resources(record)[i]!.resourceType}/${id}`)).size).toBe(ids.length);
    const practiceRecord = await bundle(doctor, `/fhir/R4/Patient/${tomProfile}/$everything`);
    expect(resources(practiceRecord, 'RelatedPerson')).toHaveLength(1);
    expect(resources(practiceRecord, 'Communication').map((c) => c.id)).toContain(tomConversationId);
  });

  it('keeps a teenager’s own conversations from the parent once they hold their own account', async () => {
    const lea = (
      await jeanne.post('/api/v1/relatives', {
        relationship: 'child',
        firstName: 'Léa',
        lastName: 'Petit',
        birthDate: '2010-01-15',
      })
    ).json().id as string;
    await consulted(lea, t.clock.now() - 10 * DAY);
    const byParent = await start(jeanne, lea, {
      subject: 'Vaccins de Léa',
      body: 'Léa a-t-elle besoin d’un rappel ?',
    });
    t.clock.advance(1_000);
    expect(
      (await jeanne.post(`/api/v1/relatives/${lea}/own-account`, { email: 'lea@example.org' })).statusCode,
    ).toBe(202);
    const token = tokenFrom(await t.smtp.waitFor('lea@example.org'));
    const accepted = await t.client().post('/api/v1/profile-claims/accept', {
      token,
      password: GOOD_PASSWORD,
      locale: 'fr',
      country: 'FR',
    });
    expect(accepted.statusCode, accepted.body).toBe(204);
    const teen = t.client();
    await teen.post('/api/v1/auth/login', { email: 'lea@example.org', password: GOOD_PASSWORD });
    await acceptCurrentTerms(teen, 'patient');
    t.clock.advance(1_000);
    const byTeen = await start(teen, lea, {
      subject: 'Question personnelle',
      body: 'Une question confidentielle.',
    });

    const teenThreads = resources(await bundle(teen, `/fhir/R4/Communication?patient=${lea}`)).filter(
      (c) => !c.partOf,
    );
    expect(teenThreads.map((c) => c.id).sort()).toEqual([byParent, byTeen].sort());
    const parentThreads = resources(await bundle(jeanne, `/fhir/R4/Communication?patient=${lea}`)).filter(
      (c) => !c.partOf,
    );
    expect(parentThreads.map((c) => c.id)).toEqual([byParent]);
    expect((await fhir(jeanne, `/fhir/R4/Communication/${byTeen}`)).statusCode).toBe(404);
    expect((await fhir(jeanne, `/fhir/R4/Communication/${byTeen}/$export`)).statusCode).toBe(404);
    expect((await fhir(jeanne, `/fhir/R4/Communication?part-of=${byTeen}`)).json().entry).toEqual([]);
    // The access history of her profile is now hers alone.
    expect(resources(await bundle(teen, `/fhir/R4/AuditEvent?patient=${lea}`)).length).toBeGreaterThan(0);
    expect(resources(await bundle(jeanne, `/fhir/R4/AuditEvent?patient=${lea}`))).toEqual([]);
    const parentRecord = resources(await bundle(jeanne, `/fhir/R4/Patient/${lea}/$everything`)).map(
      (r) => r.id,
    );
    expect(parentRecord).toContain(byParent);
    expect(parentRecord).not.toContain(byTeen);
  });

  it('emits only resources that are valid against the official FHIR R4 JSON schema', () => {
    expect(emitted.length).toBeGreaterThan(50);
    const types = new Set<string>();
    const collect = (r: Resource) => {
      types.add(r.resourceType);
      for (const e of (r as Bundle).entry ?? []) collect(e.resource);
    };
    emitted.forEach(collect);
    expect([...types].sort()).toEqual(
      [
        'Appointment',
        'AuditEvent',
        'Bundle',
        'CapabilityStatement',
        'Communication',
        'CommunicationRequest',
        'MedicationRequest',
        'OperationOutcome',
        'Patient',
        'Practitioner',
        'RelatedPerson',
      ].sort(),
    );
    const distinct = [
      ...new Map(emitted.map((r) => [JSON.stringify({ ...r, id: '', meta: '', timestamp: '' }), r])).values(),
    ];
    const errors = distinct.flatMap((r) => fhirSchemaErrors(r));
    expect(errors).toEqual([]);
    // The validator does reject what the specification does not allow.
    expect(
      fhirSchemaErrors({ resourceType: 'Patient', id: jeanneProfile, gender: 'unknown-value' }),
    ).not.toEqual([]);
    expect(
      fhirSchemaErrors({ resourceType: 'Communication', id: questionId, sent: 'yesterday' }),
    ).not.toEqual([]);
  });
});
