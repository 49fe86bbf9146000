/**
 * Red-flag detector: while a patient types to their practitioner, recognise a message that describes an
 * emergency happening now and point to the right emergency number. Missive is not an emergency service;
 * this check exists so that nobody waits for a reply while they should be calling 15, 112 or 3114.
 *
 * Pure and synchronous: lexicons are compiled once at module load into an index of patterns keyed by
 * their first word, so a check costs one pass over the tokens of the message.
 */
import { lexiconEn } from './lexicon.en';
import { lexiconFr } from './lexicon.fr';
import { lexiconIt } from './lexicon.it';
import {
  foldText,
  lexiconWords,
  type PhraseRewrite,
  prefixWithinOneEdit,
  type TokeniseConfig,
  type TokenStream,
  tokenise,
  withinOneEdit,
} from './normalise';

export type SafetyLang = 'fr' | 'it' | 'en';
export type SafetyCountry = 'FR' | 'IT';
export type EmergencyKind =
  | 'chest_pain'
  | 'stroke'
  | 'breathing'
  | 'anaphylaxis'
  | 'bleeding'
  | 'unconscious'
  | 'seizure'
  | 'suicide'
  | 'overdose'
  | 'burn'
  | 'infant_fever'
  | 'pregnancy'
  | 'headache'
  | 'vision_loss'
  | 'violence';

export interface EmergencyNumber {
  number: string;
  label: string;
  kind: 'call' | 'sms';
}

export interface SafetyResult {
  emergency: boolean;
  kind: EmergencyKind | null;
  /** Numbers to show for this emergency, most relevant first; empty when there is no emergency. */
  numbers: EmergencyNumber[];
}

/**
 * Cue families. negation: "no chest pain"; history: a past event ("3 years ago"); resolved: "it stopped
 * on its own" (settles its own clause and the earlier ones);
 * info: the clause is about documents, renewals, prevention or questions ("chest X-ray results");
 * urgent: "right now", "help" (cancels history, info and family-past in its clause, and a "resolved" said
 * before it); familyPast: "my father had" (suppresses what follows it); mention: a determiner or past
 * verb before a diagnosis noun ("my stroke", "had a heart attack"), which suppresses only weak rules.
 */
export type CueKind = 'negation' | 'history' | 'resolved' | 'info' | 'urgent' | 'familyPast' | 'mention';

export interface RuleSource {
  readonly kind: EmergencyKind;
  /** Symptom descriptions: each pattern alone is enough. */
  readonly any?: readonly string[];
  /** Diagnosis nouns ("stroke", "infarctus"): also dropped when the message is about history or paperwork. */
  readonly weak?: readonly string[];
  /** Every group needs one valid match somewhere in the message (baby + fever + floppy). */
  readonly all?: readonly (readonly string[])[];
  /** A match of one of these in the same clause cancels the rule ("heartburn" for "burn"). */
  readonly unless?: readonly string[];
  /** Apply `unless` to the whole message rather than to the clause of the match. */
  readonly unlessAnywhere?: boolean;
}

/**
 * One language's data. Pattern syntax: words separated by spaces, matched in order with at most 3 other
 * words between them ("~N" before a word changes that gap); "a|b" alternatives; "word*" prefix;
 * "=word" exact (no typo tolerance); "@name" a class; "#num", "#year", "#fever" (38 to 42.9) and "#many"
 * (5 or more) numbers.
 */
export interface LexiconSource {
  readonly lang: SafetyLang;
  readonly shorthand: Readonly<Record<string, string>>;
  readonly phrases: Readonly<Record<string, string>>;
  /** Conjunctions that open a new clause, in any language / only when the patient's language is this one. */
  readonly clauseWords: readonly string[];
  readonly localClauseWords: readonly string[];
  /** Words that end a negation or family-past scope (subject pronouns), global / local like clauseWords. */
  readonly breakers: readonly string[];
  readonly localBreakers: readonly string[];
  /** Words never corrected as typos because they are real words close to a lexicon word. */
  readonly protect: readonly string[];
  readonly classes: Readonly<Record<string, string>>;
  readonly cues: Readonly<Record<CueKind, readonly string[]>>;
  /** French "ne … pas" around a word: [before, after] pairs. */
  readonly frames: readonly (readonly [string, string])[];
  readonly rules: readonly RuleSource[];
}

