import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container site-footer__inner">
        <p>{t('layout.footerTagline')}</p>
        <p>{t('layout.footerEmergency')}</p>
        <nav aria-label={t('terms.footer.label')}>
          <p className="cluster">
            <Link to="/terms">{t('terms.names.patient')}</Link>
            <Link to="/terms/practitioners">{t('terms.names.practitioner')}</Link>
            <Link to="/privacy">{t('terms.names.privacy')}</Link>
          </p>
        </nav>
      </div>
    </footer>
  );
}
