import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Alert } from '../../components/alert';
import { Badge } from '../../components/badge';
import { ButtonLink } from '../../components/button';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { ProgressBar } from '../../components/progress-bar';
import { PageLoading } from '../../components/spinner';
import { type Column, Table } from '../../components/table';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { useSession } from '../../session/session';
import { usePractice } from '../agenda/use-practice';
import { type Campaign, campaignsApi } from './api';
import { kindLabel, progressOf, STATUS_TONE, statusLabel } from './format';
import { usePolling } from './use-polling';
import './campaigns.css';

/** The practice's campaigns, newest first, with their status and counts; refreshed while one is sending. */
export function CampaignsPage() {
  const { t, i18n } = useTranslation();
  const { practiceId = '' } = useParams();
  const { me } = useSession();
  const membership = me?.memberships.find((candidate) => candidate.practiceId === practiceId);
  const { resource, setData, reload } = useResource(() => campaignsApi.list(practiceId), practiceId);
  // Times are the practice's, as on a campaign's own page and where it is scheduled.
  const practice = usePractice(practiceId);
  const timeZone =
    practice.resource.status === 'ready' ? practice.resource.data.practice.timeZone : undefined;
  const sending = resource.status === 'ready' && resource.data.campaigns.some((c) => c.status === 'sending');
  const refresh = useCallback(() => {
    campaignsApi.list(practiceId).then(setData, () => undefined);
  }, [practiceId, setData]);
  usePolling(sending, refresh);

  const canCompose = membership?.role === 'practitioner';
  const header = (
    <PageHeader
      title={t('campaigns.title')}
      description={t('campaigns.description')}
      actions={
        canCompose ? (
          <ButtonLink to={`/practices/${practiceId}/campaigns/new`}>{t('campaigns.new')}</ButtonLink>
        ) : undefined
      }
    />
  );
  if (!membership?.rights.includes('campaigns'))
    return (
      <div className="stack-lg">
        {header}
        <Alert tone="warning">{t('campaigns.noAccess')}</Alert>
      </div>
    );
  if (resource.status === 'loading' || practice.resource.status === 'loading')
    return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed')
    return (
      <div className="stack-lg">
        {header}
        <LoadError error={resource.error} onRetry={reload} />
      </div>
    );
  const language = i18n.language;
  const columns: Column<Campaign>[] = [
    {
      key: 'title',
      header: t('campaigns.columns.title'),
      label: t('campaigns.columns.title'),
      rowHeader: true,
      render: (c) => (
        <span className="stack-tight">
          <Link to={`/practices/${practiceId}/campaigns/${c.id}`}>{c.title}</Link>
          <span className="muted">{kindLabel(t, c.kind)}</span>
        </span>
      ),
    },
    {
      key: 'status',
      header: t('campaigns.columns.status'),
      label: t('campaigns.columns.status'),
      render: (c) =>
        c.status === 'sending' ? (
          <ProgressBar
            label={statusLabel(t, c.status)}
            value={progressOf(c)}
            detail={t('campaigns.progressDetail', { delivered: c.delivered, total: c.totalRecipients ?? 0 })}
          />
        ) : (
          <Badge tone={STATUS_TONE[c.status]} dot>
            {statusLabel(t, c.status)}
          </Badge>
        ),
    },
    {
      key: 'when',
      header: t('campaigns.columns.when'),
      label: t('campaigns.columns.when'),
      render: (c) => {
        const at = c.startedAt ?? c.scheduledAt;
        return at === null ? '—' : formatDateTime(at, language, true, timeZone);
      },
    },
    {
      key: 'recipients',
      header: t('campaigns.columns.recipients'),
      label: t('campaigns.columns.recipients'),
      className: 'cell-number',
      render: (c) => (c.totalRecipients === null ? '—' : c.totalRecipients),
    },
    {
      key: 'read',
      header: t('campaigns.columns.read'),
      label: t('campaigns.columns.read'),
      className: 'cell-number',
      render: (c) => (c.totalRecipients === null ? '—' : c.read),
    },
    {
      key: 'replied',
      header: t('campaigns.columns.replied'),
      label: t('campaigns.columns.replied'),
      className: 'cell-number',
      render: (c) => (c.patientsMayReply && c.totalRecipients !== null ? c.replied : '—'),
    },
  ];
  return (
    <div className="stack-lg campaigns">
      {header}
      <Table
        caption={t('campaigns.title')}
        columns={columns}
        rows={resource.data.campaigns}
        rowKey={(c) => c.id}
        empty={t('campaigns.empty')}
      />
    </div>
  );
}
