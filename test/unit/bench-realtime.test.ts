import { describe, expect, it } from 'vitest';
import { DeliveryTracker, openFilesLimit, sampleProcess, socketCapacity } from '../../bench/lib/realtime';

const created = (conversationId: string) => ({ type: 'message.created', conversationId, cursor: 1 });

describe('benchmark delivery tracking', () => {
  it('matches events to sends by conversation, oldest first, and counts what is left', async () => {
    const tracker = new DeliveryTracker();
    const now = performance.now();
    tracker.expect('a', now - 30);
    tracker.expect('a', now - 10);
    tracker.expect('b', now - 20);
    tracker.receive(created('a'));
    expect(tracker.latencies).toHaveLength(1);
    expect(tracker.latencies[0]).toBeGreaterThanOrEqual(30);
    tracker.receive({ type: 'read.updated', conversationId: 'b', cursor: 2 });
    expect(tracker.outstanding).toBe(2);
    tracker.cancel('b', now - 20);
    expect(tracker.outstanding).toBe(1);
    tracker.receive(created('b'));
    expect(tracker.unexpected).toBe(1);
    expect(await tracker.drain(30)).toBe(1);
    tracker.receive(created('a'));
    expect(await tracker.drain(30)).toBe(0);
    expect(tracker.latencies).toHaveLength(2);
  });
});

describe('benchmark process figures', () => {
  it('reads memory and CPU time of a running process', () => {
    const sample = sampleProcess(process.pid);
    expect(sample.rssBytes).toBeGreaterThan(1_000_000);
    expect(sample.cpuMs).toBeGreaterThan(0);
  });

  it('caps socket counts to what the open-files limit allows', () => {
    const limit = openFilesLimit();
    expect(socketCapacity(10)).toMatchObject({ count: 10, capped: false });
    if (limit !== null) {
      const capped = socketCapacity(limit);
      expect(capped.capped).toBe(true);
      expect(capped.count).toBeLessThan(limit);
    }
  });
});
