import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/contracts/errors';
import { type TranslationTree as Tree, catalogues as trees } from '../../../web/src/i18n/catalogue';

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') entries.set(path, value);
    else for (const [childPath, childValue] of flatten(value, path)) entries.set(childPath, childValue);
  }
  return entries;
}

const catalogues = { en: flatten(trees.en), fr: flatten(trees.fr), it: flatten(trees.it) };

describe('translations', () => {
  it('have the same keys in French, Italian and English', () => {
    const english = [...catalogues.en.keys()].sort();
    expect([...catalogues.fr.keys()].sort()).toEqual(english);
    expect([...catalogues.it.keys()].sort()).toEqual(english);
  });

  it.each(Object.keys(catalogues) as Array<keyof typeof catalogues>)(
    'translate every API error code in %s',
    (locale) => {
      for (const code of Object.keys(ERROR_CODES)) {
        expect(catalogues[locale].get(`errors.${code}`), `errors.${code} in ${locale}`).toBeTruthy();
      }
    },
  );

  it.each(Object.keys(catalogues) as Array<keyof typeof catalogues>)('have no empty text in %s', (locale) => {
    for (const [key, value] of catalogues[locale]) expect(value.trim(), key).not.toBe('');
  });

  // i18next here is plain (no ICU message format): an apostrophe is an ordinary character, never an escape.
  it.each(['fr', 'it', 'en'] as const)(
    'write the apostrophe as ’, never as a straight quote, in %s',
    (locale) => {
      for (const [key, value] of catalogues[locale]) expect(value, `${locale} ${key}`).not.toContain("'");
    },
  );

  it('use the same interpolation variables in every language', () => {
    const variables = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
    for (const [key, english] of catalogues.en) {
      expect(variables(catalogues.fr.get(key) ?? ''), `fr ${key}`).toEqual(variables(english));
      expect(variables(catalogues.it.get(key) ?? ''), `it ${key}`).toEqual(variables(english));
    }
  });
});
