import type { Kysely } from 'kysely';
import type { CampaignRow, Database } from '../../platform/db/schema';

type Db = Kysely<Database>;

/** The practice's linked patients with what audiences filter on. */
export function audienceCandidates(db: Db, practiceId: string) {
  return (
    db
      .selectFrom('practice_patients')
      .innerJoin('patient_profiles', 'patient_profiles.id', 'practice_patients.patient_profile_id')
      .innerJoin('care_relationships', 'care_relationships.practice_patient_id', 'practice_patients.id')
      .leftJoin('campaign_optouts', (join) =>
        join
          .onRef('campaign_optouts.patient_profile_id', '=', 'patient_profiles.id')
          .on('campaign_optouts.practice_id', '=', practiceId),
      )
      .select((eb) => [
        'patient_profiles.id as profile_id',
        'patient_profiles.birth_date',
        'patient_profiles.sex',
        'patient_profiles.relationship',
        'practice_patients.tags',
        eb.fn.max('care_relationships.last_consultation_at').as('last_consultation_at'),
        eb.fn.max('campaign_optouts.created_at').as('opted_out_at'),
      ])
      .where('practice_patients.practice_id', '=', practiceId)
      // A closed account's profile is kept only as part of the medical record: it receives nothing more.
      .where('patient_profiles.closed_at', 'is', null)
      .groupBy([
        'patient_profiles.id',
        'patient_profiles.birth_date',
        'patient_profiles.sex',
        'patient_profiles.relationship',
        'practice_patients.tags',
      ])
      .execute()
  );
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
        .on('read_markers.side', '=', 'patient'),
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
