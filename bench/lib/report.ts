import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResult, LatencySeries, ThroughputSeries } from './result';
import { markdownTable } from './stats';

const html = (text: string | number) =>
  String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const COLOURS = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2'];

/** Latency distributions side by side: one bar group per bucket, a bar per series, log-free counts as shares. */
function latencyChart(title: string, series: readonly LatencySeries[]): string {
  const edges = [...new Set(series.flatMap((s) => s.buckets.map((b) => b.upToMs)))].sort((a, b) =>
    a === -1 ? 1 : b === -1 ? -1 : a - b,
  );
  const width = 720;
  const height = 260;
  const left = 48;
  const bottom = 40;
  const plotW = width - left - 12;
  const plotH = height - bottom - 16;
  const share = (s: LatencySeries, edge: number) =>
    (s.buckets.find((b) => b.upToMs === edge)?.count ?? 0) / Math.max(1, s.count);
  const maxShare = Math.max(0.01, ...series.flatMap((s) => edges.map((e) => share(s, e))));
  const groupW = plotW / Math.max(1, edges.length);
  const barW = Math.max(2, (groupW - 4) / Math.max(1, series.length));
  const bars = edges
    .flatMap((edge, i) =>
      series.map((s, j) => {
        const h = (share(s, edge) / maxShare) * plotH;
        const x = left + i * groupW + 2 + j * barW;
        return `<rect x="${x.toFixed(1)}" y="${(16 + plotH - h).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[j % COLOURS.length]}"><title>${html(s.label)}: ${(share(s, edge) * 100).toFixed(1)} % ≤ ${edge === -1 ? '∞' : edge} ms</title></rect>`;
      }),
    )
    .join('');
  const labels = edges
    .map(
      (edge, i) =>
        `<text x="${(left + i * groupW + groupW / 2).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle" font-size="10">${edge === -1 ? '>' : `≤${edge}`}</text>`,
    )
    .join('');
  const axis = `<line x1="${left}" y1="${16 + plotH}" x2="${width - 12}" y2="${16 + plotH}" stroke="#94a3b8"/><text x="${left - 6}" y="20" text-anchor="end" font-size="10">${(maxShare * 100).toFixed(0)} %</text><text x="${left - 6}" y="${16 + plotH}" text-anchor="end" font-size="10">0</text><text x="${width / 2}" y="${height - 6}" text-anchor="middle" font-size="11">latency bucket (ms)</text>`;
  return figure(
    title,
    `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${html(title)}">${axis}${bars}${labels}</svg>`,
    series.map((s) => s.label),
  );
}

function throughputChart(title: string, series: readonly ThroughputSeries[]): string {
  const width = 720;
  const height = 240;
  const left = 56;
  const bottom = 36;
  const plotW = width - left - 12;
  const plotH = height - bottom - 16;
  const maxX = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.second)));
  const maxY = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.value)));
  const lines = series
    .map((s, j) => {
      const d = s.points
        .map(
          (p, i) =>
            `${i === 0 ? 'M' : 'L'}${(left + (p.second / maxX) * plotW).toFixed(1)},${(16 + plotH - (p.value / maxY) * plotH).toFixed(1)}`,
        )
        .join(' ');
      return `<path d="${d}" fill="none" stroke="${COLOURS[j % COLOURS.length]}" stroke-width="2"><title>${html(s.label)}</title></path>`;
    })
    .join('');
  const unit = series[0]?.unit ?? '';
  const axis = `<line x1="${left}" y1="${16 + plotH}" x2="${width - 12}" y2="${16 + plotH}" stroke="#94a3b8"/><line x1="${left}" y1="16" x2="${left}" y2="${16 + plotH}" stroke="#94a3b8"/><text x="${left - 6}" y="20" text-anchor="end" font-size="10">${Math.round(maxY)}</text><text x="${left - 6}" y="${16 + plotH}" text-anchor="end" font-size="10">0</text><text x="${width - 12}" y="${height - bottom + 14}" text-anchor="end" font-size="10">${maxX} s</text><text x="${width / 2}" y="${height - 6}" text-anchor="middle" font-size="11">seconds into the phase — ${html(unit)}</text>`;
  return figure(
    title,
    `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${html(title)}">${axis}${lines}</svg>`,
    series.map((s) => s.label),
  );
}

