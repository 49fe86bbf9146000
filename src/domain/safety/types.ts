/**
 * Types shared by the red-flag detector, its lexicons and its callers. The public ones are re-exported
 * from detector.ts, which is what the server and the web app import.
 */

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
 * verb before a diagnosis noun ("my stroke", "had a heart attack"), which suppresses only weak rules;
 * topic: the sentence is about a film, a leaflet, a school project or a curiosity (cancelled by urgent in
 * that sentence); onset: a sudden start ("all of a sudden"), which keeps a relative's symptom from being
 * read as family history.
 */
export type CueKind =
  | 'negation'
  | 'history'
  | 'resolved'
  | 'info'
  | 'urgent'
  | 'familyPast'
  | 'mention'
  | 'topic'
  | 'onset';

export interface RuleSource {
  readonly kind: EmergencyKind;
  /** Symptom descriptions: each pattern alone is enough. */
  readonly any?: readonly string[];
  /** Diagnosis nouns ("stroke", "infarctus"): also dropped when the message is about history or paperwork. */
  readonly weak?: readonly string[];
  /** Every group needs one valid match somewhere in the message (baby + fever + floppy). Groups, like
   * `any`, may name a concept ("%despair") that each language phrases its own way. */
  readonly all?: readonly (readonly string[])[];
  /**
   * Concept combination: every group needs one valid match, all in the same sentence and within
   * `window` words of the first group's match, in any order ("lips … huge", "huge lips").
   */
  readonly near?: readonly (readonly string[])[];
  /** Words allowed between the matches of `near` groups (default 8). */
  readonly window?: number;
  /** A match of one of these in the same clause cancels the rule ("heartburn" for "burn"). */
  readonly unless?: readonly string[];
  /** Apply `unless` to the whole message rather than to the clause of the match. */
  readonly unlessAnywhere?: boolean;
}

/**
 * One language's data. Pattern syntax: words separated by spaces, matched in order with at most 3 other
 * words between them ("~N" before a word changes that gap); "a|b" alternatives; "word*" prefix;
 * "=word" exact (no typo tolerance); "@name" a class; "#num", "#year", "#fever" (38 to 42.9), "#many"
 * (5 or more), "#multi" (3 or more, a multiple of a dose), "#under3" (0 to 2) and "#under13" (0 to 12)
 * numbers. Number words ("three", "tre", "trois") are read as digits.
 */
export interface LexiconSource {
  readonly lang: SafetyLang;
  /**
   * Frequent words found in no other of the three languages ("the", "est", "della"). A message is read
   * with the rules of the patient's language and of any other language it has at least as many of.
   */
  readonly commonWords: readonly string[];
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
  /** Word classes ("@name"): one-word alternatives. The shared rules of concepts.ts use some of them. */
  readonly classes: Readonly<Record<string, string>>;
  /**
   * Concepts ("%name" in a rule group): every phrasing of one idea in this language, as patterns. The
   * shared rules of concepts.ts combine them, so each language must define every concept they use;
   * compilation fails when one is missing.
   */
  readonly concepts: Readonly<Record<string, readonly string[]>>;
  readonly cues: Readonly<Record<CueKind, readonly string[]>>;
  /** French "ne … pas" around a word: [before, after] pairs. */
  readonly frames: readonly (readonly [string, string])[];
  readonly rules: readonly RuleSource[];
}
