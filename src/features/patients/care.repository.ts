import { type Kysely, sql } from 'kysely';
import type {
  CareRelationshipRow,
  Database,
  PatientInvitationRow,
  PracticePatientRow,
} from '../../platform/db/schema';

type Db = Kysely<Database>;

export function findRecordByProfile(db: Db, practiceId: string, profileId: string) {
  return db
    .selectFrom('practice_patients')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('patient_profile_id', '=', profileId)
    .executeTakeFirst();
}

export function findRecord(db: Db, practiceId: string, id: string) {
  return db
    .selectFrom('practice_patients')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertRecords(db: Db, rows: PracticePatientRow[]): Promise<void> {
  // 11 columns a row: 400 rows stay under SQLite's and PostgreSQL's bound-parameter limits.
  for (let i = 0; i < rows.length; i += 400)
    await db
      .insertInto('practice_patients')
      .values(rows.slice(i, i + 400))
      .execute();
}

export async function updateRecord(db: Db, id: string, changes: Partial<PracticePatientRow>): Promise<void> {
  await db.updateTable('practice_patients').set(changes).where('id', '=', id).execute();
}

export function recordsByMatchKeys(db: Db, practiceId: string, keys: string[]) {
  return db
    .selectFrom('practice_patients')
    .select(['id', 'match_key', 'patient_profile_id', 'email'])
    .where('practice_id', '=', practiceId)
    .where('match_key', 'in', keys)
    .execute();
}

export function relationshipsOf(db: Db, recordIds: string[], practitionerId: string) {
  return db
    .selectFrom('care_relationships')
    .selectAll()
    .where('practitioner_user_id', '=', practitionerId)
    .where('practice_patient_id', 'in', recordIds)
    .execute();
}

export async function upsertRelationships(
  db: Db,
  rows: CareRelationshipRow[],
  dialect: 'sqlite' | 'postgres',
): Promise<void> {
  // The last consultation only moves forward; the first only backward.
  const greatest = dialect === 'postgres' ? 'greatest' : 'max';
  const least = dialect === 'postgres' ? 'least' : 'min';
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('care_relationships')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['practice_patient_id', 'practitioner_user_id']).doUpdateSet({
          last_consultation_at: sql`${sql.raw(greatest)}(care_relationships.last_consultation_at, excluded.last_consultation_at)`,
          first_consultation_at: sql`${sql.raw(least)}(care_relationships.first_consultation_at, excluded.first_consultation_at)`,
          updated_at: sql`excluded.updated_at`,
        }),
      )
      .execute();
  }
}

export async function insertInvitations(db: Db, rows: PatientInvitationRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 700)
    await db
      .insertInto('patient_invitations')
      .values(rows.slice(i, i + 700))
      .execute();
}

export function findLiveInvitation(db: Db, tokenHash: string, now: number) {
  return db
    .selectFrom('patient_invitations')
    .innerJoin('practice_patients', 'practice_patients.id', 'patient_invitations.practice_patient_id')
    .innerJoin('practices', 'practices.id', 'practice_patients.practice_id')
    .select([
      'patient_invitations.id',
      'patient_invitations.practice_patient_id',
      'practice_patients.practice_id',
      'practice_patients.patient_profile_id',
      'practice_patients.first_name',
      'practice_patients.last_name',
      'practice_patients.birth_date',
      'practices.name as practice_name',
    ])
    .where('patient_invitations.token_hash', '=', tokenHash)
    .where('patient_invitations.accepted_at', 'is', null)
    .where('patient_invitations.expires_at', '>', now)
    .executeTakeFirst();
}

export async function markInvitationAccepted(
  db: Db,
  id: string,
  userId: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('patient_invitations')
    .set({ accepted_at: now, accepted_by_user_id: userId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export function listRecords(
  db: Db,
  practiceId: string,
  filters: { q?: string | undefined; tag?: string | undefined },
  offset: number,
  limit: number,
) {
  let query = db.selectFrom('practice_patients').where('practice_id', '=', practiceId);
  if (filters.q) {
    const pattern = `%${filters.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['last_name']), 'like', pattern),
        eb(eb.fn('lower', ['first_name']), 'like', pattern),
      ]),
    );
  }
  // Tags are a JSON array of strings: match the quoted value.
  if (filters.tag) query = query.where('tags', 'like', `%${JSON.stringify(filters.tag.toLowerCase())}%`);
  return Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    query
      .selectAll()
      .orderBy('last_name')
      .orderBy('first_name')
      .orderBy('id')
      .offset(offset)
      .limit(limit)
      .execute(),
  ]);
}

export function relationshipsOfRecords(db: Db, recordIds: string[]) {
  if (recordIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('care_relationships')
    .innerJoin('users', 'users.id', 'care_relationships.practitioner_user_id')
    .select([
      'care_relationships.practice_patient_id',
      'care_relationships.practitioner_user_id',
      'care_relationships.last_consultation_at',
      'users.first_name',
      'users.last_name',
    ])
    .where('care_relationships.practice_patient_id', 'in', recordIds)
    .execute();
}

export function pendingInvitationsOf(db: Db, recordIds: string[], now: number) {
  if (recordIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('patient_invitations')
    .select('practice_patient_id')
    .where('practice_patient_id', 'in', recordIds)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}

export function allTags(db: Db, practiceId: string) {
  return db
    .selectFrom('practice_patients')
    .select('tags')
    .where('practice_id', '=', practiceId)
    .where('tags', '<>', '[]')
    .execute();
}

/** Practitioners each of these profiles has consulted, with the practice and the last consultation. */
export function practitionersOfProfiles(db: Db, profileIds: string[]) {
  if (profileIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('care_relationships')
    .innerJoin('practice_patients', 'practice_patients.id', 'care_relationships.practice_patient_id')
    .innerJoin('practitioners', 'practitioners.user_id', 'care_relationships.practitioner_user_id')
    .innerJoin('users', 'users.id', 'care_relationships.practitioner_user_id')
    .innerJoin('practices', 'practices.id', 'care_relationships.practice_id')
    .innerJoin('patient_profiles', 'patient_profiles.id', 'practice_patients.patient_profile_id')
    .select([
      'care_relationships.practitioner_user_id',
      'care_relationships.last_consultation_at',
      'practitioners.specialty',
      'users.first_name',
      'users.last_name',
      'practices.id as practice_id',
      'practices.name as practice_name',
      'practices.city',
      'practices.time_zone',
      'patient_profiles.id as profile_id',
      'patient_profiles.first_name as profile_first_name',
      'patient_profiles.last_name as profile_last_name',
    ])
    .where('practice_patients.patient_profile_id', 'in', profileIds)
    .orderBy('care_relationships.last_consultation_at', 'desc')
    .execute();
}

/** Last consultation of a profile with a practitioner at a practice, if the care relationship exists. */
export async function lastConsultation(
  db: Db,
  profileId: string,
  practitionerId: string,
  practiceId: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('care_relationships')
    .innerJoin('practice_patients', 'practice_patients.id', 'care_relationships.practice_patient_id')
    .select('care_relationships.last_consultation_at')
    .where('practice_patients.patient_profile_id', '=', profileId)
    .where('care_relationships.practitioner_user_id', '=', practitionerId)
    .where('care_relationships.practice_id', '=', practiceId)
    .executeTakeFirst();
  return row?.last_consultation_at ?? null;
}
