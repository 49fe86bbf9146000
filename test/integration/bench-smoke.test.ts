import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../bench/scenarios';

// The benchmark harness in smoke mode (a few seconds each), so that it cannot rot. Figures are not
// asserted: performance goals live in `npm run bench`, never in timed test assertions.
describe('benchmark harness (smoke)', () => {
  it.each(Object.keys(SCENARIOS))(
    'runs the %s scenario end to end and reports its figures',
    async (name) => {
      // The PostgreSQL pass of the suite (DATABASE_URL set) runs the scenarios on PostgreSQL.
      const store = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
      const result = await SCENARIOS[name]!({ store, smoke: true });
      expect(result.scenario).toBe(name);
      expect(Object.keys(result.summary).length).toBeGreaterThan(0);
      expect(result.goals.length).toBeGreaterThan(0);
      for (const g of result.goals) expect(g.measured, g.goal).not.toBe('');
      // Correctness figures are exact even in smoke mode: nothing lost, nothing doubled, no errors.
      const errors = result.summary.errors;
      if (errors !== undefined) expect(errors).toBe(0);
      for (const series of result.latency) expect(series.count, series.label).toBeGreaterThan(0);
    },
    180_000,
  );
});