const LEXICONS: readonly LexiconSource[] = [lexiconFr, lexiconIt, lexiconEn];
const DEFAULT_GAP = 3;
const NEGATION_WINDOW = 5;
const FAMILY_WINDOW = 6;
const MENTION_WINDOW = 2;
const FRAME_WINDOW = 2;

// When several situations are recognised, the most specific or most urgent one chooses the numbers.
const KIND_PRIORITY: readonly EmergencyKind[] = [
  'overdose',
  'anaphylaxis',
  'infant_fever',
  'pregnancy',
  'seizure',
  'stroke',
  'chest_pain',
  'unconscious',
  'violence',
  'suicide',
  'breathing',
  'bleeding',
  'burn',
  'headache',
  'vision_loss',
];
const KIND_RANK = Object.fromEntries(KIND_PRIORITY.map((kind, rank) => [kind, rank])) as Record<
  EmergencyKind,
  number
>;

// ---------------------------------------------------------------------------------------------------
// Compilation

type AtomKind = 'word' | 'prefix' | 'num' | 'year' | 'fever' | 'many';
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

const atoms: Atom[] = [];
const atomIds = new Map<string, number>();
const exactIndex = new Map<string, number[]>();
const prefixIndex = new Map<string, number[]>();
const fuzzyBuckets = new Map<string, number[]>();
const prefixLengths = new Set<number>();
const protectedWords = new Set<string>();
const patternsByStart = new Map<number, Pattern[]>();
let patternCount = 0;

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

function shorthandMap(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const lexicon of LEXICONS) {
    for (const [from, to] of Object.entries(lexicon.shorthand)) map.set(foldText(from), lexiconWords(to));
  }
  return map;
}

const SHORTHAND = shorthandMap();

function buildTokeniseConfig(lang: SafetyLang): TokeniseConfig {
  const phrases = new Map<string, PhraseRewrite[]>();
  const clauseWords = new Set<string>();
  for (const lexicon of LEXICONS) {
    for (const [from, to] of Object.entries(lexicon.phrases)) {
      const rewrite = { from: lexiconWords(from, { shorthand: SHORTHAND }), to: lexiconWords(to) };
      const first = rewrite.from[0] as string;
      phrases.set(
        first,
        [...(phrases.get(first) ?? []), rewrite].sort((a, b) => b.from.length - a.from.length),
      );
    }
    const local = lexicon.lang === lang ? lexicon.localClauseWords : [];
    for (const word of [...lexicon.clauseWords, ...local]) clauseWords.add(lexiconWords(word)[0] as string);
  }
  return { shorthand: SHORTHAND, phrases, clauseWords };
}

const TOKENISE: Record<SafetyLang, TokeniseConfig> = {
  fr: buildTokeniseConfig('fr'),
  it: buildTokeniseConfig('it'),
  en: buildTokeniseConfig('en'),
};

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
  if (alt === '#num' || alt === '#year' || alt === '#fever' || alt === '#many') {
    out.add(atomId(alt.slice(1) as AtomKind, '', false));
    return;
  }
  const exact = alt.startsWith('=');
  const prefix = alt.endsWith('*');
  const body = alt.slice(exact ? 1 : 0, prefix ? -1 : undefined);
  const words = prefix ? lexiconWords(body) : lexiconWords(body, { shorthand: SHORTHAND });
  if (words.length !== 1) throw new Error(`Lexicon term must be one word: ${alt}`);
  out.add(atomId(prefix ? 'prefix' : 'word', words[0] as string, fuzzy && !exact));
}

function compilePattern(
  source: string,
  classes: Readonly<Record<string, string>>,
  owner: number,
  fuzzy = true,
): Pattern {
  const terms: Set<number>[] = [];
  const gaps: number[] = [];
  let gap = DEFAULT_GAP;
  for (const part of source.split(/\s+/).filter(Boolean)) {
    if (/^~\d+$/.test(part)) {
      gap = Number(part.slice(1));
      continue;
    }
    const term = new Set<number>();
    for (const alt of part.split('|')) compileAlternative(alt, classes, term, fuzzy);
    if (terms.length > 0) gaps.push(gap);
    terms.push(term);
    gap = DEFAULT_GAP;
  }
  const pattern: Pattern = { id: patternCount++, terms, gaps, owner };
  for (const id of terms[0] ?? []) patternsByStart.set(id, [...(patternsByStart.get(id) ?? []), pattern]);
  return pattern;
}

