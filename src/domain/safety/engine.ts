/**
 * Pattern engine of the red-flag detector: compiles the lexicons once, at module load, into an index of
 * patterns keyed by their first word, then finds every pattern occurrence in a message in one pass over
 * its tokens. It knows nothing about what the patterns mean: context.ts decides.
 */
import { SHARED_CLASSES, SHARED_RULES } from './concepts';
import { LEXICONS, SHORTHANDS } from './lexicons';
import { lexiconWords, prefixWithinOneEdit, type TokenStream, withinOneEdit } from './normalise';
import type { CueKind, EmergencyKind, LexiconSource, RuleSource, SafetyLang } from './types';

const DEFAULT_GAP = 3;
// Cue phrases are idioms ("in the past", "le passé"): their words follow each other unless told otherwise.
const CUE_GAP = 1;
const DEFAULT_NEAR_WINDOW = 8;

export const CUE_KINDS: readonly CueKind[] = [
  'negation',
  'history',
  'resolved',
  'info',
  'urgent',
  'familyPast',
  'mention',
  'topic',
  'onset',
];

// ---------------------------------------------------------------------------------------------------
// Compiled structures

type NumberKind = 'num' | 'year' | 'fever' | 'many' | 'multi' | 'under3' | 'under13';
type AtomKind = 'word' | 'prefix' | NumberKind;
const NUMBER_KINDS: readonly NumberKind[] = ['num', 'year', 'fever', 'many', 'multi', 'under3', 'under13'];

interface Atom {
  readonly kind: AtomKind;
  readonly text: string;
  readonly fuzzy: boolean;
}
interface Pattern {
  readonly id: number;
  readonly terms: readonly ReadonlySet<number>[];
  readonly gaps: readonly number[];
  readonly owner: number;
}

/** A pattern owner: one cue family, or one group of one rule (group -1: the rule's "unless"). */
export interface RuleOwner {
  readonly rule: number;
  readonly group: number;
  readonly weak: boolean;
}
export type Owner = { readonly cue: CueKind } | RuleOwner;

export type RuleMode = 'any' | 'all' | 'near';
export interface CompiledRule {
  readonly kind: EmergencyKind;
  /** The lexicon the rule was compiled with: it only reads messages in that language. */
  readonly lang: SafetyLang;
  readonly mode: RuleMode;
  readonly groups: number;
  readonly window: number;
  readonly unless: number;
  readonly unlessAnywhere: boolean;
}

export interface Match {
  readonly owner: number;
  readonly start: number;
  readonly end: number;
  readonly clause: number;
  readonly sentence: number;
}

const atoms: Atom[] = [];
// Shorthand of the lexicon being compiled.
let shorthand: ReadonlyMap<string, readonly string[]> = SHORTHANDS.en;
const atomIds = new Map<string, number>();
const exactIndex = new Map<string, number[]>();
const prefixIndex = new Map<string, number[]>();
const fuzzyBuckets = new Map<string, number[]>();
const prefixLengths = new Set<number>();
const protectedWords = new Set<string>();
const patternsByStart = new Map<number, Pattern[]>();
let patternCount = 0;

export const owners: Owner[] = [];
export const rules: CompiledRule[] = [];
export const breakers: Record<SafetyLang, Set<string>> = { fr: new Set(), it: new Set(), en: new Set() };
export const frames: { before: ReadonlySet<number>; after: ReadonlySet<number> }[] = [];
export const cueOwner = new Map<CueKind, number>();
/** Each language's common words, in token form, to tell which languages a message is written in. */
export const commonWords: Record<SafetyLang, Set<string>> = { fr: new Set(), it: new Set(), en: new Set() };

function atomId(kind: AtomKind, text: string, fuzzy: boolean): number {
  const key = `${kind}:${fuzzy ? '~' : '='}${text}`;
  const known = atomIds.get(key);
  if (known !== undefined) return known;
  const id = atoms.length;
  atoms.push({ kind, text, fuzzy });
  atomIds.set(key, id);
  if (kind === 'word' || kind === 'prefix') {
    const index = kind === 'word' ? exactIndex : prefixIndex;
    index.set(text, [...(index.get(text) ?? []), id]);
    if (kind === 'prefix') prefixLengths.add(text.length);
    if (fuzzy && text.length >= 4) {
      const bucket = text[0] as string;
      fuzzyBuckets.set(bucket, [...(fuzzyBuckets.get(bucket) ?? []), id]);
    }
  }
  return id;
}

