import { type Kysely, sql } from 'kysely';
import type { PagePosition, TimeRange } from '../../domain/fhir/search';
import type { Database } from '../../platform/db/schema';

type Db = Kysely<Database>;

/** What a search may return: always bounded by the caller's scope, then by the search parameters. */
export interface Page {
  after: PagePosition | null;
  /** Rows to return; queries fetch one more to know whether a next page exists. */
  limit: number;
  ids?: string[] | undefined;
  patientProfileId?: string | undefined;
  range?: TimeRange | undefined;
}

/** Which conversations the caller may see: those of practices where they hold the right, or an explicit list. */
export type ConversationScope = { practiceIds: string[] } | { conversationIds: string[] };

// Keyset paging: entries sort by a numeric key then by id, so pages neither skip nor repeat rows.
const after = (key: string, id: string, position: PagePosition | null) =>
  position
    ? sql<boolean>`(${sql.ref(key)} > ${position.key} or (${sql.ref(key)} = ${position.key} and ${sql.ref(id)} > ${position.id}))`
    : sql<boolean>`1 = 1`;
const inRange = (key: string, range: TimeRange | undefined) => {
  const parts = [sql<boolean>`1 = 1`];
  if (range?.from !== undefined) parts.push(sql<boolean>`${sql.ref(key)} >= ${range.from}`);
  if (range?.to !== undefined) parts.push(sql<boolean>`${sql.ref(key)} < ${range.to}`);
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
};
const inList = (column: string, values: string[] | undefined) =>
  values === undefined
    ? sql<boolean>`1 = 1`
    : values.length === 0
      ? sql<boolean>`1 = 0`
      : sql<boolean>`${sql.ref(column)} in (${sql.join(values)})`;
const equals = (column: string, value: string | undefined) =>
  value === undefined ? sql<boolean>`1 = 1` : sql<boolean>`${sql.ref(column)} = ${value}`;
const inConversations = (scope: ConversationScope, practiceColumn: string, conversationColumn: string) =>
  'practiceIds' in scope
    ? inList(practiceColumn, scope.practiceIds)
    : inList(conversationColumn, scope.conversationIds);

// ----- Scope -----

