import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { Alert } from '../../components/alert';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { ConfirmDialog } from '../../components/dialog';
import { FormError } from '../../components/form-error';
import { LineChart } from '../../components/line-chart';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { ProgressBar } from '../../components/progress-bar';
import { PageLoading } from '../../components/spinner';
import { intlLocale } from '../../lib/format';
import { formatInstant } from '../../lib/time';
import { useResource } from '../../lib/use-resource';
import { useSubmit } from '../../lib/use-submit';
import { usePractice } from '../agenda/use-practice';
import { type CampaignDetail, type CampaignTimeline, campaignsApi } from './api';
import { kindLabel, percent, progressOf, STATUS_TONE, statusLabel } from './format';
import { usePolling } from './use-polling';
import './campaigns.css';

type Loaded = { campaign: CampaignDetail; timeline: CampaignTimeline };

async function load(practiceId: string, campaignId: string): Promise<Loaded> {
  const [campaign, timeline] = await Promise.all([
    campaignsApi.detail(practiceId, campaignId),
    campaignsApi.timeline(practiceId, campaignId),
  ]);
  return { campaign, timeline };
}

/** One campaign: progress while sending (refreshed every few seconds), then its counts and their chart. */
export function CampaignPage() {
  const { t } = useTranslation();
  const { practiceId = '', campaignId = '' } = useParams();
  const location = useLocation();
  const created = Boolean((location.state as { created?: boolean } | null)?.created);
  const practice = usePractice(practiceId);
  const { resource, setData, reload } = useResource(
    () => load(practiceId, campaignId),
    `${practiceId}/${campaignId}`,
  );
  const status = resource.status === 'ready' ? resource.data.campaign.status : null;
  const due =
    resource.status === 'ready' &&
    status === 'scheduled' &&
    (resource.data.campaign.scheduledAt ?? 0) <= Date.now() + 2_000;
  const refresh = useCallback(() => {
    load(practiceId, campaignId).then(setData, () => undefined);
  }, [practiceId, campaignId, setData]);
  // While sending (or about to start), the page follows progress; afterwards, reads and replies less often.
  usePolling(status === 'sending' || due, refresh, 2_000);
  usePolling(status === 'sent' || (status === 'scheduled' && !due), refresh, 30_000);

  const back = (
    <p className="back-link">
      <Link to={`/practices/${practiceId}/campaigns`}>{t('campaigns.back')}</Link>
    </p>
  );
  if (resource.status === 'loading' || practice.resource.status === 'loading')
    return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed' || practice.resource.status === 'failed')
    return (
      <div className="stack-lg">
        {back}
        <PageHeader title={t('campaigns.detail.title')} />
        <LoadError
          error={
            resource.status === 'failed' ? resource.error : (practice.resource as { error: unknown }).error
          }
          onRetry={() => {
            reload();
            practice.reload();
          }}
        />
      </div>
    );
  const { campaign, timeline } = resource.data;
  const timeZone = practice.resource.data.practice.timeZone;
  return (
    <div className="stack-lg campaigns">
      {back}
      <PageHeader
        title={campaign.title}
        description={
          <span className="cluster">
            <Badge tone="neutral">{kindLabel(t, campaign.kind)}</Badge>
            <Badge tone={STATUS_TONE[campaign.status]} dot>
              {statusLabel(t, campaign.status)}
            </Badge>
          </span>
        }
      />
      {created && campaign.status !== 'cancelled' ? (
        <Alert tone="success" role="status">
          {campaign.status === 'sent'
            ? t('campaigns.detail.sentNotice')
            : campaign.status === 'scheduled' && (campaign.scheduledAt ?? 0) > Date.now() + 60_000
              ? t('campaigns.detail.scheduledNotice')
              : t('campaigns.detail.sendingNotice')}
        </Alert>
      ) : null}
      <Progress
        practiceId={practiceId}
        campaign={campaign}
        timeZone={timeZone}
        onCancelled={(next) => setData((data) => ({ ...data, campaign: { ...data.campaign, ...next } }))}
      />
      {campaign.startedAt !== null ? (
        <Stats campaign={campaign} timeline={timeline} timeZone={timeZone} />
      ) : null}
      <MessageCard practiceId={practiceId} campaign={campaign} />
    </div>
  );
}

