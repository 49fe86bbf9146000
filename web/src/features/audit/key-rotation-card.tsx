import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Card } from '../../components/card';
import { LoadError } from '../../components/load-error';
import { ProgressBar } from '../../components/progress-bar';
import { PageLoading } from '../../components/spinner';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { auditApi } from './api';

const POLL_MS = 3_000;

/** Progress of the latest key rotation (started with `missive rotate-keys`), for operator administrators. */
export function KeyRotationCard() {
  const { t, i18n } = useTranslation();
  const { resource, setData, reload } = useResource(auditApi.keyRotation, 'key-rotation');
  const running = resource.status === 'ready' && resource.data.rotation?.status === 'running';

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      auditApi.keyRotation().then(setData, () => {
        // Kept as shown; the next tick tries again.
      });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, setData]);

  return (
    <Card title={t('keyRotation.title')} description={t('keyRotation.description')}>
      {resource.status === 'loading' ? <PageLoading label={t('common.loading')} /> : null}
      {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
      {resource.status === 'ready' ? (
        <div className="stack">
          {resource.data.rotation === null ? (
            <p>{t('keyRotation.never')}</p>
          ) : resource.data.rotation.status === 'running' ? (
            <ProgressBar
              label={t('keyRotation.running')}
              value={resource.data.rotation.percent / 100}
              detail={t('keyRotation.progress', {
                percent: resource.data.rotation.percent,
                count: resource.data.rotation.reencrypted,
              })}
            />
          ) : (
            <>
              <ProgressBar
                label={t('keyRotation.done', {
                  date: formatDateTime(
                    resource.data.rotation.finishedAt ?? resource.data.rotation.startedAt,
                    i18n.language,
                    true,
                  ),
                })}
                value={1}
                detail={t('keyRotation.reencrypted', { count: resource.data.rotation.reencrypted })}
              />
              {resource.data.rotation.unreadable > 0 ? (
                <p className="field__error">
                  {t('keyRotation.unreadable', { count: resource.data.rotation.unreadable })}
                </p>
              ) : null}
            </>
          )}
          <p className="muted">
            {t('keyRotation.howTo')} <code className="command">missive rotate-keys</code>
          </p>
        </div>
      ) : null}
    </Card>
  );
}
