import { describe, expect, it } from 'vitest';
import { restAfterBatch } from '../../../src/domain/campaigns';

// A campaign to 100,000 recipients in batches of 1,000, each taking 35 ms, with 10 s from its start.
const fanOut = {
  batchMs: 35,
  now: 3_000,
  deadline: 10_000,
  workedMs: 350,
  done: 10_000,
  remaining: 90_000,
  batchSize: 1_000,
};

describe('restAfterBatch', () => {
  it('rests as long as the batch took while the deadline is far', () => {
    // 90 batches of 35 ms still to go (3.15 s): 3.85 s to spare, 42.8 ms a batch, more than the batch.
    expect(restAfterBatch(fanOut)).toBe(35);
  });

  it('shares what is left to spare among the batches to go when resting fully would be late', () => {
    // At 6 s: 4 s left, 3.15 s of work expected, 0.85 s to spare over 90 batches.
    expect(restAfterBatch({ ...fanOut, now: 6_000 })).toBeCloseTo(850 / 90, 6);
  });

  it('does not rest once the campaign is behind its deadline', () => {
    expect(restAfterBatch({ ...fanOut, now: 7_500 })).toBe(0);
    expect(restAfterBatch({ ...fanOut, now: 12_000 })).toBe(0);
  });

  it('does not rest after the last batch', () => {
    expect(restAfterBatch({ ...fanOut, remaining: 0, done: 100_000, workedMs: 3_500 })).toBe(0);
  });

  it('counts a last, shorter batch as one', () => {
    // 500 recipients to go, one batch of about 17.5 ms: 982.5 ms to spare, capped at the batch's 35 ms.
    expect(restAfterBatch({ ...fanOut, now: 9_000, remaining: 500 })).toBe(35);
  });
});
