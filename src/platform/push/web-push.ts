import webPush from 'web-push';
import type { Clock } from '../clock/clock';
import type { Keyring } from '../crypto/keyring';
import type { Store } from '../db/store';

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291). The `web-push`
 * package encrypts the payload and signs the VAPID token; the request itself is sent with fetch, with a
 * timeout, so that a slow push service never holds the outbox worker.
 */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export interface PushTarget {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushSender {
  readonly publicKey: string;
  /** Encrypts and posts one payload; resolves with the push service's HTTP status (never throws for a status). */
  send(target: PushTarget, payload: string, options: { ttlSeconds: number; topic?: string }): Promise<number>;
}

const KEY_ID = 'vapid';
/** Associated data of the encrypted private key (key rotation re-encrypts it with the same). */
export const vapidKeyAad = (id: string) => `web-push.vapid:${id}`;
const aad = vapidKeyAad(KEY_ID);

/**
 * The server's VAPID key pair: generated on the first start and kept in the database (the private key
 * encrypted with the keyring), so that every instance signs with the same keys and subscriptions survive
 * restarts. Concurrent first starts agree: the first insert wins and everyone reads it back.
 */
export async function loadVapidKeys(store: Store, keys: Keyring, clock: Clock): Promise<VapidKeys> {
  const read = () =>
    store.db.selectFrom('web_push_keys').selectAll().where('id', '=', KEY_ID).executeTakeFirst();
  let row = await read();
  if (!row) {
    const generated = webPush.generateVAPIDKeys();
    await store.db
      .insertInto('web_push_keys')
      .values({
        id: KEY_ID,
        public_key: generated.publicKey,
        private_key: keys.encrypt(generated.privateKey, aad),
        created_at: clock.now(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = await read();
    if (!row) throw new Error('VAPID keys could not be stored');
  }
  return { publicKey: row.public_key, privateKey: await keys.decryptText(row.private_key, aad) };
}

/** The VAPID "subject": the public https URL, or else a mailto: with the sender address of the mails. */
export function vapidSubject(publicUrl: string, mailFrom: string): string {
  if (publicUrl.startsWith('https://')) return publicUrl;
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `mailto:${address}`;
}

export function createPushSender(options: {
  vapid: VapidKeys;
  subject: string;
  timeoutMs?: number;
}): PushSender {
  const { vapid, subject } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    publicKey: vapid.publicKey,
    async send(target, payload, { ttlSeconds, topic }) {
      const details = webPush.generateRequestDetails(target, payload, {
        vapidDetails: { subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
        TTL: ttlSeconds,
        contentEncoding: 'aes128gcm',
        urgency: 'normal',
        ...(topic ? { topic } : {}),
      });
      const headers: Record<string, string> = {};
      // fetch computes the length itself.
      for (const [name, value] of Object.entries(details.headers))
        if (name.toLowerCase() !== 'content-length') headers[name] = String(value);
      const response = await fetch(details.endpoint, {
        method: details.method,
        headers,
        body: details.body ? new Uint8Array(details.body) : null,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    },
  };
}
