import { describe, expect, it } from 'vitest';
import { runSend } from '../../bench/scenarios/send';

// The benchmark harness in smoke mode (a few seconds), so that it cannot rot. Figures are not asserted:
// performance goals live in `npm run bench`, never in timed test assertions.
describe('benchmark harness (smoke)', () => {
  it('runs the send scenario end to end and reports every figure', async () => {
    const result = await runSend({ store: 'sqlite', smoke: true });
    expect(result.max.acknowledged).toBeGreaterThan(0);
    expect(result.max.errors + result.half.errors).toBe(0);
    for (const value of [
      result.max.sendsPerSecond,
      result.max.p99,
      result.half.p99,
      result.baseline.commitsPerSecond,
    ])
      expect(value).toBeGreaterThan(0);
  }, 120_000);
});