function Progress({
  practiceId,
  campaign,
  timeZone,
  onCancelled,
}: {
  practiceId: string;
  campaign: CampaignDetail;
  timeZone: string;
  onCancelled: (campaign: Partial<CampaignDetail>) => void;
}) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const submit = useSubmit();
  const at = (ms: number) => formatInstant(ms, timeZone, i18n.language);
  if (campaign.status === 'scheduled')
    return (
      <Card title={t('campaigns.detail.scheduledTitle')}>
        <div className="stack">
          <p>
            {t('campaigns.detail.scheduledFor', { when: at(campaign.scheduledAt ?? campaign.createdAt) })}
          </p>
          <p className="muted">{t('campaigns.detail.noEditing')}</p>
          <FormError error={submit.error} />
          <div className="cluster">
            <Button variant="danger-outline" onClick={() => setConfirming(true)}>
              {t('campaigns.detail.cancel')}
            </Button>
          </div>
        </div>
        <ConfirmDialog
          open={confirming}
          title={t('campaigns.detail.cancelTitle')}
          confirmLabel={t('campaigns.detail.cancelConfirm')}
          confirmVariant="danger"
          busy={submit.busy}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            const outcome = await submit.run(() => campaignsApi.cancel(practiceId, campaign.id));
            setConfirming(false);
            if (outcome.ok) onCancelled(outcome.value);
          }}
        >
          <p>{t('campaigns.detail.cancelBody')}</p>
        </ConfirmDialog>
      </Card>
    );
  if (campaign.status === 'cancelled')
    return <Alert tone="info">{t('campaigns.detail.cancelledNotice')}</Alert>;
  return (
    <Card title={t('campaigns.detail.progressTitle')}>
      <div className="stack">
        <ProgressBar
          label={campaign.status === 'sending' ? t('campaigns.detail.sending') : t('campaigns.detail.sent')}
          value={progressOf(campaign)}
          detail={t('campaigns.progressDetail', {
            delivered: campaign.delivered,
            total: campaign.totalRecipients ?? 0,
          })}
        />
        <p className="muted">
          {campaign.completedAt !== null
            ? t('campaigns.detail.completedAt', { when: at(campaign.completedAt) })
            : campaign.startedAt !== null
              ? t('campaigns.detail.startedAt', { when: at(campaign.startedAt) })
              : null}
        </p>
      </div>
    </Card>
  );
}

