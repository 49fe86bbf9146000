// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type LiveEvent, POLL_INTERVAL_MS, watch } from '../../../web/src/features/messaging/live';

/** A stand-in for the browser's WebSocket that the test drives by hand. */
class FakeSocket {
  static opened: FakeSocket[] = [];
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.closed = true;
    this.onclose?.({ code });
  }
  close() {
    this.closed = true;
  }
}

const CONVERSATION = '0190c7a0-0000-7000-8000-0000000000c1';
const OTHER = '0190c7a0-0000-7000-8000-0000000000c2';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  FakeSocket.opened = [];
});

describe('live updates', () => {
  it('rings watchers from the socket, by conversation, polls only while it is down, and catches up after a reconnection', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
    const thread: LiveEvent[] = [];
    const list: LiveEvent[] = [];
    const stopThread = watch((event) => thread.push(event), { conversationId: CONVERSATION });
    const stopList = watch((event) => list.push(event));
    const socket = FakeSocket.opened[0];
    expect(FakeSocket.opened).toHaveLength(1);
    expect(socket?.url).toMatch(/^ws:\/\/.+\/api\/v1\/ws$/);

    // Not ready yet: polling covers the gap.
    vi.advanceTimersByTime(POLL_INTERVAL_MS);
    expect(list.map((event) => event.type)).toEqual(['poll']);

    socket?.receive({ type: 'ready', cursor: 10 });
    socket?.receive({ type: 'event', event: { type: 'message.created', conversationId: OTHER, cursor: 11 } });
    socket?.receive({
      type: 'event',
      event: { type: 'read.updated', conversationId: CONVERSATION, cursor: 11 },
    });
    // A campaign's message: the lists fetch it (it becomes a conversation when listed), threads do not.
    socket?.receive({
      type: 'event',
      event: { type: 'campaign.delivered', campaignId: '0190c7a0-0000-7000-8000-0000000000ca', cursor: 12 },
    });
    vi.advanceTimersByTime(POLL_INTERVAL_MS);
    expect(thread.map((event) => event.type)).toEqual(['poll', 'read.updated']);
    expect(list.map((event) => event.type)).toEqual([
      'poll',
      'message.created',
      'read.updated',
      'conversation.created',
    ]);
    expect(list.at(-1)?.conversationId).toBeNull();

    // The connection drops: polling again, then a new socket that asks everyone to catch up.
    socket?.drop();
    vi.advanceTimersByTime(1_000);
    expect(FakeSocket.opened).toHaveLength(2);
    FakeSocket.opened[1]?.receive({ type: 'ready', cursor: 12 });
    expect(thread.at(-1)?.type).toBe('resync');
    expect(list.at(-1)?.type).toBe('resync');

    stopThread();
    stopList();
    vi.advanceTimersByTime(5_000);
    expect(FakeSocket.opened[1]?.closed).toBe(true);
  });
});
