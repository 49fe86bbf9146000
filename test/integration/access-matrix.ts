/**
 * The access-control matrix: for every route the app registers, what each kind of person gets.
 * access-matrix.test.ts runs it on every store; fuzz.test.ts reuses its requests as valid starting points.
 *
 * One row per route (or per route and resource, for routes where whose resource it is matters):
 *
 *   row('METHOD /path/:param', 'expectations', (w, a) => request)
 *   variant('METHOD /path/:param', 'which resource', 'expectations', (w, a) => request)
 *
 * - The route is written exactly as registered (Fastify's `:param` syntax). A registered route without a
 *   row fails the test, and so does a row whose route is no longer registered.
 * - Expectations name each actor of test/helpers/access-world.ts (anon, owner, other, parent, teen,
 *   asstMsg, asstNo, pract, otherPract, admin) with `ok` (any 2xx) or an HTTP status: 401 signed out,
 *   403 refused, 404 where the API hides that the thing exists, or the status of the rule that refuses an
 *   allowed caller further on (409 …). `*:404` gives every actor not named its outcome; the presets below
 *   name the common cases. Every actor must end up with an expectation.
 * - The request builder gets the world (real ids, made through the API) and `a` = { actor, allowed }.
 *   A request that consumes its target (a deletion, a cancellation) makes a fresh target when `allowed`
 *   is true, so that each allowed actor is judged on its own; refused actors aim at the shared one.
 *
 * Adding a route: add its row here, next to the rows of its feature.
 */

import { createECDH, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { luhnCheckDigit } from '../../src/domain/rpps';
import {
  type ActorName,
  addException,
  campaignBody,
  cid,
  PDF,
  type Req,
  type World,
} from '../helpers/access-world';
import { tokenFrom } from '../helpers/smtp-sink';
import type { TestClient } from '../helpers/test-app';
import { acceptCurrentTerms, GOOD_PASSWORD, patientInput, signUpPatient } from '../helpers/test-app';

export type Expected = 'ok' | 302 | 400 | 401 | 403 | 404 | 409;
export interface MatrixReq extends Req {
  /** A WebSocket upgrade rather than an HTTP request. */
  ws?: true;
}
export interface Row {
  route: string;
  variant?: string;
  expect: string;
  request: (w: World, a: { actor: ActorName; allowed: boolean }) => MatrixReq | Promise<MatrixReq>;
}

// ----- Presets -----
/** Anyone, signed in or not. */
const PUBLIC = '*:ok';
/** Anyone signed in. */
const SIGNED_IN = 'anon:401 *:ok';
/** Patient accounts only; staff and admins are told the route does not exist. */
const PATIENTS = 'anon:401 *:404 owner:ok other:ok parent:ok teen:ok';
/** The platform administrator only. */
const ADMIN = 'anon:401 *:404 admin:ok';
/** A link-token route with a token that does not exist: everyone reaches the check, nobody gets through. */
const BAD_TOKEN = '*:400';
/** Jeanne's own conversation: Jeanne, and practice members with the messaging right. */
const OWN_CONVERSATION = 'anon:401 *:404 owner:ok asstMsg:ok pract:ok';
/** Léo's conversation, written by his mother: the mother and the practice's messaging team. */
const CHILD_CONVERSATION = 'anon:401 *:404 parent:ok asstMsg:ok pract:ok';
/** Tom's conversation from his own account: confidential, his mother does not see it. */
const TEEN_CONVERSATION = 'anon:401 *:404 teen:ok asstMsg:ok pract:ok';
/** Dr Bernard's practice wrote first to Tom, after he took his own account: Tom and that practice only. */
const OTHER_PRACTICE_CONVERSATION = 'anon:401 *:404 teen:ok otherPract:ok';
/** Practice members with the messaging right. */
const MESSAGING_TEAM = 'anon:401 *:404 asstMsg:ok pract:ok';
/** Practice members with the agenda right. */
const AGENDA_TEAM = 'anon:401 *:404 asstNo:ok pract:ok';
/** Practice members with the patients right. */
const PATIENTS_TEAM = 'anon:401 *:404 asstMsg:ok pract:ok';
/** Practice members with the campaigns right. */
const CAMPAIGNS_TEAM = 'anon:401 *:404 asstNo:ok pract:ok';
/** Administrators of the practice. */
const PRACTICE_ADMIN = 'anon:401 *:404 pract:ok';

// ----- Request helpers -----
const get = (url: string): MatrixReq => ({ method: 'GET', url });
const post = (url: string, body: unknown = {}): MatrixReq => ({ method: 'POST', url, body });
const put = (url: string, body: unknown): MatrixReq => ({ method: 'PUT', url, body });
const patch = (url: string, body: unknown): MatrixReq => ({ method: 'PATCH', url, body });
const del = (url: string): MatrixReq => ({ method: 'DELETE', url });
const row = (route: string, expect: string, request: Row['request']): Row => ({ route, expect, request });
const variant = (route: string, label: string, expect: string, request: Row['request']): Row => ({
  route,
  variant: label,
  expect,
  request,
});

const BOGUS_TOKEN = 'x'.repeat(43);
let serial = 0;
const unique = (prefix: string) => `${prefix}-${++serial}`;
const practice = (w: World) => `/api/v1/practices/${w.practiceId}`;
const other = (w: World) => `/api/v1/practices/${w.otherPracticeId}`;
const doctor = (w: World) => `${practice(w)}/practitioners/${w.doctorId}`;
const pract = (w: World): TestClient => w.clients.pract;
const rpps = () => {
  const payload = String(2_000_000_000 + ++serial);
  return `${payload}${luhnCheckDigit(payload)}`;
};
const csv = (lastName: string) =>
  [
    'Nom;Prénom;Date de naissance;E-mail;Dernière consultation',
    `${lastName};Anne;01/02/1970;;01/10/2026`,
  ].join('\n');

async function freshAppointment(w: World): Promise<string> {
  const response = await w.clients.owner.post('/api/v1/appointments', {
    practitionerId: w.doctorId,
    practiceId: w.practiceId,
    startsAt: w.freeSlots.shift(),
    patientProfileId: w.profiles.jeanne,
  });
  return response.json().id;
}
async function freshRenewal(w: World): Promise<string> {
  const started = await w.clients.owner.post('/api/v1/conversations', {
    practitionerId: w.doctorId,
    practiceId: w.practiceId,
    patientProfileId: w.profiles.jeanne,
    category: 'renewal',
    subject: 'Renouvellement',
    clientMessageId: cid(),
    body: 'Mon ordonnance se termine bientôt.',
    renewal: {
      medication: 'Levothyrox',
      dosage: '75 µg',
      takenFor: '6 ans',
      lastPrescriptionOn: '2026-05-02',
    },
  });
  const detail = await pract(w).get(`/api/v1/conversations/${started.json().conversation.id}`);
  return detail.json().renewal.id;
}
async function freshMember(w: World): Promise<string> {
  const email = `${unique('member')}@example.org`;
  await pract(w).post(`${practice(w)}/invitations`, { email, role: 'assistant', rights: [], isAdmin: false });
  const token = tokenFrom(await w.t.smtp.waitFor(email));
  await w.t.client().post('/api/v1/invitations/accept', {
    token,
    firstName: 'Nina',
    lastName: 'Remplaçante',
    password: GOOD_PASSWORD,
  });
  const team = await pract(w).get(`${practice(w)}/members`);
  return (team.json().members as { userId: string; email: string }[]).find((m) => m.email === email)!.userId;
}
/** A second session of the actor (password only: enough to sign out), so that signing out keeps the main one. */
async function freshSessionCookie(w: World, actor: ActorName): Promise<string> {
  if (actor === 'anon') return '';
  const login = await w.t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: w.emails[actor], password: GOOD_PASSWORD },
  });
  const line = [login.headers['set-cookie']].flat()[0] ?? '';
  return line.split(';')[0] ?? '';
}

/** Practice staff accept the practitioner terms; patients the patient terms (the administrator has none). */
const termsKindOf = (actor: ActorName) =>
  actor === 'asstMsg' || actor === 'asstNo' || actor === 'pract' || actor === 'otherPract'
    ? 'practitioner'
    : 'patient';
/**
 * A patient account made for one closure, like the actor's (a parent manages a child; a teenager holds the
 * profile a parent made), signed in and past the terms: closing it leaves the world's accounts intact.
 */
