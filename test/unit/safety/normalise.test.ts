import { describe, expect, it } from 'vitest';
import {
  foldText,
  lexiconWords,
  prefixWithinOneEdit,
  skeleton,
  splitWords,
  type TokeniseConfig,
  tokenise,
  withinOneEdit,
} from '../../../src/domain/safety/normalise';

const config: TokeniseConfig = {
  shorthand: new Map([
    ['nn', ['non']],
    ['pa', ['pas']],
    ['cant', ['can', 'not']],
    ['peu', ['peux']],
  ]),
  // Phrase keys are in skeleton form, as the detector builds them with lexiconWords.
  phrases: new Map([['sans', [{ from: ['sans', 'aret'], to: ['nonstop'] }]]]),
  clauseWords: new Set(['mais', 'but']),
};

describe('foldText', () => {
  it('lowercases and strips accents and ligatures', () => {
    expect(foldText('DOULEUR Thoracique À GAUCHE')).toBe('douleur thoracique a gauche');
    expect(foldText('cœur, ÉTOUFFE, perché, più, così')).toBe('coeur, etouffe, perche, piu, cosi');
  });

  it('unifies typographic apostrophes', () => {
    expect(foldText('j’étouffe l‘air')).toBe("j'etouffe l'air");
  });

  it('expands English negative contractions', () => {
    expect(foldText("I can't breathe, he won't wake, she isn't responding")).toBe(
      'i can not breathe, he will not wake, she is not responding',
    );
    expect(foldText('I CANT BREATHE')).toBe('i can not breathe');
  });
});

describe('skeleton', () => {
  it('collapses runs of the same letter', () => {
    expect(skeleton('heeeelp')).toBe('help');
    expect(skeleton('aiutoooo')).toBe('aiuto');
    expect(skeleton('bleeding')).toBe('bleding');
  });

  it('leaves words without repeats and digits untouched', () => {
    expect(skeleton('poitrine')).toBe('poitrine');
    expect(skeleton('2011')).toBe('2011');
  });
});

describe('splitWords', () => {
  it('keeps decimal temperatures as one token', () => {
    expect(splitWords('fievre 38,5 et 39.2').map((t) => t.word)).toEqual(['fievre', '38.5', 'et', '39.2']);
  });

  it('starts a new clause at punctuation and spaced dashes, not at hyphens', () => {
    const tokens = splitWords('pas de fievre. douleur, poitrine - vite rendez-vous');
    expect(tokens.map((t) => `${t.word}@${t.clause}`)).toEqual([
      'pas@0',
      'de@0',
      'fievre@0',
      'douleur@1',
      'poitrine@2',
      'vite@3',
      'rendez@3',
      'vous@3',
    ]);
  });

  it('does not count empty clauses', () => {
    expect(splitWords('!!! ... ok ?? ,, oui').map((t) => t.clause)).toEqual([0, 1]);
  });
});

describe('tokenise', () => {
  it('expands shorthand on the raw word before collapsing repeated letters', () => {
    expect(tokenise('nn riesco', config).words).toEqual(['non', 'riesco']);
    expect(tokenise('jpeu pa respirer', config).words).toEqual(['j', 'peux', 'pas', 'respirer']);
  });

  it('splits French clitics glued to the verb', () => {
    expect(tokenise('jsuis mal', config).words).toEqual(['j', 'suis', 'mal']);
  });

  it('numbers sentences: end punctuation, line breaks and conjunctions, not commas', () => {
    const stream = tokenise('ça saigne, beaucoup. Sang\nmais ça va', config);
    expect(stream.words).toEqual(['ca', 'saigne', 'beaucoup', 'sang', 'ca', 'va']);
    expect(stream.clauses).toEqual([0, 0, 1, 2, 4, 4]);
    expect(stream.sentences).toEqual([0, 0, 0, 1, 3, 3]);
  });

  it('rewrites phrases and splits clauses on conjunctions', () => {
    const stream = tokenise('ça saigne sans arrêt mais ça va', config);
    expect(stream.words).toEqual(['ca', 'saigne', 'nonstop', 'ca', 'va']);
    expect(stream.clauses).toEqual([0, 0, 0, 1, 1]);
  });

  it('handles an empty or punctuation-only text', () => {
    expect(tokenise('', config).words).toEqual([]);
    expect(tokenise('?!…', config).words).toEqual([]);
  });
});

describe('lexiconWords', () => {
  it('splits lexicon text exactly like messages, optionally expanding shorthand', () => {
    expect(lexiconWords("j'étouffe")).toEqual(['j', 'etoufe']);
    expect(lexiconWords('nn respiro', config)).toEqual(['non', 'respiro']);
  });
});

describe('typo tolerance', () => {
  it('accepts one substitution, insertion, deletion or swap', () => {
    expect(withinOneEdit('respirer', 'respirer')).toBe(true);
    expect(withinOneEdit('respirer', 'respirar')).toBe(true);
    expect(withinOneEdit('respirer', 'resspirer')).toBe(true);
    expect(withinOneEdit('respirer', 'respirr')).toBe(true);
    expect(withinOneEdit('poitrine', 'poitirne')).toBe(true);
    expect(withinOneEdit('poitrine', 'potirnie')).toBe(false);
    expect(withinOneEdit('chest', 'chesty')).toBe(true);
    expect(withinOneEdit('chest', 'cheesy')).toBe(false);
  });

  it('matches a word whose beginning is within one edit of a stem', () => {
    expect(prefixWithinOneEdit('resprer', 'respir')).toBe(true);
    expect(prefixWithinOneEdit('convlusions', 'convuls')).toBe(true);
    expect(prefixWithinOneEdit('conversation', 'convuls')).toBe(false);
  });
});
