/**
 * Decision logic of the red-flag detector: given the pattern matches of a message (engine.ts), decide
 * which rule matches are valid in their context (negated, past, resolved, about paperwork or prevention,
 * about a relative's past) and which rules are satisfied, then pick the most urgent situation.
 */
import {
  breakers,
  type CompiledRule,
  CUE_KINDS,
  commonWords,
  cueOwner,
  frames,
  hasAny,
  type Match,
  owners,
  type RuleOwner,
  rules,
} from './engine';
import type { TokenStream } from './normalise';
import type { CueKind, EmergencyKind, SafetyLang } from './types';

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
  'violence',
  'suicide',
  'unconscious',
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

/** Where the cues of one message apply; built once per message. */
class Context {
  private readonly cues: Match[][] = CUE_KINDS.map(() => []);
  private readonly urgent: Set<number>;
  private readonly topic: Set<number>;
  private readonly onset: Set<number>;
  private readonly lastUrgent: number;
  private readonly pastOrInfo: Set<number>;
  private readonly pastOrInfoInMessage: boolean;
  private readonly lastResolved: number;
  private readonly stops: ReadonlySet<string>;
  /** Tokens that belong to a whole symptom: a negation inside one ("non si muove") stays there. */
  private readonly consumed = new Set<number>();

  constructor(
    private readonly stream: TokenStream,
    private readonly tokenAtoms: readonly (readonly number[])[],
    cueMatches: readonly Match[],
    ruleMatches: readonly Match[],
    lang: SafetyLang,
  ) {
    for (const match of cueMatches) this.cues[match.owner]?.push(match);
    this.urgent = new Set(this.of('urgent').map((m) => m.clause));
    this.lastUrgent = Math.max(-1, ...this.urgent);
    this.topic = new Set(this.of('topic').map((m) => m.sentence));
    this.onset = new Set(this.of('onset').map((m) => m.sentence));
    this.pastOrInfo = new Set([...this.of('history'), ...this.of('info')].map((m) => m.clause));
    this.pastOrInfoInMessage = [...this.pastOrInfo].some((c) => !this.urgent.has(c));
    // "It stopped on its own" also settles what the earlier clauses described, unless it starts again.
    this.lastResolved = Math.max(-1, ...this.of('resolved').map((m) => m.clause));
    this.stops = breakers[lang];
    // Only whole-symptom patterns count: a fragment of a multi-part rule is not yet evidence of anything.
    for (const m of ruleMatches) {
      const owner = owners[m.owner] as RuleOwner;
      if (owner.group !== -1 && rules[owner.rule]?.mode === 'any')
        for (let k = m.start; k <= m.end; k++) this.consumed.add(k);
    }
  }

  private of(cue: CueKind): Match[] {
    return this.cues[cueOwner.get(cue) as number] as Match[];
  }

  /** A cue of this family ends shortly before the match, in its clause, with no new subject between. */
  private inScope(cue: CueKind, match: Match, window: number): boolean {
    return this.of(cue).some((c) => {
      if (c.clause !== match.clause || c.end >= match.start || match.start - c.end > window) return false;
      if (cue === 'negation' && this.consumed.has(c.end)) return false;
      for (let k = c.end + 1; k < match.start; k++)
        if (this.stops.has(this.stream.words[k] as string)) return false;
      return true;
    });
  }

  private near(from: number, to: number, clause: number, term: ReadonlySet<number>): boolean {
    for (let k = Math.max(0, from); k <= to && k < this.tokenAtoms.length; k++) {
      if (this.stream.clauses[k] === clause && hasAny(this.tokenAtoms[k], term)) return true;
    }
    return false;
  }

  /** French "ne … pas" around the match. */
  private framed(m: Match): boolean {
    return frames.some(
      (f) =>
        this.near(m.start - FRAME_WINDOW, m.start - 1, m.clause, f.before) &&
        this.near(m.end + 1, m.end + FRAME_WINDOW, m.clause, f.after),
    );
  }

