import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Membership, MeResponse } from '../../../../../src/contracts/accounts';
import type { Member } from '../../../../../src/contracts/practices';
import { practicesApi } from '../../../api/endpoints';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { Button, ButtonLink } from '../../../components/button';
import { Checkbox } from '../../../components/checkbox';
import { LoadError } from '../../../components/load-error';
import { PageHeader } from '../../../components/page-header';
import { Select } from '../../../components/select';
import { Spinner } from '../../../components/spinner';
import { formatNumericDate } from '../../../lib/time';
import { useResource } from '../../../lib/use-resource';
import { useSession } from '../../../session/session';
import { type Category, type ConversationStatus, type ConversationSummary, messagingApi } from '../api';
import {
  CATEGORIES,
  categoryLabel,
  categoryShort,
  durationText,
  practiceStatus,
  STATUS_TONE,
  STATUSES,
} from '../format';
import { LastMessage } from '../last-message';
import { onLocalEvent, useLive } from '../live';
import { SPLIT_VIEW, useMediaQuery } from '../use-media';
import { PracticeThread } from './practice-thread';
import { StartConversationDialog } from './start-conversation-dialog';
import '../messaging.css';

const PAGE = 30;

export type InboxFilterState = {
  status: ConversationStatus | '';
  category: Category | '';
  practitionerId: string;
  assigneeId: string;
  unread: boolean;
  overdue: boolean;
};

const NO_FILTER: InboxFilterState = {
  status: '',
  category: '',
  practitionerId: '',
  assigneeId: '',
  unread: false,
  overdue: false,
};

export function activeFilterCount(filters: InboxFilterState): number {
  return (Object.keys(NO_FILTER) as (keyof InboxFilterState)[]).filter(
    (key) => filters[key] !== NO_FILTER[key],
  ).length;
}

/** The practice inbox (staff with the messaging right); a conversation opens beside it on wide screens. */
export function InboxPage() {
  const { t } = useTranslation();
  const { practiceId = '', conversationId } = useParams();
  const { me } = useSession();
  const membership = me?.memberships.find((candidate) => candidate.practiceId === practiceId);
  if (!me) return null;
  if (!membership?.rights.includes('messaging'))
    return (
      <div className="stack-lg">
        <PageHeader title={t('inbox.title')} />
        <Alert tone="warning">{t('inbox.noRight')}</Alert>
      </div>
    );
  return <Inbox me={me} membership={membership} conversationId={conversationId} />;
}