/** A pattern owner: one cue family, or one group of one rule. */
interface RuleOwner {
  readonly rule: number;
  readonly group: number;
  readonly weak: boolean;
}
type Owner = { readonly cue: CueKind } | RuleOwner;
const owners: Owner[] = [];

interface RuleGroup {
  readonly sources: readonly string[];
  readonly weak: boolean;
  readonly group: number;
}
interface CompiledRule {
  readonly kind: EmergencyKind;
  readonly groups: number;
  readonly unless: number;
  readonly unlessAnywhere: boolean;
}
const rules: CompiledRule[] = [];
const breakers: Record<SafetyLang, Set<string>> = { fr: new Set(), it: new Set(), en: new Set() };
const frames: { before: ReadonlySet<number>; after: ReadonlySet<number> }[] = [];
const CUE_KINDS: readonly CueKind[] = [
  'negation',
  'history',
  'resolved',
  'info',
  'urgent',
  'familyPast',
  'mention',
];
const cueOwner = new Map<CueKind, number>();
for (const cue of CUE_KINDS) {
  cueOwner.set(cue, owners.length);
  owners.push({ cue });
}

for (const lexicon of LEXICONS) {
  const { classes } = lexicon;
  for (const cue of CUE_KINDS) {
    for (const source of lexicon.cues[cue])
      compilePattern(source, classes, cueOwner.get(cue) as number, false);
  }
  for (const [before, after] of lexicon.frames) {
    const b = new Set<number>();
    const a = new Set<number>();
    for (const alt of before.split('|')) compileAlternative(alt, classes, b, false);
    for (const alt of after.split('|')) compileAlternative(alt, classes, a, false);
    frames.push({ before: b, after: a });
  }
  for (const word of lexicon.protect) protectedWords.add(lexiconWords(word)[0] as string);
  for (const lang of ['fr', 'it', 'en'] as const) {
    const words = lang === lexicon.lang ? [...lexicon.breakers, ...lexicon.localBreakers] : lexicon.breakers;
    for (const word of words)
      for (const w of lexiconWords(word, { shorthand: SHORTHAND })) breakers[lang].add(w);
  }
  for (const rule of lexicon.rules) {
    const single: RuleGroup[] = [];
    if (rule.any?.length) single.push({ sources: rule.any, weak: false, group: 0 });
    if (rule.weak?.length) single.push({ sources: rule.weak, weak: true, group: 0 });
    if (single.length) addRule(rule, single, 1, classes);
    const all = (rule.all ?? []).map((sources, group) => ({ sources, weak: false, group }));
    if (all.length) addRule(rule, all, all.length, classes);
  }
}

