import { type Kysely, sql } from 'kysely';
import { insertRows, type Statement } from '../../platform/db/dialect';
import type {
  CampaignAttachmentRow,
  CampaignRow,
  ConversationRow,
  Database,
  MessageRow,
} from '../../platform/db/schema';
import type { Dialect } from '../../platform/db/store';

type Db = Kysely<Database>;

/**
 * The practice's linked patients with a care relationship, with what audiences filter on, a page at a
 * time along the (practice, profile) index: the caller decides what happens between pages (a turn of the
 * event loop at least: on the embedded store a query blocks the thread while it runs). A practice's whole
 * list is never held at once.
 */
export async function* audiencePages(db: Db, practiceId: string, pageSize: number) {
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom('practice_patients')
      .innerJoin('patient_profiles', 'patient_profiles.id', 'practice_patients.patient_profile_id')
      .select((eb) => [
        'patient_profiles.id as profile_id',
        'patient_profiles.birth_date',
        'patient_profiles.sex',
        'patient_profiles.relationship',
        'patient_profiles.owner_user_id',
        'patient_profiles.user_id',
        'patient_profiles.own_account_since',
        'practice_patients.tags',
        eb
          .selectFrom('care_relationships')
          .select((sub) => sub.fn.max('care_relationships.last_consultation_at').as('at'))
          .whereRef('care_relationships.practice_patient_id', '=', 'practice_patients.id')
          .as('last_consultation_at'),
        eb
          .selectFrom('campaign_optouts')
          .select('campaign_optouts.created_at')
          .whereRef('campaign_optouts.patient_profile_id', '=', 'patient_profiles.id')
          .where('campaign_optouts.practice_id', '=', practiceId)
          .as('opted_out_at'),
      ])
      .where('practice_patients.practice_id', '=', practiceId)
      // A closed account's profile is kept only as part of the medical record: it receives nothing more.
      .where('patient_profiles.closed_at', 'is', null)
      .where('practice_patients.patient_profile_id', '>', after)
      // The same bound on the profiles' side: without it PostgreSQL merges each page with the profiles'
      // index read from its start, so that reading a practice's list took time in its square.
      .where('patient_profiles.id', '>', after)
      .orderBy('practice_patients.patient_profile_id')
      .limit(pageSize)
      .execute();
    if (page.length === 0) return;
    yield page.flatMap((row) =>
      row.last_consultation_at === null
        ? []
        : [{ ...row, last_consultation_at: Number(row.last_consultation_at) }],
    );
    if (page.length < pageSize) return;
    after = page.at(-1)!.profile_id;
  }
}

export async function insertCampaign(db: Db, row: CampaignRow) {
  await db.insertInto('campaigns').values(row).execute();
}

export function findCampaign(db: Db, practiceId: string, id: string) {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listCampaigns(db: Db, practiceId: string) {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
}

export function dueCampaigns(db: Db, now: number) {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'scheduled'), eb('scheduled_at', '<=', now)]),
        eb('status', '=', 'sending'),
      ]),
    )
    .orderBy('scheduled_at')
    .execute();
}