function Inbox({
  me,
  membership,
  conversationId,
}: {
  me: MeResponse;
  membership: Membership;
  conversationId: string | undefined;
}) {
  const { t } = useTranslation();
  const practiceId = membership.practiceId;
  const wide = useMediaQuery(SPLIT_VIEW);
  const [filters, setFilters] = useState<InboxFilterState>(NO_FILTER);
  const [limit, setLimit] = useState(PAGE);
  const [list, setList] = useState<{
    data: { conversations: ConversationSummary[]; total: number } | null;
    loading: boolean;
    error: unknown;
  }>({ data: null, loading: true, error: null });
  const members = useResource(() => practicesApi.members(practiceId), `members-${practiceId}`);
  const memberList = members.resource.status === 'ready' ? members.resource.data.members : [];

  const fetchList = useCallback(
    () =>
      messagingApi.inbox(practiceId, {
        status: filters.status || undefined,
        category: filters.category || undefined,
        practitionerId: filters.practitionerId || undefined,
        assigneeId: filters.assigneeId || undefined,
        unread: filters.unread || undefined,
        overdue: filters.overdue || undefined,
        offset: 0,
        limit,
      }),
    [practiceId, filters, limit],
  );

  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` forces a reload.
  useEffect(() => {
    let current = true;
    setList((previous) => ({ ...previous, loading: true, error: null }));
    fetchList().then(
      (data) => current && setList({ data, loading: false, error: null }),
      (error: unknown) => current && setList((previous) => ({ ...previous, loading: false, error })),
    );
    return () => {
      current = false;
    };
  }, [fetchList, attempt]);

  const refresh = useCallback(async () => {
    const data = await fetchList();
    setList({ data, loading: false, error: null });
  }, [fetchList]);
  useLive(refresh);
  useEffect(
    () =>
      onLocalEvent(() => {
        refresh().catch(() => undefined);
      }),
    [refresh],
  );

  const [writing, setWriting] = useState(false);
  const showList = wide || !conversationId;
  const title = t('inbox.title');
  const several = me.memberships.filter((candidate) => candidate.rights.includes('messaging')).length > 1;
  const settingsLink =
    membership.role === 'practitioner' || membership.isAdmin ? (
      <ButtonLink to={`/practices/${practiceId}/messaging-settings`} variant="secondary" small>
        {t('inbox.settingsLink')}
      </ButtonLink>
    ) : (
      <ButtonLink to={`/practices/${practiceId}/messaging-settings#templates`} variant="secondary" small>
        {t('messaging.templates.manage')}
      </ButtonLink>
    );
  // Finding a patient to write to needs the practice's patient list.
  const actions = (
    <>
      {membership.rights.includes('patients') ? (
        <Button small onClick={() => setWriting(true)} aria-haspopup="dialog">
          {t('inbox.write.toPatient')}
        </Button>
      ) : null}
      {settingsLink}
    </>
  );

  return (
    <div className={`inbox${conversationId ? ' inbox--thread' : ''}${wide ? ' inbox--split' : ''}`}>
      {showList ? (
        <div className="inbox__list">
          {conversationId ? (
            <div className="inbox__list-header">
              <h2 className="inbox__list-title">{title}</h2>
              <div className="cluster">{actions}</div>
            </div>
          ) : (
            <PageHeader
              title={title}
              description={several ? membership.practiceName : t('inbox.description')}
              actions={actions}
            />
          )}
          <InboxFilters
            filters={filters}
            onChange={(next) => {
              setFilters(next);
              setLimit(PAGE);
            }}
            members={memberList}
            meId={me.user.id}
          />
          <div aria-live="polite" className="visually-hidden">
            {list.data && !list.loading ? t('inbox.count', { count: list.data.total }) : ''}
          </div>
          {list.error && !list.data ? (
            <LoadError error={list.error} onRetry={() => setAttempt((value) => value + 1)} />
          ) : null}
          {list.data ? (
            <InboxList
              practiceId={practiceId}
              conversations={list.data.conversations}
              currentId={conversationId}
              meId={me.user.id}
              filtered={activeFilterCount(filters) > 0}
            />
          ) : (
            <Spinner label={t('common.loading')} />
          )}
          {list.data && list.data.total > list.data.conversations.length ? (
            <Button
              variant="secondary"
              small
              busy={list.loading}
              onClick={() => setLimit((value) => value + PAGE)}
            >
              {t('inbox.more', { count: list.data.total - list.data.conversations.length })}
            </Button>
          ) : null}
        </div>
      ) : null}
      {conversationId ? (
        <div className="inbox__thread">
          <PracticeThread
            key={conversationId}
            me={me}
            membership={membership}
            conversationId={conversationId}
            members={memberList}
            showBack={!wide}
          />
        </div>
      ) : wide ? (
        <div className="inbox__placeholder">
          <p>{t('inbox.placeholder')}</p>
        </div>
      ) : null}
      {membership.rights.includes('patients') ? (
        <StartConversationDialog
          open={writing}
          onClose={() => setWriting(false)}
          membership={membership}
          members={memberList}
          meId={me.user.id}
        />
      ) : null}
    </div>
  );
}

function InboxFilters({
  filters,
  onChange,
  members,
  meId,
}: {
  filters: InboxFilterState;
  onChange: (filters: InboxFilterState) => void;
  members: readonly Member[];
  meId: string;
}) {
  const { t } = useTranslation();
  const count = activeFilterCount(filters);
  const practitioners = members.filter((member) => member.role === 'practitioner');
  const assignable = members.filter((member) => member.rights.includes('messaging'));
  const set = <K extends keyof InboxFilterState>(key: K, value: InboxFilterState[K]) =>
    onChange({ ...filters, [key]: value });
  return (
    <details className="inbox-filters">
      <summary className="inbox-filters__summary">
        {t('inbox.filters.title')}
        {count > 0 ? <Badge tone="primary">{t('inbox.filters.active', { count })}</Badge> : null}
      </summary>
      <div className="inbox-filters__body">
        <Select
          label={t('inbox.filters.status')}
          value={filters.status}
          onChange={(event) => set('status', event.target.value as InboxFilterState['status'])}
          options={[
            { value: '', label: t('inbox.filters.allOpen') },
            ...STATUSES.map((status) => ({ value: status, label: practiceStatus(t, status) })),
          ]}
        />
        <Select
          label={t('inbox.filters.category')}
          value={filters.category}
          onChange={(event) => set('category', event.target.value as InboxFilterState['category'])}
          options={[
            { value: '', label: t('inbox.filters.all') },
            ...CATEGORIES.map((category) => ({ value: category, label: categoryLabel(t, category) })),
          ]}
        />
        <Select
          label={t('inbox.filters.practitioner')}
          value={filters.practitionerId}
          onChange={(event) => set('practitionerId', event.target.value)}
          options={[
            { value: '', label: t('inbox.filters.all') },
            ...practitioners.map((member) => ({
              value: member.userId,
              label: `${member.firstName} ${member.lastName}`,
            })),
          ]}
        />
        <Select
          label={t('inbox.filters.assignee')}
          value={filters.assigneeId}
          onChange={(event) => set('assigneeId', event.target.value)}
          options={[
            { value: '', label: t('inbox.filters.anyone') },
            { value: 'none', label: t('inbox.unassigned') },
            ...assignable.map((member) => ({
              value: member.userId,
              label:
                member.userId === meId
                  ? t('inbox.me', { name: `${member.firstName} ${member.lastName}` })
                  : `${member.firstName} ${member.lastName}`,
            })),
          ]}
        />
        <div className="inbox-filters__checks">
          <Checkbox
            label={t('inbox.filters.unread')}
            checked={filters.unread}
            onChange={(event) => set('unread', event.target.checked)}
          />
          <Checkbox
            label={t('inbox.filters.overdue')}
            checked={filters.overdue}
            onChange={(event) => set('overdue', event.target.checked)}
          />
        </div>
        {count > 0 ? (
          <Button variant="ghost" small onClick={() => onChange(NO_FILTER)}>
            {t('inbox.filters.reset')}
          </Button>
        ) : null}
      </div>
    </details>
  );
}

