import { describe, expect, it } from 'vitest';
import { createTermsTexts } from '../../../src/features/terms/terms-texts';
import { parseTerms } from '../../../web/src/features/terms/terms-text';

const texts = createTermsTexts();
const LOCALES = ['fr', 'it', 'en'] as const;

describe('terms texts', () => {
  it.each(['patient', 'practitioner', 'privacy'] as const)(
    'exist for version 1 of %s in every language',
    (kind) => {
      expect(texts.complete(kind)).toContain(1);
      for (const locale of LOCALES) {
        const text = texts.read(kind, 1, locale);
        expect(text, `${kind} ${locale}`).toBeDefined();
        expect(text!.startsWith('# ')).toBe(true);
      }
    },
  );

  it('say in every language that messaging is free, not for emergencies, not a consultation, and forbid false identities', () => {
    const expectations = {
      fr: ['gratuite', 'urgence', '15', '112', 'consultation', 'ordonnance', 'fausse identité'],
      it: ['gratuita', 'emergenza', '112', '118', 'visita', 'ricette', 'identità falsa'],
      en: ['free', 'emergency', '15', '112', 'consultation', 'prescriptions', 'false identity'],
    };
    for (const locale of LOCALES) {
      const text = texts.read('patient', 1, locale)!;
      for (const word of expectations[locale]) expect(text, `${locale}: ${word}`).toContain(word);
    }
  });

  it('say in every language how long data is kept and how to download it or close the account', () => {
    for (const [locale, words] of Object.entries({
      fr: ['20 ans', 'ZIP', 'fermez votre compte'],
      it: ['20 anni', 'ZIP', 'chiuda l'],
      en: ['20 years', 'ZIP', 'close your account'],
    }) as [(typeof LOCALES)[number], string[]][]) {
      const text = texts.read('privacy', 1, locale)!;
      for (const word of words) expect(text, `${locale}: ${word}`).toContain(word);
    }
  });

  it('has nothing for a version or language that does not exist', () => {
    expect(texts.read('patient', 99, 'fr')).toBeUndefined();
    expect(texts.complete('patient')).not.toContain(99);
  });
});

describe('terms rendering', () => {
  it('turns the markdown subset into headings, paragraphs and lists', () => {
    const blocks = parseTerms('# Title\n\nFirst line\ncontinued.\n\n## Part\n- one\n- two\n\nLast **bold**.');
    expect(blocks).toEqual([
      { type: 'heading', level: 1, text: 'Title' },
      { type: 'paragraph', text: 'First line continued.' },
      { type: 'heading', level: 2, text: 'Part' },
      { type: 'list', items: ['one', 'two'] },
      { type: 'paragraph', text: 'Last **bold**.' },
    ]);
  });

  it('renders every published text without losing a line', () => {
    for (const kind of ['patient', 'practitioner', 'privacy'] as const) {
      const text = texts.read(kind, 1, 'en')!;
      const blocks = parseTerms(text);
      const words = (value: string) =>
        value.split(/\s+/).filter((word) => word && !/^(#+|-)$/.test(word)).length;
      const rendered = blocks
        .map((block) => (block.type === 'list' ? block.items.join(' ') : block.text))
        .join(' ');
      expect(words(rendered)).toBe(words(text));
    }
  });
});
