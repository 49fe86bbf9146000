import { type Kysely, sql, type Updateable } from 'kysely';
import type { Database, DataExportRow, UserRow } from '../../platform/db/schema';

type Db = Kysely<Database>;

export function findUser(db: Db, userId: string) {
  return db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

export async function updateUser(db: Db, userId: string, changes: Updateable<UserRow>): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', userId).execute();
}

// ----- Exports -----

export async function insertExport(db: Db, row: DataExportRow): Promise<void> {
  await db.insertInto('data_exports').values(row).execute();
}

export async function updateExport(db: Db, id: string, changes: Updateable<DataExportRow>): Promise<void> {
  await db.updateTable('data_exports').set(changes).where('id', '=', id).execute();
}

/** Everything but the archive itself, which is read only for a download. */
export function findExport(db: Db, id: string, userId: string) {
  return db
    .selectFrom('data_exports')
    .select([
      'id',
      'user_id',
      'session_id',
      'status',
      'progress',
      'total',
      'size',
      'created_at',
      'completed_at',
      'expires_at',
    ])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export function listExports(db: Db, userId: string) {
  return db
    .selectFrom('data_exports')
    .select(['id', 'status', 'progress', 'total', 'size', 'created_at', 'completed_at', 'expires_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(5)
    .execute();
}

export function readArchive(db: Db, id: string) {
  return db.selectFrom('data_exports').select('archive').where('id', '=', id).executeTakeFirst();
}

export async function deleteExpiredExports(db: Db, now: number): Promise<void> {
  await db.deleteFrom('data_exports').where('expires_at', '<=', now).execute();
}

/** Account events (sign-ins, password changes, exports…) the person did or that concern their account. */
export function accountEvents(db: Db, userId: string) {
  return db
    .selectFrom('audit_log')
    .select(['at', 'action', 'actor_role', 'ip', 'user_agent'])
    .where((eb) =>
      eb.or([
        eb('actor_user_id', '=', userId),
        eb.and([eb('target_type', '=', 'user'), eb('target_id', '=', userId)]),
      ]),
    )
    .where('target_type', 'in', ['user', 'session', 'terms', 'data_export'])
    .orderBy('seq', 'asc')
    .execute();
}

export function termsAcceptances(db: Db, userId: string) {
  return db
    .selectFrom('terms_acceptances')
    .select(['kind', 'version', 'accepted_at'])
    .where('user_id', '=', userId)
    .orderBy('accepted_at', 'asc')
    .execute();
}

// ----- Account closure -----

/**
 * The profiles an account speaks for: its own (or a teenager's taken-over profile) and the relatives it
 * manages. Relatives who hold their own account are theirs, not the closing account's.
 */
export function heldProfiles(db: Db, userId: string) {
  return db
    .selectFrom('patient_profiles')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('user_id', '=', userId),
        eb.and([eb('owner_user_id', '=', userId), eb('user_id', 'is', null)]),
      ]),
    )
    .execute();
}

/** Relatives that took over their own profile stay with their own account when the parent leaves. */
export async function handOverOwnAccounts(db: Db, userId: string, now: number): Promise<void> {
  await db
    .updateTable('patient_profiles')
    .set({ owner_user_id: sql<string>`user_id`, updated_at: now })
    .where('owner_user_id', '=', userId)
    .where('user_id', 'is not', null)
    .where('user_id', '!=', userId)
    .execute();
}

export function conversationsOfProfile(db: Db, profileId: string) {
  return db
    .selectFrom('conversations')
    .select(['id', 'practice_id', 'status', 'last_message_at'])
    .where('patient_profile_id', '=', profileId)
    .execute();
}

export async function closeConversationForAccount(db: Db, id: string, now: number, cursor: number) {
  await db
    .updateTable('conversations')
    .set({
      status: 'closed',
      closed_at: now,
      closed_reason: 'account_closed',
      patient_may_reply: 0,
      awaiting_reply_since: null,
      due_at: null,
      change_cursor: cursor,
    })
    .where('id', '=', id)
    .execute();
}

export function appointmentsOfProfile(db: Db, profileId: string) {
  return db
    .selectFrom('appointments')
    .select(['id', 'status', 'starts_at'])
    .where('patient_profile_id', '=', profileId)
    .execute();
}

