import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../../components/button';
import { EmergencyNotice } from '../../components/emergency-notice';
import { CheckCircleIcon, ShieldIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';

const FEATURES = ['ownPractitioner', 'renewals', 'free'] as const;

export function LandingPage() {
  const { t } = useTranslation();
  return (
    <div className="stack-lg">
      <div className="hero">
        <div>
          <span className="hero__eyebrow">{t('landing.eyebrow')}</span>
          <PageHeader title={t('landing.title')} titleClassName="hero__title" />
          <p className="hero__lead">{t('landing.lead')}</p>
          <div className="hero__actions">
            <ButtonLink to="/signup">{t('landing.createAccount')}</ButtonLink>
            <ButtonLink to="/signin" variant="secondary">
              {t('landing.signIn')}
            </ButtonLink>
          </div>
        </div>
        <section aria-labelledby="landing-features">
          <h2 id="landing-features" className="visually-hidden">
            {t('landing.featuresTitle')}
          </h2>
          <ul className="features">
            {FEATURES.map((feature) => (
              <li key={feature}>
                <span className="features__icon">
                  <CheckCircleIcon />
                </span>
                <div>
                  <strong>{t(`landing.features.${feature}.title`)}</strong>
                  <p>{t(`landing.features.${feature}.text`)}</p>
                </div>
              </li>
            ))}
            <li>
              <span className="features__icon">
                <ShieldIcon />
              </span>
              <div>
                <strong>{t('landing.features.practitioners.title')}</strong>
                <p>{t('landing.features.practitioners.text')}</p>
              </div>
            </li>
          </ul>
        </section>
      </div>
      <EmergencyNotice />
    </div>
  );
}
