import type { Kysely } from 'kysely';
import type { Config } from '../../config';
import type { PushPayload, PushSubscriptionBody } from '../../contracts/notifications';
import type { Clock } from '../../platform/clock/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import type { Database } from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { Outbox } from '../../platform/outbox/outbox';
import {
  createPushSender,
  loadVapidKeys,
  type PushSender,
  type PushTarget,
  vapidSubject,
} from '../../platform/push/web-push';
import type { AuthContext } from '../accounts/sessions.service';
import type { Presence } from '../realtime/presence';

interface PushNotice {
  userId: string;
  conversationId: string;
  seq: number;
}

interface PushDelivery {
  subscriptionId: string;
  payload: PushPayload;
}

/** A browser keeps at most this many subscriptions per account (old devices drop off first). */
const MAX_SUBSCRIPTIONS_PER_USER = 10;
/** A push not delivered within a day is no longer worth showing. */
const TTL_SECONDS = 86_400;

const TEXTS = {
  fr: (practice: string) => ({
    title: `Nouveau message de ${practice}`,
    body: 'Connectez-vous à Missive pour le lire.',
  }),
  it: (practice: string) => ({
    title: `Nuovo messaggio da ${practice}`,
    body: 'Accedi a Missive per leggerlo.',
  }),
  en: (practice: string) => ({
    title: `New message from ${practice}`,
    body: 'Sign in to Missive to read it.',
  }),
} as const;

export type PushService = ReturnType<typeof createPushService>;

/**
 * Web Push notifications, with the same rule as the mails: "New message from <practice>" and nothing
 * else. A notice is queued with the message; when it is due, it is pushed only to someone who chose
 * push, has not read the message, is not connected at that moment, and was not pushed about that
 * conversation within the batching period. Each browser's delivery is its own outbox item, retried with
 * backoff; a subscription the push service no longer knows (404/410) is removed.
 */
