/**
 * Text normalisation for the red-flag detector. Patients type fast, on phones, often in distress:
 * no accents, SMS spelling, repeated letters, capitals. Everything here maps such variants onto one
 * comparable form so that the lexicons can stay small and readable.
 */

/** Tokens of a message, in comparable ("skeleton") form, with the clause each belongs to. */
export interface TokenStream {
  readonly words: readonly string[];
  readonly clauses: readonly number[];
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

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const APOSTROPHES = /[\u2018\u2019\u02bc\u00b4`]/g;
// English contractions carry the negation that several patterns depend on ("can't breathe"), so they are
// expanded before the apostrophe splits them apart.
const CANT = /\bcan'?t\b/g;
const WONT = /\bwon't\b/g;
const NT = /\b([a-z]+)n't\b/g;

/** Lowercase, strip diacritics and ligatures, unify apostrophes, expand English contractions. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/\u0153/g, 'oe')
    .replace(/\u00e6/g, 'ae')
    .replace(/\u00df/g, 'ss')
    .replace(APOSTROPHES, "'")
    .replace(CANT, 'can not')
    .replace(WONT, 'will not')
    .replace(NT, '$1 not');
}

/**
 * Collapses every run of a repeated letter to one letter ("heeelp" → "help", "coeurr" → "coeur").
 * Legitimate double letters collapse too; lexicon words go through the same function, so both sides
 * stay comparable, and a dropped double letter (a very common typo) costs nothing.
 */
export function skeleton(word: string): string {
  let out = '';
  let prev = '';
  for (const ch of word) {
    if (ch !== prev || !isLetter(ch)) out += ch;
    prev = ch;
  }
  return out;
}

function isLetter(ch: string): boolean {
  return ch >= 'a' && ch <= 'z';
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

const CLAUSE_BREAKS = new Set(['.', '!', '?', ';', ':', ',', '\n', '(', ')', '[', ']', '\u2026', '/']);

interface RawToken {
  word: string;
  clause: number;
}

/** Splits folded text into words and numbers ("38,5" stays one token: "38.5"), tracking clauses. */
export function splitWords(folded: string): RawToken[] {
  const out: RawToken[] = [];
  let clause = 0;
  let current = '';
  const flush = (): void => {
    if (current) out.push({ word: current, clause });
    current = '';
  };
  for (let i = 0; i < folded.length; i++) {
    const ch = folded[i] as string;
    if (isLetter(ch) || isDigit(ch)) {
      current += ch;
      continue;
    }
    const next = folded[i + 1] ?? '';
    if (
      (ch === ',' || ch === '.') &&
      isDigit(next) &&
      current !== '' &&
      isDigit(current[current.length - 1] ?? '')
    ) {
      current += '.';
      continue;
    }
    flush();
    // A dash between spaces separates thoughts like a comma; inside a word it is a hyphen.
    const dashBreak = ch === '-' && folded[i - 1] === ' ';
    if (CLAUSE_BREAKS.has(ch) || dashBreak) {
      if (out.length > 0 && out[out.length - 1]?.clause === clause) clause++;
    }
  }
  flush();
  return out;
}

// French SMS writing glues the subject clitic to the verb: "jpeux", "jsuis", "jvais".
const FRENCH_CLITIC = /^j([bcdfghklmnpqrstvwxz][a-z]{2,})$/;

/** Full pipeline: fold, split, expand shorthand, rewrite phrases, split clauses on conjunctions. */
export function tokenise(text: string, config: TokeniseConfig): TokenStream {
  const raw = splitWords(foldText(text));
  const expanded: RawToken[] = [];
  for (const token of raw) {
    for (const word of expandWord(token.word, config)) expanded.push({ word, clause: token.clause });
  }
  const words: string[] = [];
  const clauses: number[] = [];
  let shift = 0;
  for (let i = 0; i < expanded.length; i++) {
    const token = expanded[i] as RawToken;
    const rewrite = matchPhrase(expanded, i, config);
    if (rewrite) {
      for (const word of rewrite.to) {
        words.push(word);
        clauses.push(token.clause + shift);
      }
      i += rewrite.from.length - 1;
      continue;
    }
    if (config.clauseWords.has(token.word)) {
      shift++;
      continue;
    }
    words.push(token.word);
    clauses.push(token.clause + shift);
  }
  return { words, clauses };
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

function matchPhrase(tokens: readonly RawToken[], at: number, config: TokeniseConfig): PhraseRewrite | null {
  const first = tokens[at];
  if (!first) return null;
  const candidates = config.phrases.get(first.word);
  if (!candidates) return null;
  for (const phrase of candidates) {
    let ok = true;
    for (let k = 1; k < phrase.from.length; k++) {
      if (tokens[at + k]?.word !== phrase.from[k]) {
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
