import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../../src/contracts/common';
import { catalogues } from './catalogue';
import { readSavedLocale, resolveLocale } from './locale';

export const resources = {
  en: { translation: catalogues.en },
  fr: { translation: catalogues.fr },
  it: { translation: catalogues.it },
} as const;

function applyDocumentLanguage(locale: string): void {
  document.documentElement.lang = locale;
}

export function setupI18n(): typeof i18next {
  const locale = resolveLocale({
    saved: readSavedLocale(),
    account: null,
    browser: navigator.languages ?? [],
  });
  i18next.on('languageChanged', applyDocumentLanguage);
  void i18next.use(initReactI18next).init({
    resources,
    lng: locale,
    fallbackLng: 'en',
    supportedLngs: ['fr', 'it', 'en'],
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  applyDocumentLanguage(locale);
  return i18next;
}

export function currentLocale(): Locale {
  const language = i18next.resolvedLanguage ?? i18next.language;
  return language === 'fr' || language === 'it' ? language : 'en';
}
