import { ALL_RIGHTS } from '../../domain/permissions';
import { luhnCheckDigit } from '../../domain/rpps';
import type { Clock } from '../../platform/clock/clock';
import { hashPassword } from '../../platform/crypto/passwords';
import type { Store } from '../../platform/db/store';
import type { AccountsService } from '../accounts/accounts.service';
import type { SchedulesService } from '../appointments/schedules.service';
import { SYSTEM_ACTOR } from '../audit/audit.service';
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
}

const rpps = (payload: string) => `${payload}${luhnCheckDigit(payload)}`;

export async function hasAnyUser(store: Store): Promise<boolean> {
  return (await store.db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Removes the demo practice and its accounts (the audit trail keeps its entries: it is append-only). */
export async function removeDemo(store: Store): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const demoUsers = trx.selectFrom('users').select('id').where('is_demo', '=', 1);
    const demoPractices = trx.selectFrom('practices').select('id').where('is_demo', '=', 1);
    const demoProfiles = trx
      .selectFrom('patient_profiles')
      .select('id')
      .where('owner_user_id', 'in', demoUsers);
    const demoRecords = trx
      .selectFrom('practice_patients')
      .select('id')
      .where('practice_id', 'in', demoPractices);
    await trx
      .deleteFrom('appointments')
      .where((eb) =>
        eb.or([eb('practice_id', 'in', demoPractices), eb('patient_profile_id', 'in', demoProfiles)]),
      )
      .execute();
    await trx.deleteFrom('care_relationships').where('practice_id', 'in', demoPractices).execute();
    await trx.deleteFrom('patient_invitations').where('practice_patient_id', 'in', demoRecords).execute();
    await trx
      .deleteFrom('practice_patients')
      .where((eb) =>
        eb.or([eb('practice_id', 'in', demoPractices), eb('patient_profile_id', 'in', demoProfiles)]),
      )
      .execute();
    await trx.deleteFrom('schedule_exceptions').where('practice_id', 'in', demoPractices).execute();
    await trx.deleteFrom('practitioner_schedules').where('practice_id', 'in', demoPractices).execute();
    await trx.deleteFrom('profile_claims').where('patient_profile_id', 'in', demoProfiles).execute();
    await trx.deleteFrom('practitioners').where('user_id', 'in', demoUsers).execute();
    await trx.deleteFrom('patient_profiles').where('owner_user_id', 'in', demoUsers).execute();
    await trx.deleteFrom('practice_invitations').where('practice_id', 'in', demoPractices).execute();
    await trx.deleteFrom('practice_members').where('practice_id', 'in', demoPractices).execute();
    await trx.deleteFrom('users').where('is_demo', '=', 1).execute();
    await trx.deleteFrom('practices').where('is_demo', '=', 1).execute();
  });
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
  ].join('\n');
}
