/**
 * Text normalisation for the red-flag detector. Patients type fast, on phones, often in distress:
 * no accents, SMS spelling, repeated letters, capitals. Everything here maps such variants onto one
 * comparable form so that the lexicons can stay small and readable.
 */

/** Tokens of a message, in comparable ("skeleton") form, with the clause and sentence each belongs to. */
export interface TokenStream {
  readonly words: readonly string[];
  readonly clauses: readonly number[];
  /**
   * Sentences end at ". ! ? …", line breaks and contrastive conjunctions ("but"); clauses also end at
   * commas, colons and the like.
   */
  readonly sentences: readonly number[];
}

/** Rewrites applied while tokenising; built once from the lexicons. */
export interface TokeniseConfig {
  /** Single token (raw or skeleton form) → replacement tokens (already skeletons). */
  readonly shorthand: ReadonlyMap<string, readonly string[]>;
  /** First token of a multi-word phrase → phrases starting with it, longest first. */
  readonly phrases: ReadonlyMap<string, readonly PhraseRewrite[]>;
  /** Words that start a new clause (for example "but"); the word itself is dropped. */
  readonly clauseWords: ReadonlySet<string>;
}

export interface PhraseRewrite {
  readonly from: readonly string[];
  readonly to: readonly string[];
}

// Number words are read as digits in every language, so "three times the dose" is "3 times the dose".
// Left out on purpose: "one"/"un"/"uno" (articles) and Italian "sei" ("you are").
export const NUMBER_WORDS: Readonly<Record<string, string>> = {
  deux: '2',
  trois: '3',
  quatre: '4',
  cinq: '5',
  six: '6',
  sept: '7',
  huit: '8',
  dix: '10',
  douze: '12',
  quinze: '15',
  vingt: '20',
  trente: '30',
  cinquante: '50',
  cent: '100',
  due: '2',
  tre: '3',
  quattro: '4',
  cinque: '5',
  sette: '7',
  otto: '8',
  dieci: '10',
  dodici: '12',
  quindici: '15',
  venti: '20',
  trenta: '30',
  cinquanta: '50',
  cento: '100',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
  twelve: '12',
  fifteen: '15',
  twenty: '20',
  thirty: '30',
  fifty: '50',
  hundred: '100',
};

