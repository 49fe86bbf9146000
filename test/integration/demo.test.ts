import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/features/audit/audit.service';
import { DEMO_PASSWORD, hasAnyUser, loadDemo, removeDemo } from '../../src/features/demo/demo.service';
import { hashToken } from '../../src/platform/crypto/tokens';
import type { Database } from '../../src/platform/db/schema';
import { outboxPayloadAad } from '../../src/platform/outbox/outbox';
import { browserKeys, type PushServiceSink, startPushService } from '../helpers/push-service';
import { tokenFrom } from '../helpers/smtp-sink';
import { storesUnderTest } from '../helpers/stores';
import {
  createTestApp,
  EVERY_PATIENT,
  GOOD_PASSWORD,
  signUpPatient,
  type TestApp,
  totpCode,
} from '../helpers/test-app';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2_000, 0x20)]);
const cid = () => randomUUID().replace(/-/g, '');

/** Every table of the store: the type makes this list follow the schema. */
const TABLES = {
  users: true,
  practitioners: true,
  practices: true,
  practice_members: true,
  practice_invitations: true,
  patient_profiles: true,
  sessions: true,
  email_tokens: true,
  login_throttle: true,
  data_keys: true,
  audit_log: true,
  audit_head: true,
  practitioner_schedules: true,
  schedule_exceptions: true,
  appointments: true,
  practice_patients: true,
  care_relationships: true,
  patient_invitations: true,
  profile_claims: true,
  outbox: true,
  messaging_settings: true,
  message_templates: true,
  conversations: true,
  messages: true,
  attachments: true,
  read_markers: true,
  renewals: true,
  notification_preferences: true,
  notification_log: true,
  digest_log: true,
  web_push_keys: true,
  push_subscriptions: true,
  push_log: true,
  live_connections: true,
  campaigns: true,
  campaign_recipients: true,
  campaign_optouts: true,
  key_rotations: true,
  audit_anchor: true,
  terms_versions: true,
  terms_acceptances: true,
  data_exports: true,
  campaign_attachments: true,
} satisfies Record<keyof Database, true>;
const TABLE_NAMES = Object.keys(TABLES) as (keyof Database)[];

