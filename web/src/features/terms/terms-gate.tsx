import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Locale } from '../../../../src/contracts/common';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { FormError } from '../../components/form-error';
import { LoadError } from '../../components/load-error';
import { PageLoading } from '../../components/spinner';
import { useResource } from '../../lib/use-resource';
import { useSubmit } from '../../lib/use-submit';
import { type AcceptableTermsKind, termsApi } from './api';
import { TermsText } from './terms-text';
import './terms.css';

const termsPath = (kind: AcceptableTermsKind) => (kind === 'patient' ? '/terms' : '/terms/practitioners');

/**
 * Shows the terms in force with an "I accept" button when the signed-in person has not accepted them
 * yet (first message, or a new version); otherwise, or once accepted, shows `children`. With
 * `blocking={false}` the children stay visible below the panel.
 */
export function TermsGate({
  kind,
  blocking = true,
  children,
}: {
  kind: AcceptableTermsKind;
  blocking?: boolean;
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const locale = (['fr', 'it', 'en'].includes(i18n.language) ? i18n.language : 'fr') as Locale;
  const { resource, setData, reload } = useResource(async () => {
    const status = await termsApi.status();
    const item = status.terms.find((entry) => entry.kind === kind);
    if (!item?.mustAccept) return { mustAccept: false as const };
    const document = await termsApi.current(kind, locale);
    return { mustAccept: true as const, document, renewed: item.acceptedVersion !== null };
  }, `terms-${kind}-${locale}`);
  const { busy, error, run } = useSubmit();
  const textId = useId();

  // A notice beside a page (not a gate before it) stays out of the way until it has something to say.
  if (!blocking && !(resource.status === 'ready' && resource.data.mustAccept)) return <>{children}</>;
  if (resource.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed') return <LoadError error={resource.error} onRetry={reload} />;
  if (!resource.data.mustAccept) return <>{children}</>;
  const { document, renewed } = resource.data;

  async function accept() {
    const outcome = await run(() => termsApi.accept(kind, document.version));
    if (outcome.ok) setData({ mustAccept: false });
    // Published again in the meantime: show the newer text.
    else if (outcome.error && (outcome.error as { code?: string }).code === 'MISSIVE_TERMS_OUTDATED')
      reload();
  }

  const panel = (
    <Card
      className="terms-gate"
      title={t(renewed ? `terms.gate.${kind}.renewedTitle` : `terms.gate.${kind}.title`)}
      description={t(`terms.gate.${kind}.description`)}
    >
      <div className="stack">
        {renewed ? <Alert tone="info">{t('terms.gate.renewed')}</Alert> : null}
        <section className="terms-gate__text" aria-labelledby={textId}>
          <h3 id={textId} className="visually-hidden">
            {t(`terms.names.${kind}`)}
          </h3>
          <TermsText markdown={document.body} headingLevel={2} />
        </section>
        <p className="small">
          <Link to={termsPath(kind)} target="_blank" rel="noopener">
            {t('terms.gate.openFull')}
          </Link>{' '}
          · <Link to="/privacy">{t('terms.names.privacy')}</Link>
        </p>
        <FormError error={error} />
        <div className="form__actions">
          <Button onClick={accept} busy={busy}>
            {t(`terms.gate.${kind}.accept`)}
          </Button>
        </div>
      </div>
    </Card>
  );
  return blocking ? (
    panel
  ) : (
    <>
      {panel}
      {children}
    </>
  );
}
