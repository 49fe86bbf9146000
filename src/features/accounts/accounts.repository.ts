import type { Insertable, Kysely, Updateable } from 'kysely';
import type {
  Database,
  EmailTokenRow,
  PatientProfileRow,
  SessionRow,
  UserRow,
} from '../../platform/db/schema';

type Db = Kysely<Database>;

export function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUserById(db: Db, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Db, row: Insertable<UserRow>): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function updateUser(db: Db, id: string, changes: Updateable<UserRow>): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function insertPatientProfile(db: Db, row: Insertable<PatientProfileRow>): Promise<void> {
  await db.insertInto('patient_profiles').values(row).execute();
}

/** The profile a patient account holds: its own, or the relative profile a teenager took over. */
export function findSelfProfile(db: Db, userId: string) {
  return db.selectFrom('patient_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function insertEmailToken(db: Db, row: Insertable<EmailTokenRow>): Promise<void> {
  await db.insertInto('email_tokens').values(row).execute();
}

/** Marks a live token used and returns it; a token is usable once. */
export async function consumeEmailToken(
  db: Db,
  tokenHash: string,
  purposes: EmailTokenRow['purpose'][],
  now: number,
) {
  const token = await db
    .selectFrom('email_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!token) return undefined;
  const result = await db
    .updateTable('email_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n ? token : undefined;
}

export async function invalidateEmailTokens(
  db: Db,
  userId: string,
  purpose: EmailTokenRow['purpose'],
  now: number,
) {
  await db
    .updateTable('email_tokens')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

export async function insertSession(db: Db, row: Insertable<SessionRow>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export function findSession(db: Db, id: string) {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateSession(db: Db, id: string, changes: Updateable<SessionRow>): Promise<void> {
  await db.updateTable('sessions').set(changes).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessions(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length > 0)
    await db
      .deleteFrom('sessions')
      .where('id', 'in', [...ids])
      .execute();
}

export async function touchSessions(db: Db, ids: readonly string[], at: number): Promise<void> {
  if (ids.length > 0)
    await db
      .updateTable('sessions')
      .set({ last_seen_at: at })
      .where('id', 'in', [...ids])
      .execute();
}

export async function deleteUserSessions(db: Db, userId: string, exceptId?: string): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) query = query.where('id', '!=', exceptId);
  await query.execute();
}

export async function deleteExpiredSessions(db: Db, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

export function findThrottle(db: Db, key: string) {
  return db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function saveThrottle(
  db: Db,
  key: string,
  state: { failures: number; windowStartedAt: number; lockedUntil: number | null },
): Promise<void> {
  const values = {
    failures: state.failures,
    window_started_at: state.windowStartedAt,
    locked_until: state.lockedUntil,
  };
  await db
    .insertInto('login_throttle')
    .values({ key, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
