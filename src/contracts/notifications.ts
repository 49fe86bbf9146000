import { z } from 'zod';

export const NotificationPreferencesSchema = z.object({
  /** "You have a new message" mails, without any content. */
  email: z.boolean(),
  /** Practice staff: the daily digest of waiting and overdue conversations. */
  digest: z.boolean(),
  /** The same notice as a Web Push notification, on the browsers the person subscribed. */
  push: z.boolean(),
});
export type NotificationPreferencesBody = z.infer<typeof NotificationPreferencesSchema>;

/** What a client sends to change its choices: `push` may be left out by clients that do not offer it. */
export const NotificationPreferencesUpdateSchema = NotificationPreferencesSchema.extend({
  push: z.boolean().optional(),
});
export type NotificationPreferencesUpdate = z.infer<typeof NotificationPreferencesUpdateSchema>;

/** Base64url without padding (browsers send it so), or with: length checked without decoding. */
const base64url = (chars: number, pad: string, label: string) =>
  z
    .string()
    .regex(new RegExp(`^[A-Za-z0-9_-]{${chars}}(${pad})?$`), `${label} has the wrong length or alphabet`);

/** A browser's PushSubscription as `subscription.toJSON()` gives it. */
export const PushSubscriptionSchema = z.object({
  /** The push service's URL for this browser (https; the server refuses anything else in production). */
  endpoint: z.url().max(2_048),
  expirationTime: z.number().int().nullable().optional(),
  keys: z.object({
    /** The browser's P-256 public key, uncompressed (65 bytes). */
    p256dh: base64url(87, '=', 'p256dh').startsWith('B', 'p256dh must be an uncompressed P-256 point'),
    /** The shared authentication secret (16 bytes). */
    auth: base64url(22, '==', 'auth'),
  }),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionSchema>;

export const PushUnsubscribeSchema = z.object({ endpoint: z.url().max(2_048) });

export const PushKeyResponseSchema = z.object({
  /** The server's VAPID public key (base64url), to pass as applicationServerKey when subscribing. */
  publicKey: z.string(),
});

/** The payload of a push (encrypted for the browser): never any health content. */
export const PushPayloadSchema = z.object({
  title: z.string(),
  body: z.string(),
  /** Path inside the app to open on click. */
  url: z.string(),
  /** Notifications with the same tag replace one another. */
  tag: z.string(),
});
export type PushPayload = z.infer<typeof PushPayloadSchema>;