// Cue words match exactly: a typo-tolerant cue could silence a real emergency ("avoir" read as "avoid").
function compileAlternative(
  alt: string,
  classes: Readonly<Record<string, string>>,
  out: Set<number>,
  fuzzy = true,
): void {
  if (alt.startsWith('@')) {
    const members = classes[alt.slice(1)];
    if (members === undefined) throw new Error(`Unknown lexicon class ${alt}`);
    for (const member of members.split(/\s+/).filter(Boolean))
      compileAlternative(member, classes, out, fuzzy);
    return;
  }
  if (alt.startsWith('#')) {
    const kind = alt.slice(1) as NumberKind;
    if (!NUMBER_KINDS.includes(kind)) throw new Error(`Unknown number class ${alt}`);
    out.add(atomId(kind, '', false));
    return;
  }
  const exact = alt.startsWith('=');
  const prefix = alt.endsWith('*');
  const body = alt.slice(exact ? 1 : 0, prefix ? -1 : undefined);
  const words = prefix ? lexiconWords(body) : lexiconWords(body, { shorthand });
  if (words.length !== 1) throw new Error(`Lexicon term must be one word: ${alt}`);
  out.add(atomId(prefix ? 'prefix' : 'word', words[0] as string, fuzzy && !exact));
}

function compilePattern(
  source: string,
  classes: Readonly<Record<string, string>>,
  owner: number,
  fuzzy = true,
  defaultGap = DEFAULT_GAP,
): void {
  const terms: Set<number>[] = [];
  const gaps: number[] = [];
  let gap = defaultGap;
  for (const part of source.split(/\s+/).filter(Boolean)) {
    if (/^~\d+$/.test(part)) {
      gap = Number(part.slice(1));
      continue;
    }
    const term = new Set<number>();
    for (const alt of part.split('|')) compileAlternative(alt, classes, term, fuzzy);
    if (terms.length > 0) gaps.push(gap);
    terms.push(term);
    gap = defaultGap;
  }
  const pattern: Pattern = { id: patternCount++, terms, gaps, owner };
  for (const id of terms[0] ?? []) patternsByStart.set(id, [...(patternsByStart.get(id) ?? []), pattern]);
}

interface RuleGroup {
  readonly sources: readonly string[];
  readonly weak: boolean;
  readonly group: number;
}

function addRule(
  lang: SafetyLang,
  rule: RuleSource,
  mode: RuleMode,
  groups: readonly RuleGroup[],
  groupCount: number,
  classes: Readonly<Record<string, string>>,
  unlessSources: readonly string[],
): void {
  const ruleIndex = rules.length;
  let unless = -1;
  if (unlessSources.length) {
    unless = owners.length;
    owners.push({ rule: ruleIndex, group: -1, weak: false });
    for (const source of unlessSources) compilePattern(source, classes, unless, false);
  }
  for (const group of groups) {
    const owner = owners.length;
    owners.push({ rule: ruleIndex, group: group.group, weak: group.weak });
    for (const source of group.sources) compilePattern(source, classes, owner);
  }
  rules.push({
    kind: rule.kind,
    lang,
    mode,
    groups: groupCount,
    window: rule.window ?? DEFAULT_NEAR_WINDOW,
    unless,
    unlessAnywhere: rule.unlessAnywhere === true,
  });
}

