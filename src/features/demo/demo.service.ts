import { type Category, DEFAULT_SETTINGS } from '../../domain/messaging';
import { ALL_RIGHTS } from '../../domain/permissions';
import { luhnCheckDigit } from '../../domain/rpps';
import type { Clock } from '../../platform/clock/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import { hashPassword } from '../../platform/crypto/passwords';
import { hashToken } from '../../platform/crypto/tokens';
import type { Store } from '../../platform/db/store';
import { uuidv7 } from '../../platform/ids';
import { outboxPayloadAad } from '../../platform/outbox/outbox';
import type { AccountsService } from '../accounts/accounts.service';
import type { AuthContext } from '../accounts/sessions.service';
import type { SchedulesService } from '../appointments/schedules.service';
import { SYSTEM_ACTOR } from '../audit/audit.service';
import type { ConversationsService } from '../messaging/conversations.service';
import type { InboxService } from '../messaging/inbox.service';
import type { MessagingSettingsService } from '../messaging/settings.service';
import type { CareService } from '../patients/care.service';
import type { PatientsService } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';
import type { PractitionersService } from '../practitioners/practitioners.service';
import type { TermsService } from '../terms/terms.service';

/** Shared by every demo account and printed at start-up. Demo data is fictitious and clearly labelled. */
export const DEMO_PASSWORD = 'demo-Missive-2026';

export interface DemoLogin {
  role: string;
  name: string;
  email: string;
}

export interface DemoDeps {
  store: Store;
  clock: Clock;
  accounts: AccountsService;
  practices: PracticesService;
  practitioners: PractitionersService;
  patients: PatientsService;
  care: CareService;
  schedules: SchedulesService;
  terms: TermsService;
  messagingSettings: MessagingSettingsService;
  conversations: ConversationsService;
  inbox: InboxService;
}

const rpps = (payload: string) => `${payload}${luhnCheckDigit(payload)}`;

