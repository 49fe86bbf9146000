import { useCallback, useEffect, useRef, useState } from 'react';
import { type ConversationDetail, type Message, messagingApi } from '../api';
import { announce, fetchAfter, useLive } from '../live';
import { onSent } from '../outbox';

const PAGE = 50;

type ThreadState =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; detail: ConversationDetail; messages: Message[]; hasEarlier: boolean };

/** Merges messages by sequence number, without duplicates (a message can arrive by polling and by sending). */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  const bySeq = new Map<number, Message>();
  for (const message of current) bySeq.set(message.seq, message);
  for (const message of incoming) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function isVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}

/**
 * One conversation on screen: its details (status, renewal, the other side's delivered/read markers)
 * and its messages, kept up to date through the live module; what is shown is marked read.
 */
export function useThread(conversationId: string, side: 'patient' | 'practice') {
  const [state, setState] = useState<ThreadState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const lastSeq = useRef(0);
  const readSeq = useRef(0);

  const markRead = useCallback(
    async (messages: readonly Message[]) => {
      const last = messages.at(-1);
      if (!last || last.seq <= readSeq.current || !isVisible()) return;
      // Only the other side's messages count as unread; reading up to the last one is what the reader saw.
      readSeq.current = last.seq;
      try {
        const { unreadTotal } = await messagingApi.markRead(conversationId, last.seq);
        announce({ type: 'unread', total: unreadTotal });
      } catch {
        readSeq.current = 0;
      }
    },
    [conversationId],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` forces a reload.
  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    lastSeq.current = 0;
    readSeq.current = 0;
    Promise.all([
      messagingApi.detail(conversationId),
      messagingApi.messages(conversationId, { limit: PAGE }),
    ]).then(
      ([detail, page]) => {
        if (!current) return;
        lastSeq.current = page.messages.at(-1)?.seq ?? 0;
        setState({ status: 'ready', detail, messages: page.messages, hasEarlier: page.hasMore });
        if (detail.conversation.unread > 0) void markRead(page.messages);
      },
      (error: unknown) => {
        if (current) setState({ status: 'failed', error });
      },
    );
    return () => {
      current = false;
    };
  }, [conversationId, attempt, markRead]);

  const refreshDetail = useCallback(async () => {
    const detail = await messagingApi.detail(conversationId);
    setState((previous) => (previous.status === 'ready' ? { ...previous, detail } : previous));
    return detail;
  }, [conversationId]);

  const receive = useCallback(
    (incoming: Message[], fromOtherSide: boolean) => {
      if (incoming.length === 0) return;
      lastSeq.current = Math.max(lastSeq.current, ...incoming.map((message) => message.seq));
      setState((previous) =>
        previous.status === 'ready'
          ? { ...previous, messages: mergeMessages(previous.messages, incoming) }
          : previous,
      );
      if (fromOtherSide) void markRead(incoming);
      // Status, renewal and markers may have moved with these messages.
      refreshDetail().catch(() => undefined);
    },
    [markRead, refreshDetail],
  );

  const ready = state.status === 'ready';
  const shown = useRef<Message[]>([]);
  shown.current = state.status === 'ready' ? state.messages : [];

  // New messages, status, renewal and read markers, as the live module reports changes.
  useLive(
    async (event) => {
      if (event.type !== 'read.updated') {
        const fresh = await fetchAfter(conversationId, lastSeq.current);
        if (fresh.length > 0) {
          receive(
            fresh,
            fresh.some((message) => message.sender.side !== side),
          );
          return;
        }
        if (event.type === 'poll') return;
      }
      const detail = await refreshDetail();
      // Messages that arrived while the page was hidden are read once it is seen again.
      if (detail.conversation.unread > 0) void markRead(shown.current);
    },
    { enabled: ready, conversationId },
  );

  useEffect(() => {
    if (!ready) return;
    return onSent((message) => {
      if (message.conversationId === conversationId) receive([message], false);
    });
  }, [ready, conversationId, receive]);

  const loadEarlier = useCallback(async () => {
    if (state.status !== 'ready') return;
    const first = state.messages[0];
    if (!first) return;
    const page = await messagingApi.messages(conversationId, { before: first.seq, limit: PAGE });
    setState((previous) =>
      previous.status === 'ready'
        ? { ...previous, messages: mergeMessages(previous.messages, page.messages), hasEarlier: page.hasMore }
        : previous,
    );
  }, [state, conversationId]);

  const setDetail = useCallback((update: (detail: ConversationDetail) => ConversationDetail) => {
    setState((previous) =>
      previous.status === 'ready' ? { ...previous, detail: update(previous.detail) } : previous,
    );
  }, []);

  return {
    state,
    reload: () => setAttempt((value) => value + 1),
    refreshDetail,
    setDetail,
    loadEarlier,
    /** A message this screen just sent (shown at once, before the next poll). */
    add: (message: Message) => receive([message], false),
    /** Messages that arrived by another way (a system notice after a status change): fetch what is new. */
    catchUp: async () => {
      const fresh = await messagingApi.messages(conversationId, { after: lastSeq.current, limit: 100 });
      receive(fresh.messages, false);
    },
  };
}
