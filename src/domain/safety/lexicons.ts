/**
 * The three lexicons, and the tokeniser settings built from them once: shorthand (with number words),
 * phrase rewrites and clause-opening conjunctions.
 */
import { lexiconEn } from './lexicon.en';
import { lexiconFr } from './lexicon.fr';
import { lexiconIt } from './lexicon.it';
import {
  foldText,
  lexiconWords,
  NUMBER_WORDS,
  type PhraseRewrite,
  skeleton,
  type TokeniseConfig,
  type TokenStream,
  tokenise,
} from './normalise';
import type { LexiconSource, SafetyLang } from './types';

export const LEXICONS: readonly LexiconSource[] = [lexiconFr, lexiconIt, lexiconEn];

/**
 * Shorthand of every language, so that a word borrowed from another one is still read ("ok", "pls"); where
 * two languages write the same shorthand differently ("ke": "que" or "che"), the patient's language wins.
 */
function shorthandMap(lang: SafetyLang): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [from, to] of Object.entries(NUMBER_WORDS)) map.set(from, [to]);
  const ordered = [...LEXICONS.filter((l) => l.lang !== lang), ...LEXICONS.filter((l) => l.lang === lang)];
  for (const lexicon of ordered) {
    for (const [from, to] of Object.entries(lexicon.shorthand)) {
      // Both the typed form and its skeleton ("jarrive", "jarive"), as messages are looked up by both;
      // not a one- or two-letter skeleton ("nn" → "n"), which is a word of its own ("n'arrive").
      const typed = foldText(from);
      map.set(typed, lexiconWords(to));
      if (skeleton(typed).length > 2 && !map.has(skeleton(typed))) map.set(skeleton(typed), lexiconWords(to));
    }
  }
  return map;
}

export const SHORTHANDS: Readonly<Record<SafetyLang, ReadonlyMap<string, readonly string[]>>> = {
  fr: shorthandMap('fr'),
  it: shorthandMap('it'),
  en: shorthandMap('en'),
};

function buildTokeniseConfig(lang: SafetyLang): TokeniseConfig {
  const shorthand = SHORTHANDS[lang];
  const phrases = new Map<string, PhraseRewrite[]>();
  const clauseWords = new Set<string>();
  for (const lexicon of LEXICONS) {
    for (const [from, to] of Object.entries(lexicon.phrases)) {
      const rewrite = { from: lexiconWords(from, { shorthand }), to: lexiconWords(to) };
      const first = rewrite.from[0] as string;
      phrases.set(
        first,
        [...(phrases.get(first) ?? []), rewrite].sort((a, b) => b.from.length - a.from.length),
      );
    }
    const local = lexicon.lang === lang ? lexicon.localClauseWords : [];
    for (const word of [...lexicon.clauseWords, ...local]) clauseWords.add(lexiconWords(word)[0] as string);
  }
  return { shorthand, phrases, clauseWords };
}

const TOKENISE: Record<SafetyLang, TokeniseConfig> = {
  fr: buildTokeniseConfig('fr'),
  it: buildTokeniseConfig('it'),
  en: buildTokeniseConfig('en'),
};

/** Splits a message into comparable tokens, clauses and sentences with the patient's language settings. */
export function tokenStream(text: string, lang: SafetyLang): TokenStream {
  return tokenise(text, TOKENISE[lang]);
}