describe.each(storesUnderTest())('demo practice on %s', (kind) => {
  let t: TestApp;
  let push: PushServiceSink;
  beforeAll(async () => {
    t = await createTestApp(kind);
    push = await startPushService();
  });
  afterAll(async () => {
    await t?.close();
    await push?.close();
  });

  const load = () => loadDemo({ store: t.runtime.store, clock: t.clock, ...t.services });
  const reload = async () => {
    await removeDemo(t.runtime.store, t.runtime.keys);
    return load();
  };
  const signIn = async (email: string) => {
    const client = t.client();
    const login = await client.post('/api/v1/auth/login', { email, password: DEMO_PASSWORD });
    expect(login.statusCode, login.body).toBe(200);
    return client;
  };
  /** Demo staff enrol TOTP at their first sign-in, as anyone would; nothing else is asked of them. */
  const signInStaff = async (email: string) => {
    const client = await signIn(email);
    const secret = (await client.post('/api/v1/auth/totp/setup')).json().manualKey as string;
    const enabled = await client.post('/api/v1/auth/totp/enable', { code: await totpCode(t, secret) });
    expect(enabled.statusCode, enabled.body).toBe(200);
    t.clock.advance(30_000);
    return client;
  };

  /** Every row of every table except the audit trail (append-only) and outbox payloads decrypted, as text. */
  const dump = async () => {
    const db = t.runtime.store.db;
    const rows: { table: string; text: string; row: Record<string, unknown> }[] = [];
    for (const table of TABLE_NAMES) {
      if (table === 'audit_log') continue;
      for (const row of (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[]) {
        let text = JSON.stringify(row, (_key, value) =>
          value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
        );
        if (table === 'outbox')
          text += await t.runtime.keys.decryptText(
            row.payload as Uint8Array,
            outboxPayloadAad(row.id as string),
          );
        rows.push({ table, text, row });
      }
    }
    return rows;
  };

  it('loads a labelled demo practice whose accounts work, and reloads it without duplicates', async () => {
    expect(await hasAnyUser(t.runtime.store)).toBe(false);
    const logins = await load();
    expect(logins.map((l) => l.email)).toContain('claire.martin@demo.missive.test');
    await removeDemo(t.runtime.store, t.runtime.keys);
    expect(await hasAnyUser(t.runtime.store)).toBe(false);
    await load();

    const lucas = t.client();
    expect(
      (
        await lucas.post('/api/v1/auth/login', {
          email: 'lucas.moreau@demo.missive.test',
          password: DEMO_PASSWORD,
        })
      ).statusCode,
    ).toBe(200);
    const mine = (await lucas.get('/api/v1/my-practitioners')).json().practitioners;
    expect(mine.map((p: { patientName: string }) => p.patientName).sort()).toEqual(
      ['Emma Moreau', 'Léo Moreau', 'Lucas Moreau'].sort(),
    );
    expect(mine.every((p: { practiceName: string }) => p.practiceName.includes('démo'))).toBe(true);
    const directory = (await lucas.get('/api/v1/directory/practitioners?city=lyon')).json().practitioners;
    expect(directory.filter((p: { bookable: boolean }) => p.bookable)).toHaveLength(2);

    const staff = t.client();
    expect(
      (
        await staff.post('/api/v1/auth/login', {
          email: 'sophie.bernard@demo.missive.test',
          password: DEMO_PASSWORD,
        })
      ).json().mfa,
    ).toBe('enrolment_required');
    const practices = await t.runtime.store.db.selectFrom('practices').select(['name', 'is_demo']).execute();
    expect(practices).toEqual([{ name: 'Cabinet des Tilleuls (démo)', is_demo: 1 }]);
    expect((await verifyAuditChain(t.runtime.store.db)).ok).toBe(true);
  });

  it('is ready for messaging, with conversations already in the practice inbox and the patients’ lists', async () => {
    const lucas = await signIn('lucas.moreau@demo.missive.test');
    const mine = (await lucas.get('/api/v1/my-practitioners')).json().practitioners;
    for (const p of mine as { practitionerId: string; practiceId: string; patientProfileId: string }[]) {
      const eligibility = await lucas.get(
        `/api/v1/messaging/eligibility?practitionerId=${p.practitionerId}&practiceId=${p.practiceId}&patientProfileId=${p.patientProfileId}`,
      );
      expect(eligibility.json(), eligibility.body).toMatchObject({ eligible: true, reason: null });
    }
    const lucasList = (await lucas.get('/api/v1/conversations')).json().conversations;
    expect(lucasList).toEqual([
      expect.objectContaining({ subject: 'Attestation pour ma mutuelle', status: 'open' }),
    ]);
    const jeanne = await signIn('jeanne.petit@demo.missive.test');
    const [answered] = (await jeanne.get('/api/v1/conversations')).json().conversations;
    expect(answered).toMatchObject({ subject: 'Résultats de ma prise de sang', status: 'waiting_patient' });
    const messages = (await jeanne.get(`/api/v1/conversations/${answered.id}/messages`)).json().messages;
    expect(messages.map((m: { sender: { side: string } }) => m.sender.side)).toEqual(['patient', 'practice']);
    expect(messages[1].body).toContain('Dr Claire Martin');
    // The practice sees both in its inbox.
    const sophie = await signInStaff('sophie.bernard@demo.missive.test');
    const inbox = (await sophie.get(`/api/v1/practices/${mine[0].practiceId}/inbox`)).json();
    expect(inbox.conversations.map((c: { subject: string }) => c.subject).sort()).toEqual([
      'Attestation pour ma mutuelle',
      'Résultats de ma prise de sang',
    ]);
    // Dr Martin has read them: what a visitor writes next is what stands out.
    const martin = await t.runtime.store.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'claire.martin@demo.missive.test')
      .executeTakeFirstOrThrow();
    expect(await t.services.inbox.unreadTotal({ sessionId: '', user: martin, mfa: 'verified' })).toBe(0);
    // Stored encrypted, like any conversation.
    const stored = await t.runtime.store.db.selectFrom('messages').select('body').execute();
    for (const { body } of stored) expect(Buffer.from(body).toString('utf8')).not.toContain('cholestérol');
    expect((await verifyAuditChain(t.runtime.store.db)).ok).toBe(true);
  });

  it('reloads after the demo was used, removing every demo row and keeping other accounts intact', async () => {
    const db = t.runtime.store.db;
    // Someone who is not part of the demo, with a session, accepted terms, preferences and a queued mail.
    const paul = await signUpPatient(t, 'paul.real@example.org', { firstName: 'Paul', lastName: 'Durand' });
    expect(
      (await paul.request('PUT', '/api/v1/me/notifications', { email: true, digest: false })).statusCode,
    ).toBe(200);
    await paul.post('/api/v1/auth/password-reset/request', { email: 'paul.real@example.org' });
    const paulId = (await paul.get('/api/v1/me')).json().user.id as string;
    const paulRows = async () =>
      (await dump()).filter((r) => r.text.includes(paulId) || r.text.includes('paul.real@example.org'));
    // The demo is used: a patient writes to Dr Martin, subscribes to push, opts out, asks for an export...
    const jeanne = await signIn('jeanne.petit@demo.missive.test');
    const martinCare = (await jeanne.get('/api/v1/my-practitioners'))
      .json()
      .practitioners.find((p: { lastName: string }) => p.lastName === 'Martin');
    const started = await jeanne.post('/api/v1/conversations', {
      practitionerId: martinCare.practitionerId,
      practiceId: martinCare.practiceId,
      patientProfileId: martinCare.patientProfileId,
      category: 'health_question',
      subject: 'Renouvellement de mon collyre',
      clientMessageId: cid(),
      body: 'Bonjour Docteur, mon flacon de collyre se termine la semaine prochaine.',
    });
    expect(started.statusCode, started.body).toBe(201);
    const conversationId = started.json().conversation.id as string;
    const keys = browserKeys();
    expect(
      (await jeanne.request('PUT', '/api/v1/me/notifications', { email: true, digest: false, push: true }))
        .statusCode,
    ).toBe(200);
    const subscribed = await jeanne.post('/api/v1/me/push-subscriptions', {
      endpoint: `${push.url}/jeanne`,
      expirationTime: null,
      keys: { p256dh: keys.p256dh, auth: keys.auth },
    });
    expect(subscribed.statusCode, subscribed.body).toBeLessThan(300);
    expect(
      (
        await jeanne.request('PUT', `/api/v1/practices/${martinCare.practiceId}/campaign-optout`, {
          patientProfileId: martinCare.patientProfileId,
          optedOut: true,
        })
      ).statusCode,
    ).toBeLessThan(300);
    expect((await jeanne.post('/api/v1/me/exports', { password: DEMO_PASSWORD })).statusCode).toBe(202);
    const slots = (
      await jeanne.get(
        `/api/v1/directory/practitioners/${martinCare.practitionerId}/slots?practiceId=${martinCare.practiceId}&from=2026-11-09&days=7`,
      )
    ).json().slots as { startsAt: number }[];
    const booked = await jeanne.post('/api/v1/appointments', {
      practitionerId: martinCare.practitionerId,
      practiceId: martinCare.practiceId,
      startsAt: slots[0]!.startsAt,
      patientProfileId: martinCare.patientProfileId,
    });
    expect(booked.statusCode, booked.body).toBe(201);
    // ... a parent asks for a renewal with a document ...
    const lucas = await signIn('lucas.moreau@demo.missive.test');
    const lucasCare = (await lucas.get('/api/v1/my-practitioners'))
      .json()
      .practitioners.find((p: { patientName: string }) => p.patientName === 'Lucas Moreau');
    const uploaded = await lucas.request('POST', '/api/v1/attachments', PDF, {
      'content-type': 'application/pdf',
      'x-file-name': encodeURIComponent('ordonnance.pdf'),
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const renewal = await lucas.post('/api/v1/conversations', {
      practitionerId: lucasCare.practitionerId,
      practiceId: lucasCare.practiceId,
      patientProfileId: lucasCare.patientProfileId,
      category: 'renewal',
      subject: 'Renouvellement',
      clientMessageId: cid(),
      body: 'Bonjour, pourriez-vous renouveler mon traitement ? Ordonnance jointe.',
      attachmentIds: [uploaded.json().id],
      renewal: {
        medication: 'Ventoline 100 µg',
        dosage: '2 bouffées si besoin',
        takenFor: 'asthme',
        lastPrescriptionOn: '2026-05-04',
      },
    });
    expect(renewal.statusCode, renewal.body).toBe(201);
    // ... the teenager takes his own account (a demo account too, as his profile is the demo's) ...
    const leo = (
      (await lucas.get('/api/v1/relatives')).json().profiles as { id: string; firstName: string }[]
    ).find((p) => p.firstName === 'Léo')!;
    expect(
      (await lucas.post(`/api/v1/relatives/${leo.id}/own-account`, { email: 'leo.visitor@example.org' }))
        .statusCode,
    ).toBe(202);
    const claimed = await t.client().post('/api/v1/profile-claims/accept', {
      token: tokenFrom(await t.smtp.waitFor('leo.visitor@example.org')),
      password: GOOD_PASSWORD,
      locale: 'fr',
      country: 'FR',
    });
    expect(claimed.statusCode, claimed.body).toBe(204);
    expect(
      await db.selectFrom('users').select('is_demo').where('email', '=', 'leo.visitor@example.org').execute(),
    ).toEqual([{ is_demo: 1 }]);
    // ... someone mistypes a demo password (a login throttle) ...
    await t.client().post('/api/v1/auth/login', {
      email: 'lucas.moreau@demo.missive.test',
      password: 'not the demo password',
    });
    // ... and the practice answers, writes a template and sends a campaign.
    const martin = await signInStaff('claire.martin@demo.missive.test');
    const answered = await martin.post(`/api/v1/conversations/${conversationId}/messages`, {
      clientMessageId: cid(),
      body: 'Bonjour Madame Petit, je vous fais une ordonnance que vous trouverez à l’accueil demain.',
    });
    expect(answered.statusCode, answered.body).toBe(201);
    expect((await martin.post(`/api/v1/conversations/${conversationId}/read`, { seq: 2 })).statusCode).toBe(
      200,
    );
    const template = await martin.post(`/api/v1/practices/${martinCare.practiceId}/templates`, {
      title: 'Ordonnance prête',
      body: 'Votre ordonnance est prête à l’accueil.',
      shared: true,
    });
    expect(template.statusCode, template.body).toBeLessThan(300);
    const campaign = await martin.post(`/api/v1/practices/${martinCare.practiceId}/campaigns`, {
      kind: 'practice_info',
      title: 'Fermeture du cabinet',
      body: 'Le cabinet sera fermé le lundi de Pâques.',
      patientsMayReply: false,
      audience: EVERY_PATIENT,
      contentRulesAccepted: true,
    });
    expect(campaign.statusCode, campaign.body).toBe(201);
    expect(await t.services.campaigns.runDue()).toBeGreaterThan(0);
    // Notices fall due and go out (mail, push) while the demo is in use.
    t.clock.advance(t.config.notifications.delayMs + 1_000);
    await t.runtime.outbox.drainOnce();
    await t.runtime.outbox.drainOnce();

    const before = await dump();
    const used = new Set(before.map((r) => r.table));
    for (const table of [
      'conversations',
      'messages',
      'read_markers',
      'message_templates',
      'messaging_settings',
      'campaigns',
      'campaign_recipients',
      'campaign_optouts',
      'notification_preferences',
      'push_subscriptions',
      'sessions',
      'login_throttle',
      'terms_acceptances',
      'data_exports',
      'notification_log',
      'push_log',
      'appointments',
      'attachments',
      'renewals',
    ])
      expect(used, table).toContain(table);
    const demoUsers = await db.selectFrom('users').select(['id', 'email']).where('is_demo', '=', 1).execute();
    // Identifiers of the demo as loaded and used: after the reload, none may be found anywhere.
    const demoIds = new Set<string>();
    const demoTables = new Set([
      'users',
      'practices',
      'patient_profiles',
      'conversations',
      'messages',
      'campaigns',
      'push_subscriptions',
      'sessions',
      'data_exports',
      'message_templates',
      'appointments',
      'attachments',
      'renewals',
    ]);
    for (const r of before)
      if (demoTables.has(r.table) && !r.text.includes(paulId)) demoIds.add(String(r.row.id));
    expect(demoIds.size).toBeGreaterThan(20);
    const throttleKeys = demoUsers.flatMap((u) => [
      hashToken(`login:${u.email}`),
      hashToken(`mail:${u.email}`),
      hashToken(`totp:${u.id}`),
    ]);
    expect(before.some((r) => r.table === 'login_throttle' && throttleKeys.includes(String(r.row.key)))).toBe(
      true,
    );

    const paulBefore = await paulRows();
    expect(new Set(paulBefore.map((r) => r.table))).toEqual(
      new Set([
        'users',
        'patient_profiles',
        'sessions',
        'email_tokens',
        'terms_acceptances',
        'notification_preferences',
        'outbox',
      ]),
    );

    await reload();

    const after = await dump();
    const orphans = after.filter(
      (r) =>
        [...demoIds].some((id) => r.text.includes(id)) ||
        (r.table === 'login_throttle' && throttleKeys.includes(String(r.row.key))),
    );
    expect(orphans.map((r) => `${r.table}: ${r.text.slice(0, 200)}`)).toEqual([]);
    // The demo is back as loaded: one practice, its two conversations, no campaign.
    expect(await db.selectFrom('practices').select('name').execute()).toEqual([
      { name: 'Cabinet des Tilleuls (démo)' },
    ]);
    expect(await db.selectFrom('conversations').select('id').execute()).toHaveLength(2);
    expect(await db.selectFrom('campaigns').select('id').execute()).toEqual([]);
    expect(
      await db.selectFrom('users').select('id').where('email', '=', 'leo.visitor@example.org').execute(),
    ).toEqual([]);
    // The other account keeps every row it had, and works.
    expect(await paulRows()).toEqual(paulBefore);
    expect((await paul.get('/api/v1/me')).statusCode).toBe(200);
    expect((await verifyAuditChain(db)).ok).toBe(true);
    // The audit trail keeps what happened in the demo.
    const trail = await db.selectFrom('audit_log').select('target_id').execute();
    expect(trail.some((e) => e.target_id === conversationId)).toBe(true);
    // And the reloaded demo works again at once.
    const again = await signIn('jeanne.petit@demo.missive.test');
    expect((await again.get('/api/v1/conversations')).json().conversations).toHaveLength(1);
  });
});
