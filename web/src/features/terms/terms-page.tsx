import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Locale } from '../../../../src/contracts/common';
import { LoadError } from '../../components/load-error';
import { PageLoading } from '../../components/spinner';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { type TermsKind, termsApi } from './api';
import { TermsText } from './terms-text';
import './terms.css';

const PATHS: Record<TermsKind, string> = {
  patient: '/terms',
  practitioner: '/terms/practitioners',
  privacy: '/privacy',
};

/** Public page of the terms in force (patients', practitioners') or the privacy notice, in the interface's language. */
export function TermsPage({ kind }: { kind: TermsKind }) {
  const { t, i18n } = useTranslation();
  const locale = (['fr', 'it', 'en'].includes(i18n.language) ? i18n.language : 'fr') as Locale;
  const { resource, reload } = useResource(
    () => termsApi.current(kind, locale),
    `terms-page-${kind}-${locale}`,
  );
  return (
    <article className="terms-page stack-lg">
      <nav className="terms-page__nav small" aria-label={t('terms.page.otherTexts')}>
        {(Object.keys(PATHS) as TermsKind[])
          .filter((other) => other !== kind)
          .map((other) => (
            <Link key={other} to={PATHS[other]}>
              {t(`terms.names.${other}`)}
            </Link>
          ))}
      </nav>
      {resource.status === 'loading' ? <PageLoading label={t('common.loading')} /> : null}
      {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
      {resource.status === 'ready' ? (
        <>
          <TermsText markdown={resource.data.body} headingLevel={1} />
          <p className="terms-page__meta">
            {t('terms.page.version', {
              version: resource.data.version,
              date: formatDateTime(resource.data.publishedAt, i18n.language),
            })}
          </p>
        </>
      ) : null}
    </article>
  );
}
