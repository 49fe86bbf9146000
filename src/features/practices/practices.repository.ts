import type { Insertable, Kysely, Updateable } from 'kysely';
import { compiledOnce } from '../../platform/db/compiled';
import type {
  Database,
  PracticeInvitationRow,
  PracticeMemberRow,
  PracticeRow,
} from '../../platform/db/schema';

type Db = Kysely<Database>;

export async function insertPractice(db: Db, row: Insertable<PracticeRow>): Promise<void> {
  await db.insertInto('practices').values(row).execute();
}

export async function updatePractice(db: Db, id: string, changes: Updateable<PracticeRow>): Promise<void> {
  await db.updateTable('practices').set(changes).where('id', '=', id).execute();
}

export function findPractice(db: Db, id: string) {
  return db.selectFrom('practices').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listPractices(db: Db) {
  return db.selectFrom('practices').selectAll().orderBy('name').execute();
}

export function membershipsOfUser(db: Db, userId: string) {
  return db
    .selectFrom('practice_members')
    .innerJoin('practices', 'practices.id', 'practice_members.practice_id')
    .select([
      'practice_members.practice_id',
      'practices.name as practice_name',
      'practice_members.role',
      'practice_members.is_admin',
      'practice_members.rights',
    ])
    .where('practice_members.user_id', '=', userId)
    .orderBy('practices.name')
    .execute();
}

export async function findMember(db: Db, practiceId: string, userId: string) {
  return (await memberOf(db, { practiceId, userId }))[0];
}

/** Read on every request a practice's staff makes (their rights), so compiled once. */
const memberOf = compiledOnce((db, args: { practiceId: string; userId: string }) =>
  db
    .selectFrom('practice_members')
    .selectAll()
    .where('practice_id', '=', args.practiceId)
    .where('user_id', '=', args.userId),
);

export function listMembers(db: Db, practiceId: string) {
  return db
    .selectFrom('practice_members')
    .innerJoin('users', 'users.id', 'practice_members.user_id')
    .select([
      'practice_members.user_id',
      'practice_members.role',
      'practice_members.is_admin',
      'practice_members.rights',
      'practice_members.created_at',
      'users.first_name',
      'users.last_name',
      'users.email',
      'users.totp_enrolled_at',
    ])
    .where('practice_members.practice_id', '=', practiceId)
    .orderBy('practice_members.role', 'desc')
    .orderBy('users.last_name')
    .execute();
}

export async function countAdmins(db: Db, practiceId: string): Promise<number> {
  const row = await db
    .selectFrom('practice_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('practice_id', '=', practiceId)
    .where('is_admin', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertMember(db: Db, row: Insertable<PracticeMemberRow>): Promise<void> {
  await db.insertInto('practice_members').values(row).execute();
}

export async function updateMember(
  db: Db,
  practiceId: string,
  userId: string,
  changes: Updateable<PracticeMemberRow>,
) {
  await db
    .updateTable('practice_members')
    .set(changes)
    .where('practice_id', '=', practiceId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMember(db: Db, practiceId: string, userId: string): Promise<void> {
  await db
    .deleteFrom('practice_members')
    .where('practice_id', '=', practiceId)
    .where('user_id', '=', userId)
    .execute();
}

export async function insertInvitation(db: Db, row: Insertable<PracticeInvitationRow>): Promise<void> {
  await db.insertInto('practice_invitations').values(row).execute();
}

export function listPendingInvitations(db: Db, practiceId: string, now: number) {
  return db
    .selectFrom('practice_invitations')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

export function findLiveInvitationByToken(db: Db, tokenHash: string, now: number) {
  return db
    .selectFrom('practice_invitations')
    .innerJoin('practices', 'practices.id', 'practice_invitations.practice_id')
    .selectAll('practice_invitations')
    .select('practices.name as practice_name')
    .where('practice_invitations.token_hash', '=', tokenHash)
    .where('practice_invitations.accepted_at', 'is', null)
    .where('practice_invitations.revoked_at', 'is', null)
    .where('practice_invitations.expires_at', '>', now)
    .executeTakeFirst();
}

export async function updateInvitation(db: Db, id: string, changes: Updateable<PracticeInvitationRow>) {
  return db.updateTable('practice_invitations').set(changes).where('id', '=', id).executeTakeFirst();
}

export function findInvitation(db: Db, practiceId: string, id: string) {
  return db
    .selectFrom('practice_invitations')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
}
