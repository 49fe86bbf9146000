import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MyPractitioner, Relative } from '../../../../../src/contracts/care';
import { Badge } from '../../../components/badge';
import { ButtonLink } from '../../../components/button';
import { LoadError } from '../../../components/load-error';
import { PageHeader } from '../../../components/page-header';
import { PageLoading } from '../../../components/spinner';
import { useResource } from '../../../lib/use-resource';
import { type ConversationSummary, messagingApi } from '../api';
import { categoryShort, formatFull, formatWhen, patientStatus, STATUS_TONE } from '../format';
import { LastMessage } from '../last-message';
import { useLive } from '../live';
import { newMessagePath } from '../paths';
import '../messaging.css';

/** The patient's conversations and their relatives', most recent first. */
export function ConversationsPage() {
  const { t } = useTranslation();
  const { resource, setData, reload } = useResource(() => messagingApi.mine(), 'my-conversations');
  useLive(async () => setData(await messagingApi.mine()), { enabled: resource.status === 'ready' });
  return (
    <div className="stack-lg msg-page">
      <PageHeader
        title={t('messaging.list.title')}
        description={t('messaging.list.description')}
        actions={<ButtonLink to="/messages/new">{t('messaging.list.new')}</ButtonLink>}
      />
      {resource.status === 'loading' ? <PageLoading label={t('common.loading')} /> : null}
      {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
      {resource.status === 'ready' ? <ConversationList conversations={resource.data.conversations} /> : null}
      <WriteTo />
    </div>
  );
}

function ConversationList({ conversations }: { conversations: readonly ConversationSummary[] }) {
  const { t, i18n } = useTranslation();
  if (conversations.length === 0)
    return (
      // The page header's "New message" and the practitioners below already offer to write: said once.
      <p className="msg-empty">{t('messaging.list.empty')}</p>
    );
  const sorted = [...conversations].sort((a, b) => b.lastMessageAt - a.lastMessageAt);
  return (
    <ul className="msg-rows">
      {sorted.map((conversation) => (
        <li key={conversation.id} className={`msg-row${conversation.unread > 0 ? ' msg-row--unread' : ''}`}>
          <div className="msg-row__main">
            <Link to={`/messages/${conversation.id}`} className="msg-row__link">
              {conversation.subject}
              {conversation.unread > 0 ? (
                <span className="visually-hidden">
                  {' '}
                  ({t('messaging.list.unread', { count: conversation.unread })})
                </span>
              ) : null}
            </Link>
            <span className="msg-row__meta">
              {t('messaging.list.forWith', {
                patient: conversation.patientName,
                practitioner: conversation.practitionerName,
              })}
            </span>
            <LastMessage conversation={conversation} readerSide="patient" />
          </div>
          <div className="msg-row__side">
            <span className="cluster msg-row__badges">
              {conversation.unread > 0 ? (
                <Badge tone="primary">
                  <span aria-hidden="true">{t('messaging.list.unread', { count: conversation.unread })}</span>
                </Badge>
              ) : null}
              <Badge tone="neutral">
                {conversation.origin === 'campaign'
                  ? t('campaigns.badge')
                  : categoryShort(t, conversation.category)}
              </Badge>
              <Badge tone={STATUS_TONE[conversation.status]} dot>
                {patientStatus(t, conversation.status)}
              </Badge>
            </span>
            <time
              className="small muted"
              dateTime={new Date(conversation.lastMessageAt).toISOString()}
              title={formatFull(conversation.lastMessageAt, i18n.language)}
            >
              {formatWhen(conversation.lastMessageAt, i18n.language)}
            </time>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** "Write" per practitioner and per person: everyone in the family who consulted each practitioner. */
function WriteTo() {
  const { t } = useTranslation();
  const { resource } = useResource(async () => {
    const [practitioners, profiles] = await Promise.all([
      messagingApi.myPractitioners(),
      messagingApi.profiles().catch(() => ({ profiles: [] as Relative[] })),
    ]);
    return { rows: practitioners.practitioners, profiles: profiles.profiles };
  }, 'write-to');
  if (resource.status !== 'ready' || resource.data.rows.length === 0) return null;
  const you = new Set(resource.data.profiles.filter((profile) => profile.isYou).map((profile) => profile.id));
  const groups = new Map<string, MyPractitioner[]>();
  for (const row of resource.data.rows) {
    const key = `${row.practitionerId}/${row.practiceId}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return (
    <section className="stack" aria-labelledby="write-to">
      <h2 id="write-to" className="section-title">
        {t('messaging.list.writeTo')}
      </h2>
      <ul className="msg-practitioners">
        {[...groups.entries()].map(([key, rows]) => {
          const first = rows[0] as MyPractitioner;
          const name = `${first.firstName} ${first.lastName}`;
          return (
            <li key={key} className="msg-practitioner">
              <div>
                <p className="msg-practitioner__name">{name}</p>
                <p className="small muted">
                  {first.specialty} · {first.practiceName}
                </p>
              </div>
              <div className="cluster">
                {rows.map((row) => {
                  const self = you.has(row.patientProfileId);
                  return (
                    <ButtonLink key={row.patientProfileId} to={newMessagePath(row)} variant="secondary" small>
                      {self
                        ? t('messaging.list.writeSelf')
                        : t('messaging.list.writeFor', { name: row.patientName.split(' ')[0] })}
                      <span className="visually-hidden"> ({name})</span>
                    </ButtonLink>
                  );
                })}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
