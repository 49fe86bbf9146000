/**
 * Measures the red-flag detector on the labelled message sets in test/fixtures/safety.
 *
 *   npm run eval:safety                     # eval.jsonl in detail, the held-out sets as figures only
 *   npm run eval:safety -- --show-holdout   # also list the misses of holdout.jsonl
 *   npm run eval:safety -- --show-holdout2  # also list the misses of holdout2.jsonl
 *
 * The held-out sets stay unread while the rules are tuned, so their misses are hidden by default.
 * holdout.jsonl has been read since it was written; holdout2.jsonl is the blind one: look only at its
 * figures, never at its messages, while changing the detector.
 * Exits non-zero when a language misses the target on eval.jsonl.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { detectKind, type EmergencyKind, type SafetyLang } from '../src/domain/safety/detector';

export interface LabelledMessage {
  lang: SafetyLang;
  text: string;
  emergency: boolean;
  kind?: EmergencyKind;
}

export interface Figures {
  count: number;
  emergencies: number;
  routine: number;
  recall: number;
  falsePositiveRate: number;
  kindAccuracy: number;
  misses: LabelledMessage[];
  falsePositives: { message: LabelledMessage; detected: EmergencyKind }[];
  wrongKinds: { message: LabelledMessage; detected: EmergencyKind }[];
}

export const TARGET_RECALL = 0.97;
export const TARGET_FALSE_POSITIVE_RATE = 0.03;
export const LANGS: readonly SafetyLang[] = ['fr', 'it', 'en'];

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../test/fixtures/safety');

export const SETS = ['eval', 'holdout', 'holdout2', 'blind'] as const;
export type SetName = (typeof SETS)[number];

export function loadSet(name: SetName): LabelledMessage[] {
  return readFileSync(resolve(FIXTURES, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LabelledMessage);
}

export function evaluate(messages: readonly LabelledMessage[]): Figures {
  const figures: Figures = {
    count: messages.length,
    emergencies: 0,
    routine: 0,
    recall: 1,
    falsePositiveRate: 0,
    kindAccuracy: 1,
    misses: [],
    falsePositives: [],
    wrongKinds: [],
  };
  let detected = 0;
  let rightKind = 0;
  for (const message of messages) {
    const kind = detectKind(message.text, message.lang);
    if (message.emergency) {
      figures.emergencies++;
      if (!kind) {
        figures.misses.push(message);
        continue;
      }
      detected++;
      if (kind === message.kind) rightKind++;
      else figures.wrongKinds.push({ message, detected: kind });
    } else {
      figures.routine++;
      if (kind) figures.falsePositives.push({ message, detected: kind });
    }
  }
  figures.recall = figures.emergencies ? detected / figures.emergencies : 1;
  figures.falsePositiveRate = figures.routine ? figures.falsePositives.length / figures.routine : 0;
  figures.kindAccuracy = detected ? rightKind / detected : 1;
  return figures;
}

export function meetsTargets(figures: Figures): boolean {
  return figures.recall >= TARGET_RECALL && figures.falsePositiveRate <= TARGET_FALSE_POSITIVE_RATE;
}

const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;
const clip = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

function report(set: string, lang: SafetyLang, figures: Figures, details: boolean): void {
  const status = meetsTargets(figures) ? 'ok' : 'BELOW TARGET';
  console.log(
    `${set.padEnd(8)} ${lang}  n=${String(figures.count).padStart(3)}  emergencies=${String(figures.emergencies).padStart(3)}` +
      `  recall=${pct(figures.recall).padStart(7)}  false positives=${pct(figures.falsePositiveRate).padStart(6)}` +
      `  kind accuracy=${pct(figures.kindAccuracy).padStart(7)}  ${status}`,
  );
  if (!details) return;
  for (const miss of figures.misses) console.log(`    miss      [${miss.kind}] ${clip(miss.text)}`);
  for (const fp of figures.falsePositives)
    console.log(`    false +   [${fp.detected}] ${clip(fp.message.text)}`);
  for (const wk of figures.wrongKinds) {
    console.log(`    kind      [${wk.message.kind} → ${wk.detected}] ${clip(wk.message.text)}`);
  }
}

function main(): void {
  const shown = new Set<SetName>(['eval']);
  if (process.argv.includes('--show-holdout')) shown.add('holdout');
  if (process.argv.includes('--show-holdout2')) shown.add('holdout2');
  let failed = false;
  for (const set of SETS) {
    const messages = loadSet(set);
    for (const lang of LANGS) {
      const figures = evaluate(messages.filter((m) => m.lang === lang));
      report(set, lang, figures, shown.has(set));
      if (set === 'eval' && !meetsTargets(figures)) failed = true;
    }
  }
  console.log(
    `targets on eval.jsonl: recall >= ${pct(TARGET_RECALL)}, false positives <= ${pct(TARGET_FALSE_POSITIVE_RATE)}`,
  );
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