export async function campaignStats(db: Db, campaignId: string) {
  const row = await db
    .selectFrom('campaign_recipients')
    .leftJoin('conversations', 'conversations.id', 'campaign_recipients.conversation_id')
    .leftJoin('read_markers', (join) =>
      join
        .onRef('read_markers.conversation_id', '=', 'campaign_recipients.conversation_id')
        .on('read_markers.side', '=', 'patient')
        .on('read_markers.read_seq', '>=', 1),
    )
    .select((eb) => [
      eb.fn.count('campaign_recipients.delivered_at').as('delivered'),
      eb.fn.count('read_markers.conversation_id').distinct().as('read'),
      eb.fn.sum<number>(eb.case().when('conversations.last_seq', '>', 1).then(1).else(0).end()).as('replied'),
    ])
    .where('campaign_recipients.campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return { delivered: Number(row.delivered), read: Number(row.read), replied: Number(row.replied ?? 0) };
}

/**
 * Per recipient: when the campaign was delivered, read and first answered. A read marker keeps only its
 * last change, so a read counts at the moment the patient side last read the conversation (for a campaign
 * nobody answered, the first and only read).
 */
export async function recipientEvents(db: Db, campaignId: string) {
  const rows = await db
    .selectFrom('campaign_recipients')
    .select((eb) => [
      'campaign_recipients.delivered_at',
      eb
        .selectFrom('read_markers')
        .select((inner) => inner.fn.min('read_markers.updated_at').as('at'))
        .whereRef('read_markers.conversation_id', '=', 'campaign_recipients.conversation_id')
        .where('read_markers.side', '=', 'patient')
        .where('read_markers.read_seq', '>=', 1)
        .as('read_at'),
      eb
        .selectFrom('messages')
        .select((inner) => inner.fn.min('messages.created_at').as('at'))
        .whereRef('messages.conversation_id', '=', 'campaign_recipients.conversation_id')
        .where('messages.sender_side', '=', 'patient')
        .as('replied_at'),
    ])
    .where('campaign_recipients.campaign_id', '=', campaignId)
    .where('campaign_recipients.delivered_at', 'is not', null)
    .execute();
  const at = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return rows.map((row) => ({
    deliveredAt: at(row.delivered_at),
    readAt: at(row.read_at),
    repliedAt: at(row.replied_at),
  }));
}

/** The practices that know these profiles, with each profile's campaign opt-out. */
export function optOutsOfProfiles(db: Db, profileIds: readonly string[]) {
  return db
    .selectFrom('practice_patients')
    .innerJoin('practices', 'practices.id', 'practice_patients.practice_id')
    .leftJoin('campaign_optouts', (join) =>
      join
        .onRef('campaign_optouts.practice_id', '=', 'practice_patients.practice_id')
        .onRef('campaign_optouts.patient_profile_id', '=', 'practice_patients.patient_profile_id'),
    )
    .select([
      'practices.id as practice_id',
      'practices.name as practice_name',
      'practice_patients.patient_profile_id as profile_id',
      'campaign_optouts.created_at as opted_out_at',
    ])
    .where('practice_patients.patient_profile_id', 'in', profileIds)
    .orderBy('practices.name')
    .execute();
}

/** The practice's records with these match keys (name and birth date), and their linked profile if any. */
export function recordsByMatchKey(db: Db, practiceId: string, keys: readonly string[]) {
  return db
    .selectFrom('practice_patients')
    .select(['match_key', 'patient_profile_id'])
    .where('practice_id', '=', practiceId)
    .where('match_key', 'in', keys)
    .execute();
}

export async function insertCampaignAttachment(db: Db, row: CampaignAttachmentRow) {
  await db.insertInto('campaign_attachments').values(row).execute();
}

export function campaignAttachment(db: Db, campaignId: string) {
  return db.selectFrom('campaign_attachments').selectAll().where('id', '=', campaignId).executeTakeFirst();
}

/** The file of the campaign that opened this conversation, if it had one. */
export function attachmentOfConversation(db: Db, conversationId: string) {
  return db
    .selectFrom('campaign_recipients')
    .innerJoin('campaign_attachments', 'campaign_attachments.id', 'campaign_recipients.campaign_id')
    .selectAll('campaign_attachments')
    .where('campaign_recipients.conversation_id', '=', conversationId)
    .executeTakeFirst();
}

/** Which of these profiles opted out of the practice's campaigns. */
export async function optedOutAmong(db: Db, practiceId: string, profileIds: readonly string[]) {
  const rows = await db
    .selectFrom('campaign_optouts')
    .select('patient_profile_id')
    .where('practice_id', '=', practiceId)
    .where('patient_profile_id', 'in', profileIds)
    .execute();
  return rows.map((row) => row.patient_profile_id);
}

/**
 * Delivers the campaign to these profiles: writes each one's recipient row, delivered now, unless it is
 * there delivered already (by an earlier run, or another instance meanwhile). A row written pending by
 * an earlier version is delivered here. Returns the profiles this statement delivered to: only they are
 * notified, so that a recipient is told once. The profiles go as one parameter, so that the statement's
 * text and plan are the same for every batch.
 */
export async function deliverRecipients(
  db: Db,
  dialect: Dialect,
  campaignId: string,
  profileIds: readonly string[],
  now: number,
): Promise<string[]> {
  if (profileIds.length === 0) return [];
  const source =
    dialect === 'postgres'
      ? sql`select ${campaignId}, p, null, ${now}::bigint from unnest(${[...profileIds]}::text[]) as p`
      : sql`select ${campaignId}, value, null, ${now} from json_each(${JSON.stringify(profileIds)}) where true`;
  const { rows } = await sql<{ patient_profile_id: string }>`
    insert into campaign_recipients (campaign_id, patient_profile_id, conversation_id, delivered_at) ${source}
    on conflict (campaign_id, patient_profile_id) do update set delivered_at = excluded.delivered_at
    where campaign_recipients.delivered_at is null
    returning patient_profile_id`.execute(db);
  return rows.map((row) => row.patient_profile_id);
}

/** The profiles a campaign has been delivered to (to resume it after a stop). */
export async function deliveredProfiles(db: Db, campaignId: string) {
  const rows = await db
    .selectFrom('campaign_recipients')
    .select('patient_profile_id')
    .where('campaign_id', '=', campaignId)
    .where('delivered_at', 'is not', null)
    .execute();
  return rows.map((row) => row.patient_profile_id);
}

/** Campaign messages delivered to these profiles and not yet in a conversation, with the campaign's message. */
export function unopenedDeliveries(db: Db, profileIds: readonly string[]) {
  return db
    .selectFrom('campaign_recipients')
    .innerJoin('campaigns', 'campaigns.id', 'campaign_recipients.campaign_id')
    .select([
      'campaign_recipients.campaign_id',
      'campaign_recipients.patient_profile_id',
      'campaign_recipients.delivered_at',
      'campaigns.practice_id',
      'campaigns.author_user_id',
      'campaigns.patients_may_reply',
      'campaigns.title',
      'campaigns.body',
    ])
    .where('campaign_recipients.patient_profile_id', 'in', profileIds)
    .where('campaign_recipients.conversation_id', 'is', null)
    .where('campaign_recipients.delivered_at', 'is not', null)
    .execute();
}

/**
 * The statements that write the conversations opened from campaign deliveries (see executeTogether):
 * each conversation, its first message, the author's read marker.
 */
export function openingInserts(
  dialect: Dialect,
  conversations: readonly ConversationRow[],
  messages: readonly MessageRow[],
): Statement[] {
  return [
    ...insertRows(dialect, 'conversations', conversations),
    ...insertRows(dialect, 'messages', messages),
    ...insertRows(
      dialect,
      'read_markers',
      conversations.map((c) => ({
        conversation_id: c.id,
        user_id: c.created_by_user_id,
        side: 'practice' as const,
        delivered_seq: 1,
        read_seq: 1,
        updated_at: c.created_at,
      })),
    ),
  ];
}
