import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Membership, MeResponse } from '../../../../../src/contracts/accounts';
import type { Member } from '../../../../../src/contracts/practices';
import { Badge } from '../../../components/badge';
import { Button } from '../../../components/button';
import { FormError } from '../../../components/form-error';
import { LoadError } from '../../../components/load-error';
import { PageLoading } from '../../../components/spinner';
import { formatNumericDate } from '../../../lib/time';
import { useSubmit } from '../../../lib/use-submit';
import { ExportConversationButton } from '../../fhir/export-conversation';
import { type ConversationDetail, type ConversationStatus, messagingApi } from '../api';
import { Composer } from '../compose/composer';
import { categoryShort, durationText, practiceStatus, STATUS_TONE, STATUSES } from '../format';
import { announce } from '../live';
import { MessageList } from '../thread/message-list';
import { RenewalCard } from '../thread/renewal-card';
import { ThreadHeading } from '../thread/thread-heading';
import { useThread } from '../thread/use-thread';
import { StartConversationDialog } from './start-conversation-dialog';

/** Practice-side rule (see the server's domain): assistants answer administrative requests only. */
export function mayReply(role: Membership['role'], category: string): boolean {
  return role === 'practitioner' || category === 'administrative';
}

/** The status changes the server accepts: any open state to another; a closed one can only be reopened. */
export function statusOptions(current: ConversationStatus): ConversationStatus[] {
  return current === 'closed' ? ['closed', 'open'] : [...STATUSES];
}

type PracticeThreadProps = {
  me: MeResponse;
  membership: Membership;
  conversationId: string;
  members: readonly Member[];
  /** Phones: the thread is its own screen, with a way back to the inbox. */
  showBack: boolean;
};