function InboxList({
  practiceId,
  conversations,
  currentId,
  meId,
  filtered,
}: {
  practiceId: string;
  conversations: readonly ConversationSummary[];
  currentId: string | undefined;
  meId: string;
  filtered: boolean;
}) {
  const { t, i18n } = useTranslation();
  const now = Date.now();
  if (conversations.length === 0)
    return <p className="msg-empty">{filtered ? t('inbox.emptyFiltered') : t('inbox.empty')}</p>;
  return (
    <ul className="inbox-rows" aria-label={t('inbox.listLabel')}>
      {conversations.map((conversation) => {
        const current = conversation.id === currentId;
        return (
          <li
            key={conversation.id}
            className={[
              'inbox-row',
              conversation.emergencyFlagged ? 'inbox-row--emergency' : '',
              conversation.unread > 0 ? 'inbox-row--unread' : '',
              current ? 'inbox-row--current' : '',
            ]
              .filter(Boolean)
              .join(' ')}
          >
            <div className="inbox-row__top">
              <span className="inbox-row__patient">
                {conversation.patientName}{' '}
                <span className="small muted">
                  {formatNumericDate(conversation.patientBirthDate, i18n.language)}
                </span>
              </span>
              {conversation.awaitingReplySince !== null && conversation.status !== 'closed' ? (
                <span className="inbox-row__wait small">
                  {t('inbox.waiting', { duration: durationText(t, now - conversation.awaitingReplySince) })}
                </span>
              ) : null}
            </div>
            <Link
              to={`/practices/${practiceId}/inbox/${conversation.id}`}
              className="inbox-row__link"
              aria-current={current ? 'page' : undefined}
            >
              {conversation.subject}
              {conversation.unread > 0 ? (
                <span className="visually-hidden">
                  {' '}
                  ({t('messaging.list.unread', { count: conversation.unread })})
                </span>
              ) : null}
            </Link>
            <LastMessage conversation={conversation} readerSide="practice" />
            <div className="inbox-row__badges">
              {conversation.emergencyFlagged ? (
                <Badge tone="danger" dot>
                  {t('inbox.emergency')}
                </Badge>
              ) : null}
              {conversation.overdue ? <Badge tone="danger">{t('inbox.overdue')}</Badge> : null}
              {conversation.unread > 0 ? (
                <Badge tone="primary">
                  <span aria-hidden="true">{t('messaging.list.unread', { count: conversation.unread })}</span>
                </Badge>
              ) : null}
              <Badge tone="neutral">{categoryShort(t, conversation.category)}</Badge>
              <Badge tone={STATUS_TONE[conversation.status]} dot>
                {practiceStatus(t, conversation.status)}
              </Badge>
              {conversation.closedReason === 'account_closed' ? (
                <Badge tone="warning">{t('dataRights.practice.accountClosed')}</Badge>
              ) : null}
            </div>
            <p className="inbox-row__meta small muted">
              {conversation.practitionerName} ·{' '}
              {conversation.assignee
                ? conversation.assignee.userId === meId
                  ? t('inbox.assignedToMe')
                  : t('inbox.assignedTo', { name: conversation.assignee.name })
                : t('inbox.unassigned')}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