function compileRule(
  rule: RuleSource,
  lexicon: LexiconSource,
  classes: Readonly<Record<string, string>>,
): void {
  // "%name" stands for every phrasing of a concept in this language.
  const expand = (sources: readonly string[]): string[] =>
    sources.flatMap((source) => {
      if (!source.startsWith('%')) return [source];
      const phrasings = lexicon.concepts[source.slice(1)];
      if (!phrasings) throw new Error(`${lexicon.lang} lexicon lacks concept ${source}`);
      return phrasings;
    });
  const unless = expand(rule.unless ?? []);
  const single: RuleGroup[] = [];
  if (rule.any?.length) single.push({ sources: expand(rule.any), weak: false, group: 0 });
  if (rule.weak?.length) single.push({ sources: expand(rule.weak), weak: true, group: 0 });
  if (single.length) addRule(lexicon.lang, rule, 'any', single, 1, classes, unless);
  for (const mode of ['all', 'near'] as const) {
    const groups = (rule[mode] ?? []).map((sources, group) => ({
      sources: expand(sources),
      weak: false,
      group,
    }));
    if (groups.length) addRule(lexicon.lang, rule, mode, groups, groups.length, classes, unless);
  }
}

for (const cue of CUE_KINDS) {
  cueOwner.set(cue, owners.length);
  owners.push({ cue });
}

for (const lexicon of LEXICONS) {
  const classes = { ...SHARED_CLASSES, ...lexicon.classes };
  // A lexicon's words are read with its own language's shorthand, as its messages are.
  shorthand = SHORTHANDS[lexicon.lang];
  for (const cue of CUE_KINDS) {
    for (const source of lexicon.cues[cue])
      compilePattern(source, classes, cueOwner.get(cue) as number, false, CUE_GAP);
  }
  for (const [before, after] of lexicon.frames) {
    const b = new Set<number>();
    const a = new Set<number>();
    for (const alt of before.split('|')) compileAlternative(alt, classes, b, false);
    for (const alt of after.split('|')) compileAlternative(alt, classes, a, false);
    frames.push({ before: b, after: a });
  }
  for (const word of lexicon.protect) protectedWords.add(lexiconWords(word)[0] as string);
  for (const word of lexicon.commonWords)
    for (const w of lexiconWords(word, { shorthand })) commonWords[lexicon.lang].add(w);
  for (const lang of ['fr', 'it', 'en'] as const) {
    const words = lang === lexicon.lang ? [...lexicon.breakers, ...lexicon.localBreakers] : lexicon.breakers;
    for (const word of words)
      for (const w of lexiconWords(word, { shorthand: SHORTHANDS[lexicon.lang] })) breakers[lang].add(w);
  }
  // The shared concept rules are compiled once per language, with that language's words for each concept.
  for (const rule of [...lexicon.rules, ...SHARED_RULES]) compileRule(rule, lexicon, classes);
}

const sortedPrefixLengths = [...prefixLengths].sort((a, b) => a - b);
// Single-word negations ("not", "pas") also stop a pattern from spanning them.
const negatorAtoms = new Set<number>();
for (const [id, patterns] of patternsByStart) {
  if (patterns.some((p) => p.owner === cueOwner.get('negation') && p.terms.length === 1))
    negatorAtoms.add(id);
}

// ---------------------------------------------------------------------------------------------------
// Matching

const NUMBER = /^\d+(\.\d+)?$/;
const atomCache = new Map<string, readonly number[]>();
const ATOM_CACHE_LIMIT = 20_000;

function numberAtoms(value: number, found: Set<number>): void {
  found.add(atomId('num', '', false));
  if (value >= 1900 && value <= 2100) found.add(atomId('year', '', false));
  if (value >= 38 && value < 43) found.add(atomId('fever', '', false));
  if (value >= 5) found.add(atomId('many', '', false));
  if (value >= 3 && value <= 1000) found.add(atomId('multi', '', false));
  if (value < 3) found.add(atomId('under3', '', false));
  if (value <= 12) found.add(atomId('under13', '', false));
}

/** Atoms (lexicon words, stems, number classes) that one token stands for, typos tolerated. */
export function atomsOf(word: string): readonly number[] {
  const cached = atomCache.get(word);
  if (cached) return cached;
  const found = new Set<number>(exactIndex.get(word) ?? []);
  for (const length of sortedPrefixLengths) {
    if (length > word.length) break;
    for (const id of prefixIndex.get(word.slice(0, length)) ?? []) found.add(id);
  }
  if (NUMBER.test(word)) numberAtoms(Number(word), found);
  else if (found.size === 0 && word.length >= 4 && !protectedWords.has(word)) {
    for (const id of fuzzyBuckets.get(word[0] as string) ?? []) {
      const atom = atoms[id] as Atom;
      if (fuzzyMatch(word, atom)) found.add(id);
    }
  }
  const result = [...found];
  if (atomCache.size >= ATOM_CACHE_LIMIT) atomCache.clear();
  atomCache.set(word, result);
  return result;
}

