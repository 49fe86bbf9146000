import type { PushSubscriptionBody } from '../../../../src/contracts/notifications';
import { notificationsApi } from './api';

/**
 * This browser's side of Web Push: the service worker (/sw.js) shows the notifications; subscribing asks
 * for the browser's permission, then registers the subscription with the server.
 */
export type PushAvailability = 'supported' | 'unsupported' | 'denied';

export function pushAvailability(): PushAvailability {
  if (
    typeof window === 'undefined' ||
    !window.isSecureContext ||
    !('serviceWorker' in navigator) ||
    !('PushManager' in window) ||
    !('Notification' in window)
  )
    return 'unsupported';
  return Notification.permission === 'denied' ? 'denied' : 'supported';
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function sameKey(current: ArrayBuffer | null, expected: Uint8Array): boolean {
  if (!current) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === expected.length && bytes.every((value, index) => value === expected[index]);
}

async function existingRegistration(): Promise<ServiceWorkerRegistration | undefined> {
  if (pushAvailability() === 'unsupported') return undefined;
  return navigator.serviceWorker.getRegistration('/');
}

/** This browser's current push subscription, if it has one (without registering anything). */
export async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await existingRegistration();
  return registration ? registration.pushManager.getSubscription() : null;
}

/**
 * Asks for permission (the browser shows its own prompt), subscribes with the server's VAPID key and
 * registers the subscription. Resolves 'denied' when the person or the browser refuses.
 */
export async function subscribeThisBrowser(): Promise<'subscribed' | 'denied'> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  const registration = await navigator.serviceWorker.ready;
  const key = keyBytes((await notificationsApi.pushKey()).publicKey);
  let subscription = await registration.pushManager.getSubscription();
  // A subscription made for other keys (a reinstalled server) cannot be used: start again.
  if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: key,
  });
  await notificationsApi.subscribe(subscription.toJSON() as PushSubscriptionBody);
  return 'subscribed';
}

/** Removes this browser's subscription, on the server and in the browser. */
export async function unsubscribeThisBrowser(): Promise<void> {
  const subscription = await currentSubscription();
  if (!subscription) return;
  await notificationsApi.unsubscribe(subscription.endpoint);
  await subscription.unsubscribe();
}