/** "14:00" for hourly buckets (with the day when the chart spans several), "2 Nov" for daily ones. */
function bucketLabels(timeline: CampaignTimeline, timeZone: string, language: string): string[] {
  const days = new Set(
    timeline.points.map((p) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(p.at))),
  );
  const format = new Intl.DateTimeFormat(
    intlLocale(language),
    timeline.bucket === 'day'
      ? { timeZone, day: 'numeric', month: 'short' }
      : days.size > 1
        ? { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
        : { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  );
  return timeline.points.map((p) => format.format(new Date(p.at)));
}

function Stats({
  campaign,
  timeline,
  timeZone,
}: {
  campaign: CampaignDetail;
  timeline: CampaignTimeline;
  timeZone: string;
}) {
  const { t, i18n } = useTranslation();
  const language = intlLocale(i18n.language);
  const total = campaign.totalRecipients;
  const figures = [
    { key: 'delivered', value: campaign.delivered, share: percent(campaign.delivered, total, language) },
    { key: 'read', value: campaign.read, share: percent(campaign.read, campaign.delivered, language) },
    ...(campaign.patientsMayReply
      ? [
          {
            key: 'replied',
            value: campaign.replied,
            share: percent(campaign.replied, campaign.delivered, language),
          },
        ]
      : []),
  ];
  const labels = bucketLabels(timeline, timeZone, i18n.language);
  const last = timeline.points.at(-1);
  return (
    <Card title={t('campaigns.stats.title')}>
      <div className="stack-lg">
        <dl className="campaign-figures">
          {figures.map((figure) => (
            <div key={figure.key} className="campaign-figures__item">
              <dt>{t(`campaigns.stats.${figure.key}`)}</dt>
              <dd>
                <span className="campaign-figures__value">{figure.value}</span>
                <span className="muted">{figure.share}</span>
              </dd>
            </div>
          ))}
        </dl>
        {timeline.points.length > 0 && last ? (
          <LineChart
            title={t('campaigns.stats.chartTitle')}
            description={t(
              campaign.patientsMayReply
                ? 'campaigns.stats.chartDescriptionReplies'
                : 'campaigns.stats.chartDescription',
              {
                unit: t(`campaigns.stats.unit.${timeline.bucket}`),
                from: labels[0],
                to: labels.at(-1),
                delivered: last.delivered,
                read: last.read,
                replied: last.replied,
              },
            )}
            xHeader={t(`campaigns.stats.xHeader.${timeline.bucket}`)}
            xLabels={labels}
            tableToggle={{ show: t('campaigns.stats.showTable'), hide: t('campaigns.stats.hideTable') }}
            series={[
              {
                key: 'delivered',
                label: t('campaigns.stats.delivered'),
                tone: 'primary',
                values: timeline.points.map((p) => p.delivered),
              },
              {
                key: 'read',
                label: t('campaigns.stats.read'),
                tone: 'success',
                values: timeline.points.map((p) => p.read),
              },
              ...(campaign.patientsMayReply
                ? [
                    {
                      key: 'replied',
                      label: t('campaigns.stats.replied'),
                      tone: 'warning' as const,
                      values: timeline.points.map((p) => p.replied),
                    },
                  ]
                : []),
            ]}
          />
        ) : null}
      </div>
    </Card>
  );
}

function MessageCard({ practiceId, campaign }: { practiceId: string; campaign: CampaignDetail }) {
  const { t } = useTranslation();
  const { audience } = campaign;
  const facts: string[] = [];
  // A listed audience shows the list, and only the criteria that narrowed it further.
  const listed = audience.profileIds !== undefined;
  if (listed) facts.push(t('campaigns.summary.list', { count: audience.profileIds?.length ?? 0 }));
  if (audience.lastConsultationMonths !== null)
    facts.push(t('campaigns.audience.withinMonths', { count: audience.lastConsultationMonths }));
  else if (!listed) facts.push(t('campaigns.summary.anyConsultation'));
  if (audience.minAge !== null && audience.maxAge !== null)
    facts.push(t('campaigns.summary.ageBetween', { min: audience.minAge, max: audience.maxAge }));
  else if (audience.minAge !== null) facts.push(t('campaigns.summary.ageFrom', { min: audience.minAge }));
  else if (audience.maxAge !== null) facts.push(t('campaigns.summary.ageUpTo', { max: audience.maxAge }));
  if (audience.sex !== null)
    facts.push(
      audience.sex === 'female' ? t('campaigns.audience.sexFemale') : t('campaigns.audience.sexMale'),
    );
  if (audience.tags.length > 0) facts.push(t('campaigns.summary.tags', { tags: audience.tags.join(', ') }));
  if (!audience.includeRelatives) facts.push(t('campaigns.summary.withoutRelatives'));
  else if (!listed) facts.push(t('campaigns.summary.withRelatives'));
  return (
    // "Message sent" only once it went out: a scheduled or cancelled campaign's message was never sent.
    <Card
      title={
        campaign.status === 'sent' || campaign.status === 'sending'
          ? t('campaigns.detail.messageTitle')
          : t('campaigns.compose.messageTitle')
      }
    >
      <div className="stack">
        <p className="campaign-body">{campaign.body}</p>
        {campaign.attachment ? (
          <p>
            <a href={campaignsApi.attachmentUrl(practiceId, campaign.id)} download={campaign.attachment.name}>
              {t('campaigns.attachment.download', { name: campaign.attachment.name })}
            </a>
          </p>
        ) : null}
        <p className="muted">
          {campaign.patientsMayReply
            ? t('campaigns.detail.repliesAllowed')
            : t('campaigns.detail.repliesClosed')}
        </p>
        <h3 className="campaign-subtitle">{t('campaigns.audience.title')}</h3>
        <ul className="campaign-audience">
          {facts.map((fact) => (
            <li key={fact}>{fact}</li>
          ))}
        </ul>
      </div>
    </Card>
  );
}
