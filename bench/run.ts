import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { markdownTable } from './lib/stats';
import { runSend, type SendResult } from './scenarios/send';

/**
 * `npm run bench -- <scenario|all> [--store sqlite|postgres|both] [--smoke]`
 * Writes bench/results/<scenario>-<store>.json and prints a markdown table. Server, database and load
 * generator share this machine: read the figures with that in mind, and compare only within one run.
 */
const SCENARIOS = { send: runSend } as const;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { store: { type: 'string', default: 'both' }, smoke: { type: 'boolean', default: false } },
  });
  const name = positionals[0] ?? 'all';
  const names =
    name === 'all'
      ? (Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[])
      : [name as keyof typeof SCENARIOS];
  if (names.some((n) => !(n in SCENARIOS))) {
    console.error(`Unknown scenario "${name}". Available: ${Object.keys(SCENARIOS).join(', ')}, all`);
    process.exit(64);
  }
  const stores =
    values.store === 'both' ? (['sqlite', 'postgres'] as const) : [values.store as 'sqlite' | 'postgres'];
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const resultsDir = join(import.meta.dirname, 'results');
  await mkdir(resultsDir, { recursive: true });
  const results: SendResult[] = [];
  for (const scenario of names) {
    for (const store of stores) {
      console.log(`Running ${scenario} on ${store}${values.smoke ? ' (smoke)' : ''}…`);
      const result = await SCENARIOS[scenario]({ store, smoke: values.smoke ?? false });
      results.push(result);
      if (!values.smoke)
        await writeFile(
          join(resultsDir, `${scenario}-${store}.json`),
          `${JSON.stringify({ ...result, machine, at: new Date().toISOString() }, null, 2)}\n`,
        );
    }
  }
  const table = markdownTable(
    results.map((r) => ({
      scenario: r.scenario,
      store: r.store,
      'sends/s (64 clients)': r.max.sendsPerSecond,
      'p50 / p95 / p99 ms at max': `${r.max.p50} / ${r.max.p95} / ${r.max.p99}`,
      'p99 ms at 50 %': r.half.p99,
      'single-commit baseline /s': r.baseline.commitsPerSecond,
      'ratio to baseline': r.ratioToBaseline,
      errors: r.max.errors + r.half.errors,
    })),
  );
  console.log(
    `\nMachine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}; server, database and load generator on the same machine.\n\n${table}`,
  );
  if (!values.smoke) await writeFile(join(resultsDir, 'send.md'), `${table}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
