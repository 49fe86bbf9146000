import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { Message } from './api';
import { messagingApi } from './api';

/**
 * Live updates for messaging, behind one small interface: screens `watch` for changes and fetch what
 * they show through the REST API. The transport is the server's WebSocket (/api/v1/ws), which only
 * rings the bell (event type, conversation id, cursor: never content). While the socket is not
 * available (connecting, refused, offline, an old proxy) the same watchers are called by polling every
 * 10 seconds while the page is visible. After a reconnection or a return to the page, every watcher
 * is told to catch up ("resync"): the screens keep no cache beyond what they show, so re-fetching
 * their views is the whole synchronisation.
 */

export const POLL_INTERVAL_MS = 10_000;

export type LiveEventType =
  | 'message.created'
  | 'conversation.created'
  | 'conversation.updated'
  | 'renewal.decided'
  | 'read.updated'
  /** The connection came back or the page became visible again: fetch what may have been missed. */
  | 'resync'
  /** A polling tick (no socket): fetch what is cheap to check. */
  | 'poll';

export type LiveEvent = { type: LiveEventType; conversationId: string | null };

type Watcher = { conversationId: string | null; onChange: (event: LiveEvent) => void };

const SOCKET_EVENTS: ReadonlySet<string> = new Set([
  'message.created',
  'conversation.created',
  'conversation.updated',
  'renewal.decided',
  'read.updated',
]);
const SESSION_ENDED = 4401;

const watchers = new Set<Watcher>();
let socket: WebSocket | null = null;
let connected = false;
let everConnected = false;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
let reconnectDelay = 1_000;
let pollTimer: ReturnType<typeof setInterval> | undefined;
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let sessionEnded = false;
let listening = false;

/**
 * What the person is shown about live updates: `idle` (no screen watches), `connecting` (first attempt),
 * `connected`, `reconnecting` (the socket dropped; polling covers the gap) or `offline` (the browser
 * has no network).
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline';
let connectionState: ConnectionState = 'idle';
const stateListeners = new Set<() => void>();

function updateState(): void {
  const next: ConnectionState =
    watchers.size === 0
      ? 'idle'
      : !isOnline()
        ? 'offline'
        : connected
          ? 'connected'
          : everConnected
            ? 'reconnecting'
            : 'connecting';
  if (next === connectionState) return;
  connectionState = next;
  for (const listener of [...stateListeners]) listener();
}

export function connectionStateNow(): ConnectionState {
  return connectionState;
}

export function onConnectionState(listener: () => void): () => void {
  stateListeners.add(listener);
  return () => {
    stateListeners.delete(listener);
  };
}

/** The live connection's state, re-rendering on each change. */
export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(onConnectionState, connectionStateNow, () => 'idle');
}

function isVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}

function isOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

function dispatch(event: LiveEvent, options: { listsOnly?: boolean } = {}): void {
  for (const watcher of [...watchers]) {
    if (watcher.conversationId && options.listsOnly) continue;
    if (watcher.conversationId && event.conversationId && watcher.conversationId !== event.conversationId)
      continue;
    try {
      watcher.onChange(event);
    } catch {
      // One screen's failure never stops the others.
    }
  }
}

function startPolling(): void {
  if (pollTimer !== undefined) return;
  pollTimer = setInterval(() => {
    if (!connected && isVisible() && isOnline()) dispatch({ type: 'poll', conversationId: null });
  }, POLL_INTERVAL_MS);
}

