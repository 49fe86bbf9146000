import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../src/contracts/common';
import { LOCALES } from '../i18n/locale';

/** Each language is named in itself, so anyone can find theirs whatever the current language. */
export const LANGUAGE_NAMES: Record<Locale, string> = { fr: 'Français', it: 'Italiano', en: 'English' };

type LanguageSwitcherProps = {
  value: Locale;
  onChange: (locale: Locale) => void;
};

export function LanguageSwitcher({ value, onChange }: LanguageSwitcherProps) {
  const { t } = useTranslation();
  return (
    <div className="language-switcher">
      <label className="visually-hidden" htmlFor="language-switcher">
        {t('language.label')}
      </label>
      <select
        id="language-switcher"
        className="select select--compact"
        value={value}
        onChange={(event) => onChange(event.target.value as Locale)}
      >
        {LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {LANGUAGE_NAMES[locale]}
          </option>
        ))}
      </select>
    </div>
  );
}
