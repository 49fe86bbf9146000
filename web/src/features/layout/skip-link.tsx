import { useTranslation } from 'react-i18next';

/** First focusable element of every page: jumps over the header to the main content. */
export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a className="skip-link" href="#main">
      {t('layout.skipToContent')}
    </a>
  );
}
