import type { Locale } from '../../../src/contracts/common';

export const LOCALES: readonly Locale[] = ['fr', 'it', 'en'];
export const DEFAULT_LOCALE: Locale = 'en';
const STORAGE_KEY = 'missive.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The language the person chose explicitly on this device, if any. */
export function readSavedLocale(
  storage: Pick<Storage, 'getItem'> | undefined = safeLocalStorage(),
): Locale | null {
  try {
    const value = storage?.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

export function saveLocale(
  locale: Locale,
  storage: Pick<Storage, 'setItem'> | undefined = safeLocalStorage(),
): void {
  try {
    storage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered on this device; the account's language still applies once signed in.
  }
}

/** First supported language among the browser's preferences ("it-IT" → "it"). */
export function browserLocale(languages: readonly string[]): Locale | null {
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return null;
}

/**
 * Language order: the choice saved on this device, then the signed-in account's language, then the
 * browser's preferences, then English.
 */
export function resolveLocale(input: {
  saved: Locale | null;
  account: Locale | null;
  browser: readonly string[];
}): Locale {
  return input.saved ?? input.account ?? browserLocale(input.browser) ?? DEFAULT_LOCALE;
}

function safeLocalStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}
