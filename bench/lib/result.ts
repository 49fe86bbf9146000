import { percentiles, round } from './stats';

export type StoreKind = 'sqlite' | 'postgres';

export interface ScenarioOptions {
  store: StoreKind;
  /** A few seconds, tiny data: proves the scenario still runs, figures are not meaningful. */
  smoke: boolean;
}

/** A goal from the performance issue and whether this run met it. */
export interface Goal {
  goal: string;
  target: string;
  measured: string;
  met: boolean;
}

/** Latency samples summarised as a histogram (for the report's distribution charts). */
export interface LatencySeries {
  label: string;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
  buckets: { upToMs: number; count: number }[];
}

/** Events per second over the run (for the report's throughput charts). */
export interface ThroughputSeries {
  label: string;
  points: { second: number; value: number }[];
  unit: string;
}

export interface BenchResult {
  scenario: string;
  store: StoreKind;
  smoke: boolean;
  /** One row of the scenario's markdown table. */
  summary: Record<string, string | number>;
  goals: Goal[];
  latency: LatencySeries[];
  throughput: ThroughputSeries[];
  /** Anything else worth keeping in the JSON (counts, settings). */
  details: Record<string, unknown>;
}

export type Scenario = (options: ScenarioOptions) => Promise<BenchResult>;

const BUCKET_EDGES = [
  0.5,
  1,
  2,
  3,
  5,
  7.5,
  10,
  15,
  20,
  25,
  35,
  50,
  75,
  100,
  150,
  200,
  300,
  500,
  750,
  1_000,
  2_000,
  5_000,
  10_000,
  Number.POSITIVE_INFINITY,
];

export function latencySeries(label: string, samples: readonly number[]): LatencySeries {
  const p = percentiles([...samples]);
  const buckets = BUCKET_EDGES.map((upToMs) => ({ upToMs, count: 0 }));
  for (const sample of samples) {
    const bucket = buckets.find((b) => sample <= b.upToMs)!;
    bucket.count++;
  }
  while (buckets.length > 1 && buckets.at(-1)!.count === 0) buckets.pop();
  return {
    label,
    p50: round(p.p50),
    p95: round(p.p95),
    p99: round(p.p99),
    max: round(p.max),
    count: p.count,
    buckets: buckets.map((b) => ({ upToMs: Number.isFinite(b.upToMs) ? b.upToMs : -1, count: b.count })),
  };
}

/** Counts events per whole second from their timestamps (performance.now() milliseconds). */
export class RateMeter {
  private readonly started = performance.now();
  private readonly perSecond: number[] = [];

  mark(at = performance.now()): void {
    const second = Math.floor((at - this.started) / 1_000);
    this.perSecond[second] = (this.perSecond[second] ?? 0) + 1;
  }

  series(label: string, unit: string): ThroughputSeries {
    return {
      label,
      unit,
      points: Array.from(this.perSecond, (value, second) => ({ second, value: value ?? 0 })),
    };
  }
}

export const goal = (name: string, target: string, measured: string, met: boolean): Goal => ({
  goal: name,
  target,
  measured,
  met,
});