async function accountToClose(w: World, actor: ActorName): Promise<string> {
  const email = `${unique(`closing-${actor}`)}@example.org`;
  const adult = { firstName: 'Claire', lastName: 'Moreau', birthDate: '1979-03-03' };
  const check = (response: LightMyRequestResponse, status: number, what: string) => {
    if (response.statusCode !== status) throw new Error(`account to close, ${what}: ${response.body}`);
    return response;
  };
  const child = (client: TestClient, birthDate: string) =>
    client
      .post('/api/v1/relatives', { relationship: 'child', firstName: 'Hugo', lastName: 'Moreau', birthDate })
      .then((response) => check(response, 201, 'relative').json().id as string);
  if (actor !== 'teen') {
    const client = await signUpPatient(w.t, email, adult);
    if (actor === 'parent') await child(client, '2017-06-01');
    return client.cookieHeader!;
  }
  const mother = await signUpPatient(w.t, `${unique('mother')}@example.org`, adult);
  const profileId = await child(mother, '2010-06-01');
  check(await mother.post(`/api/v1/relatives/${profileId}/own-account`, { email }), 202, 'offer');
  check(
    await w.t.client().post('/api/v1/profile-claims/accept', {
      token: tokenFrom(await w.t.smtp.waitFor(email)),
      password: GOOD_PASSWORD,
      locale: 'fr',
      country: 'FR',
    }),
    204,
    'claim',
  );
  const teen = w.t.client();
  check(await teen.post('/api/v1/auth/login', { email, password: GOOD_PASSWORD }), 200, 'sign-in');
  await acceptCurrentTerms(teen, 'patient');
  return teen.cookieHeader!;
}
const WRONG_PASSWORD = 'wrong horse battery staple';
const closedAccounts = new WeakMap<World, Promise<{ profileId: string; conversationId: string }>>();
/**
 * A patient of Dr Martin who wrote to the practice, then closed her account (made once per world): the
 * practice keeps the conversation in its records, closed with the reason `account_closed`.
 */
function closedAccount(w: World): Promise<{ profileId: string; conversationId: string }> {
  let made = closedAccounts.get(w);
  if (!made) {
    made = (async () => {
      const client = await signUpPatient(w.t, `${unique('closed')}@example.org`, {
        firstName: 'Henriette',
        lastName: 'Blanc',
        birthDate: '1949-09-09',
      });
      const profiles = (await client.get('/api/v1/relatives')).json().profiles as {
        id: string;
        relationship: string;
      }[];
      const profileId = profiles.find((p) => p.relationship === 'self')!.id;
      const profile = (await w.t.services.patients.findProfile(profileId))!;
      await w.t.runtime.store.db.transaction().execute((trx) =>
        w.t.services.care.recordConsultation(trx, {
          practiceId: w.practiceId,
          practitionerId: w.doctorId,
          profile,
          at: w.t.clock.now() - 86_400_000,
        }),
      );
      const started = await client.post('/api/v1/conversations', {
        practitionerId: w.doctorId,
        practiceId: w.practiceId,
        patientProfileId: profileId,
        category: 'administrative',
        subject: 'Changement d’adresse',
        clientMessageId: cid(),
        body: 'Bonjour, voici ma nouvelle adresse pour mon dossier.',
      });
      if (started.statusCode !== 201) throw new Error(`closed account: ${started.body}`);
      const closed = await client.post('/api/v1/me/close', { password: GOOD_PASSWORD, confirm: true });
      if (closed.statusCode !== 200) throw new Error(`closed account: ${closed.body}`);
      return { profileId, conversationId: started.json().conversation.id as string };
    })();
    closedAccounts.set(w, made);
  }
  return made;
}

/** A browser's push subscription as `subscription.toJSON()` gives it: a fresh endpoint and real P-256 keys. */
function pushSubscription(label: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: `https://push.example.org/send/${unique(label)}`,
    expirationTime: null,
    keys: {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  };
}
const tomsAppointments = new WeakMap<World, Promise<string>>();
/** An appointment Tom's mother booked for him after he took his own account (made once per world). */
function appointmentBookedForTom(w: World): Promise<string> {
  let id = tomsAppointments.get(w);
  if (!id) {
    id = w.clients.parent
      .post('/api/v1/appointments', {
        practitionerId: w.doctorId,
        practiceId: w.practiceId,
        startsAt: w.freeSlots.shift(),
        patientProfileId: w.profiles.tom,
      })
      .then((response) => response.json().id as string);
    tomsAppointments.set(w, id);
  }
  return id;
}
const sentCampaigns = new WeakMap<World, Map<string, Promise<string>>>();
/** A campaign Dr Martin sends at once to the patients of an age range (made once per world and range). */
function sentCampaign(w: World, minAge: number | null, maxAge: number | null): Promise<string> {
  const sent = sentCampaigns.get(w) ?? new Map<string, Promise<string>>();
  sentCampaigns.set(w, sent);
  const key = `${minAge}-${maxAge}`;
  let id = sent.get(key);
  if (!id) {
    const { sendAt: _later, ...body } = campaignBody(w.t);
    id = (async () => {
      const created = await pract(w).post(`${practice(w)}/campaigns`, {
        ...body,
        audience: { ...body.audience, minAge, maxAge },
      });
      await w.t.services.campaigns.runDue();
      return created.json().id as string;
    })();
    sent.set(key, id);
  }
  return id;
}
/** The id of the oldest audit entry about a profile at Dr Martin's practice (made while building the world). */
async function auditEntryAbout(w: World, profileId: string): Promise<string> {
  const entry = await w.t.runtime.store.db
    .selectFrom('audit_log')
    .select('id')
    .where('patient_profile_id', '=', profileId)
    .where('practice_id', '=', w.practiceId)
    .orderBy('seq')
    .executeTakeFirstOrThrow();
  return entry.id;
}

