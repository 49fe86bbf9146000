import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import type { Database } from '../../src/platform/db/schema';
import { tokenFrom } from './smtp-sink';
import {
  acceptCurrentTerms,
  activateStaff,
  EVERY_PATIENT,
  GOOD_PASSWORD,
  PARIS_PRACTICE,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
  totpCode,
} from './test-app';

/**
 * The people of the access-control matrix and the fuzz tests. Short names keep the matrix rows on one line.
 *
 * - anon: not signed in
 * - owner: Jeanne, a patient who owns the conversation, the renewal, the appointment and the attachment
 * - other: Paul, a patient with no link to any of them
 * - parent: Marie, who manages her son Léo (8) and was the parent of Tom before Tom took his own account
 * - teen: Tom (16), a patient with his own account for the profile his mother created; since then he has
 *   consulted Dr Martin and Dr Bernard, which his mother does not learn
 * - asstMsg: Sophie, assistant at Jeanne's practice with the messaging and patients rights
 * - asstNo: Luc, assistant at the same practice with the agenda and campaigns rights but not messaging
 * - pract: Dr Martin, Jeanne's practitioner and admin of her practice
 * - otherPract: Dr Bernard, practitioner and admin of another practice
 * - admin: the platform administrator
 */
export const ACTORS = [
  'anon',
  'owner',
  'other',
  'parent',
  'teen',
  'asstMsg',
  'asstNo',
  'pract',
  'otherPract',
  'admin',
] as const;
export type ActorName = (typeof ACTORS)[number];

export const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1_000, 0x20)]);
export const cid = () => randomUUID().replace(/-/g, '');
const DAY = 86_400_000;

/** A request as the matrix and the fuzz tests send it: the caller adds the actor's session cookie. */
export interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  /** Raw payload and its content type (uploads, CSV); `body` is sent as JSON otherwise. */
  raw?: { payload: string | Buffer; contentType: string; headers?: Record<string, string> };
  headers?: Record<string, string>;
}

export interface World {
  t: TestApp;
  /** Each actor's signed-in client (anon has none). */
  clients: Record<Exclude<ActorName, 'anon'>, TestClient>;
  /** Each actor's Cookie header ('' for anon). */
  cookies: Record<ActorName, string>;
  emails: Record<Exclude<ActorName, 'anon'>, string>;
  userIds: Record<Exclude<ActorName, 'anon'>, string>;
  practiceId: string;
  otherPracticeId: string;
  doctorId: string;
  otherDoctorId: string;
  profiles: { jeanne: string; paul: string; marie: string; leo: string; tom: string };
  /** otherPractice: Dr Bernard's practice wrote first to Tom (his alone: started after his own account). */
  conversations: { jeanne: string; child: string; teen: string; renewal: string; otherPractice: string };
  renewalId: string;
  /** Jeanne's prescription photo, joined to her renewal request. */
  attachmentInConversation: string;
  /** Jeanne's upload not yet sent with a message. */
  attachmentLoose: string;
  appointmentId: string;
  /**
   * Jeanne's data exports, both built: `mine` asked from her main session (the matrix's), `elsewhere` from
   * another of her sessions, which alone may download it.
   */
  exports: { mine: string; elsewhere: string };
  campaignId: string;
  templateId: string;
  invitationId: string;
  exceptionId: string;
  /** A member of Dr Martin's practice who never acts: the target of refused removals. */
  bystanderId: string;
  /** Jeanne's record in Dr Martin's practice (practice_patients). */
  jeanneRecordId: string;
  /** Free slots of Dr Martin, taken one by one by bookings made for the matrix. */
  freeSlots: number[];
  /** Sends a request as an actor without changing the actor's stored session. */
  send(actor: ActorName, req: Req): Promise<LightMyRequestResponse>;
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [{ weekday, start: '08:00', end: '19:00' }]);

function must(response: LightMyRequestResponse, status: number, what: string): LightMyRequestResponse {
  if (response.statusCode !== status) throw new Error(`${what}: ${response.statusCode} ${response.body}`);
  return response;
}

async function inviteAssistant(
  t: TestApp,
  doctor: TestClient,
  practiceId: string,
  email: string,
  rights: string[],
  firstName: string,
): Promise<{ client: TestClient; userId: string }> {
  must(
    await doctor.post(`/api/v1/practices/${practiceId}/invitations`, {
      email,
      role: 'assistant',
      rights,
      isAdmin: false,
    }),
    201,
    `invite ${email}`,
  );
  const token = tokenFrom(await t.smtp.waitFor(email));
  must(
    await t.client().post('/api/v1/invitations/accept', {
      token,
      firstName,
      lastName: 'Assistant',
      password: GOOD_PASSWORD,
    }),
    200,
    `accept ${email}`,
  );
  const client = t.client();
  must(await client.post('/api/v1/auth/login', { email, password: GOOD_PASSWORD }), 200, `login ${email}`);
  const secret = (await client.post('/api/v1/auth/totp/setup')).json().manualKey;
  const enabled = must(
    await client.post('/api/v1/auth/totp/enable', { code: await totpCode(t, secret) }),
    200,
    `totp ${email}`,
  );
  // As every member of a practice is asked on their first visit, before they write to patients.
  await acceptCurrentTerms(client, 'practitioner');
  return { client, userId: enabled.json().user.id };
}

