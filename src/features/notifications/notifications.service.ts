import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Config } from '../../config';
import { accountsSeeingProfileItem } from '../../domain/care';
import type { Clock } from '../../platform/clock/clock';
import type { Database } from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import type { Outbox } from '../../platform/outbox/outbox';
import type { AccountsService } from '../accounts/accounts.service';
import type { AuthContext } from '../accounts/sessions.service';
import { profileFacts } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';
import type { PushService } from './push.service';

export interface NotificationPreferences {
  email: boolean;
  digest: boolean;
  push: boolean;
}

/** Mail and digest on, push off: push needs the browser's permission, asked for in settings. */
const DEFAULTS: NotificationPreferences = { email: true, digest: true, push: false };

export interface MessageNotice {
  userId: string;
  conversationId: string;
  seq: number;
}

/** The notices of a campaign's message delivered to these profiles (at most CAMPAIGN_NOTICES_PER_JOB). */
export interface CampaignNotices {
  campaignId: string;
  profileIds: string[];
}

/** Recipients per outbox job: one job mails a few dozen people, well within the outbox's lease. */
const CAMPAIGN_NOTICES_PER_JOB = 100;

export type NotificationsService = ReturnType<typeof createNotificationsService>;

/**
 * "You have a new message from <practice>" — never more (the push channel, in push.service.ts, follows
 * the same rule): no text, no subject, no category. Queued with the
 * message, sent after a delay only if the person has not read it meanwhile, and at most once per
 * conversation per batching period. Practices get a daily digest of waiting and overdue conversations.
 */