export const MATRIX: Row[] = [
  // ----- Service and documentation -----
  row('GET /healthz', PUBLIC, () => get('/healthz')),
  row('GET /readyz', PUBLIC, () => get('/readyz')),
  row('GET /api/openapi.json', PUBLIC, () => get('/api/openapi.json')),
  row('GET /api/docs', PUBLIC, () => get('/api/docs')),
  row('GET /api/docs/json', PUBLIC, () => get('/api/docs/json')),
  row('GET /api/docs/yaml', PUBLIC, () => get('/api/docs/yaml')),
  row('GET /api/docs/static/index.html', '*:302', () => get('/api/docs/static/index.html')),
  row('GET /api/docs/static/swagger-initializer.js', PUBLIC, () =>
    get('/api/docs/static/swagger-initializer.js'),
  ),
  row('GET /api/docs/static/*', PUBLIC, () => get('/api/docs/static/swagger-ui.css')),

  // ----- Web app (static files; other paths fall back to index.html, see the test) -----
  row('GET /index.html', PUBLIC, () => get('/index.html')),
  row('GET /assets/app.js', PUBLIC, () => get('/assets/app.js')),
  // The build's compressed copies (served in place of the file to browsers that accept them) are files too.
  row('GET /assets/app.js.br', PUBLIC, () => get('/assets/app.js.br')),
  row('GET /assets/app.js.gz', PUBLIC, () => get('/assets/app.js.gz')),

  // ----- Accounts -----
  row('POST /api/v1/auth/signup', PUBLIC, (_w, a) =>
    post('/api/v1/auth/signup', patientInput(`${unique(`signup-${a.actor}`)}@example.org`)),
  ),
  row('POST /api/v1/auth/verify-email', BAD_TOKEN, () =>
    post('/api/v1/auth/verify-email', { token: BOGUS_TOKEN }),
  ),
  row('POST /api/v1/auth/resend-verification', PUBLIC, () =>
    post('/api/v1/auth/resend-verification', { email: 'nobody@example.org' }),
  ),
  row('POST /api/v1/auth/login', PUBLIC, (w) =>
    post('/api/v1/auth/login', { email: w.emails.other, password: GOOD_PASSWORD }),
  ),
  row('POST /api/v1/auth/logout', SIGNED_IN, async (w, a): Promise<MatrixReq> => {
    const request = post('/api/v1/auth/logout');
    return a.allowed ? { ...request, headers: { cookie: await freshSessionCookie(w, a.actor) } } : request;
  }),
  row('POST /api/v1/auth/password-reset/request', PUBLIC, () =>
    post('/api/v1/auth/password-reset/request', { email: 'nobody@example.org' }),
  ),
  row('POST /api/v1/auth/password-reset/confirm', BAD_TOKEN, () =>
    post('/api/v1/auth/password-reset/confirm', { token: BOGUS_TOKEN, password: GOOD_PASSWORD }),
  ),
  // Patients may add a second factor; staff have one already.
  row('POST /api/v1/auth/totp/setup', 'anon:401 *:409 owner:ok other:ok parent:ok teen:ok', () =>
    post('/api/v1/auth/totp/setup'),
  ),
  row('POST /api/v1/auth/totp/enable', 'anon:401 *:409 owner:400 other:400 parent:400 teen:400', () =>
    post('/api/v1/auth/totp/enable', { code: '000000' }),
  ),
  row('POST /api/v1/auth/totp/verify', 'anon:401 *:400 owner:403 other:403 parent:403 teen:403', () =>
    post('/api/v1/auth/totp/verify', { code: '000000' }),
  ),
  row('GET /api/v1/session', PUBLIC, () => get('/api/v1/session')),
  row('GET /api/v1/me', SIGNED_IN, () => get('/api/v1/me')),
  row('PATCH /api/v1/me', SIGNED_IN, () => patch('/api/v1/me', { locale: 'fr' })),
  row('POST /api/v1/me/password', SIGNED_IN, () =>
    post('/api/v1/me/password', { currentPassword: GOOD_PASSWORD, newPassword: GOOD_PASSWORD }),
  ),
  row('GET /api/v1/me/notifications', SIGNED_IN, () => get('/api/v1/me/notifications')),
  row('PUT /api/v1/me/notifications', SIGNED_IN, () =>
    put('/api/v1/me/notifications', { email: true, digest: true }),
  ),
  // The VAPID public key is what any browser needs before it subscribes: no sign-in.
  row('GET /api/v1/push/key', PUBLIC, () => get('/api/v1/push/key')),
  row('POST /api/v1/me/push-subscriptions', SIGNED_IN, (_w, a) =>
    post('/api/v1/me/push-subscriptions', pushSubscription(`browser-${a.actor}`)),
  ),
  // Each actor removes a subscription of their own browser (made just before).
  row('DELETE /api/v1/me/push-subscriptions', SIGNED_IN, async (w, a) => {
    const subscription = pushSubscription(`own-${a.actor}`);
    if (a.actor !== 'anon') await w.clients[a.actor].post('/api/v1/me/push-subscriptions', subscription);
    return {
      method: 'DELETE',
      url: '/api/v1/me/push-subscriptions',
      body: { endpoint: subscription.endpoint },
    };
  }),

  // ----- Terms of use -----
  // The texts in force are public: the sign-up page and every page's footer link to them.
  row('GET /api/v1/terms/:kind', PUBLIC, () => get('/api/v1/terms/patient?locale=fr')),
  variant('GET /api/v1/terms/:kind', 'practitioner terms', PUBLIC, () =>
    get('/api/v1/terms/practitioner?locale=en'),
  ),
  variant('GET /api/v1/terms/:kind', 'privacy notice', PUBLIC, () => get('/api/v1/terms/privacy?locale=it')),
  row('GET /api/v1/me/terms', SIGNED_IN, () => get('/api/v1/me/terms')),
  // Patients accept the patient terms, practice staff the practitioner terms; the administrator has none.
  row('POST /api/v1/me/terms/accept', 'anon:401 admin:404 *:ok', (_w, a) =>
    post('/api/v1/me/terms/accept', { kind: termsKindOf(a.actor), version: 1 }),
  ),
  variant('POST /api/v1/me/terms/accept', "the other side's terms", 'anon:401 *:404', (_w, a) =>
    post('/api/v1/me/terms/accept', {
      kind: termsKindOf(a.actor) === 'patient' ? 'practitioner' : 'patient',
      version: 1,
    }),
  ),
  // Nobody accepts a text they were not shown: only the version in force.
  variant('POST /api/v1/me/terms/accept', 'a version not in force', 'anon:401 admin:404 *:409', (_w, a) =>
    post('/api/v1/me/terms/accept', { kind: termsKindOf(a.actor), version: 2 }),
  ),
  row('GET /api/v1/admin/terms', ADMIN, () => get('/api/v1/admin/terms')),
  // Publishing needs the version's text in every language, and no version 2 is written: the administrator
  // reaches that rule and is refused there (so the world's acceptances stay current).
  row('POST /api/v1/admin/terms', 'anon:401 *:404 admin:400', () =>
    post('/api/v1/admin/terms', { kind: 'patient', version: 2 }),
  ),

  // ----- Data rights -----
  // Each patient asks for a copy of their own data, typing the password again; staff have no such page.
  row('POST /api/v1/me/exports', PATIENTS, () => post('/api/v1/me/exports', { password: GOOD_PASSWORD })),
  variant(
    'POST /api/v1/me/exports',
    'password mistyped',
    'anon:401 *:404 owner:401 other:401 parent:401 teen:401',
    () => post('/api/v1/me/exports', { password: WRONG_PASSWORD }),
  ),
  row('GET /api/v1/me/exports', PATIENTS, async (w) => {
    // The exports asked just above are built in the background: let them finish before going on.
    await w.t.services.exports.settled();
    return get('/api/v1/me/exports');
  }),
  row('GET /api/v1/me/exports/:exportId', 'anon:401 *:404 owner:ok', (w) =>
    get(`/api/v1/me/exports/${w.exports.mine}`),
  ),
  // The archive goes only to the session that typed the password: Jeanne's other session is told to type it.
  row('GET /api/v1/me/exports/:exportId/download', 'anon:401 *:404 owner:ok', (w) =>
    get(`/api/v1/me/exports/${w.exports.mine}/download`),
  ),
  variant(
    'GET /api/v1/me/exports/:exportId/download',
    'asked from another of her sessions',
    'anon:401 *:404 owner:403',
    (w) => get(`/api/v1/me/exports/${w.exports.elsewhere}/download`),
  ),
  // Each allowed patient closes an account like theirs made for the row; refused actors aim at their own.
  row('POST /api/v1/me/close', PATIENTS, async (w, a): Promise<MatrixReq> => {
    const request = post('/api/v1/me/close', { password: GOOD_PASSWORD, confirm: true });
    return a.allowed ? { ...request, headers: { cookie: await accountToClose(w, a.actor) } } : request;
  }),
  variant(
    'POST /api/v1/me/close',
    'password mistyped',
    'anon:401 *:404 owner:401 other:401 parent:401 teen:401',
    () => post('/api/v1/me/close', { password: WRONG_PASSWORD, confirm: true }),
  ),

  // ----- Practice team -----
  row('GET /api/v1/practices/:practiceId/members', 'anon:401 *:404 asstMsg:ok asstNo:ok pract:ok', (w) =>
    get(`${practice(w)}/members`),
  ),
  row('POST /api/v1/practices/:practiceId/invitations', PRACTICE_ADMIN, (w) =>
    post(`${practice(w)}/invitations`, {
      email: `${unique('invited')}@example.org`,
      role: 'assistant',
      rights: ['agenda'],
      isAdmin: false,
    }),
  ),
  row('DELETE /api/v1/practices/:practiceId/invitations/:invitationId', PRACTICE_ADMIN, async (w, a) => {
    let id = w.invitationId;
    if (a.allowed) {
      const created = await pract(w).post(`${practice(w)}/invitations`, {
        email: `${unique('revoked')}@example.org`,
        role: 'assistant',
        rights: [],
        isAdmin: false,
      });
      id = created.json().id;
    }
    return del(`${practice(w)}/invitations/${id}`);
  }),
  row('PATCH /api/v1/practices/:practiceId/members/:userId', PRACTICE_ADMIN, (w) =>
    patch(`${practice(w)}/members/${w.userIds.asstNo}`, { rights: ['agenda', 'campaigns'] }),
  ),
  // Refused callers aim at a member who never acts in the matrix (a member may leave on their own, not checked here).
  row('DELETE /api/v1/practices/:practiceId/members/:userId', PRACTICE_ADMIN, async (w, a) =>
    del(`${practice(w)}/members/${a.allowed ? await freshMember(w) : w.bystanderId}`),
  ),
  row('PATCH /api/v1/practices/:practiceId/settings', PRACTICE_ADMIN, (w) =>
    patch(`${practice(w)}/settings`, { cancellationDeadlineHours: 24 }),
  ),
  // The audit export says plainly that only the practice's administrators may have it (docs/api.md).
  row('GET /api/v1/practices/:practiceId/audit.csv', 'anon:401 *:403 pract:ok', (w) =>
    get(`${practice(w)}/audit.csv?from=2026-01-01&to=2026-12-31`),
  ),
  variant(
    'GET /api/v1/practices/:practiceId/audit.csv',
    "another practice's",
    'anon:401 *:403 otherPract:ok',
    (w) => get(`${other(w)}/audit.csv?from=2026-01-01&to=2026-12-31`),
  ),
  row('POST /api/v1/invitations/preview', BAD_TOKEN, () =>
    post('/api/v1/invitations/preview', { token: BOGUS_TOKEN }),
  ),
  row('POST /api/v1/invitations/accept', BAD_TOKEN, () =>
    post('/api/v1/invitations/accept', { token: BOGUS_TOKEN, password: GOOD_PASSWORD }),
  ),

  // ----- Platform administration -----
  row('GET /api/v1/admin/practices', ADMIN, () => get('/api/v1/admin/practices')),
  row('POST /api/v1/admin/practices', ADMIN, () =>
    post('/api/v1/admin/practices', {
      name: unique('Cabinet'),
      address: '2 rue des Lilas',
      postcode: '75011',
      city: 'Paris',
      country: 'FR',
    }),
  ),
  row('GET /api/v1/admin/practitioners', ADMIN, () => get('/api/v1/admin/practitioners')),
  row('POST /api/v1/admin/practitioners', ADMIN, (w) =>
    post('/api/v1/admin/practitioners', {
      email: `${unique('doctor')}@example.org`,
      firstName: 'Hugo',
      lastName: 'Lambert',
      specialty: 'Pédiatrie',
      rpps: rpps(),
      practiceId: w.otherPracticeId,
    }),
  ),
  row('POST /api/v1/admin/practitioners/:userId/verify', ADMIN, (w) =>
    post(`/api/v1/admin/practitioners/${w.otherDoctorId}/verify`),
  ),
  row('GET /api/v1/admin/key-rotation', ADMIN, () => get('/api/v1/admin/key-rotation')),

  // ----- Opening hours and agenda -----
  row('GET /api/v1/practices/:practiceId/practitioners/:practitionerId/schedule', AGENDA_TEAM, (w) =>
    get(`${doctor(w)}/schedule`),
  ),
  row('PUT /api/v1/practices/:practiceId/practitioners/:practitionerId/schedule', AGENDA_TEAM, (w) =>
    put(`${doctor(w)}/schedule`, {
      slotMinutes: 15,
      bookingHorizonDays: 365,
      periods: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '19:00' })),
    }),
  ),
  row(
    'POST /api/v1/practices/:practiceId/practitioners/:practitionerId/schedule/exceptions',
    AGENDA_TEAM,
    (w) =>
      post(`${doctor(w)}/schedule/exceptions`, {
        startsOn: '2027-03-01',
        endsOn: '2027-03-01',
        label: 'Congrès',
      }),
  ),
  row(
    'DELETE /api/v1/practices/:practiceId/practitioners/:practitionerId/schedule/exceptions/:exceptionId',
    AGENDA_TEAM,
    async (w, a) =>
      del(
        `${doctor(w)}/schedule/exceptions/${a.allowed ? await addException(pract(w), w.practiceId, w.doctorId, unique('Fermeture')) : w.exceptionId}`,
      ),
  ),
  row('GET /api/v1/practices/:practiceId/agenda', AGENDA_TEAM, (w) =>
    get(`${practice(w)}/agenda?from=2026-12-01&days=7`),
  ),
  // The appointment is in December: the team reaches it, and is told it has not taken place yet.
  row(
    'POST /api/v1/practices/:practiceId/appointments/:appointmentId/attendance',
    'anon:401 *:404 asstNo:409 pract:409',
    (w) => post(`${practice(w)}/appointments/${w.appointmentId}/attendance`, { status: 'attended' }),
  ),
  row('POST /api/v1/practices/:practiceId/appointments/:appointmentId/cancel', AGENDA_TEAM, async (w, a) =>
    post(`${practice(w)}/appointments/${a.allowed ? await freshAppointment(w) : w.appointmentId}/cancel`, {
      reason: 'Absence imprévue',
    }),
  ),

  // ----- Finding a practitioner and booking -----
  row('GET /api/v1/directory/practitioners', SIGNED_IN, () =>
    get('/api/v1/directory/practitioners?q=martin'),
  ),
  row('GET /api/v1/directory/practitioners/:practitionerId/slots', SIGNED_IN, (w) =>
    get(
      `/api/v1/directory/practitioners/${w.doctorId}/slots?practiceId=${w.practiceId}&from=2026-12-01&days=2`,
    ),
  ),
  variant('POST /api/v1/appointments', "for Jeanne's profile", 'anon:401 *:404 owner:ok', (w, a) =>
    post('/api/v1/appointments', {
      practitionerId: w.doctorId,
      practiceId: w.practiceId,
      startsAt: a.allowed ? w.freeSlots.shift() : w.freeSlots[0],
      patientProfileId: w.profiles.jeanne,
    }),
  ),
  variant('POST /api/v1/appointments', "for Léo's profile", 'anon:401 *:404 parent:ok', (w, a) =>
    post('/api/v1/appointments', {
      practitionerId: w.doctorId,
      practiceId: w.practiceId,
      startsAt: a.allowed ? w.freeSlots.shift() : w.freeSlots[0],
      patientProfileId: w.profiles.leo,
    }),
  ),
  // The mother still manages Tom's profile and may book for him; what she books from then on is hidden from her.
  variant('POST /api/v1/appointments', "for Tom's profile", 'anon:401 *:404 parent:ok teen:ok', (w, a) =>
    post('/api/v1/appointments', {
      practitionerId: w.doctorId,
      practiceId: w.practiceId,
      startsAt: a.allowed ? w.freeSlots.shift() : w.freeSlots[0],
      patientProfileId: w.profiles.tom,
    }),
  ),
  row('GET /api/v1/appointments', PATIENTS, () => get('/api/v1/appointments')),
  row('POST /api/v1/appointments/:appointmentId/cancel', 'anon:401 *:404 owner:ok', async (w, a) =>
    post(`/api/v1/appointments/${a.allowed ? await freshAppointment(w) : w.appointmentId}/cancel`, {}),
  ),

  // ----- Relatives and own accounts -----
  row('GET /api/v1/relatives', PATIENTS, () => get('/api/v1/relatives')),
  row('POST /api/v1/relatives', PATIENTS, () =>
    post('/api/v1/relatives', {
      relationship: 'child',
      firstName: 'Lina',
      lastName: 'Test',
      birthDate: '2020-01-01',
    }),
  ),
  variant('PATCH /api/v1/relatives/:profileId', 'Léo', 'anon:401 *:404 parent:ok', (w) =>
    patch(`/api/v1/relatives/${w.profiles.leo}`, { firstName: 'Léo' }),
  ),
  variant(
    'PATCH /api/v1/relatives/:profileId',
    'Tom, who holds his own account',
    'anon:401 *:404 parent:409',
    (w) => patch(`/api/v1/relatives/${w.profiles.tom}`, { firstName: 'Thomas' }),
  ),
  variant(
    'DELETE /api/v1/relatives/:profileId',
    'Tom, who holds his own account',
    'anon:401 *:404 parent:409',
    (w) => del(`/api/v1/relatives/${w.profiles.tom}`),
  ),
  variant(
    'POST /api/v1/relatives/:profileId/own-account',
    'Tom, who holds his own account',
    'anon:401 *:404 parent:409',
    (w) => post(`/api/v1/relatives/${w.profiles.tom}/own-account`, { email: 'tom.bis@example.org' }),
  ),
  row('DELETE /api/v1/relatives/:profileId', 'anon:401 *:404 parent:ok', async (w, a) => {
    if (!a.allowed) return del(`/api/v1/relatives/${w.profiles.leo}`);
    const created = await w.clients.parent.post('/api/v1/relatives', {
      relationship: 'dependent',
      firstName: 'Paulette',
      lastName: 'Leroy',
      birthDate: '1940-01-01',
    });
    return del(`/api/v1/relatives/${created.json().id}`);
  }),
  row('POST /api/v1/relatives/:profileId/own-account', 'anon:401 *:404 parent:ok', async (w, a) => {
    let id = w.profiles.leo;
    if (a.allowed) {
      const created = await w.clients.parent.post('/api/v1/relatives', {
        relationship: 'child',
        firstName: 'Emma',
        lastName: 'Leroy',
        birthDate: '2011-03-03',
      });
      id = created.json().id;
    }
    return post(`/api/v1/relatives/${id}/own-account`, { email: `${unique('emma')}@example.org` });
  }),
  row('POST /api/v1/profile-claims/preview', BAD_TOKEN, () =>
    post('/api/v1/profile-claims/preview', { token: BOGUS_TOKEN }),
  ),
  row('POST /api/v1/profile-claims/accept', BAD_TOKEN, () =>
    post('/api/v1/profile-claims/accept', {
      token: BOGUS_TOKEN,
      password: GOOD_PASSWORD,
      locale: 'fr',
      country: 'FR',
    }),
  ),
  row('GET /api/v1/my-practitioners', PATIENTS, () => get('/api/v1/my-practitioners')),
  row('POST /api/v1/patient-invitations/preview', BAD_TOKEN, () =>
    post('/api/v1/patient-invitations/preview', { token: BOGUS_TOKEN }),
  ),
  row(
    'POST /api/v1/patient-invitations/accept',
    'anon:401 *:404 owner:400 other:400 parent:400 teen:400',
    (w) =>
      post('/api/v1/patient-invitations/accept', { token: BOGUS_TOKEN, patientProfileId: w.profiles.jeanne }),
  ),

  // ----- Practice patients -----
  row('GET /api/v1/practices/:practiceId/patients', PATIENTS_TEAM, (w) =>
    get(`${practice(w)}/patients?offset=0&limit=50`),
  ),
  row('PUT /api/v1/practices/:practiceId/patients/:patientId/tags', PATIENTS_TEAM, (w) =>
    put(`${practice(w)}/patients/${w.jeanneRecordId}/tags`, { tags: ['diabète'] }),
  ),
  row('POST /api/v1/practices/:practiceId/imports/preview', PATIENTS_TEAM, (w) => ({
    method: 'POST',
    url: `${practice(w)}/imports/preview?practitionerId=${w.doctorId}`,
    raw: { payload: csv('Aubert'), contentType: 'text/csv' },
  })),
  row('POST /api/v1/practices/:practiceId/imports', PATIENTS_TEAM, (w) => ({
    method: 'POST',
    url: `${practice(w)}/imports?practitionerId=${w.doctorId}`,
    raw: {
      payload: csv(unique('Import').replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)),
      contentType: 'text/csv',
    },
  })),

  // ----- Messaging: practitioner controls and templates -----
  row(
    'GET /api/v1/practices/:practiceId/practitioners/:practitionerId/messaging-settings',
    PRACTICE_ADMIN,
    (w) => get(`${doctor(w)}/messaging-settings`),
  ),
  row(
    'PUT /api/v1/practices/:practiceId/practitioners/:practitionerId/messaging-settings',
    PRACTICE_ADMIN,
    (w) =>
      put(`${doctor(w)}/messaging-settings`, {
        ...DEFAULT_SETTINGS,
        open: true,
        maxOpenConversations: 20,
        dailyMessageCap: 100,
      }),
  ),
  row('GET /api/v1/practices/:practiceId/templates', MESSAGING_TEAM, (w) => get(`${practice(w)}/templates`)),
  row('POST /api/v1/practices/:practiceId/templates', MESSAGING_TEAM, (w) =>
    post(`${practice(w)}/templates`, { title: 'Rappel', body: 'Pensez à apporter votre carte Vitale.' }),
  ),
  // Dr Martin's own (unshared) template.
  row('DELETE /api/v1/practices/:practiceId/templates/:templateId', PRACTICE_ADMIN, async (w, a) => {
    let id = w.templateId;
    if (a.allowed) {
      const created = await pract(w).post(`${practice(w)}/templates`, {
        title: 'Temp',
        body: 'À supprimer.',
      });
      id = created.json().id;
    }
    return del(`${practice(w)}/templates/${id}`);
  }),

  // ----- Messaging: patient side -----
  row('GET /api/v1/messaging/eligibility', 'anon:401 *:404 owner:ok', (w) =>
    get(
      `/api/v1/messaging/eligibility?practitionerId=${w.doctorId}&practiceId=${w.practiceId}&patientProfileId=${w.profiles.jeanne}`,
    ),
  ),
  variant('POST /api/v1/conversations', "for Jeanne's profile", 'anon:401 *:404 owner:ok', (w) =>
    post('/api/v1/conversations', {
      practitionerId: w.doctorId,
      practiceId: w.practiceId,
      patientProfileId: w.profiles.jeanne,
      category: 'administrative',
      subject: 'Certificat',
      clientMessageId: cid(),
      body: 'Pourriez-vous me préparer un certificat de sport ?',
    }),
  ),
  // Tom consulted Dr Martin after taking his own account: his mother cannot write on the strength of it.
  variant('POST /api/v1/conversations', "for Tom's profile", 'anon:401 *:404 parent:403 teen:ok', (w) =>
    post('/api/v1/conversations', {
      practitionerId: w.doctorId,
      practiceId: w.practiceId,
      patientProfileId: w.profiles.tom,
      category: 'administrative',
      subject: 'Certificat',
      clientMessageId: cid(),
      body: 'Pourriez-vous me préparer un certificat de sport ?',
    }),
  ),
  row('GET /api/v1/conversations', PATIENTS, () => get('/api/v1/conversations')),

  // ----- Messaging: a conversation, from both sides -----
  ...(
    [
      ['Jeanne', OWN_CONVERSATION, (w: World) => w.conversations.jeanne],
      ['Léo (by his mother)', CHILD_CONVERSATION, (w: World) => w.conversations.child],
      ['Tom (confidential)', TEEN_CONVERSATION, (w: World) => w.conversations.teen],
    ] as const
  ).flatMap(([label, expect, id]) => [
    variant('GET /api/v1/conversations/:conversationId', label, expect, (w) =>
      get(`/api/v1/conversations/${id(w)}`),
    ),
    variant('GET /api/v1/conversations/:conversationId/messages', label, expect, (w) =>
      get(`/api/v1/conversations/${id(w)}/messages?after=0&limit=50`),
    ),
    // Health questions are answered by practitioners: the assistant reaches the conversation and is refused.
    variant('POST /api/v1/conversations/:conversationId/messages', label, `${expect} asstMsg:403`, (w) =>
      post(`/api/v1/conversations/${id(w)}/messages`, { clientMessageId: cid(), body: 'Merci beaucoup.' }),
    ),
    variant('GET /api/v1/conversations/:conversationId/access-log', label, expect, (w) =>
      get(`/api/v1/conversations/${id(w)}/access-log`),
    ),
    variant('POST /api/v1/conversations/:conversationId/read', label, expect, (w) =>
      post(`/api/v1/conversations/${id(w)}/read`, { seq: 1 }),
    ),
    variant('PATCH /api/v1/conversations/:conversationId', label, MESSAGING_TEAM, (w) =>
      patch(`/api/v1/conversations/${id(w)}`, { assigneeUserId: w.doctorId }),
    ),
  ]),
  // Another practice's conversation, through the same routes: its own team and the patient, nobody else.
  variant(
    'GET /api/v1/conversations/:conversationId',
    'Tom, by another practice',
    OTHER_PRACTICE_CONVERSATION,
    (w) => get(`/api/v1/conversations/${w.conversations.otherPractice}`),
  ),
  variant(
    'GET /api/v1/conversations/:conversationId/messages',
    'Tom, by another practice',
    OTHER_PRACTICE_CONVERSATION,
    (w) => get(`/api/v1/conversations/${w.conversations.otherPractice}/messages?after=0&limit=50`),
  ),
  variant(
    'POST /api/v1/conversations/:conversationId/messages',
    'Tom, by another practice',
    OTHER_PRACTICE_CONVERSATION,
    (w) =>
      post(`/api/v1/conversations/${w.conversations.otherPractice}/messages`, {
        clientMessageId: cid(),
        body: 'Je vous l’apporte jeudi.',
      }),
  ),
  variant(
    'PATCH /api/v1/conversations/:conversationId',
    'Tom, by another practice',
    'anon:401 *:404 otherPract:ok',
    (w) =>
      patch(`/api/v1/conversations/${w.conversations.otherPractice}`, { assigneeUserId: w.otherDoctorId }),
  ),
  // The conversation of an account since closed stays in the practice's records, readable by its messaging
  // team; nobody may write in it or reopen it any more.
  variant(
    'GET /api/v1/conversations/:conversationId',
    'of an account since closed',
    MESSAGING_TEAM,
    async (w) => get(`/api/v1/conversations/${(await closedAccount(w)).conversationId}`),
  ),
  variant(
    'POST /api/v1/conversations/:conversationId/messages',
    'of an account since closed',
    'anon:401 *:404 asstMsg:409 pract:409',
    async (w) =>
      post(`/api/v1/conversations/${(await closedAccount(w)).conversationId}/messages`, {
        clientMessageId: cid(),
        body: 'Bien noté, merci.',
      }),
  ),
  variant(
    'PATCH /api/v1/conversations/:conversationId',
    'reopening that of an account since closed',
    'anon:401 *:404 asstMsg:409 pract:409',
    async (w) =>
      patch(`/api/v1/conversations/${(await closedAccount(w)).conversationId}`, { status: 'open' }),
  ),
  row('GET /api/v1/unread', SIGNED_IN, () => get('/api/v1/unread')),
  row('POST /api/v1/attachments', SIGNED_IN, () => ({
    method: 'POST',
    url: '/api/v1/attachments',
    raw: { payload: PDF, contentType: 'application/pdf', headers: { 'x-file-name': 'analyse.pdf' } },
  })),
  variant('GET /api/v1/attachments/:attachmentId', "joined to Jeanne's renewal", OWN_CONVERSATION, (w) =>
    get(`/api/v1/attachments/${w.attachmentInConversation}`),
  ),
  variant(
    'GET /api/v1/attachments/:attachmentId',
    "Jeanne's upload, not sent yet",
    'anon:401 *:404 owner:ok',
    (w) => get(`/api/v1/attachments/${w.attachmentLoose}`),
  ),

  // ----- Messaging: practice side -----
  row('GET /api/v1/practices/:practiceId/inbox', MESSAGING_TEAM, (w) =>
    get(`${practice(w)}/inbox?offset=0&limit=30`),
  ),
  row('POST /api/v1/practices/:practiceId/conversations', MESSAGING_TEAM, (w) =>
    post(`${practice(w)}/conversations`, {
      practitionerId: w.doctorId,
      patientProfileId: w.profiles.jeanne,
      category: 'administrative',
      subject: 'Votre dossier',
      clientMessageId: cid(),
      body: 'Pourriez-vous nous apporter votre carte Vitale à la prochaine visite ?',
      patientMayReply: true,
    }),
  ),
  // A patient whose account is closed cannot be written to: the practice's messaging team reaches that rule.
  variant(
    'POST /api/v1/practices/:practiceId/conversations',
    'to the profile of an account since closed',
    'anon:401 *:404 asstMsg:409 pract:409',
    async (w) =>
      post(`${practice(w)}/conversations`, {
        practitionerId: w.doctorId,
        patientProfileId: (await closedAccount(w)).profileId,
        category: 'administrative',
        subject: 'Votre dossier',
        clientMessageId: cid(),
        body: 'Pourriez-vous nous rappeler ?',
        patientMayReply: true,
      }),
  ),
  // Renewal decisions are medical acts: the assistant reaches the request and is refused.
  row('POST /api/v1/renewals/:renewalId/decision', 'anon:401 *:404 asstMsg:403 pract:ok', async (w, a) =>
    post(`/api/v1/renewals/${a.allowed ? await freshRenewal(w) : w.renewalId}/decision`, {
      decision: 'approved',
      pickup: 'pharmacy',
    }),
  ),

  // ----- Safety -----
  row('POST /api/v1/safety/check', SIGNED_IN, () =>
    post('/api/v1/safety/check', { text: 'J’ai un peu mal à la tête', lang: 'fr', country: 'FR' }),
  ),
  row('GET /api/v1/safety/numbers', PUBLIC, () => get('/api/v1/safety/numbers?country=FR&lang=fr')),

  // ----- Campaigns -----
  row('POST /api/v1/practices/:practiceId/campaigns/audience', CAMPAIGNS_TEAM, (w) =>
    post(`${practice(w)}/campaigns/audience`, {
      audience: campaignBody(w.t).audience,
      sendAt: campaignBody(w.t).sendAt,
    }),
  ),
  // Campaigns go out in a practitioner's name: an assistant with the campaigns right prepares and follows them.
  variant(
    'POST /api/v1/practices/:practiceId/campaigns',
    'prevention',
    'anon:401 *:404 asstNo:403 pract:ok',
    (w) => post(`${practice(w)}/campaigns`, campaignBody(w.t)),
  ),
  variant(
    'POST /api/v1/practices/:practiceId/campaigns',
    'practice news',
    'anon:401 *:404 asstNo:403 pract:ok',
    (w) => post(`${practice(w)}/campaigns`, { ...campaignBody(w.t), kind: 'practice_info' }),
  ),
  row('GET /api/v1/practices/:practiceId/campaigns', CAMPAIGNS_TEAM, (w) => get(`${practice(w)}/campaigns`)),
  row('POST /api/v1/practices/:practiceId/campaigns/:campaignId/cancel', CAMPAIGNS_TEAM, async (w, a) => {
    let id = w.campaignId;
    if (a.allowed) id = (await pract(w).post(`${practice(w)}/campaigns`, campaignBody(w.t))).json().id;
    return post(`${practice(w)}/campaigns/${id}/cancel`);
  }),
  row('POST /api/v1/practices/:practiceId/campaigns/audience/list', CAMPAIGNS_TEAM, (w) =>
    post(`${practice(w)}/campaigns/audience/list`, {
      csv: 'Nom;Prénom;Date de naissance\nPetit;Jeanne;14/03/1951',
    }),
  ),
  row('GET /api/v1/practices/:practiceId/campaigns/:campaignId', CAMPAIGNS_TEAM, (w) =>
    get(`${practice(w)}/campaigns/${w.campaignId}`),
  ),
  row('GET /api/v1/practices/:practiceId/campaigns/:campaignId/timeline', CAMPAIGNS_TEAM, (w) =>
    get(`${practice(w)}/campaigns/${w.campaignId}/timeline`),
  ),
  // Allowed members are judged on a campaign that has a document; the shared campaign has none.
  row('GET /api/v1/practices/:practiceId/campaigns/:campaignId/attachment', CAMPAIGNS_TEAM, async (w, a) => {
    let id = w.campaignId;
    if (a.allowed) {
      const file = (
        await pract(w).request('POST', '/api/v1/attachments', PDF, {
          'content-type': 'application/pdf',
          'x-file-name': 'document.pdf',
        })
      ).json();
      id = (
        await pract(w).post(`${practice(w)}/campaigns`, { ...campaignBody(w.t), attachmentId: file.id })
      ).json().id;
    }
    return get(`${practice(w)}/campaigns/${id}/attachment`);
  }),
  // The campaign document of a conversation: whoever sees the conversation (none for this one, hence 404 below).
  row('GET /api/v1/conversations/:conversationId/campaign-attachment', OWN_CONVERSATION, (w) =>
    get(`/api/v1/conversations/${w.conversations.jeanne}/campaign-attachment`),
  ),
  row('GET /api/v1/conversations/:conversationId/campaign-attachment/file', 'anon:401 *:404', (w) =>
    get(`/api/v1/conversations/${w.conversations.jeanne}/campaign-attachment/file`),
  ),
  row('GET /api/v1/campaign-optouts', PATIENTS, () => get('/api/v1/campaign-optouts')),
  variant(
    'PUT /api/v1/practices/:practiceId/campaign-optout',
    "Jeanne's profile",
    'anon:401 *:404 owner:ok',
    (w) => put(`${practice(w)}/campaign-optout`, { patientProfileId: w.profiles.jeanne, optedOut: false }),
  ),

  // ----- One practice's ids through another practice's paths: nobody gets through, not even that practice's admin -----
  ...(
    [
      [
        'PUT /api/v1/practices/:practiceId/practitioners/:practitionerId/schedule',
        (w: World) =>
          put(`${other(w)}/practitioners/${w.doctorId}/schedule`, {
            slotMinutes: 15,
            bookingHorizonDays: 30,
            periods: [],
          }),
      ],
      [
        'GET /api/v1/practices/:practiceId/practitioners/:practitionerId/schedule',
        (w: World) => get(`${other(w)}/practitioners/${w.doctorId}/schedule`),
      ],
      [
        'POST /api/v1/practices/:practiceId/practitioners/:practitionerId/schedule/exceptions',
        (w: World) =>
          post(`${other(w)}/practitioners/${w.doctorId}/schedule/exceptions`, {
            startsOn: '2027-04-01',
            endsOn: '2027-04-01',
            label: 'X',
          }),
      ],
      [
        'DELETE /api/v1/practices/:practiceId/practitioners/:practitionerId/schedule/exceptions/:exceptionId',
        (w: World) =>
          del(`${other(w)}/practitioners/${w.otherDoctorId}/schedule/exceptions/${w.exceptionId}`),
      ],
      [
        'POST /api/v1/practices/:practiceId/appointments/:appointmentId/attendance',
        (w: World) => post(`${other(w)}/appointments/${w.appointmentId}/attendance`, { status: 'no_show' }),
      ],
      [
        'POST /api/v1/practices/:practiceId/appointments/:appointmentId/cancel',
        (w: World) => post(`${other(w)}/appointments/${w.appointmentId}/cancel`, { reason: 'Erreur' }),
      ],
      [
        'PUT /api/v1/practices/:practiceId/patients/:patientId/tags',
        (w: World) => put(`${other(w)}/patients/${w.jeanneRecordId}/tags`, { tags: ['x'] }),
      ],
      [
        'GET /api/v1/practices/:practiceId/practitioners/:practitionerId/messaging-settings',
        (w: World) => get(`${other(w)}/practitioners/${w.doctorId}/messaging-settings`),
      ],
      [
        'PUT /api/v1/practices/:practiceId/practitioners/:practitionerId/messaging-settings',
        (w: World) =>
          put(`${other(w)}/practitioners/${w.doctorId}/messaging-settings`, {
            ...DEFAULT_SETTINGS,
            open: false,
          }),
      ],
      [
        'DELETE /api/v1/practices/:practiceId/templates/:templateId',
        (w: World) => del(`${other(w)}/templates/${w.templateId}`),
      ],
      [
        'POST /api/v1/practices/:practiceId/campaigns/:campaignId/cancel',
        (w: World) => post(`${other(w)}/campaigns/${w.campaignId}/cancel`),
      ],
      [
        'DELETE /api/v1/practices/:practiceId/invitations/:invitationId',
        (w: World) => del(`${other(w)}/invitations/${w.invitationId}`),
      ],
      [
        'PATCH /api/v1/practices/:practiceId/members/:userId',
        (w: World) =>
          patch(`${other(w)}/members/${w.userIds.asstNo}`, {
            rights: ['agenda', 'campaigns', 'messaging', 'patients'],
          }),
      ],
      [
        'DELETE /api/v1/practices/:practiceId/members/:userId',
        (w: World) => del(`${other(w)}/members/${w.userIds.asstNo}`),
      ],
    ] as const
  ).map(([route, request]) =>
    variant(route, "another practice's path", 'anon:401 *:404', request as Row['request']),
  ),
  // What the other practice's admin may do on its own practice, with the first practice's ids in the body or
  // query: the import refuses a practitioner who is not a member, writing first needs a care relationship, and
  // the agenda and inbox filters find nothing (the test checks that they come back empty).
  variant(
    'POST /api/v1/practices/:practiceId/imports',
    "another practice's practitioner",
    'anon:401 *:404 otherPract:400',
    (w) => ({
      method: 'POST',
      url: `${other(w)}/imports?practitionerId=${w.doctorId}`,
      raw: { payload: csv('Aubert'), contentType: 'text/csv' },
    }),
  ),
  variant(
    'POST /api/v1/practices/:practiceId/imports/preview',
    "another practice's practitioner",
    'anon:401 *:404 otherPract:400',
    (w) => ({
      method: 'POST',
      url: `${other(w)}/imports/preview?practitionerId=${w.doctorId}`,
      raw: { payload: csv('Aubert'), contentType: 'text/csv' },
    }),
  ),
  variant(
    'POST /api/v1/practices/:practiceId/conversations',
    "another practice's patient",
    'anon:401 *:404 otherPract:403',
    (w) =>
      post(`${other(w)}/conversations`, {
        practitionerId: w.otherDoctorId,
        patientProfileId: w.profiles.jeanne,
        category: 'administrative',
        subject: 'Bonjour',
        clientMessageId: cid(),
        body: 'Nous ne nous connaissons pas.',
        patientMayReply: true,
      }),
  ),
  variant(
    'GET /api/v1/practices/:practiceId/agenda',
    "another practice's practitioner",
    'anon:401 *:404 otherPract:ok',
    (w) => get(`${other(w)}/agenda?from=2026-12-01&days=7&practitionerId=${w.doctorId}`),
  ),
  variant(
    'GET /api/v1/practices/:practiceId/inbox',
    "another practice's practitioner",
    'anon:401 *:404 otherPract:ok',
    (w) => get(`${other(w)}/inbox?practitionerId=${w.doctorId}`),
  ),

  // ----- Someone of another practice through this practice's paths and bodies -----
  variant(
    'GET /api/v1/practices/:practiceId/practitioners/:practitionerId/schedule',
    "a non-member's schedule",
    'anon:401 *:404',
    (w) => get(`${practice(w)}/practitioners/${w.otherDoctorId}/schedule`),
  ),
  variant(
    'PUT /api/v1/practices/:practiceId/practitioners/:practitionerId/schedule',
    "a non-member's schedule",
    'anon:401 *:404',
    (w) =>
      put(`${practice(w)}/practitioners/${w.otherDoctorId}/schedule`, {
        slotMinutes: 15,
        bookingHorizonDays: 30,
        periods: [],
      }),
  ),
  variant(
    'GET /api/v1/practices/:practiceId/practitioners/:practitionerId/messaging-settings',
    "a non-member's settings",
    'anon:401 *:404',
    (w) => get(`${practice(w)}/practitioners/${w.otherDoctorId}/messaging-settings`),
  ),
  variant(
    'PUT /api/v1/practices/:practiceId/practitioners/:practitionerId/messaging-settings',
    "a non-member's settings",
    'anon:401 *:404',
    (w) =>
      put(`${practice(w)}/practitioners/${w.otherDoctorId}/messaging-settings`, {
        ...DEFAULT_SETTINGS,
        open: true,
      }),
  ),
  variant(
    'PATCH /api/v1/conversations/:conversationId',
    'assigned to a non-member',
    'anon:401 *:404 asstMsg:400 pract:400',
    (w) => patch(`/api/v1/conversations/${w.conversations.jeanne}`, { assigneeUserId: w.otherDoctorId }),
  ),
  variant(
    'POST /api/v1/appointments',
    'at a practice the practitioner is not part of',
    'anon:401 *:404',
    (w) =>
      post('/api/v1/appointments', {
        practitionerId: w.doctorId,
        practiceId: w.otherPracticeId,
        startsAt: w.freeSlots[0],
        patientProfileId: w.profiles.jeanne,
      }),
  ),
  // Slots and eligibility answer for any pair: no opening hours there gives no slot, no settings there is closed.
  variant(
    'GET /api/v1/directory/practitioners/:practitionerId/slots',
    'at a practice the practitioner is not part of',
    SIGNED_IN,
    (w) =>
      get(
        `/api/v1/directory/practitioners/${w.doctorId}/slots?practiceId=${w.otherPracticeId}&from=2026-12-01&days=2`,
      ),
  ),
  variant(
    'GET /api/v1/messaging/eligibility',
    'at a practice the practitioner is not part of',
    'anon:401 *:404 owner:ok',
    (w) =>
      get(
        `/api/v1/messaging/eligibility?practitionerId=${w.doctorId}&practiceId=${w.otherPracticeId}&patientProfileId=${w.profiles.jeanne}`,
      ),
  ),
  variant(
    'POST /api/v1/conversations',
    'at a practice the practitioner is not part of',
    'anon:401 *:404 owner:403',
    (w) =>
      post('/api/v1/conversations', {
        practitionerId: w.doctorId,
        practiceId: w.otherPracticeId,
        patientProfileId: w.profiles.jeanne,
        category: 'administrative',
        subject: 'Certificat',
        clientMessageId: cid(),
        body: 'Pourriez-vous me préparer un certificat ?',
      }),
  ),

  // ----- FHIR R4 (docs/api.md): the API's rules, per resource; anything not the caller's to see is 404 -----
  row('GET /fhir/R4/metadata', PUBLIC, () => get('/fhir/R4/metadata')),
  // Searches answer everyone signed in, with only what the caller may see (empty for those who see nothing).
  ...(
    [
      'Patient',
      'RelatedPerson',
      'Practitioner',
      'Appointment',
      'Communication',
      'MedicationRequest',
      'CommunicationRequest',
      'AuditEvent',
    ] as const
  ).map((type) => row(`GET /fhir/R4/${type}`, SIGNED_IN, () => get(`/fhir/R4/${type}?_count=20`))),
  // Profiles: their holders (and whoever manages them), and practice members with the patients right where
  // the patient is on record. Paul is on no practice's record.
  ...(
    [
      ['Jeanne', 'anon:401 *:404 owner:ok asstMsg:ok pract:ok', (w: World) => w.profiles.jeanne],
      [
        'Léo (managed by his mother)',
        'anon:401 *:404 parent:ok asstMsg:ok pract:ok',
        (w: World) => w.profiles.leo,
      ],
      [
        "Tom (his own account, his mother still manages the profile; on both practices' records)",
        'anon:401 *:404 parent:ok teen:ok asstMsg:ok pract:ok otherPract:ok',
        (w: World) => w.profiles.tom,
      ],
      ['Paul (on no practice record)', 'anon:401 *:404 other:ok', (w: World) => w.profiles.paul],
    ] as const
  ).flatMap(([label, expect, id]) => [
    variant('GET /fhir/R4/Patient/:id', label, expect, (w) => get(`/fhir/R4/Patient/${id(w)}`)),
    variant('GET /fhir/R4/Patient/:id/$everything', label, expect, (w) =>
      get(`/fhir/R4/Patient/${id(w)}/$everything`),
    ),
  ]),
  // A RelatedPerson is a relative's profile seen from the account that manages it; one's own profile is none.
  variant('GET /fhir/R4/RelatedPerson/:id', 'Léo', 'anon:401 *:404 parent:ok asstMsg:ok pract:ok', (w) =>
    get(`/fhir/R4/RelatedPerson/${w.profiles.leo}`),
  ),
  variant(
    'GET /fhir/R4/RelatedPerson/:id',
    'Tom',
    'anon:401 *:404 parent:ok teen:ok asstMsg:ok pract:ok otherPract:ok',
    (w) => get(`/fhir/R4/RelatedPerson/${w.profiles.tom}`),
  ),
  variant('GET /fhir/R4/RelatedPerson/:id', "Jeanne's own profile", 'anon:401 *:404', (w) =>
    get(`/fhir/R4/RelatedPerson/${w.profiles.jeanne}`),
  ),
  // Practitioners: the patients they care for, and the members of their practices. Tom saw Dr Bernard after
  // taking his own account: his mother does not learn of it (as GET /api/v1/my-practitioners).
  variant(
    'GET /fhir/R4/Practitioner/:id',
    'Dr Martin',
    'anon:401 *:404 owner:ok parent:ok teen:ok asstMsg:ok asstNo:ok pract:ok',
    (w) => get(`/fhir/R4/Practitioner/${w.doctorId}`),
  ),
  variant('GET /fhir/R4/Practitioner/:id', 'Dr Bernard', 'anon:401 *:404 teen:ok otherPract:ok', (w) =>
    get(`/fhir/R4/Practitioner/${w.otherDoctorId}`),
  ),
  variant('GET /fhir/R4/Appointment/:id', "Jeanne's", 'anon:401 *:404 owner:ok asstNo:ok pract:ok', (w) =>
    get(`/fhir/R4/Appointment/${w.appointmentId}`),
  ),
  // What the mother books for Tom once he holds his own account is his: she no longer sees it.
  variant(
    'GET /fhir/R4/Appointment/:id',
    "Tom's, booked by his mother after he took his own account",
    'anon:401 *:404 teen:ok asstNo:ok pract:ok',
    async (w) => get(`/fhir/R4/Appointment/${await appointmentBookedForTom(w)}`),
  ),
  ...(
    [
      ['Jeanne', OWN_CONVERSATION, (w: World) => w.conversations.jeanne],
      ['Léo (by his mother)', CHILD_CONVERSATION, (w: World) => w.conversations.child],
      ['Tom (confidential)', TEEN_CONVERSATION, (w: World) => w.conversations.teen],
      ['Tom, by another practice', OTHER_PRACTICE_CONVERSATION, (w: World) => w.conversations.otherPractice],
    ] as const
  ).flatMap(([label, expect, id]) => [
    variant('GET /fhir/R4/Communication/:id', label, expect, (w) => get(`/fhir/R4/Communication/${id(w)}`)),
    variant('GET /fhir/R4/Communication/:id/$export', label, expect, (w) =>
      get(`/fhir/R4/Communication/${id(w)}/$export`),
    ),
  ]),
  row('GET /fhir/R4/MedicationRequest/:id', OWN_CONVERSATION, (w) =>
    get(`/fhir/R4/MedicationRequest/${w.renewalId}`),
  ),
  // Campaigns: the practice's campaigns team, and the patients who received them, through the conversations
  // they may see (what reached Tom after he took his own account is his alone).
  variant('GET /fhir/R4/CommunicationRequest/:id', 'not sent yet', CAMPAIGNS_TEAM, (w) =>
    get(`/fhir/R4/CommunicationRequest/${w.campaignId}`),
  ),
  variant(
    'GET /fhir/R4/CommunicationRequest/:id',
    'sent to Jeanne, Léo and Tom',
    'anon:401 *:404 owner:ok parent:ok teen:ok asstNo:ok pract:ok',
    async (w) => get(`/fhir/R4/CommunicationRequest/${await sentCampaign(w, null, null)}`),
  ),
  variant(
    'GET /fhir/R4/CommunicationRequest/:id',
    'sent to teenagers: Tom alone',
    'anon:401 *:404 teen:ok asstNo:ok pract:ok',
    async (w) => get(`/fhir/R4/CommunicationRequest/${await sentCampaign(w, 12, 17)}`),
  ),
  // Access history: the practice's administrators, and the patient whose history it is; a teenager's
  // history is his own once he holds his account.
  ...(
    [
      ['about Jeanne', 'anon:401 *:404 owner:ok pract:ok', (w: World) => w.profiles.jeanne],
      ['about Léo', 'anon:401 *:404 parent:ok pract:ok', (w: World) => w.profiles.leo],
      ['about Tom', 'anon:401 *:404 teen:ok pract:ok', (w: World) => w.profiles.tom],
    ] as const
  ).map(([label, expect, profile]) =>
    variant('GET /fhir/R4/AuditEvent/:id', label, expect, async (w) =>
      get(`/fhir/R4/AuditEvent/${await auditEntryAbout(w, profile(w))}`),
    ),
  ),

  // ----- Real time -----
  row('GET /api/v1/sync', SIGNED_IN, () => get('/api/v1/sync?since=0')),
  row('GET /api/v1/ws', SIGNED_IN, () => ({ ...get('/api/v1/ws'), ws: true })),
];

/** Parses 'anon:401 *:404 owner:ok' into one expectation per actor; throws on unknown or missing actors. */
export function expectations(spec: string, actors: readonly ActorName[]): Record<ActorName, Expected> {
  const parsed = new Map<string, Expected>();
  for (const part of spec.trim().split(/\s+/)) {
    const [who, what] = part.split(':');
    if (!who || !what) throw new Error(`bad expectation "${part}"`);
    if (who !== '*' && !actors.includes(who as ActorName)) throw new Error(`unknown actor "${who}"`);
    if (what !== 'ok' && !['302', '400', '401', '403', '404', '409'].includes(what))
      throw new Error(`bad outcome "${part}"`);
    parsed.set(who, what === 'ok' ? 'ok' : (Number(what) as Expected));
  }
  const result = {} as Record<ActorName, Expected>;
  for (const actor of actors) {
    const outcome = parsed.get(actor) ?? parsed.get('*');
    if (outcome === undefined) throw new Error(`no expectation for ${actor} in "${spec}"`);
    result[actor] = outcome;
  }
  return result;
}
