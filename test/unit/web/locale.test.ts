import { describe, expect, it } from 'vitest';
import { browserLocale, readSavedLocale, resolveLocale, saveLocale } from '../../../web/src/i18n/locale';

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
  };
}

describe('language choice', () => {
  it('prefers the choice saved on this device over the account and the browser', () => {
    expect(resolveLocale({ saved: 'it', account: 'fr', browser: ['en-GB'] })).toBe('it');
  });

  it('uses the account language when nothing was saved on this device', () => {
    expect(resolveLocale({ saved: null, account: 'fr', browser: ['it-IT'] })).toBe('fr');
  });

  it('falls back to the first supported browser language, then English', () => {
    expect(resolveLocale({ saved: null, account: null, browser: ['de-DE', 'it-CH', 'fr'] })).toBe('it');
    expect(resolveLocale({ saved: null, account: null, browser: ['de-DE', 'es'] })).toBe('en');
    expect(browserLocale(['FR-fr'])).toBe('fr');
  });

  it('saves and reads back only supported languages', () => {
    const storage = memoryStorage();
    expect(readSavedLocale(storage)).toBeNull();
    saveLocale('fr', storage);
    expect(readSavedLocale(storage)).toBe('fr');
    storage.setItem('missive.locale', 'de');
    expect(readSavedLocale(storage)).toBeNull();
  });
});
