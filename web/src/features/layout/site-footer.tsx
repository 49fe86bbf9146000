import { useTranslation } from 'react-i18next';

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container site-footer__inner">
        <p>{t('layout.footerTagline')}</p>
        <p>{t('layout.footerEmergency')}</p>
      </div>
    </footer>
  );
}
