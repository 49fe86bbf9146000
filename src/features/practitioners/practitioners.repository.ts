import type { Insertable, Kysely } from 'kysely';
import type { Database, PractitionerRow } from '../../platform/db/schema';

type Db = Kysely<Database>;

export async function insertPractitioner(db: Db, row: Insertable<PractitionerRow>): Promise<void> {
  await db.insertInto('practitioners').values(row).execute();
}

export function findPractitioner(db: Db, userId: string) {
  return db.selectFrom('practitioners').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function markVerified(db: Db, userId: string, by: string | null, at: number): Promise<void> {
  await db
    .updateTable('practitioners')
    .set({ verified_at: at, verified_by: by })
    .where('user_id', '=', userId)
    .execute();
}

export function listPractitionersWithPractices(db: Db) {
  return db
    .selectFrom('practitioners')
    .innerJoin('users', 'users.id', 'practitioners.user_id')
    .leftJoin('practice_members', 'practice_members.user_id', 'practitioners.user_id')
    .leftJoin('practices', 'practices.id', 'practice_members.practice_id')
    .select([
      'practitioners.user_id',
      'practitioners.rpps',
      'practitioners.specialty',
      'practitioners.verified_at',
      'users.email',
      'users.first_name',
      'users.last_name',
      'users.password_hash',
      'users.totp_enrolled_at',
      'practices.id as practice_id',
      'practices.name as practice_name',
    ])
    .orderBy('users.last_name')
    .orderBy('users.first_name')
    .execute();
}