function figure(title: string, svg: string, legend: string[]): string {
  const items = legend
    .map(
      (label, i) =>
        `<li><span class="swatch" style="background:${COLOURS[i % COLOURS.length]}"></span>${html(label)}</li>`,
    )
    .join('');
  return `<figure><figcaption>${html(title)}</figcaption>${svg}<ul class="legend">${items}</ul></figure>`;
}

function table(rows: Record<string, string | number>[]): string {
  if (rows.length === 0) return '';
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return `<table><thead><tr>${keys.map((k) => `<th>${html(k)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${keys.map((k) => `<td>${html(r[k] ?? '')}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export async function readResults(dir: string): Promise<BenchResult[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const results: BenchResult[] = [];
  for (const file of files) {
    const parsed = JSON.parse(await readFile(join(dir, file), 'utf8')) as Partial<BenchResult>;
    if (parsed.summary && parsed.goals && parsed.latency && parsed.throughput)
      results.push(parsed as BenchResult);
  }
  return results;
}

/** The markdown table of one scenario's results (all stores). */
export function scenarioTable(results: readonly BenchResult[]): string {
  return markdownTable(results.map((r) => ({ store: r.store, ...r.summary })));
}

/** bench/report.html: every scenario's figures, goals and charts, from the JSON results. */
export async function writeReport(resultsDir: string, path: string, machine: string): Promise<void> {
  const results = await readResults(resultsDir);
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  const sections = scenarios
    .map((scenario) => {
      const runs = results.filter((r) => r.scenario === scenario);
      const goals = runs.flatMap((r) =>
        r.goals.map((g) => ({
          store: r.store,
          goal: g.goal,
          target: g.target,
          measured: g.measured,
          met: g.met ? 'yes' : 'no',
        })),
      );
      const latency = runs.flatMap((r) => r.latency.map((l) => ({ ...l, label: `${r.store} — ${l.label}` })));
      const throughput = runs.flatMap((r) =>
        r.throughput.map((t) => ({ ...t, label: `${r.store} — ${t.label}` })),
      );
      const at = runs.map((r) => (r.details.at as string | undefined) ?? '').filter(Boolean);
      return `<section><h2>${html(scenario)}</h2><p class="muted">${html(at.length ? `measured ${at.join(', ')}` : '')}</p>${table(
        runs.map((r) => ({ store: r.store, ...r.summary })),
      )}<h3>Goals</h3>${table(goals)}${latency.length ? latencyChart(`${scenario}: latency distribution`, latency) : ''}${
        throughput.length ? throughputChart(`${scenario}: throughput over time`, throughput) : ''
      }</section>`;
    })
    .join('');
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Missive benchmark report</title><style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:960px;padding:1rem;color:#0f172a}
h1{font-size:1.5rem}h2{margin-top:2.5rem;border-bottom:1px solid #e2e8f0;padding-bottom:.25rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0;display:block;overflow-x:auto}
th,td{border:1px solid #e2e8f0;padding:.3rem .5rem;text-align:left;white-space:nowrap}th{background:#f8fafc}
figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.25rem}svg{width:100%;height:auto;font-family:inherit}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem;font-size:.85rem}.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
.muted{color:#64748b;font-size:.85rem}
</style></head><body><h1>Missive benchmark report</h1><p class="muted">${html(machine)}</p>${sections || '<p>No results yet: run <code>npm run bench -- all</code>.</p>'}</body></html>\n`;
  await writeFile(path, page);
}
