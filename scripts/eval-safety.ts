/**
 * Measures the red-flag detector on the labelled message sets in test/fixtures/safety, per set and per
 * language: recall on emergencies, false-positive rate on routine messages, accuracy of the situation.
 *
 *   npm run eval:safety                          # figures of every set
 *   npm run eval:safety -- --misses              # also every miss, false positive and wrong situation
 *   npm run eval:safety -- --misses=blind,eval   # the same for some sets only
 *
 * docs/safety.md says which sets were read while the rules were written: a set stays a measure of
 * generalisation only while nobody reads its messages to change the detector, so look at the misses of
 * a set only when giving it up as a blind measure. Exits non-zero when any set misses a target in any
 * language.
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

export const SETS = ['eval', 'holdout', 'holdout2', 'blind', 'blind2', 'blind3'] as const;
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

/** One line of figures for a set in one language. */
export function figuresLine(set: string, lang: SafetyLang, figures: Figures): string {
  const status = meetsTargets(figures) ? 'ok' : 'BELOW TARGET';
  return (
    `${set.padEnd(9)} ${lang}  n=${String(figures.count).padStart(3)}  emergencies=${String(figures.emergencies).padStart(3)}` +
    `  recall=${pct(figures.recall).padStart(7)}  false positives=${pct(figures.falsePositiveRate).padStart(6)}` +
    `  kind accuracy=${pct(figures.kindAccuracy).padStart(7)}  ${status}`
  );
}

/** The whole text of a message, wrapped and indented under its heading. */
function wrap(text: string, indent: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}${l}`).join('\n');
}

/** Misses, false positives and wrong situations of one set in one language, for reading. */
export function problemLines(set: string, lang: SafetyLang, figures: Figures): string[] {
  const out: string[] = [];
  for (const miss of figures.misses) {
    out.push(`  MISSED          ${set}/${lang}  expected ${miss.kind}`, wrap(miss.text, '      '));
  }
  for (const fp of figures.falsePositives) {
    out.push(`  FALSE POSITIVE  ${set}/${lang}  read as ${fp.detected}`, wrap(fp.message.text, '      '));
  }
  for (const wk of figures.wrongKinds) {
    out.push(
      `  WRONG SITUATION ${set}/${lang}  expected ${wk.message.kind}, read as ${wk.detected}`,
      wrap(wk.message.text, '      '),
    );
  }
  return out;
}

/** Sets whose problems to list: none, all ("--misses") or some ("--misses=blind,eval"). */
export function setsToDetail(argv: readonly string[]): Set<SetName> {
  const shown = new Set<SetName>();
  for (const arg of argv) {
    if (arg === '--misses') for (const set of SETS) shown.add(set);
    else if (arg.startsWith('--misses=')) {
      for (const name of arg.slice('--misses='.length).split(',')) {
        if (!(SETS as readonly string[]).includes(name)) throw new Error(`Unknown set ${name}`);
        shown.add(name as SetName);
      }
    }
  }
  return shown;
}

function main(): void {
  const shown = setsToDetail(process.argv.slice(2));
  let failed = false;
  const details: string[] = [];
  for (const set of SETS) {
    const messages = loadSet(set);
    for (const lang of LANGS) {
      const figures = evaluate(messages.filter((m) => m.lang === lang));
      console.log(figuresLine(set, lang, figures));
      if (!meetsTargets(figures)) failed = true;
      if (shown.has(set)) details.push(...problemLines(set, lang, figures));
    }
  }
  console.log(
    `targets in every set and language: recall >= ${pct(TARGET_RECALL)}, false positives <= ${pct(TARGET_FALSE_POSITIVE_RATE)}`,
  );
  if (shown.size > 0) {
    console.log(
      details.length ? `\n${details.join('\n')}` : '\nno misses, false positives or wrong situations',
    );
  }
  if (failed) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
