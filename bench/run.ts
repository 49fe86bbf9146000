import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readResults, scenarioTable, writeReport } from './lib/report';
import type { BenchResult, Scenario, StoreKind } from './lib/result';
import { SCENARIOS } from './scenarios';

/**
 * `npm run bench -- <scenario|all> [--store sqlite|postgres|both] [--smoke]`
 * Writes bench/results/<scenario>-<store>.json and <scenario>.md, then bench/report.html from every
 * result. Server, database and load generator share this machine: read the figures with that in mind,
 * and compare only within one run (each scenario measures its baseline in the same run).
 */
async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { store: { type: 'string', default: 'both' }, smoke: { type: 'boolean', default: false } },
  });
  const name = positionals[0] ?? 'all';
  const available = Object.keys(SCENARIOS);
  const names = name === 'all' ? available : [name];
  if (names.some((n) => !(n in SCENARIOS))) {
    console.error(`Unknown scenario "${name}". Available: ${available.join(', ')}, all`);
    process.exit(64);
  }
  if (!['sqlite', 'postgres', 'both'].includes(values.store ?? '')) {
    console.error('--store must be sqlite, postgres or both');
    process.exit(64);
  }
  const stores: StoreKind[] = values.store === 'both' ? ['sqlite', 'postgres'] : [values.store as StoreKind];
  const smoke = values.smoke ?? false;
  const cpu = cpus();
  const machine = `${cpu.length} cores (${cpu[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; server, database and load generator on the same machine`;
  const resultsDir = join(import.meta.dirname, 'results');
  await mkdir(resultsDir, { recursive: true });
  let failed = false;
  for (const scenario of names) {
    const results: BenchResult[] = [];
    for (const store of stores) {
      console.log(`Running ${scenario} on ${store}${smoke ? ' (smoke)' : ''}…`);
      try {
        const result = await (SCENARIOS[scenario] as Scenario)({ store, smoke });
        result.details.at = new Date().toISOString();
        results.push(result);
        if (!smoke)
          await writeFile(
            join(resultsDir, `${scenario}-${store}.json`),
            `${JSON.stringify(result, null, 2)}\n`,
          );
      } catch (error) {
        failed = true;
        console.error(`${scenario} on ${store} failed:`, error);
      }
    }
    if (results.length === 0) continue;
    const table = scenarioTable(results);
    console.log(`\n${scenario} — ${machine}\n\n${table}\n`);
    for (const r of results)
      for (const g of r.goals)
        console.log(
          `  ${g.met ? 'met    ' : 'MISSED '} ${r.store}: ${g.goal} — target ${g.target}, measured ${g.measured}`,
        );
    if (!smoke) {
      // The table keeps the other store's latest row when only one store ran.
      const all = (await readResults(resultsDir)).filter((r) => r.scenario === scenario);
      await writeFile(join(resultsDir, `${scenario}.md`), `${scenarioTable(all)}\n`);
    }
  }
  if (!smoke) {
    await writeReport(resultsDir, join(import.meta.dirname, 'report.html'), machine);
    console.log('Report: bench/report.html');
  }
  if (failed) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