  /** Whether a rule match describes something happening now to the writer or the person they write for. */
  valid(match: Match, weak: boolean): boolean {
    if (this.inScope('negation', match, NEGATION_WINDOW) || this.framed(match)) return false;
    const urgentHere = this.urgent.has(match.clause);
    if (!urgentHere && this.pastOrInfo.has(match.clause)) return false;
    // A film, a leaflet, a school project, a curiosity: the whole sentence is about the topic, not a patient.
    if (!urgentHere && this.topic.has(match.sentence)) return false;
    // "My father had a stroke" is his history, "my sister had a sudden headache" is happening.
    if (!urgentHere && !this.onset.has(match.sentence) && this.inScope('familyPast', match, FAMILY_WINDOW))
      return false;
    if (this.lastResolved >= match.clause && this.lastUrgent < match.clause) return false;
    if (!weak) return true;
    return (
      !this.inScope('mention', match, MENTION_WINDOW) && !(this.pastOrInfoInMessage && this.urgent.size === 0)
    );
  }
}

/** Near rules: one match per group, all in one sentence, within the rule's window of the first group. */
function nearSatisfied(rule: CompiledRule, groups: readonly Match[][]): boolean {
  const first = groups[0] ?? [];
  return first.some((anchor) =>
    groups.every(
      (matches, g) =>
        g === 0 ||
        matches.some(
          (m) =>
            m.sentence === anchor.sentence &&
            m.start - anchor.end <= rule.window &&
            anchor.start - m.end <= rule.window,
        ),
    ),
  );
}

const LANGS: readonly SafetyLang[] = ['fr', 'it', 'en'];

/**
 * Languages whose rules read the message: the patient's, and any other of which the message has at least
 * as many common words (an Italian patient may write in Italian with the app in French); every language
 * when the message has no common word at all ("douleur thoracique").
 */
export function messageLanguages(words: readonly string[], lang: SafetyLang): Set<SafetyLang> {
  const score = (l: SafetyLang): number => words.filter((w) => commonWords[l].has(w)).length;
  const own = score(lang);
  const langs = new Set<SafetyLang>([lang]);
  for (const other of LANGS) {
    const s = other === lang ? 0 : score(other);
    if (s >= own && (s > 0 || own === 0)) langs.add(other);
  }
  return langs;
}

/** Which situation, if any, the matches describe. */
export function decide(
  stream: TokenStream,
  tokenAtoms: readonly (readonly number[])[],
  matches: readonly Match[],
  lang: SafetyLang,
): EmergencyKind | null {
  const cueMatches: Match[] = [];
  const ruleMatches: Match[] = [];
  const langs = messageLanguages(stream.words, lang);
  for (const match of matches) {
    if (match.owner < CUE_KINDS.length) cueMatches.push(match);
    else if (langs.has((rules[(owners[match.owner] as RuleOwner).rule] as CompiledRule).lang))
      ruleMatches.push(match);
  }
  if (ruleMatches.length === 0) return null;
  const context = new Context(stream, tokenAtoms, cueMatches, ruleMatches, lang);

  // Keys: rule index × 2^16 + clause, or + 0xffff for an "unless" that covers the whole message.
  const cancelled = new Set<number>();
  for (const match of ruleMatches) {
    const owner = owners[match.owner] as RuleOwner;
    if (owner.group === -1) {
      cancelled.add(owner.rule * 0x10000 + (rules[owner.rule]?.unlessAnywhere ? 0xffff : match.clause));
    }
  }
  // Valid matches per rule, per group.
  const satisfied = new Map<number, Match[][]>();
  for (const match of ruleMatches) {
    const owner = owners[match.owner] as RuleOwner;
    const key = owner.rule * 0x10000;
    if (owner.group === -1 || cancelled.has(key + match.clause) || cancelled.has(key + 0xffff)) continue;
    if (!context.valid(match, owner.weak)) continue;
    const rule = rules[owner.rule] as CompiledRule;
    let groups = satisfied.get(owner.rule);
    if (!groups) {
      groups = Array.from({ length: rule.groups }, () => []);
      satisfied.set(owner.rule, groups);
    }
    groups[owner.group]?.push(match);
  }
  let best: EmergencyKind | null = null;
  for (const [ruleIndex, groups] of satisfied) {
    const rule = rules[ruleIndex] as CompiledRule;
    if (best && KIND_RANK[rule.kind] >= KIND_RANK[best]) continue;
    if (!groups.every((g) => g.length > 0)) continue;
    if (rule.mode === 'near' && !nearSatisfied(rule, groups)) continue;
    best = rule.kind;
  }
  return best;
}
