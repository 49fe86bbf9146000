import { useSyncExternalStore } from 'react';
import { ApiError, NETWORK_ERROR } from '../../api/client';
import type { Attachment, Message } from './api';
import { messagingApi } from './api';
import { announce } from './live';

/**
 * Messages on their way out. Each keeps the client id it was given when first sent, so a retry after a
 * network failure (or after the browser comes back online) can never create a second message. Kept in
 * memory only: the text is a draft, never written to the browser's storage.
 */

export type Outgoing = {
  clientMessageId: string;
  conversationId: string;
  body: string;
  attachments: Attachment[];
  emergencyAcknowledged: boolean;
  /** sending: a request is in flight; waiting: offline or unreachable, sent again automatically; refused: the server said no. */
  state: 'sending' | 'waiting' | 'refused';
  error?: unknown;
};

export type SendResult =
  | { status: 'sent'; message: Message }
  | { status: 'queued' }
  | { status: 'refused'; error: unknown };

const items = new Map<string, Outgoing>();
const storeListeners = new Set<() => void>();
const sentListeners = new Set<(message: Message) => void>();
const snapshots = new Map<string, Outgoing[]>();
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retryDelay = 5_000;

function changed(): void {
  snapshots.clear();
  for (const listener of storeListeners) listener();
}

function set(id: string, changes: Partial<Outgoing>): void {
  const item = items.get(id);
  if (item) items.set(id, { ...item, ...changes });
  changed();
}

/** Network failures, and a server that is starting or briefly failing, are worth trying again later. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ApiError && (error.code === NETWORK_ERROR || error.status >= 500);
}

function online(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

function scheduleRetry(): void {
  if (retryTimer !== undefined) return;
  retryTimer = setTimeout(() => {
    retryTimer = undefined;
    void flush();
  }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 60_000);
}

async function attempt(id: string): Promise<SendResult> {
  const item = items.get(id);
  if (!item) return { status: 'refused', error: new Error('gone') };
  if (!online()) {
    set(id, { state: 'waiting' });
    return { status: 'queued' };
  }
  set(id, { state: 'sending', error: undefined });
  try {
    const message = await messagingApi.send(item.conversationId, {
      clientMessageId: item.clientMessageId,
      body: item.body,
      attachmentIds: item.attachments.map((attachment) => attachment.id),
      emergencyAcknowledged: item.emergencyAcknowledged,
    });
    items.delete(id);
    changed();
    retryDelay = 5_000;
    for (const listener of sentListeners) listener(message);
    announce({ type: 'changed', conversationId: item.conversationId });
    return { status: 'sent', message };
  } catch (error) {
    if (isRetryable(error)) {
      set(id, { state: 'waiting', error });
      if (online()) scheduleRetry();
      return { status: 'queued' };
    }
    set(id, { state: 'refused', error });
    return { status: 'refused', error };
  }
}

/**
 * Sends a message, or keeps it for later when the network is missing. A refusal stays listed (state
 * "refused") until the caller takes the text back with `take`.
 */
export function send(item: Omit<Outgoing, 'state' | 'error'>): Promise<SendResult> {
  const existing = items.get(item.clientMessageId);
  items.set(item.clientMessageId, { ...existing, ...item, state: 'sending' });
  changed();
  return attempt(item.clientMessageId);
}

/** Sends every waiting message again, oldest first. */
export async function flush(conversationId?: string): Promise<void> {
  for (const [id, item] of [...items]) {
    if (item.state !== 'waiting') continue;
    if (conversationId && item.conversationId !== conversationId) continue;
    const result = await attempt(id);
    if (result.status === 'queued') break;
  }
}

/** Removes a message from the outbox and gives it back (to put it back in the reply box). */
export function take(clientMessageId: string): Outgoing | undefined {
  const item = items.get(clientMessageId);
  items.delete(clientMessageId);
  changed();
  return item;
}

/** Called with every message the outbox managed to send (for threads that show them). */
export function onSent(listener: (message: Message) => void): () => void {
  sentListeners.add(listener);
  return () => {
    sentListeners.delete(listener);
  };
}

function subscribe(listener: () => void): () => void {
  storeListeners.add(listener);
  return () => {
    storeListeners.delete(listener);
  };
}

export function pendingFor(conversationId: string): Outgoing[] {
  let snapshot = snapshots.get(conversationId);
  if (!snapshot) {
    snapshot = [...items.values()].filter((item) => item.conversationId === conversationId);
    snapshots.set(conversationId, snapshot);
  }
  return snapshot;
}

/** The messages of a conversation not sent yet, kept up to date. */
export function useOutbox(conversationId: string): Outgoing[] {
  return useSyncExternalStore(
    subscribe,
    () => pendingFor(conversationId),
    () => pendingFor(conversationId),
  );
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    retryDelay = 5_000;
    void flush();
  });
}
