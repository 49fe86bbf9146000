import { setTimeout as restFor, setImmediate as yieldTurn } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import type {
  Campaign,
  CampaignDetail,
  CampaignOptOutList,
  CampaignTimeline,
  PatientListMatch,
} from '../../contracts/campaigns';
import {
  type AudienceDefinition,
  campaignTimeline,
  readPatientList,
  restAfterBatch,
  selectAudience,
} from '../../domain/campaigns';
import { accountsSeeingProfileItem, type ProfileFacts } from '../../domain/care';
import type { EventBus } from '../../platform/bus/bus';
import type { Clock } from '../../platform/clock/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import { executeTogether } from '../../platform/db/dialect';
import type { CampaignAttachmentRow, CampaignRow } from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit, chainAuditEntries, SYSTEM_ACTOR } from '../audit/audit.service';
import {
  attachmentDataAad,
  attachmentNameAad,
  type ConversationAccess,
} from '../messaging/conversation-access';
import { unattachedOf } from '../messaging/messaging.repository';
import type { NotificationsService } from '../notifications/notifications.service';
import type { PatientsService } from '../patients/patients.service';
import { profileFacts } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';
import { campaignBodyAad, campaignTitleAad } from './campaign-deliveries';
import * as repo from './campaigns.repository';

/**
 * Recipients per transaction: a recipient is one small row (and a hundredth of a notice job), so a batch
 * is large enough to amortise commits and still short for an interactive write waiting behind it. On SQLite an interactive
 * write waits for the whole transaction (one writer at a time); on PostgreSQL only for the audit chain's
 * head, taken for the batch's last statement.
 */
const BATCH = { sqlite: 250, postgres: 1_000 } as const;
/**
 * A campaign is let take about this long per recipient from its start (9 s for 100,000). Within that,
 * the fan-out rests after each batch as long as the batch took (`restAfterBatch`): on either store it
 * shares the machine's cores with the requests (on PostgreSQL with the database's processes too), and at
 * full speed it leaves them waiting. Where the machine is too slow to rest and keep to it, the fan-out
 * rests less, down to not at all.
 */
const SENDING_MS_PER_RECIPIENT = 0.09;
/**
 * When a campaign starts sending, its audience is read in pages of this many patients, with a rest after
 * each as long as the page took (on both stores). A page is then a few milliseconds of the database's and
 * the worker's time, and the whole list, read at half pace, does not take the cores from interactive
 * requests (the live count while a campaign is composed reads without resting).
 */
const SENDING_AUDIENCE_PAGE = 1_000;
const AUDIENCE_PAGE = 5_000;
/** A listed audience holds at most this many patients (the limit of `profileIds` in the contract). */
const MAX_LISTED_PATIENTS = 20_000;

export const campaignFileNameAad = (id: string) => `campaign_attachments.name:${id}`;
export const campaignFileDataAad = (id: string) => `campaign_attachments.data:${id}`;

export type CampaignsService = ReturnType<typeof createCampaignsService>;

/**
 * Prevention campaigns and practice news. Delivery is a resumable job: the audience is computed when
 * sending starts, and each recipient's delivery is one row written once (its primary key is the campaign
 * and the profile), so a crash or a second instance never delivers twice and a restart finishes what was
 * left. The message is stored once, with the campaign.
 */
