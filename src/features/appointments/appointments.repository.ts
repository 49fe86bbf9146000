import type { Insertable, Kysely } from 'kysely';
import type {
  AppointmentRow,
  Database,
  PractitionerScheduleRow,
  ScheduleExceptionRow,
} from '../../platform/db/schema';

type Db = Kysely<Database>;

export function findSchedule(db: Db, practitionerId: string, practiceId: string) {
  return db
    .selectFrom('practitioner_schedules')
    .selectAll()
    .where('practitioner_user_id', '=', practitionerId)
    .where('practice_id', '=', practiceId)
    .executeTakeFirst();
}

export async function upsertSchedule(db: Db, row: PractitionerScheduleRow): Promise<void> {
  const { practitioner_user_id, practice_id, ...changes } = row;
  await db
    .insertInto('practitioner_schedules')
    .values(row)
    .onConflict((oc) => oc.columns(['practitioner_user_id', 'practice_id']).doUpdateSet(changes))
    .execute();
}

export function listExceptions(db: Db, practitionerId: string, practiceId: string, fromDate?: string) {
  let query = db
    .selectFrom('schedule_exceptions')
    .selectAll()
    .where('practitioner_user_id', '=', practitionerId)
    .where('practice_id', '=', practiceId);
  if (fromDate) query = query.where('ends_on', '>=', fromDate);
  return query.orderBy('starts_on').execute();
}

export async function insertException(db: Db, row: ScheduleExceptionRow): Promise<void> {
  await db.insertInto('schedule_exceptions').values(row).execute();
}

export async function deleteException(db: Db, id: string, practitionerId: string, practiceId: string) {
  const result = await db
    .deleteFrom('schedule_exceptions')
    .where('id', '=', id)
    .where('practitioner_user_id', '=', practitionerId)
    .where('practice_id', '=', practiceId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Verified practitioners and the practices they consult in (the directory is small: filtered by the service). */
export function listDirectory(db: Db, practitionerId?: string) {
  let query = db
    .selectFrom('practitioners')
    .innerJoin('users', 'users.id', 'practitioners.user_id')
    .innerJoin('practice_members', (join) =>
      join
        .onRef('practice_members.user_id', '=', 'practitioners.user_id')
        .on('practice_members.role', '=', 'practitioner'),
    )
    .innerJoin('practices', 'practices.id', 'practice_members.practice_id')
    .leftJoin('practitioner_schedules', (join) =>
      join
        .onRef('practitioner_schedules.practitioner_user_id', '=', 'practitioners.user_id')
        .onRef('practitioner_schedules.practice_id', '=', 'practices.id'),
    )
    .select([
      'practitioners.user_id',
      'practitioners.specialty',
      'users.first_name',
      'users.last_name',
      'practices.id as practice_id',
      'practices.name as practice_name',
      'practices.address',
      'practices.postcode',
      'practices.city',
      'practices.time_zone',
      'practices.phone',
      'practitioner_schedules.periods',
    ])
    .where('practitioners.verified_at', 'is not', null);
  if (practitionerId) query = query.where('practitioners.user_id', '=', practitionerId);
  return query.orderBy('users.last_name').orderBy('users.first_name').limit(5_000).execute();
}

/** Whether patients may book this practitioner at this practice: verified, a practitioner member there. */
export async function isBookable(db: Db, practitionerId: string, practiceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('practitioners')
    .innerJoin('practice_members', 'practice_members.user_id', 'practitioners.user_id')
    .select('practitioners.user_id')
    .where('practitioners.user_id', '=', practitionerId)
    .where('practitioners.verified_at', 'is not', null)
    .where('practice_members.practice_id', '=', practiceId)
    .where('practice_members.role', '=', 'practitioner')
    .executeTakeFirst();
  return row !== undefined;
}

export function liveAppointmentStarts(db: Db, practitionerId: string, from: number, to: number) {
  return db
    .selectFrom('appointments')
    .select('starts_at')
    .where('practitioner_user_id', '=', practitionerId)
    .where('status', '<>', 'cancelled')
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .execute();
}

export async function insertAppointment(db: Db, row: Insertable<AppointmentRow>): Promise<void> {
  await db.insertInto('appointments').values(row).execute();
}

/** Appointments with everything the API shows about them. */
function appointmentDetails(db: Db) {
  return db
    .selectFrom('appointments')
    .innerJoin('practices', 'practices.id', 'appointments.practice_id')
    .innerJoin('users as practitioner', 'practitioner.id', 'appointments.practitioner_user_id')
    .innerJoin('patient_profiles as profile', 'profile.id', 'appointments.patient_profile_id')
    .selectAll('appointments')
    .select([
      'practices.name as practice_name',
      'practices.time_zone',
      'practices.cancellation_deadline_hours',
      'practices.phone as practice_phone',
      'practitioner.first_name as practitioner_first_name',
      'practitioner.last_name as practitioner_last_name',
      'profile.first_name as patient_first_name',
      'profile.last_name as patient_last_name',
      'profile.birth_date as patient_birth_date',
      'profile.owner_user_id as profile_owner_user_id',
      'profile.user_id as profile_user_id',
      'profile.own_account_since as profile_own_account_since',
    ]);
}

export type AppointmentDetails = Awaited<ReturnType<typeof findAppointment>> & {};

export function findAppointment(db: Db, id: string) {
  return appointmentDetails(db).where('appointments.id', '=', id).executeTakeFirst();
}

export function appointmentsOfProfiles(db: Db, profileIds: string[]) {
  if (profileIds.length === 0) return Promise.resolve([]);
  return appointmentDetails(db)
    .where('appointments.patient_profile_id', 'in', profileIds)
    .orderBy('appointments.starts_at', 'desc')
    .limit(200)
    .execute();
}

export function agenda(db: Db, practiceId: string, from: number, to: number, practitionerId?: string) {
  let query = appointmentDetails(db)
    .where('appointments.practice_id', '=', practiceId)
    .where('appointments.starts_at', '>=', from)
    .where('appointments.starts_at', '<', to);
  if (practitionerId) query = query.where('appointments.practitioner_user_id', '=', practitionerId);
  return query.orderBy('appointments.starts_at').execute();
}

export async function updateAppointmentStatus(
  db: Db,
  id: string,
  fromStatuses: AppointmentRow['status'][],
  changes: Partial<
    Pick<AppointmentRow, 'status' | 'cancel_reason' | 'cancelled_by_user_id' | 'status_changed_at'>
  >,
): Promise<boolean> {
  const result = await db
    .updateTable('appointments')
    .set(changes)
    .where('id', '=', id)
    .where('status', 'in', fromStatuses)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