/** Conversations of profiles, with what the patient-side visibility rule needs. */
export function conversationsOfProfiles(db: Db, profileIds: string[]) {
  if (profileIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('conversations')
    .innerJoin('patient_profiles as profile', 'profile.id', 'conversations.patient_profile_id')
    .select([
      'conversations.id',
      'conversations.created_by_user_id',
      'conversations.created_at',
      'profile.owner_user_id',
      'profile.user_id',
      'profile.own_account_since',
    ])
    .where('conversations.patient_profile_id', 'in', profileIds)
    .execute();
}

export function appointmentsOfProfiles(db: Db, profileIds: string[]) {
  if (profileIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('appointments')
    .innerJoin('patient_profiles as profile', 'profile.id', 'appointments.patient_profile_id')
    .select([
      'appointments.id',
      'appointments.booked_by_user_id',
      'appointments.created_at',
      'profile.owner_user_id',
      'profile.user_id',
      'profile.own_account_since',
    ])
    .where('appointments.patient_profile_id', 'in', profileIds)
    .execute();
}

/**
 * Links between practitioners and profiles: care relationships (dated by the last consultation),
 * conversations and appointments, each with who made it, when, and what the visibility rule of the profile's
 * items needs.
 */
export async function practitionerLinksOfProfiles(db: Db, profileIds: string[]) {
  if (profileIds.length === 0) return [];
  const profileColumns = ['profile.owner_user_id', 'profile.user_id', 'profile.own_account_since'] as const;
  const [care, conversations, appointments] = await Promise.all([
    db
      .selectFrom('care_relationships')
      .innerJoin('practice_patients', 'practice_patients.id', 'care_relationships.practice_patient_id')
      .innerJoin('patient_profiles as profile', 'profile.id', 'practice_patients.patient_profile_id')
      .select([
        'care_relationships.practitioner_user_id as id',
        'care_relationships.practitioner_user_id as created_by_user_id',
        'care_relationships.last_consultation_at as created_at',
        ...profileColumns,
      ])
      .where('practice_patients.patient_profile_id', 'in', profileIds)
      .execute(),
    db
      .selectFrom('conversations')
      .innerJoin('patient_profiles as profile', 'profile.id', 'conversations.patient_profile_id')
      .select([
        'conversations.practitioner_user_id as id',
        'conversations.created_by_user_id',
        'conversations.created_at',
        ...profileColumns,
      ])
      .where('conversations.patient_profile_id', 'in', profileIds)
      .execute(),
    db
      .selectFrom('appointments')
      .innerJoin('patient_profiles as profile', 'profile.id', 'appointments.patient_profile_id')
      .select([
        'appointments.practitioner_user_id as id',
        'appointments.booked_by_user_id as created_by_user_id',
        'appointments.created_at',
        ...profileColumns,
      ])
      .where('appointments.patient_profile_id', 'in', profileIds)
      .execute(),
  ]);
  return [...care, ...conversations, ...appointments];
}

export function membersOfPractices(db: Db, practiceIds: string[]) {
  if (practiceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('practice_members')
    .select('user_id')
    .where('practice_id', 'in', practiceIds)
    .execute();
}

// ----- Searches -----

/** Profiles by id, or those on record (linked to a person) at these practices. */
export type ProfileScope = { profileIds: string[] } | { practiceIds: string[] };

export function searchProfiles(db: Db, scope: ProfileScope, page: Page, onlyRelatives = false) {
  let query = db
    .selectFrom('patient_profiles')
    .innerJoin('users as holder', 'holder.id', 'patient_profiles.owner_user_id')
    .selectAll('patient_profiles')
    .select(['holder.first_name as holder_first_name', 'holder.last_name as holder_last_name'])
    .where((eb) =>
      'profileIds' in scope
        ? inList('patient_profiles.id', scope.profileIds)
        : eb(
            'patient_profiles.id',
            'in',
            eb
              .selectFrom('practice_patients')
              .select('practice_patients.patient_profile_id')
              .where(inList('practice_patients.practice_id', scope.practiceIds))
              .where('practice_patients.patient_profile_id', 'is not', null),
          ),
    )
    .where(inList('patient_profiles.id', page.ids))
    .where(equals('patient_profiles.id', page.patientProfileId))
    .where(after('patient_profiles.created_at', 'patient_profiles.id', page.after));
  if (onlyRelatives) query = query.where('patient_profiles.relationship', '!=', 'self');
  return query
    .orderBy('patient_profiles.created_at')
    .orderBy('patient_profiles.id')
    .limit(page.limit + 1)
    .execute();
}

export function searchPractitioners(db: Db, scope: { userIds: string[] }, page: Page) {
  return db
    .selectFrom('practitioners')
    .innerJoin('users', 'users.id', 'practitioners.user_id')
    .select([
      'users.id',
      'users.first_name',
      'users.last_name',
      'users.created_at',
      'practitioners.rpps',
      'practitioners.specialty',
      'practitioners.verified_at',
    ])
    .where(inList('users.id', scope.userIds))
    .where(inList('users.id', page.ids))
    .where(after('users.created_at', 'users.id', page.after))
    .orderBy('users.created_at')
    .orderBy('users.id')
    .limit(page.limit + 1)
    .execute();
}

export function searchAppointments(
  db: Db,
  scope: { practiceIds: string[] } | { appointmentIds: string[] },
  page: Page,
) {
  return db
    .selectFrom('appointments')
    .innerJoin('practices', 'practices.id', 'appointments.practice_id')
    .innerJoin('users as practitioner', 'practitioner.id', 'appointments.practitioner_user_id')
    .innerJoin('patient_profiles as profile', 'profile.id', 'appointments.patient_profile_id')
    .selectAll('appointments')
    .select([
      'practices.name as practice_name',
      'practitioner.first_name as practitioner_first_name',
      'practitioner.last_name as practitioner_last_name',
      'profile.first_name as patient_first_name',
      'profile.last_name as patient_last_name',
    ])
    .where(
      'practiceIds' in scope
        ? inList('appointments.practice_id', scope.practiceIds)
        : inList('appointments.id', scope.appointmentIds),
    )
    .where(inList('appointments.id', page.ids))
    .where(equals('appointments.patient_profile_id', page.patientProfileId))
    .where(inRange('appointments.starts_at', page.range))
    .where(after('appointments.starts_at', 'appointments.id', page.after))
    .orderBy('appointments.starts_at')
    .orderBy('appointments.id')
    .limit(page.limit + 1)
    .execute();
}

function threads(db: Db) {
  return db
    .selectFrom('conversations')
    .innerJoin('users as practitioner', 'practitioner.id', 'conversations.practitioner_user_id')
    .innerJoin('patient_profiles as profile', 'profile.id', 'conversations.patient_profile_id')
    .leftJoin('campaign_recipients', 'campaign_recipients.conversation_id', 'conversations.id')
    .selectAll('conversations')
    .select([
      'practitioner.first_name as practitioner_first_name',
      'practitioner.last_name as practitioner_last_name',
      'profile.first_name as patient_first_name',
      'profile.last_name as patient_last_name',
      'profile.user_id as profile_user_id',
      'campaign_recipients.campaign_id',
    ]);
}
export type ThreadRow = Awaited<ReturnType<typeof searchThreads>>[number];

export function searchThreads(
  db: Db,
  scope: ConversationScope,
  page: Page & { partOf?: string | undefined },
) {
  // A thread is part of no other Communication: searching by part-of finds messages only.
  if (page.partOf !== undefined) return Promise.resolve([]);
  return threads(db)
    .where(inConversations(scope, 'conversations.practice_id', 'conversations.id'))
    .where(inList('conversations.id', page.ids))
    .where(equals('conversations.patient_profile_id', page.patientProfileId))
    .where(inRange('conversations.created_at', page.range))
    .where(after('conversations.created_at', 'conversations.id', page.after))
    .orderBy('conversations.created_at')
    .orderBy('conversations.id')
    .limit(page.limit + 1)
    .execute();
}

function messages(db: Db) {
  return db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .innerJoin('users as practitioner', 'practitioner.id', 'conversations.practitioner_user_id')
    .innerJoin('patient_profiles as profile', 'profile.id', 'conversations.patient_profile_id')
    .leftJoin('users as sender', 'sender.id', 'messages.sender_user_id')
    .leftJoin('practice_members as member', (join) =>
      join
        .onRef('member.user_id', '=', 'messages.sender_user_id')
        .onRef('member.practice_id', '=', 'conversations.practice_id'),
    )
    .leftJoin('renewals', 'renewals.conversation_id', 'conversations.id')
    .selectAll('messages')
    .select((eb) => [
      eb.fn.coalesce('member.role', 'sender.kind').as('sender_kind'),
      'conversations.practice_id',
      'conversations.patient_profile_id',
      'conversations.practitioner_user_id',
      'practitioner.first_name as practitioner_first_name',
      'practitioner.last_name as practitioner_last_name',
      'profile.first_name as patient_first_name',
      'profile.last_name as patient_last_name',
      'profile.user_id as profile_user_id',
      'sender.first_name as sender_first_name',
      'sender.last_name as sender_last_name',
      'member.role as sender_role',
      'renewals.id as renewal_id',
    ]);
}
export type MessageRow = Awaited<ReturnType<typeof searchMessages>>[number];

export function searchMessages(
  db: Db,
  scope: ConversationScope,
  page: Page & { partOf?: string | undefined },
) {
  return messages(db)
    .where(inConversations(scope, 'conversations.practice_id', 'conversations.id'))
    .where(inList('messages.id', page.ids))
    .where(equals('messages.conversation_id', page.partOf))
    .where(equals('conversations.patient_profile_id', page.patientProfileId))
    .where(inRange('messages.created_at', page.range))
    .where(after('messages.created_at', 'messages.id', page.after))
    .orderBy('messages.created_at')
    .orderBy('messages.id')
    .limit(page.limit + 1)
    .execute();
}

export function attachmentsOfMessages(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .select(['id', 'message_id', 'name', 'content_type', 'size'])
    .where('message_id', 'in', messageIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function searchRenewals(db: Db, scope: ConversationScope, page: Page) {
  return db
    .selectFrom('renewals')
    .innerJoin('conversations', 'conversations.id', 'renewals.conversation_id')
    .innerJoin('users as practitioner', 'practitioner.id', 'renewals.practitioner_user_id')
    .innerJoin('patient_profiles as profile', 'profile.id', 'renewals.patient_profile_id')
    .selectAll('renewals')
    .select([
      'conversations.practice_id',
      'practitioner.first_name as practitioner_first_name',
      'practitioner.last_name as practitioner_last_name',
      'profile.first_name as patient_first_name',
      'profile.last_name as patient_last_name',
    ])
    .where(inConversations(scope, 'conversations.practice_id', 'conversations.id'))
    .where(inList('renewals.id', page.ids))
    .where(equals('renewals.patient_profile_id', page.patientProfileId))
    .where(inRange('renewals.created_at', page.range))
    .where(after('renewals.created_at', 'renewals.id', page.after))
    .orderBy('renewals.created_at')
    .orderBy('renewals.id')
    .limit(page.limit + 1)
    .execute();
}

/** Campaigns of practices where the caller holds the right, or those that reached conversations they see. */
export function searchCampaigns(db: Db, scope: ConversationScope, page: Page) {
  return db
    .selectFrom('campaigns')
    .innerJoin('users as author', 'author.id', 'campaigns.author_user_id')
    .leftJoin('practitioners', 'practitioners.user_id', 'campaigns.author_user_id')
    .selectAll('campaigns')
    .select([
      'author.first_name as author_first_name',
      'author.last_name as author_last_name',
      'practitioners.user_id as author_practitioner_id',
    ])
    .where(
      'practiceIds' in scope
        ? inList('campaigns.practice_id', scope.practiceIds)
        : (eb) =>
            eb(
              'campaigns.id',
              'in',
              eb
                .selectFrom('campaign_recipients')
                .select('campaign_recipients.campaign_id')
                .where(inList('campaign_recipients.conversation_id', scope.conversationIds)),
            ),
    )
    .where((eb) =>
      page.patientProfileId === undefined
        ? sql<boolean>`1 = 1`
        : eb(
            'campaigns.id',
            'in',
            eb
              .selectFrom('campaign_recipients')
              .select('campaign_recipients.campaign_id')
              .where('campaign_recipients.patient_profile_id', '=', page.patientProfileId),
          ),
    )
    .where(inList('campaigns.id', page.ids))
    .where(inRange('campaigns.created_at', page.range))
    .where(after('campaigns.created_at', 'campaigns.id', page.after))
    .orderBy('campaigns.created_at')
    .orderBy('campaigns.id')
    .limit(page.limit + 1)
    .execute();
}

/** Audit entries about these profiles (a patient's access history), or about any patient of these practices. */
export function searchAuditEntries(
  db: Db,
  scope: { profileIds: string[] } | { practiceIds: string[] },
  page: Page,
) {
  return db
    .selectFrom('audit_log')
    .leftJoin('users as actor', 'actor.id', 'audit_log.actor_user_id')
    .leftJoin('practitioners', 'practitioners.user_id', 'audit_log.actor_user_id')
    .select([
      'audit_log.seq',
      'audit_log.id',
      'audit_log.at',
      'audit_log.actor_user_id',
      'audit_log.actor_role',
      'audit_log.action',
      'audit_log.target_type',
      'audit_log.target_id',
      'audit_log.practice_id',
      'audit_log.patient_profile_id',
      'actor.first_name as actor_first_name',
      'actor.last_name as actor_last_name',
      'practitioners.user_id as actor_practitioner_id',
    ])
    .where('audit_log.patient_profile_id', 'is not', null)
    .where(
      'profileIds' in scope
        ? inList('audit_log.patient_profile_id', scope.profileIds)
        : inList('audit_log.practice_id', scope.practiceIds),
    )
    .where(inList('audit_log.id', page.ids))
    .where(equals('audit_log.patient_profile_id', page.patientProfileId))
    .where(inRange('audit_log.at', page.range))
    .where(after('audit_log.seq', 'audit_log.id', page.after))
    .orderBy('audit_log.seq')
    .limit(page.limit + 1)
    .execute();
}