function addRule(
  rule: RuleSource,
  groups: readonly RuleGroup[],
  groupCount: number,
  classes: Readonly<Record<string, string>>,
): void {
  const ruleIndex = rules.length;
  let unless = -1;
  if (rule.unless?.length) {
    unless = owners.length;
    owners.push({ rule: ruleIndex, group: -1, weak: false });
    for (const source of rule.unless) compilePattern(source, classes, unless, false);
  }
  for (const group of groups) {
    const owner = owners.length;
    owners.push({ rule: ruleIndex, group: group.group, weak: group.weak });
    for (const source of group.sources) compilePattern(source, classes, owner);
  }
  rules.push({ kind: rule.kind, groups: groupCount, unless, unlessAnywhere: rule.unlessAnywhere === true });
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

function atomsOf(word: string): readonly number[] {
  const cached = atomCache.get(word);
  if (cached) return cached;
  const found = new Set<number>(exactIndex.get(word) ?? []);
  for (const length of sortedPrefixLengths) {
    if (length > word.length) break;
    for (const id of prefixIndex.get(word.slice(0, length)) ?? []) found.add(id);
  }
  if (NUMBER.test(word)) {
    const value = Number(word);
    found.add(atomId('num', '', false));
    if (value >= 1900 && value <= 2100) found.add(atomId('year', '', false));
    if (value >= 38 && value < 43) found.add(atomId('fever', '', false));
    if (value >= 5) found.add(atomId('many', '', false));
  } else if (found.size === 0 && word.length >= 4 && !protectedWords.has(word)) {
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

interface Match {
  readonly owner: number;
  readonly start: number;
  readonly end: number;
  readonly clause: number;
}

function hasAny(tokenAtoms: readonly number[] | undefined, term: ReadonlySet<number>): boolean {
  if (!tokenAtoms) return false;
  for (const id of tokenAtoms) if (term.has(id)) return true;
  return false;
}

function matchFrom(
  pattern: Pattern,
  termIndex: number,
  at: number,
  ctx: { tokens: readonly (readonly number[])[]; clauses: readonly number[]; negator: readonly boolean[] },
): number {
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

function findMatches(stream: TokenStream, tokens: readonly (readonly number[])[]): Match[] {
  const clauses = stream.clauses;
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
        if (end >= 0) matches.push({ owner: pattern.owner, start, end, clause: clauses[start] as number });
      }
    }
  }
  return matches;
}

/** Tokens and raw pattern matches, for diagnosing a surprising result while editing the lexicons. */
export function explain(text: string, lang: SafetyLang): { words: readonly string[]; matches: string[] } {
  const stream = tokenise(text, TOKENISE[lang]);
  const tokens = stream.words.map(atomsOf);
  const describe = (m: Match): string => {
    const owner = owners[m.owner] as Owner;
    const who =
      'cue' in owner ? owner.cue : `${rules[owner.rule]?.kind}#${owner.group}${owner.weak ? ' weak' : ''}`;
    return `${who} ${stream.words.slice(m.start, m.end + 1).join(' ')}`;
  };
  return { words: stream.words, matches: findMatches(stream, tokens).map(describe) };
}

/** Which situation, if any, the message describes; exported for the evaluation script and tests. */
export function detectKind(text: string, lang: SafetyLang): EmergencyKind | null {
  const stream = tokenise(text, TOKENISE[lang]);
  const tokenAtoms = stream.words.map(atomsOf);
  const matches = findMatches(stream, tokenAtoms);
  const cues: Match[][] = CUE_KINDS.map(() => []);
  const ruleMatches: Match[] = [];
  for (const match of matches) {
    if (match.owner < CUE_KINDS.length) cues[match.owner]?.push(match);
    else ruleMatches.push(match);
  }
  if (ruleMatches.length === 0) return null;
  const cueOf = (cue: CueKind): Match[] => cues[cueOwner.get(cue) as number] as Match[];
  const urgent = new Set(cueOf('urgent').map((m) => m.clause));
  const lastUrgent = Math.max(-1, ...urgent);
  const context = new Set([...cueOf('history'), ...cueOf('info')].map((m) => m.clause));
  const contextInMessage = [...context].some((c) => !urgent.has(c));
  // "It stopped on its own" also settles what the earlier clauses described, unless it starts again.
  const lastResolved = Math.max(-1, ...cueOf('resolved').map((m) => m.clause));
  const stops = breakers[lang];
  // A negation that belongs to a symptom ("non si muove") must not cancel the next one ("non risponde").
  // Only whole-symptom patterns count: a fragment of a multi-part rule is not yet evidence of anything.
  const consumed = new Set<number>();
  for (const m of ruleMatches) {
    const owner = owners[m.owner] as RuleOwner;
    if (owner.group !== -1 && rules[owner.rule]?.groups === 1)
      for (let k = m.start; k <= m.end; k++) consumed.add(k);
  }

  const inScope = (cue: CueKind, match: Match, window: number): boolean =>
    cueOf(cue).some((c) => {
      if (c.clause !== match.clause || c.end >= match.start || match.start - c.end > window) return false;
      if (cue === 'negation' && consumed.has(c.end)) return false;
      for (let k = c.end + 1; k < match.start; k++) if (stops.has(stream.words[k] as string)) return false;
      return true;
    });
  const near = (from: number, to: number, clause: number, term: ReadonlySet<number>): boolean => {
    for (let k = Math.max(0, from); k <= to && k < tokenAtoms.length; k++) {
      if (stream.clauses[k] === clause && hasAny(tokenAtoms[k], term)) return true;
    }
    return false;
  };
  const framed = (m: Match): boolean =>
    frames.some(
      (f) =>
        near(m.start - FRAME_WINDOW, m.start - 1, m.clause, f.before) &&
        near(m.end + 1, m.end + FRAME_WINDOW, m.clause, f.after),
    );
  const valid = (match: Match, weak: boolean): boolean => {
    if (inScope('negation', match, NEGATION_WINDOW) || framed(match)) return false;
    const urgentHere = urgent.has(match.clause);
    if (!urgentHere && (context.has(match.clause) || inScope('familyPast', match, FAMILY_WINDOW)))
      return false;
    if (lastResolved >= match.clause && lastUrgent < match.clause) return false;
    if (!weak) return true;
    return !inScope('mention', match, MENTION_WINDOW) && !(contextInMessage && urgent.size === 0);
  };

  // Keys: rule index × 2^16 + clause, or + 0xffff for an "unless" that covers the whole message.
  const cancelled = new Set<number>();
  for (const match of ruleMatches) {
    const owner = owners[match.owner] as RuleOwner;
    if (owner.group === -1) {
      cancelled.add(owner.rule * 0x10000 + (rules[owner.rule]?.unlessAnywhere ? 0xffff : match.clause));
    }
  }
  const satisfied = new Map<number, Set<number>>();
  for (const match of ruleMatches) {
    const owner = owners[match.owner] as RuleOwner;
    const key = owner.rule * 0x10000;
    if (owner.group === -1 || cancelled.has(key + match.clause) || cancelled.has(key + 0xffff)) continue;
    if (!valid(match, owner.weak)) continue;
    const groups = satisfied.get(owner.rule) ?? new Set<number>();
    groups.add(owner.group);
    satisfied.set(owner.rule, groups);
  }
  let best: EmergencyKind | null = null;
  for (const [ruleIndex, groups] of satisfied) {
    const rule = rules[ruleIndex] as CompiledRule;
    if (groups.size === rule.groups && (!best || KIND_RANK[rule.kind] < KIND_RANK[best])) best = rule.kind;
  }
  return best;
}

export function checkEmergency(text: string, lang: SafetyLang, country: SafetyCountry): SafetyResult {
  const kind = detectKind(text, lang);
  if (!kind) return { emergency: false, kind: null, numbers: [] };
  return { emergency: true, kind, numbers: emergencyNumbers(country, lang, kind) };
}

// ---------------------------------------------------------------------------------------------------
// Emergency numbers

const NUMBERS: Record<string, { kind: 'call' | 'sms'; label: Record<SafetyLang, string> }> = {
  '15': {
    kind: 'call',
    label: {
      fr: 'SAMU — urgence médicale',
      it: 'SAMU — emergenza sanitaria',
      en: 'SAMU — medical emergency',
    },
  },
  '112': {
    kind: 'call',
    label: {
      fr: "Numéro d'urgence européen",
      it: 'Numero di emergenza europeo',
      en: 'European emergency number',
    },
  },
  '114': {
    kind: 'sms',
    label: {
      fr: 'Urgence par SMS pour les personnes sourdes ou malentendantes',
      it: 'Emergenza via SMS per persone sorde o con problemi di udito',
      en: 'Emergency by text message for deaf or hard-of-hearing people',
    },
  },
  '3114': {
    kind: 'call',
    label: {
      fr: 'Prévention du suicide, 24 h/24',
      it: 'Prevenzione del suicidio, 24 ore su 24',
      en: 'Suicide prevention line, 24/7',
    },
  },
  '17': { kind: 'call', label: { fr: 'Police secours', it: 'Polizia', en: 'Police' } },
  '118': {
    kind: 'call',
    label: {
      fr: "Urgence médicale (là où le 112 n'est pas encore actif)",
      it: 'Emergenza sanitaria (dove il 112 non è ancora attivo)',
      en: 'Medical emergency (where 112 is not yet active)',
    },
  },
};

// In Italy 112 is the single emergency number; its label there is not "European".
const ITALIAN_112: Record<SafetyLang, string> = {
  fr: "Numéro unique d'urgence",
  it: 'Numero unico di emergenza',
  en: 'Single emergency number',
};

function numberList(country: SafetyCountry, kind: EmergencyKind | null | undefined): readonly string[] {
  if (country === 'IT') return kind === 'violence' ? ['112'] : ['112', '118'];
  if (kind === 'suicide') return ['3114', '15', '112', '114'];
  if (kind === 'violence') return ['17', '112', '114'];
  return kind ? ['15', '112', '114'] : ['15', '112', '114', '3114'];
}

/**
 * Numbers for a country, most relevant first, labelled in the patient's language. Without a kind: the
 * general notice shown before typing (France: 15, 112, 114, 3114; Italy: 112, 118).
 */
export function emergencyNumbers(
  country: SafetyCountry,
  lang: SafetyLang,
  kind?: EmergencyKind | null,
): EmergencyNumber[] {
  return numberList(country, kind).map((number) => {
    const entry = NUMBERS[number] as (typeof NUMBERS)[string];
    const label = country === 'IT' && number === '112' ? ITALIAN_112[lang] : entry.label[lang];
    return { number, label, kind: entry.kind };
  });
}