const NON_ASCII = /[^ -~\s]/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const APOSTROPHES = /[\u2018\u2019\u02bc\u00b4`]/g;
// English contractions carry the negation that several patterns depend on ("can't breathe"), so they are
// expanded before the apostrophe splits them apart.
const CANT = /\bcan'?t\b/g;
const WONT = /\bwon't\b/g;
const NT = /\b([a-z]+)n't\b/g;
const HAVE = /\b(i|you|we|they|he|she|would|could|should|might|must)'ve\b/g;
const AM = /\bi'm\b/g;
const ARE = /\b(you|we|they)'re\b/g;
const WILL = /\b(i|you|we|they|he|she|it)'ll\b/g;
const WOULD = /\b(i|you|we|they|he|she)'d\b/g;

/** Lowercase, strip diacritics and ligatures, unify apostrophes, expand English contractions. */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  const folded = NON_ASCII.test(lower)
    ? lower
        .normalize('NFD')
        .replace(COMBINING_MARKS, '')
        .replace(/\u0153/g, 'oe')
        .replace(/\u00e6/g, 'ae')
        .replace(/\u00df/g, 'ss')
        .replace(APOSTROPHES, "'")
    : lower;
  return folded.includes("'") || folded.includes('cant') ? expandContractions(folded) : folded;
}

function expandContractions(folded: string): string {
  return folded
    .replace(CANT, 'can not')
    .replace(WONT, 'will not')
    .replace(NT, '$1 not')
    .replace(HAVE, '$1 have')
    .replace(AM, 'i am')
    .replace(ARE, '$1 are')
    .replace(WILL, '$1 will')
    .replace(WOULD, '$1 would');
}

/**
 * Collapses every run of a repeated letter to one letter ("heeelp" → "help", "coeurr" → "coeur").
 * Legitimate double letters collapse too; lexicon words go through the same function, so both sides
 * stay comparable, and a dropped double letter (a very common typo) costs nothing.
 */
export function skeleton(word: string): string {
  for (let i = 1; i < word.length; i++) {
    if (word.charCodeAt(i) === word.charCodeAt(i - 1) && isLetter(word[i] as string)) {
      return word.replace(REPEATED_LETTER, '$1');
    }
  }
  return word;
}

const REPEATED_LETTER = /([a-z])\1+/g;

function isLetter(ch: string): boolean {
  return ch >= 'a' && ch <= 'z';
}

interface RawToken {
  word: string;
  clause: number;
}

// Numbers keep their decimal part ("38,5" → "38.5") and come apart from a unit glued to them ("39.5c",
// "2yo", "20min"); a word starts with a letter ("b4"); a dash only breaks a clause when spaced (" - ").
const TOKEN =
  /(\d+(?:[.,]\d+)?(?![0-9]))(?:[cf](?![a-z0-9]))?|([a-z][a-z0-9]*)|([.!?;:,\n()[\]\u2026/]| -(?= ))/g;
// French and Italian write a temperature "39°5" as well as "39,5°".
const DEGREE_DECIMAL = /(\d)\s*\u00b0\s*(\d)/g;
const DEGREE_UNIT = /\u00b0\s*[cf]?(?![a-z])/g;

/** Splits folded text into words and numbers, tracking clauses. */
export function splitWords(folded: string): RawToken[] {
  const out: RawToken[] = [];
  let clause = 0;
  let clauseHasWords = false;
  for (const match of folded.matchAll(TOKEN)) {
    const [, number, word] = match;
    if (number !== undefined) out.push({ word: number.replace(',', '.'), clause });
    else if (word !== undefined) out.push({ word, clause });
    else {
      if (clauseHasWords) clause++;
      clauseHasWords = false;
      continue;
    }
    clauseHasWords = true;
  }
  return out;
}

const SENTENCE_END = /^[.!?\n\u2026]$/;

// French SMS writing glues the subject clitic to the verb: "jpeux", "jsuis", "jvais".
const FRENCH_CLITIC = /^j([bcdfghklmnpqrstvwxz][a-z]{2,})$/;

/** Full pipeline: fold, split, expand shorthand, rewrite phrases, split clauses on conjunctions. */
export function tokenise(text: string, config: TokeniseConfig): TokenStream {
  const raw: string[] = [];
  const rawClauses: number[] = [];
  const rawSentences: number[] = [];
  let clause = 0;
  let sentence = 0;
  let clauseHasWords = false;
  let sentenceHasWords = false;
  const folded = foldText(text).replace(DEGREE_DECIMAL, '$1.$2').replace(DEGREE_UNIT, ' ');
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(folded); match !== null; match = TOKEN.exec(folded)) {
    const number = match[1];
    const word = match[2];
    if (number === undefined && word === undefined) {
      if (clauseHasWords) clause++;
      clauseHasWords = false;
      if (sentenceHasWords && SENTENCE_END.test(match[0])) {
        sentence++;
        sentenceHasWords = false;
      }
      continue;
    }
    clauseHasWords = true;
    sentenceHasWords = true;
    const expanded = number !== undefined ? [number.replace(',', '.')] : expandCached(word as string, config);
    for (const w of expanded) {
      raw.push(w);
      rawClauses.push(clause);
      rawSentences.push(sentence);
    }
  }
  const words: string[] = [];
  const clauses: number[] = [];
  const sentences: number[] = [];
  let shift = 0;
  for (let i = 0; i < raw.length; i++) {
    const word = raw[i] as string;
    const rewrite = config.phrases.has(word) ? matchPhrase(raw, i, config) : null;
    if (rewrite) {
      for (const w of rewrite.to) {
        words.push(w);
        clauses.push((rawClauses[i] as number) + shift);
        sentences.push((rawSentences[i] as number) + shift);
      }
      i += rewrite.from.length - 1;
      continue;
    }
    if (config.clauseWords.has(word)) {
      shift++;
      continue;
    }
    words.push(word);
    clauses.push((rawClauses[i] as number) + shift);
    sentences.push((rawSentences[i] as number) + shift);
  }
  return { words, clauses, sentences };
}

// Patients retype the same words on every keystroke: expansions are remembered per shorthand table.
const expansionCaches = new WeakMap<ReadonlyMap<string, readonly string[]>, Map<string, readonly string[]>>();
const EXPANSION_CACHE_LIMIT = 20_000;

function expandCached(word: string, config: Pick<TokeniseConfig, 'shorthand'>): readonly string[] {
  let cache = expansionCaches.get(config.shorthand);
  if (!cache) {
    cache = new Map();
    expansionCaches.set(config.shorthand, cache);
  }
  const known = cache.get(word);
  if (known) return known;
  const expanded = expandWord(word, config);
  if (cache.size >= EXPANSION_CACHE_LIMIT) cache.clear();
  cache.set(word, expanded);
  return expanded;
}

/** Expands one raw word: shorthand first on the raw form (so "nn" is seen before it becomes "n"). */
export function expandWord(word: string, config: Pick<TokeniseConfig, 'shorthand'>): readonly string[] {
  const direct = config.shorthand.get(word);
  if (direct) return direct;
  const skel = skeleton(word);
  const viaSkeleton = config.shorthand.get(skel);
  if (viaSkeleton) return viaSkeleton;
  const clitic = FRENCH_CLITIC.exec(skel);
  if (clitic?.[1]) {
    const verb = clitic[1];
    return ['j', ...(config.shorthand.get(verb) ?? [verb])];
  }
  return [skel];
}

function matchPhrase(words: readonly string[], at: number, config: TokeniseConfig): PhraseRewrite | null {
  for (const phrase of config.phrases.get(words[at] as string) ?? []) {
    let ok = true;
    for (let k = 1; k < phrase.from.length; k++) {
      if (words[at + k] !== phrase.from[k]) {
        ok = false;
        break;
      }
    }
    if (ok) return phrase;
  }
  return null;
}

/** Splits lexicon text into tokens exactly as messages are split (shorthand expanded when given). */
export function lexiconWords(text: string, config?: Pick<TokeniseConfig, 'shorthand'>): string[] {
  const words = splitWords(foldText(text)).map((t) => t.word);
  return config ? words.flatMap((w) => expandWord(w, config)) : words.map(skeleton);
}

/** True when a and b differ by at most one insertion, deletion, substitution or adjacent swap. */
export function withinOneEdit(a: string, b: string): boolean {
  const diff = a.length - b.length;
  if (diff > 1 || diff < -1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return true;
  if (diff === 0) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return diff > 0 ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** True when some prefix of `word` is within one edit of `stem` (a typo inside a matched stem). */
export function prefixWithinOneEdit(word: string, stem: string): boolean {
  let i = 0;
  while (i < stem.length && i < word.length && word[i] === stem[i]) i++;
  if (i === stem.length) return true;
  if (i >= word.length) return false;
  const restStem = stem.slice(i + 1);
  if (word.startsWith(restStem, i + 1)) return true; // substitution
  if (word.startsWith(stem.slice(i), i + 1)) return true; // extra letter typed
  if (word.startsWith(restStem, i)) return true; // letter missing
  return word[i] === stem[i + 1] && word[i + 1] === stem[i] && word.startsWith(stem.slice(i + 2), i + 2);
}
