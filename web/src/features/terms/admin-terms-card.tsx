import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TermsVersionList } from '../../../../src/contracts/terms';
import { api } from '../../api/client';
import { Alert } from '../../components/alert';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { ConfirmDialog } from '../../components/dialog';
import { FormError } from '../../components/form-error';
import { LoadError } from '../../components/load-error';
import { PageLoading } from '../../components/spinner';
import { type Column, Table } from '../../components/table';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { useSubmit } from '../../lib/use-submit';
import type { TermsKind } from './api';

type Version = TermsVersionList['versions'][number];
type Publishable = TermsVersionList['publishable'][number];

const PATHS: Record<TermsKind, string> = {
  patient: '/terms',
  practitioner: '/terms/practitioners',
  privacy: '/privacy',
};

/** The operator's view of the terms: versions in force, and publishing a new one whose texts are deployed. */
export function AdminTermsCard() {
  const { t, i18n } = useTranslation();
  const { resource, reload } = useResource(
    () => api.get<TermsVersionList>('/api/v1/admin/terms'),
    'admin-terms',
  );
  const [pending, setPending] = useState<Publishable | null>(null);
  const [published, setPublished] = useState<Publishable | null>(null);
  const { busy, error, setError, run } = useSubmit();

  async function publish() {
    if (!pending) return;
    const outcome = await run(() => api.post('/api/v1/admin/terms', pending));
    if (outcome.ok) {
      setPublished(pending);
      setPending(null);
      reload();
    }
  }

  const columns: Column<Version>[] = [
    {
      key: 'kind',
      header: t('terms.admin.text'),
      label: t('terms.admin.text'),
      rowHeader: true,
      render: (row) => <Link to={PATHS[row.kind]}>{t(`terms.names.${row.kind}`)}</Link>,
    },
    {
      key: 'version',
      header: t('terms.admin.version'),
      label: t('terms.admin.version'),
      render: (row) => (
        <span className="cluster">
          {row.version}
          {row.current ? <Badge tone="success">{t('terms.admin.inForce')}</Badge> : null}
        </span>
      ),
    },
    {
      key: 'published',
      header: t('terms.admin.publishedAt'),
      label: t('terms.admin.publishedAt'),
      render: (row) => formatDateTime(row.publishedAt, i18n.language),
    },
  ];

  return (
    <Card
      title={t('terms.admin.title')}
      description={
        <>
          {t('terms.admin.description')} <code className="command">missive publish-terms</code>
        </>
      }
    >
      {resource.status === 'loading' ? <PageLoading label={t('common.loading')} /> : null}
      {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
      {resource.status === 'ready' ? (
        <div className="stack">
          <div aria-live="polite">
            {published ? (
              <Alert tone="success">
                {t('terms.admin.published', {
                  name: t(`terms.names.${published.kind}`),
                  version: published.version,
                })}
              </Alert>
            ) : null}
          </div>
          <Table
            caption={t('terms.admin.title')}
            columns={columns}
            rows={resource.data.versions}
            rowKey={(row) => `${row.kind}-${row.version}`}
            empty={t('terms.admin.none')}
          />
          {resource.data.publishable.length === 0 ? (
            <p className="small muted">{t('terms.admin.nothingToPublish')}</p>
          ) : (
            <div className="cluster">
              {resource.data.publishable.map((item) => (
                <Button
                  key={`${item.kind}-${item.version}`}
                  variant="secondary"
                  onClick={() => {
                    setError(null);
                    setPending(item);
                  }}
                >
                  {t('terms.admin.publish', { name: t(`terms.names.${item.kind}`), version: item.version })}
                </Button>
              ))}
            </div>
          )}
        </div>
      ) : null}
      <ConfirmDialog
        open={pending !== null}
        title={t('terms.admin.confirmTitle')}
        confirmLabel={t('terms.admin.confirm')}
        busy={busy}
        onConfirm={() => void publish()}
        onCancel={() => setPending(null)}
      >
        <p>
          {pending
            ? t(`terms.admin.confirmText.${pending.kind}`, {
                name: t(`terms.names.${pending.kind}`),
                version: pending.version,
              })
            : null}
        </p>
        <FormError error={error} />
      </ConfirmDialog>
    </Card>
  );
}
