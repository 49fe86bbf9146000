import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Database, PatientProfileRow, ProfileClaimRow } from '../../platform/db/schema';

type Db = Kysely<Database>;

/** Profiles a user holds or manages. */
export function profilesOfUser(db: Db, userId: string) {
  return db
    .selectFrom('patient_profiles')
    .selectAll()
    .where((eb) => eb.or([eb('owner_user_id', '=', userId), eb('user_id', '=', userId)]))
    .orderBy('relationship', 'desc')
    .orderBy('birth_date')
    .execute();
}

export function findProfile(db: Db, id: string) {
  return db.selectFrom('patient_profiles').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertProfile(db: Db, row: Insertable<PatientProfileRow>): Promise<void> {
  await db.insertInto('patient_profiles').values(row).execute();
}

/** Whether the profile belongs to a demo account. */
export async function ownerIsDemo(db: Db, profileId: string): Promise<boolean> {
  const row = await db
    .selectFrom('patient_profiles')
    .innerJoin('users', 'users.id', 'patient_profiles.owner_user_id')
    .select('users.is_demo')
    .where('patient_profiles.id', '=', profileId)
    .executeTakeFirst();
  return row?.is_demo === 1;
}

export async function updateProfile(
  db: Db,
  id: string,
  changes: Updateable<PatientProfileRow>,
): Promise<void> {
  await db.updateTable('patient_profiles').set(changes).where('id', '=', id).execute();
}

export async function deleteProfile(db: Db, id: string): Promise<void> {
  await db.deleteFrom('patient_profiles').where('id', '=', id).execute();
}

export async function profileHasRecords(db: Db, id: string): Promise<boolean> {
  const appointment = await db
    .selectFrom('appointments')
    .select('id')
    .where('patient_profile_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  if (appointment) return true;
  const record = await db
    .selectFrom('practice_patients')
    .select('id')
    .where('patient_profile_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return record !== undefined;
}

export async function insertClaim(db: Db, row: ProfileClaimRow): Promise<void> {
  await db.insertInto('profile_claims').values(row).execute();
}

export function findLiveClaim(db: Db, tokenHash: string, now: number) {
  return db
    .selectFrom('profile_claims')
    .innerJoin('patient_profiles', 'patient_profiles.id', 'profile_claims.patient_profile_id')
    .select([
      'profile_claims.token_hash',
      'profile_claims.email',
      'profile_claims.patient_profile_id',
      'patient_profiles.first_name',
      'patient_profiles.last_name',
      'patient_profiles.user_id',
    ])
    .where('profile_claims.token_hash', '=', tokenHash)
    .where('profile_claims.used_at', 'is', null)
    .where('profile_claims.expires_at', '>', now)
    .executeTakeFirst();
}

export async function useClaim(db: Db, tokenHash: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('profile_claims')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