export async function hasAnyUser(store: Store): Promise<boolean> {
  return (await store.db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/**
 * Every row the demo left behind is removed: rows of demo accounts, of the demo practice and of demo
 * patient profiles, and what hangs on them (conversations and their messages, attachments, read markers,
 * renewals and notices; campaigns and their recipients, attachments and opt-outs; sessions, tokens,
 * throttles, terms acceptances, data exports, push subscriptions…). Rows of other accounts are left alone,
 * except that a link from them to a demo account (who verified a practitioner) is cleared. The audit trail
 * keeps its entries: it is append-only.
 */
export async function removeDemo(store: Store, keys: Keyring): Promise<void> {
  const db = store.db;
  const users = await db
    .selectFrom('users')
    .select(['id', 'email', 'created_at'])
    .where('is_demo', '=', 1)
    .execute();
  const practiceIds = (await db.selectFrom('practices').select('id').where('is_demo', '=', 1).execute()).map(
    (p) => p.id,
  );
  if (users.length === 0 && practiceIds.length === 0) return;
  const userIds = users.map((u) => u.id);
  const outboxRows = await demoOutboxRows(
    store,
    keys,
    Math.min(...users.map((u) => u.created_at)),
    new Set(users.map((u) => u.email)),
  );

  await db.transaction().execute(async (trx) => {
    // `in ()` is not valid SQL: an empty list matches nothing through a value no id takes.
    const list = (ids: string[]) => (ids.length > 0 ? ids : ['']);
    const demoUsers = list(userIds);
    const demoPractices = list(practiceIds);
    const ids = async <T extends { id: string }>(rows: Promise<T[]>) => list((await rows).map((r) => r.id));

    const demoProfiles = await ids(
      trx
        .selectFrom('patient_profiles')
        .select('id')
        .where((eb) => eb.or([eb('owner_user_id', 'in', demoUsers), eb('user_id', 'in', demoUsers)]))
        .execute(),
    );
    const demoRecords = await ids(
      trx
        .selectFrom('practice_patients')
        .select('id')
        .where((eb) =>
          eb.or([eb('practice_id', 'in', demoPractices), eb('patient_profile_id', 'in', demoProfiles)]),
        )
        .execute(),
    );
    const demoCampaigns = await ids(
      trx
        .selectFrom('campaigns')
        .select('id')
        .where((eb) => eb.or([eb('practice_id', 'in', demoPractices), eb('author_user_id', 'in', demoUsers)]))
        .execute(),
    );
    // A conversation is the demo's when any of its parties is, or when a demo account wrote in it.
    const demoConversations = await ids(
      trx
        .selectFrom('conversations')
        .select('id')
        .where((eb) =>
          eb.or([
            eb('practice_id', 'in', demoPractices),
            eb('practitioner_user_id', 'in', demoUsers),
            eb('patient_profile_id', 'in', demoProfiles),
            eb('created_by_user_id', 'in', demoUsers),
            eb('assignee_user_id', 'in', demoUsers),
            eb('id', 'in', (sub) =>
              sub.selectFrom('messages').select('conversation_id').where('sender_user_id', 'in', demoUsers),
            ),
            eb('id', 'in', (sub) =>
              sub
                .selectFrom('renewals')
                .select('conversation_id')
                .where((r) =>
                  r.or([
                    r('decided_by_user_id', 'in', demoUsers),
                    r('practitioner_user_id', 'in', demoUsers),
                  ]),
                ),
            ),
            eb('id', 'in', (sub) =>
              sub
                .selectFrom('campaign_recipients')
                .select('conversation_id')
                .where('campaign_id', 'in', demoCampaigns)
                .where('conversation_id', 'is not', null)
                .$narrowType<{ conversation_id: string }>(),
            ),
          ]),
        )
        .execute(),
    );
    const demoMessages = await ids(
      trx.selectFrom('messages').select('id').where('conversation_id', 'in', demoConversations).execute(),
    );

    // Messaging: what refers to messages and conversations goes first.
    await trx.deleteFrom('renewals').where('conversation_id', 'in', demoConversations).execute();
    await trx
      .deleteFrom('attachments')
      .where((eb) =>
        eb.or([
          eb('owner_user_id', 'in', demoUsers),
          eb('conversation_id', 'in', demoConversations),
          eb('message_id', 'in', demoMessages),
        ]),
      )
      .execute();
    for (const table of ['read_markers', 'notification_log', 'push_log'] as const)
      await trx
        .deleteFrom(table)
        .where((eb) =>
          eb.or([eb('conversation_id', 'in', demoConversations), eb('user_id', 'in', demoUsers)]),
        )
        .execute();
    await trx
      .deleteFrom('campaign_recipients')
      .where((eb) =>
        eb.or([
          eb('campaign_id', 'in', demoCampaigns),
          eb('patient_profile_id', 'in', demoProfiles),
          eb('conversation_id', 'in', demoConversations),
        ]),
      )
      .execute();
    await trx.deleteFrom('messages').where('id', 'in', demoMessages).execute();
    await trx.deleteFrom('conversations').where('id', 'in', demoConversations).execute();
    await trx.deleteFrom('campaign_attachments').where('id', 'in', demoCampaigns).execute();
    await trx.deleteFrom('campaigns').where('id', 'in', demoCampaigns).execute();
    await trx
      .deleteFrom('campaign_optouts')
      .where((eb) =>
        eb.or([eb('practice_id', 'in', demoPractices), eb('patient_profile_id', 'in', demoProfiles)]),
      )
      .execute();
    await trx
      .deleteFrom('message_templates')
      .where((eb) => eb.or([eb('practice_id', 'in', demoPractices), eb('owner_user_id', 'in', demoUsers)]))
      .execute();
    await trx
      .deleteFrom('messaging_settings')
      .where((eb) =>
        eb.or([eb('practice_id', 'in', demoPractices), eb('practitioner_user_id', 'in', demoUsers)]),
      )
      .execute();
    await trx
      .deleteFrom('digest_log')
      .where((eb) => eb.or([eb('practice_id', 'in', demoPractices), eb('user_id', 'in', demoUsers)]))
      .execute();
    await trx.deleteFrom('outbox').where('id', 'in', list(outboxRows)).execute();

    // Care and appointments.
    await trx
      .deleteFrom('appointments')
      .where((eb) =>
        eb.or([
          eb('practice_id', 'in', demoPractices),
          eb('patient_profile_id', 'in', demoProfiles),
          eb('practitioner_user_id', 'in', demoUsers),
          eb('booked_by_user_id', 'in', demoUsers),
          eb('cancelled_by_user_id', 'in', demoUsers),
        ]),
      )
      .execute();
    await trx
      .deleteFrom('care_relationships')
      .where((eb) =>
        eb.or([
          eb('practice_id', 'in', demoPractices),
          eb('practice_patient_id', 'in', demoRecords),
          eb('practitioner_user_id', 'in', demoUsers),
        ]),
      )
      .execute();
    await trx
      .deleteFrom('patient_invitations')
      .where((eb) =>
        eb.or([eb('practice_patient_id', 'in', demoRecords), eb('accepted_by_user_id', 'in', demoUsers)]),
      )
      .execute();
    await trx.deleteFrom('practice_patients').where('id', 'in', demoRecords).execute();
    for (const table of ['schedule_exceptions', 'practitioner_schedules'] as const)
      await trx
        .deleteFrom(table)
        .where((eb) =>
          eb.or([eb('practice_id', 'in', demoPractices), eb('practitioner_user_id', 'in', demoUsers)]),
        )
        .execute();
    await trx.deleteFrom('profile_claims').where('patient_profile_id', 'in', demoProfiles).execute();
    await trx.deleteFrom('patient_profiles').where('id', 'in', demoProfiles).execute();

    // Accounts and the practice.
    await trx
      .updateTable('practitioners')
      .set({ verified_by: null })
      .where('verified_by', 'in', demoUsers)
      .execute();
    await trx.deleteFrom('practitioners').where('user_id', 'in', demoUsers).execute();
    await trx
      .deleteFrom('practice_invitations')
      .where((eb) => eb.or([eb('practice_id', 'in', demoPractices), eb('invited_by', 'in', demoUsers)]))
      .execute();
    await trx
      .deleteFrom('practice_members')
      .where((eb) => eb.or([eb('practice_id', 'in', demoPractices), eb('user_id', 'in', demoUsers)]))
      .execute();
    for (const table of [
      'sessions',
      'email_tokens',
      'terms_acceptances',
      'data_exports',
      'notification_preferences',
      'push_subscriptions',
      'live_connections',
    ] as const)
      await trx.deleteFrom(table).where('user_id', 'in', demoUsers).execute();
    // Throttles are keyed by a hash of what they count: the demo accounts' addresses and TOTP.
    await trx
      .deleteFrom('login_throttle')
      .where(
        'key',
        'in',
        list(
          users.flatMap((u) => [
            hashToken(`login:${u.email}`),
            hashToken(`mail:${u.email}`),
            hashToken(`totp:${u.id}`),
          ]),
        ),
      )
      .execute();
    await trx.deleteFrom('users').where('id', 'in', demoUsers).execute();
    await trx.deleteFrom('practices').where('id', 'in', demoPractices).execute();
  });
}

/**
 * Outbox rows (mails, notices, push deliveries) that concern the demo. Their payload is encrypted and
 * tied to no table: each row queued since the demo was loaded is read, and it is the demo's when it
 * names a demo account, address, profile, conversation, campaign or push subscription.
 */
async function demoOutboxRows(
  store: Store,
  keys: Keyring,
  since: number,
  emails: Set<string>,
): Promise<string[]> {
  if (!Number.isFinite(since)) return [];
  const db = store.db;
  const demoIds = new Set<string>(emails);
  const users = db.selectFrom('users').select('id').where('is_demo', '=', 1);
  const practices = db.selectFrom('practices').select('id').where('is_demo', '=', 1);
  const profiles = db
    .selectFrom('patient_profiles')
    .select('id')
    .where((eb) => eb.or([eb('owner_user_id', 'in', users), eb('user_id', 'in', users)]));
  const add = (rows: { id: string }[]) => {
    for (const row of rows) demoIds.add(row.id);
  };
  add(await users.execute());
  add(await practices.execute());
  add(await profiles.execute());
  add(
    await db
      .selectFrom('conversations')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('practice_id', 'in', practices),
          eb('practitioner_user_id', 'in', users),
          eb('patient_profile_id', 'in', profiles),
        ]),
      )
      .execute(),
  );
  add(await db.selectFrom('campaigns').select('id').where('practice_id', 'in', practices).execute());
  add(await db.selectFrom('push_subscriptions').select('id').where('user_id', 'in', users).execute());

  const names = (value: unknown): boolean => {
    if (typeof value === 'string') return demoIds.has(value) || demoIds.has(value.toLowerCase());
    if (Array.isArray(value)) return value.some(names);
    if (value && typeof value === 'object') return Object.values(value).some(names);
    return false;
  };
  const found: string[] = [];
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where('created_at', '>=', since)
    .execute();
  for (const row of rows) {
    let payload: unknown;
    try {
      payload = JSON.parse(await keys.decryptText(row.payload, outboxPayloadAad(row.id)));
    } catch {
      // A payload that cannot be read (a retired key) cannot be shown to be the demo's: it stays.
      continue;
    }
    if (names(payload)) found.push(row.id);
  }
  return found;
}