/** A conversation seen from the practice: patient, triage (status, assignee), renewal decision, reply. */
export function PracticeThread({ me, membership, conversationId, members, showBack }: PracticeThreadProps) {
  const { t } = useTranslation();
  const thread = useThread(conversationId, 'practice');
  const [writing, setWriting] = useState(false);
  const inboxPath = `/practices/${membership.practiceId}/inbox`;
  const back = showBack ? (
    <p className="back-link msg-back">
      <Link to={inboxPath}>{t('inbox.back')}</Link>
    </p>
  ) : null;
  if (thread.state.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (thread.state.status === 'failed')
    return (
      <div className="stack">
        {back}
        <LoadError error={thread.state.error} onRetry={thread.reload} />
      </div>
    );
  const { detail, messages, hasEarlier } = thread.state;
  const { conversation, renewal } = detail;
  const isPractitioner = membership.role === 'practitioner';
  const blocked =
    conversation.closedReason === 'account_closed'
      ? t('dataRights.practice.unreachable')
      : conversation.status === 'closed'
        ? t('inbox.thread.closedReply')
        : !mayReply(membership.role, conversation.category)
          ? t('inbox.thread.assistantReply')
          : undefined;

  return (
    <div className="stack-lg msg-page">
      {back}
      <ThreadHeading subject={conversation.subject}>
        <span className="cluster">
          {conversation.emergencyFlagged ? (
            <Badge tone="danger" dot>
              {t('inbox.emergency')}
            </Badge>
          ) : null}
          {conversation.overdue ? <Badge tone="danger">{t('inbox.overdue')}</Badge> : null}
          <Badge tone="neutral">{categoryShort(t, conversation.category)}</Badge>
          <Badge tone={STATUS_TONE[conversation.status]} dot>
            {practiceStatus(t, conversation.status)}
          </Badge>
          {conversation.closedReason === 'account_closed' ? (
            <Badge tone="warning">{t('dataRights.practice.accountClosed')}</Badge>
          ) : null}
        </span>
      </ThreadHeading>
      <PatientHeader detail={detail} onWrite={() => setWriting(true)} />
      <Triage
        detail={detail}
        members={members}
        meId={me.user.id}
        onUpdated={(conversationUpdate) => {
          thread.setDetail((previous) => ({
            ...previous,
            conversation: { ...conversationUpdate, unread: previous.conversation.unread },
          }));
          thread.catchUp().catch(() => undefined);
          announce({ type: 'changed', conversationId });
        }}
      />
      {renewal ? (
        <RenewalCard
          renewal={renewal}
          conversationId={conversation.id}
          side="practice"
          canDecide={isPractitioner}
          onDecided={() => {
            thread.refreshDetail().catch(() => undefined);
            thread.catchUp().catch(() => undefined);
          }}
        />
      ) : null}
      <MessageList
        detail={detail}
        messages={messages}
        viewer={{ side: 'practice', userId: me.user.id }}
        hasEarlier={hasEarlier}
        onLoadEarlier={thread.loadEarlier}
      />
      <Composer
        conversationId={conversation.id}
        safety={null}
        blocked={blocked}
        templatesPracticeId={membership.practiceId}
        onSent={(message) => {
          thread.add(message);
          announce({ type: 'changed', conversationId });
        }}
      />
      <StartConversationDialog
        open={writing}
        onClose={() => setWriting(false)}
        membership={membership}
        members={members}
        meId={me.user.id}
        patient={{
          patientProfileId: conversation.patientProfileId,
          name: conversation.patientName,
          practitionerId: conversation.practitionerId,
        }}
      />
    </div>
  );
}

function PatientHeader({ detail, onWrite }: { detail: ConversationDetail; onWrite: () => void }) {
  const { t, i18n } = useTranslation();
  const { conversation } = detail;
  return (
    <section className="msg-patient" aria-label={t('inbox.thread.patient')}>
      <dl className="details details--tight msg-patient__facts">
        <dt>{t('inbox.thread.patient')}</dt>
        <dd>
          <strong>{conversation.patientName}</strong>{' '}
          <span className="muted msg-patient__born">
            {t('inbox.thread.born', {
              date: formatNumericDate(conversation.patientBirthDate, i18n.language),
            })}
          </span>
        </dd>
        <dt>{t('inbox.thread.practitioner')}</dt>
        <dd>{conversation.practitionerName}</dd>
        <dt>{t('inbox.thread.waiting')}</dt>
        <dd>
          {conversation.awaitingReplySince !== null && conversation.status !== 'closed'
            ? durationText(t, Date.now() - conversation.awaitingReplySince)
            : t('inbox.thread.notWaiting')}
        </dd>
      </dl>
      <div className="msg-patient__actions">
        <Button variant="secondary" small onClick={onWrite}>
          {t('inbox.write.open')}
        </Button>
        <ExportConversationButton conversationId={conversation.id} />
      </div>
    </section>
  );
}

function Triage({
  detail,
  members,
  meId,
  onUpdated,
}: {
  detail: ConversationDetail;
  members: readonly Member[];
  meId: string;
  onUpdated: (conversation: ConversationDetail['conversation']) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { conversation } = detail;
  const [status, setStatus] = useState<ConversationStatus>(conversation.status);
  const [assignee, setAssignee] = useState(conversation.assignee?.userId ?? '');
  const [saved, setSaved] = useState('');
  const statusSubmit = useSubmit();
  const assignSubmit = useSubmit();
  // What the server says wins when the conversation changes under us (another member, a poll).
  useEffect(() => setStatus(conversation.status), [conversation.status]);
  useEffect(() => setAssignee(conversation.assignee?.userId ?? ''), [conversation.assignee?.userId]);

  const assignable = members.filter((member) => member.rights.includes('messaging'));
  const currentAssignee = conversation.assignee;
  if (currentAssignee && !assignable.some((member) => member.userId === currentAssignee.userId))
    assignable.push({
      userId: currentAssignee.userId,
      firstName: currentAssignee.name,
      lastName: '',
      email: '',
      role: 'assistant',
      isAdmin: false,
      rights: [],
      mfaEnrolled: true,
      since: 0,
    });

  async function applyStatus() {
    setSaved('');
    const outcome = await statusSubmit.run(() => messagingApi.update(conversation.id, { status }));
    if (outcome.ok) {
      onUpdated(outcome.value);
      setSaved(t('inbox.thread.statusSaved', { status: practiceStatus(t, outcome.value.status) }));
    }
  }

  async function applyAssignee() {
    setSaved('');
    const outcome = await assignSubmit.run(() =>
      messagingApi.update(conversation.id, { assigneeUserId: assignee || null }),
    );
    if (outcome.ok) {
      onUpdated(outcome.value);
      setSaved(
        outcome.value.assignee
          ? t('inbox.thread.assigned', { name: outcome.value.assignee.name })
          : t('inbox.thread.unassignedSaved'),
      );
    }
  }

  return (
    <section className="msg-triage" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="visually-hidden">
        {t('inbox.thread.triage')}
      </h2>
      <div className="msg-triage__group">
        <label className="field__label" htmlFor={`${id}-status`}>
          {t('inbox.thread.status')}
        </label>
        <div className="msg-triage__row">
          <select
            id={`${id}-status`}
            className="select"
            value={status}
            onChange={(event) => setStatus(event.target.value as ConversationStatus)}
          >
            {statusOptions(conversation.status).map((value) => (
              <option key={value} value={value}>
                {value === 'open' && conversation.status === 'closed'
                  ? t('inbox.thread.reopen')
                  : practiceStatus(t, value)}
              </option>
            ))}
          </select>
          <Button
            variant="secondary"
            onClick={() => void applyStatus()}
            busy={statusSubmit.busy}
            disabled={status === conversation.status}
          >
            {t('inbox.thread.apply')}
          </Button>
        </div>
      </div>
      <div className="msg-triage__group">
        <label className="field__label" htmlFor={`${id}-assignee`}>
          {t('inbox.thread.assignee')}
        </label>
        <div className="msg-triage__row">
          <select
            id={`${id}-assignee`}
            className="select"
            value={assignee}
            onChange={(event) => setAssignee(event.target.value)}
          >
            <option value="">{t('inbox.unassigned')}</option>
            {assignable.map((member) => {
              const name = `${member.firstName} ${member.lastName}`.trim();
              return (
                <option key={member.userId} value={member.userId}>
                  {member.userId === meId
                    ? t('inbox.me', { name })
                    : member.role === 'practitioner'
                      ? name
                      : t('inbox.thread.assistantOption', { name })}
                </option>
              );
            })}
          </select>
          <Button
            variant="secondary"
            onClick={() => void applyAssignee()}
            busy={assignSubmit.busy}
            disabled={assignee === (conversation.assignee?.userId ?? '')}
          >
            {t('inbox.thread.assign')}
          </Button>
        </div>
      </div>
      <div className="msg-triage__feedback">
        <FormError error={statusSubmit.error ?? assignSubmit.error} />
        <div aria-live="polite">{saved ? <p className="small msg-saved">{saved}</p> : null}</div>
      </div>
    </section>
  );
}