// Short words only tolerate swapped letters ("pian"): one edit on a short word too often makes another word.
function fuzzyMatch(word: string, atom: Atom): boolean {
  if (atom.kind === 'prefix') {
    return (
      atom.text.length >= 6 && word.length >= atom.text.length - 1 && prefixWithinOneEdit(word, atom.text)
    );
  }
  if (word.length < 6 || atom.text.length < 6) {
    return word.length === atom.text.length && withinOneEdit(word, atom.text) && isSwap(word, atom.text);
  }
  return withinOneEdit(word, atom.text);
}

function isSwap(a: string, b: string): boolean {
  return [...a].sort().join('') === [...b].sort().join('');
}

export function hasAny(tokenAtoms: readonly number[] | undefined, term: ReadonlySet<number>): boolean {
  if (!tokenAtoms) return false;
  for (const id of tokenAtoms) if (term.has(id)) return true;
  return false;
}

interface MatchContext {
  readonly tokens: readonly (readonly number[])[];
  readonly clauses: readonly number[];
  readonly negator: readonly boolean[];
}

function matchFrom(pattern: Pattern, termIndex: number, at: number, ctx: MatchContext): number {
  if (termIndex === pattern.terms.length - 1) return at;
  const maxGap = pattern.gaps[termIndex] ?? DEFAULT_GAP;
  const term = pattern.terms[termIndex + 1] as ReadonlySet<number>;
  for (let next = at + 1; next <= at + 1 + maxGap && next < ctx.tokens.length; next++) {
    if (ctx.clauses[next] !== ctx.clauses[at]) break;
    if (hasAny(ctx.tokens[next], term)) {
      const end = matchFrom(pattern, termIndex + 1, next, ctx);
      if (end >= 0) return end;
    }
    // "pain is not in my chest": a negation between two parts breaks the pattern.
    if (ctx.negator[next]) break;
  }
  return -1;
}

let triedStamp = new Int32Array(0);
let stampCounter = 0;

function nextStamp(): number {
  if (triedStamp.length !== patternCount || stampCounter >= 0x7fffffff) {
    triedStamp = new Int32Array(patternCount);
    stampCounter = 0;
  }
  return ++stampCounter;
}

/** Every occurrence of every pattern (cues and rule groups) in the token stream. */
export function findMatches(stream: TokenStream, tokens: readonly (readonly number[])[]): Match[] {
  const { clauses, sentences } = stream;
  const negator = tokens.map((ids) => ids.some((id) => negatorAtoms.has(id)));
  const ctx = { tokens, clauses, negator };
  const matches: Match[] = [];
  for (let start = 0; start < tokens.length; start++) {
    // One token can reach the same pattern through two atoms ("douleur*" and "@pain"): try it once.
    const stamp = nextStamp();
    for (const id of tokens[start] as readonly number[]) {
      const patterns = patternsByStart.get(id);
      if (!patterns) continue;
      for (const pattern of patterns) {
        if (triedStamp[pattern.id] === stamp) continue;
        triedStamp[pattern.id] = stamp;
        const end = matchFrom(pattern, 0, start, ctx);
        if (end >= 0) {
          const clause = clauses[start] as number;
          matches.push({ owner: pattern.owner, start, end, clause, sentence: sentences[start] as number });
        }
      }
    }
  }
  return matches;
}

/** Human-readable owner of a match, for diagnostics. */
export function describeOwner(owner: number): string {
  const o = owners[owner] as Owner;
  if ('cue' in o) return o.cue;
  const rule = rules[o.rule] as CompiledRule;
  return `${rule.kind}/${rule.mode}#${o.group}${o.weak ? ' weak' : ''}`;
}
