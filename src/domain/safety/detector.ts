/**
 * Red-flag detector: while a patient types to their practitioner, recognise a message that describes an
 * emergency happening now and point to the right emergency number. Missive is not an emergency service;
 * this check exists so that nobody waits for a reply while they should be calling 15, 112 or 3114.
 *
 * Pure and synchronous. The work is split in three steps:
 * - normalise.ts folds the text (accents, SMS spelling, typos, number words) into tokens, clauses, sentences;
 * - engine.ts finds the lexicon patterns (compiled once, at module load, into an index) in one pass;
 * - context.ts keeps the matches that describe something happening now and combines them into situations.
 * The words live in lexicon.{fr,it,en}.ts; concepts.ts holds the rules shared by every language.
 */
import { decide } from './context';
import { atomsOf, describeOwner, findMatches } from './engine';
import { tokenStream } from './lexicons';
import { emergencyNumbers } from './numbers';
import type { EmergencyKind, SafetyCountry, SafetyLang, SafetyResult } from './types';

export { emergencyNumbers } from './numbers';
export type {
  CueKind,
  EmergencyKind,
  EmergencyNumber,
  LexiconSource,
  RuleSource,
  SafetyCountry,
  SafetyLang,
  SafetyResult,
} from './types';

/** Which situation, if any, the message describes; exported for the evaluation script and tests. */
export function detectKind(text: string, lang: SafetyLang): EmergencyKind | null {
  const stream = tokenStream(text, lang);
  const tokenAtoms = stream.words.map(atomsOf);
  return decide(stream, tokenAtoms, findMatches(stream, tokenAtoms), lang);
}

export function checkEmergency(text: string, lang: SafetyLang, country: SafetyCountry): SafetyResult {
  const kind = detectKind(text, lang);
  if (!kind) return { emergency: false, kind: null, numbers: [] };
  return { emergency: true, kind, numbers: emergencyNumbers(country, lang, kind) };
}

/** Tokens and raw pattern matches, for diagnosing a surprising result while editing the lexicons. */
export function explain(text: string, lang: SafetyLang): { words: readonly string[]; matches: string[] } {
  const stream = tokenStream(text, lang);
  const matches = findMatches(stream, stream.words.map(atomsOf));
  return {
    words: stream.words,
    matches: matches.map(
      (m) => `${describeOwner(m.owner)} ${stream.words.slice(m.start, m.end + 1).join(' ')}`,
    ),
  };
}
