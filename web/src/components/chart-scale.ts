/** Pure helpers for the hand-written SVG charts: linear scales and round axis ticks. */

/** Maps a value of [d0, d1] onto [r0, r1]; a flat domain maps everything to r0. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (value: number) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0));
}

/**
 * Round ticks from 0 up to at least `max` (1, 2 or 5 times a power of ten apart), about `count` of them.
 * Counts are whole numbers, so the step is never below 1.
 */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(
    1,
    [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power,
  );
  const ticks: number[] = [];
  for (let value = 0; ticks.length === 0 || ticks[ticks.length - 1]! < max; value += step) ticks.push(value);
  return ticks;
}

/** An SVG path through the points ("M x y L x y …"); empty for no points. */
export function linePath(points: ReadonlyArray<readonly [number, number]>): string {
  return points.map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`).join(' ');
}

/** Which of `total` labels to show so that at most `room` fit, always keeping the last. */
export function labelIndexes(total: number, room: number): number[] {
  if (total <= 0) return [];
  if (total <= room) return Array.from({ length: total }, (_, index) => index);
  const every = Math.ceil(total / Math.max(1, room));
  const shown: number[] = [];
  for (let index = 0; index < total; index += every) shown.push(index);
  if (shown[shown.length - 1] !== total - 1) {
    if (total - 1 - shown[shown.length - 1]! < every / 2) shown.pop();
    shown.push(total - 1);
  }
  return shown;
}