export function createNotificationsService(deps: {
  store: Store;
  clock: Clock;
  config: Config;
  outbox: Outbox;
  accounts: AccountsService;
  practices: PracticesService;
  push: PushService;
}) {
  const { store, clock, config, outbox, accounts, practices, push } = deps;
  const db = store.db;

  async function preferencesOf(userId: string): Promise<NotificationPreferences> {
    const row = await db
      .selectFrom('notification_preferences')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? { email: row.email === 1, digest: row.digest === 1, push: row.push === 1 } : DEFAULTS;
  }

  /** How far this account has read the conversation (0: not at all). */
  async function readSeqOf(conversationId: string, userId: string): Promise<number> {
    const marker = await db
      .selectFrom('read_markers')
      .select('read_seq')
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return marker?.read_seq ?? 0;
  }

  /** "You have a new message from <practice>", in the account's language; false if the account is gone. */
  async function mailNewMessage(userId: string, practiceName: string): Promise<boolean> {
    const user = await db
      .selectFrom('users')
      .select(['email', 'locale'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) return false;
    await accounts.sendMailNow(user.email, user.locale, {
      kind: 'new_message',
      practiceName,
      link: accounts.link('/messages'),
    });
    return true;
  }

  async function deliverMessageNotice(payload: unknown): Promise<void> {
    const { userId, conversationId, seq } = payload as MessageNotice;
    if (!(await preferencesOf(userId)).email) return;
    if ((await readSeqOf(conversationId, userId)) >= seq) return;
    const now = clock.now();
    const last = await db
      .selectFrom('notification_log')
      .select('sent_at')
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (last && now - last.sent_at < config.notifications.batchMs) return;
    const conversation = await db
      .selectFrom('conversations')
      .innerJoin('practices', 'practices.id', 'conversations.practice_id')
      .select('practices.name')
      .where('conversations.id', '=', conversationId)
      .executeTakeFirst();
    if (!conversation || !(await mailNewMessage(userId, conversation.name))) return;
    await db
      .insertInto('notification_log')
      .values({ conversation_id: conversationId, user_id: userId, sent_at: now })
      .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doUpdateSet({ sent_at: now }))
      .execute();
  }

  /**
   * The same notice for a campaign's message, to each account that sees a recipient profile, unless it
   * has read it meanwhile, and once per account in a job (a parent managing several recipients). A
   * recipient is marked notified once mailed, so that a job run again after a failure part-way does not
   * mail those it reached before.
   */
  async function deliverCampaignNotices(payload: unknown): Promise<void> {
    const { campaignId, profileIds } = payload as CampaignNotices;
    const rows = await db
      .selectFrom('campaign_recipients')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_recipients.campaign_id')
      .innerJoin('practices', 'practices.id', 'campaigns.practice_id')
      .innerJoin('patient_profiles', 'patient_profiles.id', 'campaign_recipients.patient_profile_id')
      .select([
        'campaign_recipients.patient_profile_id',
        'campaign_recipients.conversation_id',
        'campaign_recipients.delivered_at',
        'campaign_recipients.notified_at',
        'campaigns.author_user_id',
        'practices.name',
        'patient_profiles.owner_user_id',
        'patient_profiles.user_id',
        'patient_profiles.own_account_since',
        'patient_profiles.closed_at',
      ])
      .where('campaign_recipients.campaign_id', '=', campaignId)
      .where('campaign_recipients.patient_profile_id', 'in', profileIds)
      .execute();
    const mailed = new Set<string>();
    for (const row of rows) {
      if (row.notified_at !== null || row.closed_at !== null || row.delivered_at === null) continue;
      const userIds = accountsSeeingProfileItem(profileFacts(row), {
        createdByUserId: row.author_user_id,
        createdAt: Number(row.delivered_at),
      });
      for (const userId of userIds) {
        if (mailed.has(userId) || !(await preferencesOf(userId)).email) continue;
        if (row.conversation_id && (await readSeqOf(row.conversation_id, userId)) >= 1) continue;
        if (await mailNewMessage(userId, row.name)) mailed.add(userId);
      }
      await db
        .updateTable('campaign_recipients')
        .set({ notified_at: clock.now() })
        .where('campaign_id', '=', campaignId)
        .where('patient_profile_id', '=', row.patient_profile_id)
        .execute();
    }
  }

  outbox.register('notify.message', deliverMessageNotice);
  outbox.register('notify.campaign', deliverCampaignNotices);

  return {
    preferencesOf,

    async getPreferences(auth: AuthContext): Promise<NotificationPreferences> {
      return preferencesOf(auth.user.id);
    },

    async updatePreferences(
      auth: AuthContext,
      body: Omit<NotificationPreferences, 'push'> & { push?: boolean | undefined },
    ): Promise<NotificationPreferences> {
      const now = clock.now();
      const pushOn = body.push ?? (await preferencesOf(auth.user.id)).push;
      const values = {
        email: body.email ? 1 : 0,
        digest: body.digest ? 1 : 0,
        push: pushOn ? 1 : 0,
        updated_at: now,
      };
      await db
        .insertInto('notification_preferences')
        .values({ user_id: auth.user.id, ...values })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
        .execute();
      return preferencesOf(auth.user.id);
    },

    /**
     * Queues, inside the messages' transaction, the notice of each message for each of its recipients
     * (due after the configured delay), and the push notice for those who chose push.
     */
    async queueMessageNotices(
      trx: Kysely<Database>,
      messages: readonly { conversationId: string; seq: number; userIds: readonly string[] }[],
    ): Promise<void> {
      const notices = messages.flatMap(({ conversationId, seq, userIds }) =>
        [...new Set(userIds)].map((userId) => ({ userId, conversationId, seq })),
      );
      if (notices.length === 0) return;
      await outbox.enqueueMany(trx, 'notify.message', notices, config.notifications.delayMs);
      await push.queueNotices(trx, notices);
    },

    /**
     * The notices of a batch of campaign deliveries, made ahead (identifiers, encrypted payloads), as
     * jobs of a hundred recipients each: call the result inside the transaction that delivers them.
     */
    prepareCampaignNotices(
      campaignId: string,
      profileIds: readonly string[],
    ): (trx: Kysely<Database>) => Promise<void> {
      const jobs: CampaignNotices[] = [];
      for (let start = 0; start < profileIds.length; start += CAMPAIGN_NOTICES_PER_JOB)
        jobs.push({ campaignId, profileIds: profileIds.slice(start, start + CAMPAIGN_NOTICES_PER_JOB) });
      const prepared = outbox.prepareMany('notify.campaign', jobs, config.notifications.delayMs);
      return (trx) => outbox.insertPrepared(trx, prepared);
    },

    /**
     * Sends each practice member with the messaging right (and the digest on) one mail a day, at the
     * configured local hour, counting conversations waiting for an answer and those overdue. Returns how many.
     */
    async sendDailyDigests(): Promise<number> {
      const now = clock.now();
      let sent = 0;
      for (const practice of await practices.listPractices()) {
        const local = DateTime.fromMillis(now, { zone: practice.timeZone });
        if (local.hour < config.notifications.digestHour) continue;
        const day = local.toISODate()!;
        const counts = await db
          .selectFrom('conversations')
          .select((eb) => [
            eb.fn.countAll<number>().as('waiting'),
            eb.fn.sum<number>(eb.case().when('due_at', '<', now).then(1).else(0).end()).as('overdue'),
          ])
          .where('practice_id', '=', practice.id)
          .where('status', '<>', 'closed')
          .where('awaiting_reply_since', 'is not', null)
          .executeTakeFirstOrThrow();
        const waiting = Number(counts.waiting);
        if (waiting === 0) continue;
        const members = await db
          .selectFrom('practice_members')
          .innerJoin('users', 'users.id', 'practice_members.user_id')
          .select(['users.id', 'users.email', 'users.locale', 'practice_members.rights'])
          .where('practice_members.practice_id', '=', practice.id)
          .execute();
        for (const member of members) {
          if (
            !(JSON.parse(member.rights) as string[]).includes('messaging') ||
            !(await preferencesOf(member.id)).digest
          )
            continue;
          const claimed = await db
            .insertInto('digest_log')
            .values({ practice_id: practice.id, user_id: member.id, day })
            .onConflict((oc) => oc.columns(['practice_id', 'user_id', 'day']).doNothing())
            .executeTakeFirst();
          // Another instance (or an earlier run today) already sent it.
          if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) continue;
          await accounts.sendMail(member.email, member.locale, {
            kind: 'daily_digest',
            practiceName: practice.name,
            waiting,
            overdue: Number(counts.overdue ?? 0),
            link: accounts.link('/home'),
          });
          sent++;
        }
      }
      return sent;
    },
  };
}