export function createCampaignsService(deps: {
  store: Store;
  keys: Keyring;
  clock: Clock;
  practices: PracticesService;
  patients: PatientsService;
  notifications: NotificationsService;
  bus: EventBus;
  access: ConversationAccess;
}) {
  const { store, keys, clock, practices, patients, notifications, bus, access } = deps;
  const db = store.db;

  /**
   * A campaign's recipients among the practice's patients, and the opted-out it leaves out, read and
   * selected a page at a time; with who sees each recipient's profile (its own account, the relative
   * managing it), for the fan-out's live events. When `sending`, pages are smaller and each is followed by
   * a rest as long as it took (reading it and selecting from it).
   */
  async function audienceOf(
    practiceId: string,
    audience: AudienceDefinition,
    sendAt: number,
    sending = false,
  ) {
    const practice = (await practices.findPractice(practiceId))!;
    const sendDate = DateTime.fromMillis(sendAt, { zone: practice.time_zone }).toISODate()!;
    const windowStart =
      audience.lastConsultationMonths === null
        ? null
        : DateTime.fromMillis(sendAt).minus({ months: audience.lastConsultationMonths }).toMillis();
    const recipients: string[] = [];
    const facts = new Map<string, ProfileFacts>();
    let optedOut = 0;
    const pageSize = sending ? SENDING_AUDIENCE_PAGE : AUDIENCE_PAGE;
    let started = performance.now();
    for await (const rows of repo.audiencePages(db, practiceId, pageSize)) {
      const selected = selectAudience(
        rows.map((r) => ({
          profileId: r.profile_id,
          birthDate: r.birth_date,
          sex: r.sex,
          relationship: r.relationship,
          tags: JSON.parse(r.tags) as string[],
          lastConsultationAt: r.last_consultation_at,
          optedOut: r.opted_out_at !== null,
        })),
        audience,
        sendDate,
        windowStart,
      );
      optedOut += selected.optedOut;
      const chosen = new Set(selected.recipients);
      for (const r of rows)
        if (chosen.has(r.profile_id)) {
          recipients.push(r.profile_id);
          facts.set(r.profile_id, profileFacts(r));
        }
      const ms = performance.now() - started;
      await (sending ? restFor(ms) : yieldTurn());
      started = performance.now();
    }
    return { recipients, optedOut, facts };
  }

  /** An upload of the author's not yet joined to anything, as the campaign's file. */
  async function campaignFile(userId: string, uploadId: string, campaignId: string) {
    const [upload] = await unattachedOf(db, userId, [uploadId]);
    if (!upload)
      throw new AppError('MISSIVE_VALIDATION', [{ path: 'attachmentId', reason: 'unknown_or_used' }]);
    const stored = (await db
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', uploadId)
      .executeTakeFirst())!;
    const name = await keys.decryptText(stored.name, attachmentNameAad(stored.id));
    const data = await keys.decrypt(stored.data, attachmentDataAad(stored.id));
    return {
      uploadId,
      row: {
        id: campaignId,
        content_type: stored.content_type,
        size: stored.size,
        name: keys.encrypt(name, campaignFileNameAad(campaignId)),
        data: keys.encrypt(data, campaignFileDataAad(campaignId)),
      },
    };
  }

  async function fileOf(row: CampaignAttachmentRow | undefined) {
    if (!row) return null;
    return {
      name: await keys.decryptText(row.name, campaignFileNameAad(row.id)),
      contentType: row.content_type,
      size: row.size,
    };
  }

  async function bytesOf(row: CampaignAttachmentRow) {
    return {
      ...(await fileOf(row))!,
      data: await keys.decrypt(row.data, campaignFileDataAad(row.id)),
    };
  }

  async function toCampaign(row: CampaignRow): Promise<Campaign> {
    const stats = await repo.campaignStats(db, row.id);
    return {
      id: row.id,
      kind: row.kind,
      title: await keys.decryptText(row.title, campaignTitleAad(row.id)),
      status: row.status,
      scheduledAt: row.scheduled_at,
      startedAt: row.started_at,
      completedAt: row.completed_at,
      totalRecipients: row.total_recipients,
      patientsMayReply: row.patients_may_reply === 1,
      ...stats,
    };
  }

  /**
   * What a batch of recipients needs before its transaction: the accounts that see each profile (rung by
   * a live event; `facts` as read with the audience), opt-outs made since the audience was computed, the
   * notice jobs made ready.
   */
  async function prepareBatch(
    campaign: CampaignRow,
    profileIds: readonly string[],
    facts: ReadonlyMap<string, ProfileFacts>,
  ) {
    const optedOut = new Set(await repo.optedOutAmong(db, campaign.practice_id, profileIds));
    const author = campaign.author_user_id;
    const now = clock.now();
    const items = profileIds
      .filter((profileId) => !optedOut.has(profileId))
      .map((profileId) => {
        const profile = facts.get(profileId);
        const userIds = profile
          ? accountsSeeingProfileItem(profile, { createdByUserId: author, createdAt: now })
          : [];
        return { profileId, userIds };
      });
    return {
      items,
      dropped: profileIds.length - items.length,
      insertNotices: notifications.prepareCampaignNotices(
        campaign.id,
        items.map((item) => item.profileId),
      ),
    };
  }

  /**
   * Delivers the campaign to one batch of its recipients in one transaction: their recipient rows, the
   * jobs that notify them later (if still unread), and one audit entry for the batch.
   * The message itself is the campaign's, stored once; each recipient's conversation is written when they
   * first list their inbox (campaign-deliveries.ts). A recipient who opted out since the audience was
   * computed is left out, and out of the total. Returns how many recipients this batch delivered to:
   * those delivered already (by another instance meanwhile) are not delivered, nor told, twice.
   */
  async function deliverBatch(
    campaign: CampaignRow,
    { items, dropped, insertNotices }: Awaited<ReturnType<typeof prepareBatch>>,
  ): Promise<number> {
    const author = campaign.author_user_id;
    const now = clock.now();
    let delivered: typeof items = [];
    let cursor = 0;
    // A background writer: on PostgreSQL interactive batches waiting for the audit chain's head go first
    // (on SQLite the driver takes the same lock for every write transaction, from its start). Here it is
    // taken just before the head, so that an interactive batch does not wait for the recipient rows and
    // the notices; nothing an interactive batch locks is locked before it.
    const turn = store.dialect === 'postgres' ? store.writerLock : undefined;
    let held: typeof turn;
    try {
      await db.transaction().execute(async (trx) => {
        if (dropped > 0)
          await trx
            .updateTable('campaigns')
            .set((eb) => ({ total_recipients: eb('total_recipients', '-', dropped) }))
            .where('id', '=', campaign.id)
            .execute();
        if (items.length === 0) return;
        const written = new Set(
          await repo.deliverRecipients(
            trx,
            store.dialect,
            campaign.id,
            items.map((item) => item.profileId),
            now,
          ),
        );
        delivered = items.filter((item) => written.has(item.profileId));
        if (delivered.length === 0) return;
        // Notices made ahead serve when the batch delivered to everyone (no other instance did meanwhile).
        if (delivered.length === items.length) await insertNotices(trx);
        else
          await notifications.prepareCampaignNotices(
            campaign.id,
            delivered.map((item) => item.profileId),
          )(trx);
        // The audit chain's head last: from here to the commit it is held, for one statement on PostgreSQL.
        await turn?.lock({ background: true });
        held = turn;
        const chain = await chainAuditEntries(
          trx,
          store.dialect,
          [
            {
              actor: { ...SYSTEM_ACTOR, userId: author, role: 'staff' },
              entry: {
                action: 'campaign.delivered',
                targetType: 'campaign',
                targetId: campaign.id,
                practiceId: campaign.practice_id,
                details: { recipients: delivered.length },
              },
            },
          ],
          now,
        );
        cursor = chain.seqs[0]!;
        await executeTogether(trx, store.dialect, chain.statements);
      });
    } finally {
      held?.unlock();
    }
    // The doorbell for every account the batch reached, as one event (the Redis bus sends an event for
    // many users once, to every instance, rather than once per user).
    const userIds = delivered.flatMap((item) => item.userIds);
    if (userIds.length > 0)
      await bus.publish({
        type: 'campaign.delivered',
        campaignId: campaign.id,
        practiceIds: [],
        userIds,
        cursor,
      });
    return delivered.length;
  }

  return {
    async countAudience(
      auth: AuthContext,
      practiceId: string,
      audience: AudienceDefinition,
      sendAt?: number,
    ) {
      await practices.requireRight(auth, practiceId, 'campaigns');
      const { recipients, optedOut } = await audienceOf(practiceId, audience, sendAt ?? clock.now());
      return { recipients: recipients.length, optedOut };
    },

    async create(
      auth: AuthContext,
      practiceId: string,
      body: {
        kind: 'prevention' | 'practice_info';
        title: string;
        body: string;
        patientsMayReply: boolean;
        audience: AudienceDefinition;
        sendAt?: number | undefined;
        attachmentId?: string | undefined;
      },
      actor: Actor,
    ): Promise<Campaign> {
      const member = await practices.requireRight(auth, practiceId, 'campaigns');
      if (member.role !== 'practitioner') throw new AppError('MISSIVE_PRACTITIONERS_ONLY');
      const now = clock.now();
      if (body.sendAt !== undefined && body.sendAt < now - 60_000)
        throw new AppError('MISSIVE_VALIDATION', [{ path: 'sendAt', reason: 'in_the_past' }]);
      const id = uuidv7();
      const row: CampaignRow = {
        id,
        practice_id: practiceId,
        author_user_id: auth.user.id,
        kind: body.kind,
        title: keys.encrypt(body.title, campaignTitleAad(id)),
        body: keys.encrypt(body.body, campaignBodyAad(id)),
        patients_may_reply: body.patientsMayReply ? 1 : 0,
        audience: JSON.stringify(body.audience),
        status: 'scheduled',
        scheduled_at: body.sendAt ?? now,
        started_at: null,
        completed_at: null,
        total_recipients: null,
        created_at: now,
      };
      // The uploaded file becomes the campaign's own (re-encrypted for it); the upload itself is removed.
      const file = body.attachmentId ? await campaignFile(auth.user.id, body.attachmentId, id) : null;
      await db.transaction().execute(async (trx) => {
        await repo.insertCampaign(trx, row);
        if (file) {
          await repo.insertCampaignAttachment(trx, { ...file.row, created_at: now });
          const removed = await trx
            .deleteFrom('attachments')
            .where('id', '=', file.uploadId)
            .where('message_id', 'is', null)
            .executeTakeFirst();
          if (removed.numDeletedRows !== 1n)
            throw new AppError('MISSIVE_VALIDATION', [{ path: 'attachmentId', reason: 'unknown_or_used' }]);
        }
        // The audience definition is in the trail: who was targeted, and why.
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'campaign.created',
            targetType: 'campaign',
            targetId: id,
            practiceId,
            details: { kind: body.kind, audience: row.audience, sendAt: row.scheduled_at },
          },
          now,
        );
      });
      return toCampaign(row);
    },

    async list(auth: AuthContext, practiceId: string): Promise<Campaign[]> {
      await practices.requireRight(auth, practiceId, 'campaigns');
      return Promise.all((await repo.listCampaigns(db, practiceId)).map(toCampaign));
    },

    async detail(auth: AuthContext, practiceId: string, campaignId: string): Promise<CampaignDetail> {
      await practices.requireRight(auth, practiceId, 'campaigns');
      const row = await repo.findCampaign(db, practiceId, campaignId);
      if (!row) throw new AppError('MISSIVE_NOT_FOUND');
      return {
        ...(await toCampaign(row)),
        body: await keys.decryptText(row.body, campaignBodyAad(row.id)),
        attachment: await fileOf(await repo.campaignAttachment(db, row.id)),
        audience: JSON.parse(row.audience) as AudienceDefinition,
        createdAt: row.created_at,
      };
    },

    /** Delivered, read and replied counts over time, from the recipients' deliveries, read markers and replies. */
    async timeline(auth: AuthContext, practiceId: string, campaignId: string): Promise<CampaignTimeline> {
      await practices.requireRight(auth, practiceId, 'campaigns');
      const row = await repo.findCampaign(db, practiceId, campaignId);
      if (!row) throw new AppError('MISSIVE_NOT_FOUND');
      if (row.started_at === null) return { bucket: 'hour', points: [] };
      const practice = (await practices.findPractice(practiceId))!;
      return campaignTimeline(
        await repo.recipientEvents(db, campaignId),
        row.started_at,
        clock.now(),
        practice.time_zone,
      );
    },

    /** Matches a CSV list of patients against the practice's records; unmatched rows are reported by line. */
    async matchPatientList(auth: AuthContext, practiceId: string, csv: string): Promise<PatientListMatch> {
      await practices.requireRight(auth, practiceId, 'campaigns');
      let records: string[][];
      try {
        records = parse(csv, {
          bom: true,
          delimiter: [',', ';', '\t'],
          relax_column_count: true,
          skip_empty_lines: true,
          trim: true,
        });
      } catch {
        throw new AppError('MISSIVE_VALIDATION', [{ path: 'csv', reason: 'unreadable' }]);
      }
      const { entries, problems, missingColumns } = readPatientList(records);
      if (missingColumns.length > 0)
        throw new AppError(
          'MISSIVE_VALIDATION',
          missingColumns.map((field) => ({ path: `csv.${field}`, reason: 'missing_column' })),
        );
      const found = new Map<string, string | null>();
      for (let i = 0; i < entries.length; i += 500) {
        const keys = entries.slice(i, i + 500).map((entry) => entry.matchKey);
        for (const row of await repo.recordsByMatchKey(db, practiceId, keys))
          found.set(row.match_key, row.patient_profile_id);
      }
      const profileIds: string[] = [];
      const unmatched: PatientListMatch['unmatched'] = [...problems];
      for (const entry of entries) {
        const profileId = found.get(entry.matchKey);
        if (profileId) profileIds.push(profileId);
        else
          unmatched.push({
            line: entry.line,
            name: entry.name,
            reason: profileId === null ? 'not_on_missive' : 'not_found',
          });
      }
      unmatched.sort((a, b) => a.line - b.line);
      const unique = [...new Set(profileIds)];
      if (unique.length > MAX_LISTED_PATIENTS)
        throw new AppError('MISSIVE_VALIDATION', [{ path: 'csv', reason: 'too_many_rows' }]);
      return {
        profileIds: unique,
        rows: entries.length + problems.length,
        unmatched: unmatched.slice(0, 200),
        unmatchedCount: unmatched.length,
      };
    },

    /** The campaign's file, for the practice (members with the campaigns right). */
    async attachmentFile(auth: AuthContext, practiceId: string, campaignId: string) {
      await practices.requireRight(auth, practiceId, 'campaigns');
      if (!(await repo.findCampaign(db, practiceId, campaignId))) throw new AppError('MISSIVE_NOT_FOUND');
      const row = await repo.campaignAttachment(db, campaignId);
      if (!row) throw new AppError('MISSIVE_NOT_FOUND');
      return bytesOf(row);
    },

    /** In a conversation a campaign opened, the campaign's file (whoever may see the conversation). */
    async conversationAttachment(auth: AuthContext, conversationId: string) {
      await access.requireConversation(auth, conversationId);
      return { attachment: await fileOf(await repo.attachmentOfConversation(db, conversationId)) };
    },

    async conversationAttachmentFile(auth: AuthContext, conversationId: string, actor: Actor) {
      const { row: conversation } = await access.requireConversation(auth, conversationId);
      const row = await repo.attachmentOfConversation(db, conversationId);
      if (!row) throw new AppError('MISSIVE_NOT_FOUND');
      await db.transaction().execute((trx) =>
        appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'attachment.downloaded',
            targetType: 'campaign_attachment',
            targetId: row.id,
            practiceId: conversation.practice_id,
            patientProfileId: conversation.patient_profile_id,
          },
          clock.now(),
        ),
      );
      return bytesOf(row);
    },

    /** For the patient's settings: every practice that knows one of their profiles, and whether it opted out. */
    async optOuts(auth: AuthContext): Promise<CampaignOptOutList> {
      const profiles = await patients.profilesOf(auth.user.id);
      if (profiles.length === 0) return { practices: [] };
      const byId = new Map(profiles.map((p) => [p.id, p]));
      const grouped = new Map<string, CampaignOptOutList['practices'][number]>();
      for (const row of await repo.optOutsOfProfiles(db, [...byId.keys()])) {
        const profile = byId.get(row.profile_id ?? '');
        if (!profile) continue;
        let entry = grouped.get(row.practice_id);
        if (!entry) {
          entry = { practiceId: row.practice_id, practiceName: row.practice_name, profiles: [] };
          grouped.set(row.practice_id, entry);
        }
        entry.profiles.push({
          patientProfileId: profile.id,
          name: `${profile.first_name} ${profile.last_name}`,
          optedOut: row.opted_out_at !== null,
        });
      }
      return { practices: [...grouped.values()] };
    },

    async cancel(auth: AuthContext, practiceId: string, campaignId: string, actor: Actor): Promise<Campaign> {
      await practices.requireRight(auth, practiceId, 'campaigns');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('campaigns')
          .set({ status: 'cancelled' })
          .where('id', '=', campaignId)
          .where('practice_id', '=', practiceId)
          .where('status', '=', 'scheduled')
          .executeTakeFirst();
        if (result.numUpdatedRows !== 1n)
          throw new AppError(
            (await repo.findCampaign(trx, practiceId, campaignId))
              ? 'MISSIVE_INVALID_TRANSITION'
              : 'MISSIVE_NOT_FOUND',
          );
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'campaign.cancelled', targetType: 'campaign', targetId: campaignId, practiceId },
          now,
        );
      });
      return toCampaign((await repo.findCampaign(db, practiceId, campaignId))!);
    },

    /** A patient (or the relative managing them) opts a profile out of, or back into, a practice's campaigns. */
    async setOptOut(
      auth: AuthContext,
      practiceId: string,
      patientProfileId: string,
      optedOut: boolean,
    ): Promise<void> {
      await patients.requireProfile(auth.user.id, patientProfileId);
      if (optedOut) {
        await db
          .insertInto('campaign_optouts')
          .values({ practice_id: practiceId, patient_profile_id: patientProfileId, created_at: clock.now() })
          .onConflict((oc) => oc.columns(['practice_id', 'patient_profile_id']).doNothing())
          .execute();
      } else {
        await db
          .deleteFrom('campaign_optouts')
          .where('practice_id', '=', practiceId)
          .where('patient_profile_id', '=', patientProfileId)
          .execute();
      }
    },

    /**
     * Starts due campaigns (fixing their recipients, opt-outs honoured at that moment) and delivers what
     * remains of those already sending. Safe to run from several instances and after a crash; an aborted
     * signal stops it between two batches.
     */
    async runDue(
      options: { maxBatches?: number; batchSize?: number; signal?: AbortSignal } = {},
    ): Promise<number> {
      const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
      const batchSize = options.batchSize ?? BATCH[store.dialect];
      let delivered = 0;
      let batches = 0;
      for (let campaign of await repo.dueCampaigns(db, clock.now())) {
        let recipients: string[];
        let total: number;
        let facts: ReadonlyMap<string, ProfileFacts>;
        if (campaign.status === 'scheduled') {
          const startedAt = clock.now();
          ({ recipients, facts } = await audienceOf(
            campaign.practice_id,
            JSON.parse(campaign.audience) as AudienceDefinition,
            startedAt,
            true,
          ));
          // Claimed by one instance only; from here the campaign can no longer be edited or cancelled.
          const claimed = await db
            .updateTable('campaigns')
            .set({ status: 'sending', started_at: startedAt, total_recipients: recipients.length })
            .where('id', '=', campaign.id)
            .where('status', '=', 'scheduled')
            .executeTakeFirst();
          if (claimed.numUpdatedRows !== 1n) continue;
          campaign = { ...campaign, status: 'sending', started_at: startedAt };
          total = recipients.length;
        } else {
          // Resuming (after a stop, or beside another instance): the audience again for the same date,
          // opt-outs made meanwhile honoured, less those it was delivered to.
          const audience = await audienceOf(
            campaign.practice_id,
            JSON.parse(campaign.audience) as AudienceDefinition,
            campaign.started_at ?? clock.now(),
            true,
          );
          facts = audience.facts;
          const done = new Set(await repo.deliveredProfiles(db, campaign.id));
          recipients = audience.recipients.filter((profileId) => !done.has(profileId));
          total = done.size + recipients.length;
          await db
            .updateTable('campaigns')
            .set({ total_recipients: total })
            .where('id', '=', campaign.id)
            .execute();
        }
        // Each batch is prepared while the one before it is written: the database works on one while this
        // thread reads and encrypts for the next.
        const prepare = (start: number) =>
          start < recipients.length
            ? prepareBatch(campaign, recipients.slice(start, start + batchSize), facts)
            : null;
        // Resumed after a stop, a campaign is usually past its deadline: it then catches up without resting.
        const deadline = (campaign.started_at ?? clock.now()) + total * SENDING_MS_PER_RECIPIENT;
        let workedMs = 0;
        let next = prepare(0);
        for (let start = 0; next; start += batchSize) {
          if (batches >= maxBatches || options.signal?.aborted) return delivered;
          const started = performance.now();
          const current = await next;
          next = prepare(start + batchSize);
          // A batch prepared ahead is dropped unwritten if the job stops before it: nothing was changed.
          next?.catch(() => undefined);
          delivered += await deliverBatch(campaign, current);
          batches++;
          // Let the requests that arrived meanwhile run: on the embedded store every statement completes
          // synchronously, so without a turn of the event loop a large fan-out would hold up every request.
          const batchMs = performance.now() - started;
          workedMs += batchMs;
          const done = Math.min(start + batchSize, recipients.length);
          const rest = restAfterBatch({
            batchMs,
            now: clock.now(),
            deadline,
            workedMs,
            done,
            remaining: recipients.length - done,
            batchSize,
          });
          await (rest > 0 ? restFor(rest) : yieldTurn());
        }
        // Rows left pending by an earlier version for recipients no longer in the audience go; the total is
        // then exactly those delivered to. Counted first, read-only: the delete walks the campaign's rows
        // while it holds the writer, and there is nothing to delete unless a campaign spans that upgrade.
        const counts = await db
          .selectFrom('campaign_recipients')
          .select((eb) => [
            eb.fn.countAll<number>().as('all'),
            eb.fn.count<number>('delivered_at').as('delivered'),
          ])
          .where('campaign_id', '=', campaign.id)
          .executeTakeFirstOrThrow();
        const count = Number(counts.delivered);
        if (Number(counts.all) > count)
          await db
            .deleteFrom('campaign_recipients')
            .where('campaign_id', '=', campaign.id)
            .where('delivered_at', 'is', null)
            .execute();
        await db
          .updateTable('campaigns')
          .set({ status: 'sent', completed_at: clock.now(), total_recipients: count })
          .where('id', '=', campaign.id)
          .where('status', '=', 'sending')
          .execute();
      }
      return delivered;
    },
  };
}