export async function cancelFutureAppointments(db: Db, profileId: string, userId: string, now: number) {
  await db
    .updateTable('appointments')
    .set({ status: 'cancelled', cancelled_by_user_id: userId, status_changed_at: now })
    .where('patient_profile_id', '=', profileId)
    .where('status', '=', 'booked')
    .where('starts_at', '>', now)
    .execute();
}

export async function lastConsultationOf(db: Db, profileId: string): Promise<number | null> {
  const row = await db
    .selectFrom('care_relationships')
    .innerJoin('practice_patients', 'practice_patients.id', 'care_relationships.practice_patient_id')
    .select((eb) => eb.fn.max('care_relationships.last_consultation_at').as('last'))
    .where('practice_patients.patient_profile_id', '=', profileId)
    .executeTakeFirst();
  return row?.last == null ? null : Number(row.last);
}

export async function markProfileClosed(db: Db, profileId: string, now: number, retainUntil: number) {
  await db
    .updateTable('patient_profiles')
    .set({ closed_at: now, retain_until: retainUntil, updated_at: now })
    .where('id', '=', profileId)
    .execute();
}

/** Removes a profile and what points at it; the practice's own patient record is kept, unlinked. */
export async function deleteProfile(db: Db, profileId: string): Promise<void> {
  const conversations = db
    .selectFrom('conversations')
    .select('id')
    .where('patient_profile_id', '=', profileId);
  await db.deleteFrom('renewals').where('conversation_id', 'in', conversations).execute();
  await db.deleteFrom('attachments').where('conversation_id', 'in', conversations).execute();
  await db.deleteFrom('read_markers').where('conversation_id', 'in', conversations).execute();
  await db.deleteFrom('notification_log').where('conversation_id', 'in', conversations).execute();
  await db.deleteFrom('push_log').where('conversation_id', 'in', conversations).execute();
  await db.deleteFrom('campaign_recipients').where('patient_profile_id', '=', profileId).execute();
  await db.deleteFrom('messages').where('conversation_id', 'in', conversations).execute();
  await db.deleteFrom('conversations').where('patient_profile_id', '=', profileId).execute();
  await db.deleteFrom('appointments').where('patient_profile_id', '=', profileId).execute();
  await db.deleteFrom('campaign_optouts').where('patient_profile_id', '=', profileId).execute();
  await db
    .updateTable('practice_patients')
    .set({ patient_profile_id: null })
    .where('patient_profile_id', '=', profileId)
    .execute();
  await db.deleteFrom('patient_profiles').where('id', '=', profileId).execute();
}

/** What identifies and reaches the person, apart from the tombstone row itself. */
export async function eraseAccountData(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await db.deleteFrom('email_tokens').where('user_id', '=', userId).execute();
  await db.deleteFrom('notification_preferences').where('user_id', '=', userId).execute();
  await db.deleteFrom('notification_log').where('user_id', '=', userId).execute();
  await db.deleteFrom('terms_acceptances').where('user_id', '=', userId).execute();
  await db.deleteFrom('data_exports').where('user_id', '=', userId).execute();
  await db.deleteFrom('read_markers').where('user_id', '=', userId).execute();
  await db.deleteFrom('push_subscriptions').where('user_id', '=', userId).execute();
  await db.deleteFrom('push_log').where('user_id', '=', userId).execute();
  await db.deleteFrom('live_connections').where('user_id', '=', userId).execute();
  // Files uploaded but never sent belong to nobody else.
  await db
    .deleteFrom('attachments')
    .where('owner_user_id', '=', userId)
    .where('conversation_id', 'is', null)
    .execute();
}

export function expiredProfiles(db: Db, now: number, limit: number) {
  return db
    .selectFrom('patient_profiles')
    .select(['id', 'owner_user_id', 'user_id'])
    .where('closed_at', 'is not', null)
    .where('retain_until', '<=', now)
    .limit(limit)
    .execute();
}

/** Closed accounts that no longer hold any profile: their tombstone can go. */
export function emptyTombstones(db: Db, limit: number) {
  return db
    .selectFrom('users')
    .select('id')
    .where('closed_at', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('patient_profiles')
            .select('patient_profiles.id')
            .where((inner) =>
              inner.or([
                inner('patient_profiles.owner_user_id', '=', eb.ref('users.id')),
                inner('patient_profiles.user_id', '=', eb.ref('users.id')),
              ]),
            ),
        ),
      ),
    )
    .limit(limit)
    .execute();
}

export async function deleteUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', userId).execute();
}