/** Loads the demo practice: an administrator, two practitioners, an assistant and patients in France and Italy. */
export async function loadDemo(deps: DemoDeps): Promise<DemoLogin[]> {
  const { store, accounts, practices, practitioners } = deps;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const actor = SYSTEM_ACTOR;
  const demo = { passwordHash, emailVerified: true, isDemo: true } as const;

  const ids = await store.db.transaction().execute(async (trx) => {
    await accounts.createStaffUser(trx, {
      ...demo,
      email: 'admin@demo.missive.test',
      firstName: 'Alex',
      lastName: 'Admin',
      kind: 'admin',
      locale: 'fr',
      country: 'FR',
    });

    const practice = await practices.createPractice(
      trx,
      {
        name: 'Cabinet des Tilleuls (démo)',
        address: '12 rue des Tilleuls',
        postcode: '69003',
        city: 'Lyon',
        country: 'FR',
        timeZone: 'Europe/Paris',
        phone: '+33 4 00 00 00 00',
      },
      actor,
      { isDemo: true },
    );
    const martin = await accounts.createStaffUser(trx, {
      ...demo,
      email: 'claire.martin@demo.missive.test',
      firstName: 'Claire',
      lastName: 'Martin',
      kind: 'staff',
      locale: 'fr',
      country: 'FR',
    });
    await practitioners.insertProfile(trx, {
      userId: martin,
      rpps: rpps('1000123456'),
      specialty: 'Médecine générale',
      verified: true,
    });
    await practices.addMember(trx, {
      practiceId: practice.id,
      userId: martin,
      role: 'practitioner',
      isAdmin: true,
      rights: ALL_RIGHTS,
    });

    const dubois = await accounts.createStaffUser(trx, {
      ...demo,
      email: 'marc.dubois@demo.missive.test',
      firstName: 'Marc',
      lastName: 'Dubois',
      kind: 'staff',
      locale: 'fr',
      country: 'FR',
    });
    await practitioners.insertProfile(trx, {
      userId: dubois,
      rpps: rpps('1000654321'),
      specialty: 'Pédiatrie',
      verified: true,
    });
    await practices.addMember(trx, {
      practiceId: practice.id,
      userId: dubois,
      role: 'practitioner',
      isAdmin: false,
      rights: ALL_RIGHTS,
    });

    const assistant = await accounts.createStaffUser(trx, {
      ...demo,
      email: 'sophie.bernard@demo.missive.test',
      firstName: 'Sophie',
      lastName: 'Bernard',
      kind: 'staff',
      locale: 'fr',
      country: 'FR',
    });
    await practices.addMember(trx, {
      practiceId: practice.id,
      userId: assistant,
      role: 'assistant',
      isAdmin: false,
      rights: ['messaging', 'agenda'],
    });

    const patients = [
      {
        email: 'jeanne.petit@demo.missive.test',
        firstName: 'Jeanne',
        lastName: 'Petit',
        birthDate: '1951-03-14',
        country: 'FR',
        locale: 'fr',
      },
      {
        email: 'lucas.moreau@demo.missive.test',
        firstName: 'Lucas',
        lastName: 'Moreau',
        birthDate: '1987-09-02',
        country: 'FR',
        locale: 'fr',
      },
      {
        email: 'giulia.romano@demo.missive.test',
        firstName: 'Giulia',
        lastName: 'Romano',
        birthDate: '1979-11-23',
        country: 'IT',
        locale: 'it',
      },
      {
        email: 'emily.clarke@demo.missive.test',
        firstName: 'Emily',
        lastName: 'Clarke',
        birthDate: '1992-06-30',
        country: 'FR',
        locale: 'en',
      },
    ] as const;
    const patientIds: string[] = [];
    for (const patient of patients) {
      patientIds.push(
        await accounts.createPatient(trx, patient, passwordHash, actor, {
          emailVerified: true,
          isDemo: true,
        }),
      );
    }
    return { practiceId: practice.id, martin, dubois, patientIds };
  });

  // Opening hours, so that patients can book; past consultations, so that patients have "their" practitioners.
  const weekdays = (start: string, end: string, days = [1, 2, 3, 4, 5]) =>
    days.map((weekday) => ({ weekday, start, end }));
  await deps.schedules.saveSchedule(
    ids.practiceId,
    ids.martin,
    {
      slotMinutes: 20,
      bookingHorizonDays: 60,
      periods: [...weekdays('09:00', '12:00'), ...weekdays('14:00', '18:00', [1, 2, 4, 5])],
    },
    actor,
  );
  await deps.schedules.saveSchedule(
    ids.practiceId,
    ids.dubois,
    {
      slotMinutes: 15,
      bookingHorizonDays: 60,
      periods: [...weekdays('08:30', '12:30', [1, 3, 5]), { weekday: 6, start: '09:00', end: '12:00' }],
    },
    actor,
  );
  // Demo accounts start with the current terms accepted, so that trying the demo goes straight to messaging.
  for (const patientId of ids.patientIds) await deps.terms.recordAcceptance(patientId, 'patient');
  for (const practitionerId of [ids.martin, ids.dubois])
    await deps.terms.recordAcceptance(practitionerId, 'practitioner');
  const [jeanne, lucas, giulia, emily] = ids.patientIds as [string, string, string, string];
  const emma = await deps.patients.addRelative(
    lucas,
    { relationship: 'child', firstName: 'Emma', lastName: 'Moreau', birthDate: '2017-04-08', sex: 'female' },
    actor,
  );
  const leo = await deps.patients.addRelative(
    lucas,
    { relationship: 'child', firstName: 'Léo', lastName: 'Moreau', birthDate: '2010-10-19', sex: 'male' },
    actor,
  );
  const day = 86_400_000;
  const now = deps.clock.now();
  const consultations: [string, string, number][] = [
    [jeanne, ids.martin, now - 35 * day],
    [lucas, ids.martin, now - 200 * day],
    [giulia, ids.martin, now - 90 * day],
    [emily, ids.martin, now - 14 * day],
  ];
  // Profiles are read before the transaction: on SQLite a read outside it would wait for it to end.
  const visits = [
    ...(await Promise.all(
      consultations.map(async ([userId, practitionerId, at]) => ({
        profile: (await deps.patients.profilesOf(userId))[0]!,
        practitionerId,
        at,
      })),
    )),
    { profile: (await deps.patients.findProfile(emma.id))!, practitionerId: ids.dubois, at: now - 60 * day },
    { profile: (await deps.patients.findProfile(leo.id))!, practitionerId: ids.dubois, at: now - 400 * day },
  ];
  await store.db.transaction().execute(async (trx) => {
    for (const visit of visits)
      await deps.care.recordConsultation(trx, { practiceId: ids.practiceId, ...visit });
  });

  // Messaging is open for both practitioners, as each would open it from their settings (the service checks
  // the practitioner terms accepted above), so that a visitor can write from a patient account at once.
  const accountOf = async (userId: string): Promise<AuthContext> => {
    const user = await store.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    return { sessionId: '', user, mfa: user.kind === 'patient' ? 'not_required' : 'verified' };
  };
  const martinAuth = await accountOf(ids.martin);
  await deps.messagingSettings.update(
    martinAuth,
    ids.practiceId,
    ids.martin,
    // Up to five open conversations per patient rather than two: several visitors share each demo patient.
    { ...DEFAULT_SETTINGS, open: true, maxOpenConversations: 5 },
    actor,
  );
  await deps.messagingSettings.update(
    await accountOf(ids.dubois),
    ids.practiceId,
    ids.dubois,
    { ...DEFAULT_SETTINGS, open: true },
    actor,
  );

  // Two conversations written through the messaging service (encrypted and audited like any other): one
  // answered, one waiting in the practice's inbox. Fictitious, like every demo account.
  const writeAs = async (userId: string, subject: string, body: string, category: Category) =>
    deps.conversations.start(
      await accountOf(userId),
      {
        practitionerId: ids.martin,
        practiceId: ids.practiceId,
        patientProfileId: (await deps.patients.profilesOf(userId))[0]!.id,
        category,
        subject,
        clientMessageId: `demo-${uuidv7()}`,
        body,
        attachmentIds: [],
        emergencyAcknowledged: false,
      },
      actor,
    );
  const results = await writeAs(
    jeanne,
    'Résultats de ma prise de sang',
    'Bonjour Docteur,\n\nLe laboratoire m’a envoyé les résultats de la prise de sang que vous m’aviez prescrite. ' +
      'Le cholestérol LDL est indiqué à 1,68 g/L, un peu au-dessus de la valeur de référence. ' +
      'Dois-je prendre rendez-vous, ou cela peut-il attendre ma consultation du mois prochain ?\n\nJeanne Petit',
    'test_results',
  );
  const answer = await deps.conversations.send(
    martinAuth,
    results.conversation.id,
    {
      clientMessageId: `demo-${uuidv7()}`,
      body:
        'Bonjour Madame Petit,\n\nMerci pour ces résultats. Le LDL est légèrement au-dessus de l’objectif, ' +
        'sans caractère urgent : nous en reparlerons lors de votre prochaine consultation. ' +
        'D’ici là, poursuivez votre traitement habituel.\n\nBien cordialement,\nDr Claire Martin',
      attachmentIds: [],
      emergencyAcknowledged: false,
    },
    actor,
  );
  const certificate = await writeAs(
    lucas,
    'Attestation pour ma mutuelle',
    'Bonjour,\n\nMa mutuelle me demande une attestation de ma dernière consultation pour compléter mon dossier. ' +
      'Pourriez-vous me la déposer ici ?\n\nMerci d’avance,\nLucas Moreau',
    'administrative',
  );
  // Dr Martin has read both; the new messages a visitor writes stand out as unread in her inbox.
  await deps.inbox.markRead(martinAuth, results.conversation.id, answer.message.seq);
  await deps.inbox.markRead(martinAuth, certificate.conversation.id, certificate.message.seq);

  return [
    { role: 'Administrator', name: 'Alex Admin', email: 'admin@demo.missive.test' },
    {
      role: 'Practitioner (GP, practice admin)',
      name: 'Dr Claire Martin',
      email: 'claire.martin@demo.missive.test',
    },
    { role: 'Practitioner (paediatrics)', name: 'Dr Marc Dubois', email: 'marc.dubois@demo.missive.test' },
    { role: 'Assistant', name: 'Sophie Bernard', email: 'sophie.bernard@demo.missive.test' },
    { role: 'Patient (FR)', name: 'Jeanne Petit', email: 'jeanne.petit@demo.missive.test' },
    {
      role: 'Patient (FR), parent of Emma and of Léo (a teenager)',
      name: 'Lucas Moreau',
      email: 'lucas.moreau@demo.missive.test',
    },
    { role: 'Patient (IT)', name: 'Giulia Romano', email: 'giulia.romano@demo.missive.test' },
    { role: 'Patient (FR, English)', name: 'Emily Clarke', email: 'emily.clarke@demo.missive.test' },
  ];
}

export function formatDemoLogins(logins: DemoLogin[]): string {
  const width = Math.max(...logins.map((l) => l.email.length));
  const lines = logins.map((l) => `  ${l.email.padEnd(width)}  ${l.role} — ${l.name}`);
  return [
    'Demo practice loaded (fictitious data, labelled "démo"). Every demo account uses the password:',
    `  ${DEMO_PASSWORD}`,
    ...lines,
    'Staff and the administrator set up two-step verification (TOTP) at their first sign-in.',
    'Messaging is open for Dr Martin and Dr Dubois: sign in as a patient to write to them.',
  ].join('\n');
}
