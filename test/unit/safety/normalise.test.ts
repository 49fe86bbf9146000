import { describe, expect, it } from 'vitest';
import { messageLanguages } from '../../../src/domain/safety/context';
import { detectKind } from '../../../src/domain/safety/detector';
import { tokenStream } from '../../../src/domain/safety/lexicons';
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

  it('expands the other English contractions, and leaves French and Italian elisions alone', () => {
    expect(foldText("I've been sick, I'm scared, he'd kill me, they're here, she'll die")).toBe(
      'i have been sick, i am scared, he would kill me, they are here, she will die',
    );
    expect(foldText("j'ai mal, l'air, c'è, un'ora, d'un coup")).toBe(
      "j'ai mal, l'air, c'e, un'ora, d'un coup",
    );
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

  it('separates a unit glued to a number, and keeps words that start with a letter whole', () => {
    expect(splitWords('2yo 20min 38.5C 39,2c 6wk b4 mp3').map((t) => t.word)).toEqual([
      '2',
      'yo',
      '20',
      'min',
      '38.5',
      '39.2',
      '6',
      'wk',
      'b4',
      'mp3',
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

  it('reads temperatures written with a degree sign', () => {
    expect(tokenise('39°5 et 38,5°C puis 40 °C', config).words).toEqual(['39.5', 'et', '38.5', 'puis', '40']);
    // The sign is not a sentence end: the figure stays with its words.
    expect(tokenise('fievre 39°5 bebe mou', config).sentences).toEqual([0, 0, 0, 0]);
  });

  it('handles an empty or punctuation-only text', () => {
    expect(tokenise('', config).words).toEqual([]);
    expect(tokenise('?!…', config).words).toEqual([]);
  });
});

describe("the detector's tokeniser settings", () => {
  it("reads each language's shorthand, the patient's language first where two differ", () => {
    expect(tokenStream('ke', 'fr').words).toEqual(['que']);
    expect(tokenStream('ke', 'it').words).toEqual(['che']);
    expect(tokenStream('pls help', 'fr').words).toEqual(['please', 'help']);
    expect(tokenStream('jarrrive plu', 'fr').words).toEqual(['j', 'arive', 'plus']);
    expect(tokenStream('my 2yo is 3 mths', 'en').words).toEqual([
      'my',
      '2',
      'year',
      'old',
      'is',
      '3',
      'months',
    ]);
  });

  it('keeps one- and two-letter words when a shorthand collapses to them', () => {
    // "nn" is Italian for "non"; its skeleton "n" is the French elided "ne" and must stay itself.
    expect(tokenStream("n'arrive plus", 'fr').words).toEqual(['n', 'arive', 'plus']);
    expect(tokenStream('nn riesco', 'it').words).toEqual(['non', 'riesco']);
  });

  it('rewrites phrases into one token', () => {
    expect(tokenStream('all at once', 'en').words).toEqual(['suden']);
    expect(tokenStream('senza fermarsi', 'it').words).toEqual(['nonstop']);
    expect(tokenStream('seizure free for 5 years', 'en').words).toEqual([
      'no',
      'seizure',
      'for',
      '5',
      'years',
    ]);
  });
});

describe('messageLanguages', () => {
  const langsOf = (text: string, lang: 'fr' | 'it' | 'en') =>
    [...messageLanguages(tokenStream(text, lang).words, lang)].sort();

  it("reads a message with the patient's language and the one it is written in", () => {
    expect(langsOf('je suis essoufflé et il tousse', 'fr')).toEqual(['fr']);
    expect(langsOf('help, mia madre nn riesce a respirare', 'en')).toEqual(['en', 'it']);
    expect(langsOf("help, j'ai très mal à la poitrine", 'en')).toEqual(['en', 'fr']);
    expect(langsOf('aiuto, I want to kill myself', 'it')).toEqual(['en', 'it']);
  });

  it('reads a message without any common word with every language', () => {
    expect(langsOf('douleur thoracique', 'it')).toEqual(['en', 'fr', 'it']);
    expect(detectKind('douleur thoracique', 'it')).toBe('chest_pain');
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