function stopPolling(): void {
  if (pollTimer !== undefined) clearInterval(pollTimer);
  pollTimer = undefined;
}

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/v1/ws`;
}

function scheduleReconnect(): void {
  if (reconnectTimer !== undefined || watchers.size === 0 || sessionEnded) return;
  reconnectTimer = setTimeout(() => {
    reconnectTimer = undefined;
    connect();
  }, reconnectDelay);
  reconnectDelay = Math.min(reconnectDelay * 2, 30_000);
}

function connect(): void {
  if (socket || watchers.size === 0 || sessionEnded) return;
  if (typeof WebSocket === 'undefined' || typeof window === 'undefined') return;
  if (!isOnline()) return;
  let current: WebSocket;
  try {
    current = new WebSocket(socketUrl());
  } catch {
    scheduleReconnect();
    return;
  }
  socket = current;
  current.onmessage = (message) => {
    let frame: { type?: unknown; event?: { type?: unknown; conversationId?: unknown } };
    try {
      frame = JSON.parse(String(message.data));
    } catch {
      return;
    }
    if (frame.type === 'ready') {
      connected = true;
      reconnectDelay = 1_000;
      // Anything that happened while the socket was away (or before it was ready) is fetched now.
      if (everConnected) dispatch({ type: 'resync', conversationId: null });
      everConnected = true;
      updateState();
    } else if (frame.type === 'event' && frame.event?.type === 'campaign.delivered') {
      // A practice's campaign message arrived: it becomes a conversation once the list is fetched, so only
      // the screens that list conversations have anything to fetch.
      dispatch({ type: 'conversation.created', conversationId: null }, { listsOnly: true });
    } else if (frame.type === 'event' && frame.event && SOCKET_EVENTS.has(String(frame.event.type))) {
      dispatch({
        type: frame.event.type as LiveEventType,
        conversationId: typeof frame.event.conversationId === 'string' ? frame.event.conversationId : null,
      });
    }
  };
  current.onclose = (event) => {
    if (socket === current) socket = null;
    const wasConnected = connected;
    connected = false;
    if (event.code === SESSION_ENDED) sessionEnded = true;
    if (wasConnected) everConnected = true;
    updateState();
    scheduleReconnect();
  };
  current.onerror = () => {
    // onclose follows; polling covers the gap.
  };
}

function disconnect(): void {
  if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
  reconnectTimer = undefined;
  stopPolling();
  const current = socket;
  socket = null;
  connected = false;
  everConnected = false;
  current?.close(1000, 'no watcher');
  updateState();
}

function listenToPage(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  document.addEventListener('visibilitychange', () => {
    if (watchers.size > 0 && isVisible()) dispatch({ type: 'resync', conversationId: null });
  });
  window.addEventListener('offline', () => {
    updateState();
    // The socket may take long to notice: close it now, the "online" event reconnects.
    socket?.close(1000, 'offline');
  });
  window.addEventListener('online', () => {
    updateState();
    if (watchers.size === 0) return;
    reconnectDelay = 1_000;
    if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
    connect();
    dispatch({ type: 'resync', conversationId: null });
  });
}

/**
 * Calls `onChange` when what a screen shows may have changed: socket events (only those of
 * `conversationId` when given), polling ticks while the socket is away, and "resync" after a
 * reconnection or a return to the page. Returns `stop`.
 */
export function watch(
  onChange: (event: LiveEvent) => void,
  options: { conversationId?: string } = {},
): () => void {
  const watcher: Watcher = { conversationId: options.conversationId ?? null, onChange };
  watchers.add(watcher);
  if (idleTimer !== undefined) clearTimeout(idleTimer);
  idleTimer = undefined;
  listenToPage();
  startPolling();
  // A new screen after the session ended means someone signed in again: the socket may try once more.
  sessionEnded = false;
  connect();
  updateState();
  return () => {
    watchers.delete(watcher);
    if (watchers.size === 0) {
      // Navigating from one screen to the next keeps the connection.
      idleTimer = setTimeout(() => {
        idleTimer = undefined;
        if (watchers.size === 0) disconnect();
      }, 5_000);
    }
  };
}

/**
 * `watch` as a hook for lists and badges: `refresh` runs (never twice at once) at every change; its
 * latest version is always the one called.
 */
export function useLive(
  refresh: (event: LiveEvent) => Promise<unknown> | unknown,
  options: { enabled?: boolean; conversationId?: string } = {},
): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  const { enabled = true, conversationId } = options;
  useEffect(() => {
    if (!enabled) return;
    let running = false;
    let again: LiveEvent | null = null;
    const run = async (event: LiveEvent) => {
      if (running) {
        again = event;
        return;
      }
      running = true;
      try {
        await latest.current(event);
      } catch {
        // Kept as it is; the next change or tick tries again.
      } finally {
        running = false;
        const next = again;
        again = null;
        if (next) void run(next);
      }
    };
    return watch((event) => void run(event), conversationId ? { conversationId } : {});
  }, [enabled, conversationId]);
}

/** Whether the socket is up (tests and diagnostics). */
export function isLive(): boolean {
  return connected;
}

// ---------- Events inside this browser (a thread read here, a message sent here …) ----------

export type LocalEvent =
  /** A read marker moved here; the server gave the new unread total. */
  | { type: 'unread'; total: number }
  /** Something changed in a conversation from this browser (sent, triaged, decided): lists refresh. */
  | { type: 'changed'; conversationId: string };

const localListeners = new Set<(event: LocalEvent) => void>();

export function announce(event: LocalEvent): void {
  for (const listener of localListeners) listener(event);
}

export function onLocalEvent(listener: (event: LocalEvent) => void): () => void {
  localListeners.add(listener);
  return () => {
    localListeners.delete(listener);
  };
}

/** Every message after `seq`, page by page. */
export async function fetchAfter(conversationId: string, seq: number): Promise<Message[]> {
  const all: Message[] = [];
  let after = seq;
  for (let page = 0; page < 20; page += 1) {
    const { messages, hasMore } = await messagingApi.messages(conversationId, { after, limit: 100 });
    all.push(...messages);
    const last = messages.at(-1);
    if (!hasMore || !last) break;
    after = last.seq;
  }
  return all;
}
