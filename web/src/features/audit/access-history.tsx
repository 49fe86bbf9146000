import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../components/load-error';
import { PageLoading } from '../../components/spinner';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { type AccessLogEntry, auditApi } from './api';
import './audit.css';

/**
 * Who at the practice opened the conversation, and when: the patient's view of the audit trail.
 * Loaded when the patient unfolds it, so that a glance at the thread costs nothing.
 */
export function AccessHistory({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <details className="card access-history" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="access-history__summary">{t('accessHistory.title')}</summary>
      <p className="muted">{t('accessHistory.description')}</p>
      {open ? <AccessHistoryList conversationId={conversationId} key={conversationId} /> : null}
    </details>
  );
}

function AccessHistoryList({ conversationId }: { conversationId: string }) {
  const { t, i18n } = useTranslation();
  const { resource, reload } = useResource(() => auditApi.accessLog(conversationId), conversationId);
  if (resource.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed') return <LoadError error={resource.error} onRetry={reload} />;
  const { entries } = resource.data;
  if (entries.length === 0) return <p>{t('accessHistory.empty')}</p>;
  return (
    <ul className="access-history__list">
      {entries.map((entry: AccessLogEntry, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, never reordered; two accesses may share a millisecond.
        <li key={`${entry.at}-${index}`} className="access-history__item">
          <span className="access-history__who">
            <strong>{entry.name}</strong> · {t(`accessHistory.role.${entry.role}`)}
          </span>
          <span>{t(`accessHistory.action.${entry.action}`)}</span>
          <time className="muted" dateTime={new Date(entry.at).toISOString()}>
            {formatDateTime(entry.at, i18n.language, true)}
          </time>
        </li>
      ))}
    </ul>
  );
}