export function createPushService(deps: {
  store: Store;
  keys: Keyring;
  clock: Clock;
  config: Config;
  outbox: Outbox;
  presence: Presence;
}) {
  const { store, keys, clock, config, outbox, presence } = deps;
  const db = store.db;
  const keysAad = (id: string) => `push_subscriptions.keys:${id}`;
  let sender: Promise<PushSender> | undefined;

  function senderOf(): Promise<PushSender> {
    sender ??= loadVapidKeys(store, keys, clock)
      .then((vapid) => createPushSender({ vapid, subject: vapidSubject(config.publicUrl, config.mailFrom) }))
      .catch((error: unknown) => {
        sender = undefined;
        throw error;
      });
    return sender;
  }

  /** https only; plain http on 127.0.0.1 is accepted outside production, for local push services in tests. */
  function checkEndpoint(endpoint: string): void {
    const url = new URL(endpoint);
    const local = url.protocol === 'http:' && url.hostname === '127.0.0.1' && config.env !== 'production';
    if (url.protocol !== 'https:' && !local)
      throw new AppError('MISSIVE_VALIDATION', [{ path: 'endpoint', reason: 'must_be_https' }]);
    if (url.username || url.password)
      throw new AppError('MISSIVE_VALIDATION', [{ path: 'endpoint', reason: 'no_credentials' }]);
  }

  async function pushEnabled(userId: string): Promise<boolean> {
    const row = await db
      .selectFrom('notification_preferences')
      .select('push')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.push === 1;
  }

  async function deliverNotice(raw: unknown): Promise<void> {
    const { userId, conversationId, seq } = raw as PushNotice;
    if (!(await pushEnabled(userId))) return;
    const subscriptions = await db
      .selectFrom('push_subscriptions')
      .select('id')
      .where('user_id', '=', userId)
      .execute();
    if (subscriptions.length === 0) return;
    const marker = await db
      .selectFrom('read_markers')
      .select('read_seq')
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (marker && marker.read_seq >= seq) return;
    // Someone looking at the app sees the message there.
    if (await presence.isConnected(userId)) return;
    const now = clock.now();
    const last = await db
      .selectFrom('push_log')
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
    const user = await db.selectFrom('users').select('locale').where('id', '=', userId).executeTakeFirst();
    if (!conversation || !user) return;
    const payload: PushPayload = {
      ...TEXTS[user.locale](conversation.name),
      url: '/messages',
      tag: 'missive-new-message',
    };
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('push_log')
        .values({ conversation_id: conversationId, user_id: userId, sent_at: now })
        .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doUpdateSet({ sent_at: now }))
        .execute();
      await outbox.enqueueMany(
        trx,
        'push.deliver',
        subscriptions.map((s) => ({ subscriptionId: s.id, payload }) satisfies PushDelivery),
      );
    });
    outbox.wake();
  }

  async function deliverPush(raw: unknown): Promise<void> {
    const { subscriptionId, payload } = raw as PushDelivery;
    const row = await db
      .selectFrom('push_subscriptions')
      .selectAll()
      .where('id', '=', subscriptionId)
      .executeTakeFirst();
    // Unsubscribed meanwhile.
    if (!row) return;
    const target: PushTarget = {
      endpoint: row.endpoint,
      keys: JSON.parse(await keys.decryptText(row.keys, keysAad(row.id))) as PushTarget['keys'],
    };
    const status = await (await senderOf()).send(target, JSON.stringify(payload), {
      ttlSeconds: TTL_SECONDS,
    });
    if (status === 404 || status === 410) {
      // The browser dropped the subscription (or it expired): forget it.
      await db.deleteFrom('push_subscriptions').where('id', '=', row.id).execute();
      return;
    }
    // Anything else (429, 5xx, a refused token …) is retried by the outbox with backoff.
    if (status < 200 || status > 299) throw new Error(`push service answered HTTP ${status}`);
    await db
      .updateTable('push_subscriptions')
      .set({ last_success_at: clock.now() })
      .where('id', '=', row.id)
      .execute();
  }

  outbox.register('notify.push', deliverNotice);
  outbox.register('push.deliver', deliverPush);

  return {
    /** Loads (on the very first start: generates and stores) the VAPID keys. */
    async ready(): Promise<void> {
      await senderOf();
    },

    async publicKey(): Promise<string> {
      return (await senderOf()).publicKey;
    },

    async subscribe(auth: AuthContext, body: PushSubscriptionBody): Promise<void> {
      checkEndpoint(body.endpoint);
      const now = clock.now();
      const secrets = JSON.stringify({ p256dh: body.keys.p256dh, auth: body.keys.auth });
      await db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('push_subscriptions')
          .select('id')
          .where('endpoint', '=', body.endpoint)
          .executeTakeFirst();
        const id = existing?.id ?? uuidv7();
        const values = {
          user_id: auth.user.id,
          keys: keys.encrypt(secrets, keysAad(id)),
          created_at: now,
          last_success_at: null,
        };
        // The same browser subscribing again (or for another account) replaces its earlier subscription.
        if (existing) await trx.updateTable('push_subscriptions').set(values).where('id', '=', id).execute();
        else
          await trx
            .insertInto('push_subscriptions')
            .values({ id, endpoint: body.endpoint, ...values })
            .onConflict((oc) => oc.column('endpoint').doUpdateSet(values))
            .execute();
        const surplus = await trx
          .selectFrom('push_subscriptions')
          .select('id')
          .where('user_id', '=', auth.user.id)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .offset(MAX_SUBSCRIPTIONS_PER_USER)
          .limit(1_000)
          .execute();
        if (surplus.length > 0)
          await trx
            .deleteFrom('push_subscriptions')
            .where(
              'id',
              'in',
              surplus.map((s) => s.id),
            )
            .execute();
      });
    },

    /** Removes this browser's subscription (only the caller's own: another account's is left alone). */
    async unsubscribe(auth: AuthContext, endpoint: string): Promise<void> {
      await db
        .deleteFrom('push_subscriptions')
        .where('endpoint', '=', endpoint)
        .where('user_id', '=', auth.user.id)
        .execute();
    },

    async subscriptionCount(userId: string): Promise<number> {
      const rows = await db
        .selectFrom('push_subscriptions')
        .select('id')
        .where('user_id', '=', userId)
        .execute();
      return rows.length;
    },

    /** Queues the push notices with the message, in its transaction, due after the same delay as the mails. */
    async queueNotices(trx: Kysely<Database>, notices: readonly PushNotice[]): Promise<void> {
      if (notices.length === 0) return;
      // Only for those who chose push; the rest of the rules are checked when the notice is due.
      const chosen = await trx
        .selectFrom('notification_preferences')
        .select('user_id')
        .where('user_id', 'in', [...new Set(notices.map((notice) => notice.userId))])
        .where('push', '=', 1)
        .execute();
      const pushed = new Set(chosen.map((row) => row.user_id));
      await outbox.enqueueMany(
        trx,
        'notify.push',
        notices.filter((notice) => pushed.has(notice.userId)),
        config.notifications.delayMs,
      );
    },
  };
}