/** Every actor, practice, patient and record the matrix needs, made through the API once per app. */
export async function buildWorld(t: TestApp): Promise<World> {
  const db = t.runtime.store.db;
  const { client: admin } = await signInAdmin(t);
  const { userId: doctorId, practiceId } = await registerPractitioner(admin, {
    email: 'martin@example.org',
    rppsPayload: '1000000031',
    lastName: 'Martin',
    practice: { newPractice: PARIS_PRACTICE },
  });
  const { client: pract } = await activateStaff(t, 'martin@example.org');
  const { userId: otherDoctorId, practiceId: otherPracticeId } = await registerPractitioner(admin, {
    email: 'bernard@example.org',
    rppsPayload: '1000000032',
    lastName: 'Bernard',
    practice: { newPractice: { ...PARIS_PRACTICE, name: 'Cabinet des Roses' } },
  });
  const { client: otherPract } = await activateStaff(t, 'bernard@example.org');
  const sophie = await inviteAssistant(
    t,
    pract,
    practiceId,
    'sophie@example.org',
    ['messaging', 'patients'],
    'Sophie',
  );
  const luc = await inviteAssistant(t, pract, practiceId, 'luc@example.org', ['agenda', 'campaigns'], 'Luc');
  const bystander = await inviteAssistant(t, pract, practiceId, 'nina@example.org', ['agenda'], 'Nina');

  must(
    await pract.request('PUT', `/api/v1/practices/${practiceId}/practitioners/${doctorId}/schedule`, {
      slotMinutes: 15,
      bookingHorizonDays: 365,
      periods: WEEKDAYS,
    }),
    200,
    'schedule',
  );
  must(
    await pract.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/messaging-settings`,
      {
        ...DEFAULT_SETTINGS,
        open: true,
        maxOpenConversations: 20,
        dailyMessageCap: 100,
      },
    ),
    200,
    'messaging settings',
  );

  const jeanne = await signUpPatient(t, 'jeanne@example.org');
  const paul = await signUpPatient(t, 'paul@example.org', {
    firstName: 'Paul',
    lastName: 'Durand',
    birthDate: '1980-05-05',
  });
  const marie = await signUpPatient(t, 'marie@example.org', {
    firstName: 'Marie',
    lastName: 'Leroy',
    birthDate: '1982-07-21',
  });
  const selfProfile = async (client: TestClient) =>
    ((await client.get('/api/v1/relatives')).json().profiles as { id: string; relationship: string }[]).find(
      (p) => p.relationship === 'self',
    )!.id;
  const relative = async (firstName: string, birthDate: string) =>
    must(
      await marie.post('/api/v1/relatives', {
        relationship: 'child',
        firstName,
        lastName: 'Leroy',
        birthDate,
      }),
      201,
      `relative ${firstName}`,
    ).json().id as string;
  const leo = await relative('Léo', '2018-04-02');
  const tomProfile = await relative('Tom', '2010-01-15');
  must(
    await marie.post(`/api/v1/relatives/${tomProfile}/own-account`, { email: 'tom@example.org' }),
    202,
    'own account offer',
  );
  must(
    await t.client().post('/api/v1/profile-claims/accept', {
      token: tokenFrom(await t.smtp.waitFor('tom@example.org')),
      password: GOOD_PASSWORD,
      locale: 'fr',
      country: 'FR',
    }),
    204,
    'own account claim',
  );
  const tom = t.client();
  must(
    await tom.post('/api/v1/auth/login', { email: 'tom@example.org', password: GOOD_PASSWORD }),
    200,
    'tom login',
  );
  // His own account: he accepts the messaging terms before his first message, as everyone does.
  await acceptCurrentTerms(tom, 'patient');
  const profiles = {
    jeanne: await selfProfile(jeanne),
    paul: await selfProfile(paul),
    marie: await selfProfile(marie),
    leo,
    tom: tomProfile,
  };

  // Consultations are what an attended appointment or an import records: they open messaging. Tom's are
  // after he took his own account: they are his alone. Dr Bernard is a practitioner only Tom has seen.
  t.clock.advance(60_000);
  for (const [profileId, at, where, practitionerId] of [
    [profiles.jeanne, t.clock.now() - 30 * DAY, practiceId, doctorId],
    [leo, t.clock.now() - 30 * DAY, practiceId, doctorId],
    [tomProfile, t.clock.now(), practiceId, doctorId],
    [tomProfile, t.clock.now(), otherPracticeId, otherDoctorId],
  ] as const) {
    const profile = (await t.services.patients.findProfile(profileId))!;
    await db
      .transaction()
      .execute((trx) =>
        t.services.care.recordConsultation(trx, { practiceId: where, practitionerId, profile, at }),
      );
  }

  const start = async (client: TestClient, patientProfileId: string, extra: Record<string, unknown> = {}) =>
    must(
      await client.post('/api/v1/conversations', {
        practitionerId: doctorId,
        practiceId,
        patientProfileId,
        category: 'health_question',
        subject: 'Question sur le traitement',
        clientMessageId: cid(),
        body: 'Bonjour docteur, puis-je prendre le traitement le soir ?',
        ...extra,
      }),
      201,
      'start conversation',
    ).json().conversation.id as string;
  const upload = async (client: TestClient) =>
    must(
      await client.request('POST', '/api/v1/attachments', PDF, {
        'content-type': 'application/pdf',
        'x-file-name': 'ordonnance.pdf',
      }),
      201,
      'upload',
    ).json().id as string;

  const attachmentInConversation = await upload(jeanne);
  const attachmentLoose = await upload(jeanne);
  const conversations = {
    jeanne: await start(jeanne, profiles.jeanne),
    child: await start(marie, leo),
    teen: await start(tom, tomProfile),
    renewal: await start(jeanne, profiles.jeanne, {
      category: 'renewal',
      subject: 'Renouvellement',
      body: 'Mon ordonnance se termine bientôt.',
      renewal: {
        medication: 'Lévothyrox',
        dosage: '75 µg le matin',
        takenFor: '6 ans',
        lastPrescriptionOn: '2026-05-02',
        photoAttachmentId: attachmentInConversation,
      },
    }),
    otherPractice: must(
      await otherPract.post(`/api/v1/practices/${otherPracticeId}/conversations`, {
        practitionerId: otherDoctorId,
        patientProfileId: tomProfile,
        category: 'administrative',
        subject: 'Votre dossier',
        clientMessageId: cid(),
        body: 'Bonjour Tom, pourriez-vous nous apporter votre carnet de vaccination ?',
        patientMayReply: true,
      }),
      201,
      'practice starts a conversation',
    ).json().conversation.id as string,
  };
  const renewalId = (await pract.get(`/api/v1/conversations/${conversations.renewal}`)).json().renewal
    .id as string;

  const slotsResponse = must(
    await jeanne.get(
      `/api/v1/directory/practitioners/${doctorId}/slots?practiceId=${practiceId}&from=2026-12-01&days=14`,
    ),
    200,
    'slots',
  );
  const freeSlots = (slotsResponse.json().slots as { startsAt: number }[]).map((s) => s.startsAt);
  const appointmentId = must(
    await jeanne.post('/api/v1/appointments', {
      practitionerId: doctorId,
      practiceId,
      startsAt: freeSlots.shift(),
      patientProfileId: profiles.jeanne,
    }),
    201,
    'appointment',
  ).json().id as string;

  const campaignId = must(
    await pract.post(`/api/v1/practices/${practiceId}/campaigns`, campaignBody(t)),
    201,
    'campaign',
  ).json().id as string;
  const templateId = must(
    await pract.post(`/api/v1/practices/${practiceId}/templates`, {
      title: 'Résultats',
      body: 'Vos résultats sont normaux.',
    }),
    201,
    'template',
  ).json().id as string;
  const invitationId = must(
    await pract.post(`/api/v1/practices/${practiceId}/invitations`, {
      email: 'pending@example.org',
      role: 'assistant',
      rights: ['agenda'],
      isAdmin: false,
    }),
    201,
    'pending invitation',
  ).json().id as string;
  const exceptionId = await addException(pract, practiceId, doctorId, 'Formation');
  const jeanneRecordId = (await pract.get(`/api/v1/practices/${practiceId}/patients?q=petit`)).json()
    .patients[0].id as string;

  const askExport = async (client: TestClient) =>
    must(await client.post('/api/v1/me/exports', { password: GOOD_PASSWORD }), 202, 'data export').json()
      .id as string;
  const jeanneElsewhere = t.client();
  must(
    await jeanneElsewhere.post('/api/v1/auth/login', {
      email: 'jeanne@example.org',
      password: GOOD_PASSWORD,
    }),
    200,
    'second session',
  );
  const exports = { mine: await askExport(jeanne), elsewhere: await askExport(jeanneElsewhere) };
  // Archives are built in the background: wait for them, so that the world does not change under the tests.
  await t.services.exports.settled();

  const clients = {
    owner: jeanne,
    other: paul,
    parent: marie,
    teen: tom,
    asstMsg: sophie.client,
    asstNo: luc.client,
    pract,
    otherPract,
    admin,
  };
  const cookies = { anon: '' } as Record<ActorName, string>;
  const userIds = {} as World['userIds'];
  for (const [name, client] of Object.entries(clients) as [Exclude<ActorName, 'anon'>, TestClient][]) {
    cookies[name] = client.cookieHeader!;
    userIds[name] = (await client.get('/api/v1/me')).json().user.id;
  }
  return {
    t,
    clients,
    cookies,
    emails: {
      owner: 'jeanne@example.org',
      other: 'paul@example.org',
      parent: 'marie@example.org',
      teen: 'tom@example.org',
      asstMsg: 'sophie@example.org',
      asstNo: 'luc@example.org',
      pract: 'martin@example.org',
      otherPract: 'bernard@example.org',
      admin: 'admin@example.org',
    },
    userIds,
    practiceId,
    otherPracticeId,
    doctorId,
    otherDoctorId,
    profiles,
    conversations,
    renewalId,
    attachmentInConversation,
    attachmentLoose,
    appointmentId,
    exports,
    campaignId,
    templateId,
    invitationId,
    exceptionId,
    bystanderId: bystander.userId,
    jeanneRecordId,
    freeSlots,
    send: (actor, req) => {
      const cookie = cookies[actor];
      return t.app.inject({
        method: req.method,
        url: req.url,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(req.raw ? { 'content-type': req.raw.contentType, ...req.raw.headers } : {}),
          ...req.headers,
        },
        ...(req.raw
          ? { payload: req.raw.payload }
          : req.body !== undefined
            ? { payload: req.body as object }
            : {}),
      });
    },
  };
}

/** A campaign scheduled a week ahead, so that it can still be cancelled. */
export function campaignBody(t: TestApp) {
  return {
    kind: 'prevention',
    title: 'Vaccination contre la grippe',
    body: 'La campagne de vaccination a commencé : prenez rendez-vous.',
    patientsMayReply: false,
    audience: EVERY_PATIENT,
    sendAt: t.clock.now() + 7 * DAY,
    contentRulesAccepted: true,
  };
}

/** Adds a closure to Dr Martin's schedule and returns its id. */
export async function addException(
  client: TestClient,
  practiceId: string,
  practitionerId: string,
  label: string,
): Promise<string> {
  const response = must(
    await client.post(`/api/v1/practices/${practiceId}/practitioners/${practitionerId}/schedule/exceptions`, {
      startsOn: '2027-02-01',
      endsOn: '2027-02-02',
      label,
    }),
    201,
    'closure',
  );
  const exceptions = response.json().exceptions as { id: string; label: string }[];
  return exceptions.filter((e) => e.label === label).at(-1)!.id;
}

/** Tables whose row counts must not move when a request is refused. */
export const WATCHED_TABLES = [
  'users',
  'sessions',
  'practices',
  'practice_members',
  'practice_invitations',
  'patient_profiles',
  'practice_patients',
  'care_relationships',
  'patient_invitations',
  'profile_claims',
  'practitioner_schedules',
  'schedule_exceptions',
  'appointments',
  'messaging_settings',
  'message_templates',
  'conversations',
  'messages',
  'attachments',
  'read_markers',
  'renewals',
  'notification_preferences',
  'campaigns',
  'campaign_optouts',
  'terms_versions',
  'terms_acceptances',
  'data_exports',
  'email_tokens',
  'outbox',
  'audit_log',
] as const;

/** Row counts of the watched tables, and the newest audit entry (the head of the chain). */
export async function snapshot(db: Kysely<Database>): Promise<Record<string, number | string | null>> {
  const counts: Record<string, number | string | null> = {};
  for (const table of WATCHED_TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirst();
  counts.audit_head = head ? `${head.seq}:${head.hash}` : null;
  return counts;
}

/** A minimal built web app, so that the static routes are registered as in production. */
export async function makeWebRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'missive-web-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Missive</title><div id="root"></div>');
  const script = 'document.title = "Missive";';
  await writeFile(join(root, 'assets', 'app.js'), script);
  // As the build leaves them (web/compress-assets.ts): compressed copies beside the file.
  await writeFile(join(root, 'assets', 'app.js.br'), brotliCompressSync(script));
  await writeFile(join(root, 'assets', 'app.js.gz'), gzipSync(script));
  return root;
}
