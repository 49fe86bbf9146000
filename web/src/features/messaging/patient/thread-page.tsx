import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Badge } from '../../../components/badge';
import { ButtonLink } from '../../../components/button';
import { LoadError } from '../../../components/load-error';
import { PageHeader } from '../../../components/page-header';
import { PageLoading } from '../../../components/spinner';
import { useSession } from '../../../session/session';
import { AccessHistory } from '../../audit/access-history';
import { CampaignAttachmentLink } from '../../campaigns/campaign-attachment';
import { CampaignOptOutNotice } from '../../campaigns/opt-out';
import { TermsGate } from '../../terms/terms-gate';
import type { ConversationSummary } from '../api';
import { Composer } from '../compose/composer';
import { categoryShort, consultationPath, patientStatus, STATUS_TONE } from '../format';
import { newMessagePath } from '../paths';
import { MessageList } from '../thread/message-list';
import { RenewalCard } from '../thread/renewal-card';
import { ThreadHeading } from '../thread/thread-heading';
import { useThread } from '../thread/use-thread';
import '../messaging.css';

/** A conversation seen by the patient (or the relative's account holder). */
export function PatientThreadPage() {
  const { t } = useTranslation();
  const { conversationId = '' } = useParams();
  const { me, locale } = useSession();
  const thread = useThread(conversationId, 'patient');
  const location = useLocation();
  const sent = (location.state as { sent?: boolean; responseDays?: number } | null) ?? null;
  // In the screen's language, as the new-message page (see there).
  const safety = useMemo(() => (me ? { lang: locale, country: me.user.country } : null), [locale, me]);
  if (!me) return null;
  const back = (
    <p className="back-link msg-back">
      <Link to="/messages">{t('messaging.list.back')}</Link>
    </p>
  );
  if (thread.state.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (thread.state.status === 'failed')
    return (
      <div className="stack-lg">
        {back}
        <PageHeader title={t('messaging.thread.title')} />
        <LoadError error={thread.state.error} onRetry={thread.reload} />
      </div>
    );
  const { detail, messages, hasEarlier } = thread.state;
  const { conversation, renewal } = detail;
  return (
    <div className="stack-lg msg-page">
      {back}
      <ThreadHeading subject={conversation.subject}>
        <ConversationFacts conversation={conversation} />
      </ThreadHeading>
      {sent?.sent ? (
        <Alert tone="success" role="status" title={t('messaging.thread.sentTitle')}>
          {sent.responseDays ? (
            <p>
              {t('messaging.new.expected', { count: sent.responseDays, name: conversation.practitionerName })}
            </p>
          ) : null}
        </Alert>
      ) : null}
      {renewal ? (
        <RenewalCard
          renewal={renewal}
          conversationId={conversation.id}
          side="patient"
          canDecide={false}
          onDecided={() => undefined}
        />
      ) : null}
      <MessageList
        detail={detail}
        messages={messages}
        viewer={{ side: 'patient', userId: me.user.id }}
        hasEarlier={hasEarlier}
        onLoadEarlier={thread.loadEarlier}
      />
      {conversation.origin === 'campaign' ? (
        <CampaignAttachmentLink conversationId={conversation.id} />
      ) : null}
      {conversation.origin === 'campaign' ? (
        <CampaignOptOutNotice
          practiceId={conversation.practiceId}
          practiceName={conversation.practiceName}
          patientProfileId={conversation.patientProfileId}
          patientName={conversation.patientName}
        />
      ) : null}
      <PatientReply conversation={conversation} safety={safety} onSent={thread.add} />
      <AccessHistory conversationId={conversation.id} />
    </div>
  );
}

function ConversationFacts({ conversation }: { conversation: ConversationSummary }) {
  const { t } = useTranslation();
  return (
    <span className="msg-facts">
      <span>{t('messaging.thread.about', { name: conversation.patientName })}</span>
      <span>
        {t('messaging.thread.with', {
          name: conversation.practitionerName,
          practice: conversation.practiceName,
        })}
      </span>
      <span className="cluster">
        <Badge tone="neutral">
          {conversation.origin === 'campaign'
            ? t('campaigns.badge')
            : categoryShort(t, conversation.category)}
        </Badge>
        <Badge tone={STATUS_TONE[conversation.status]} dot>
          {patientStatus(t, conversation.status)}
        </Badge>
      </span>
    </span>
  );
}

function PatientReply({
  conversation,
  safety,
  onSent,
}: {
  conversation: ConversationSummary;
  safety: { lang: 'fr' | 'it' | 'en'; country: 'FR' | 'IT' } | null;
  onSent: Parameters<typeof Composer>[0]['onSent'];
}) {
  const { t } = useTranslation();
  const newMessage = newMessagePath(conversation);
  const consultation = (
    <p className="msg-consultation">
      <Link to={consultationPath(conversation, conversation.patientProfileId)}>
        {t('messaging.compose.ratherConsultation')}
      </Link>
    </p>
  );
  if (!conversation.patientMayReply)
    return (
      <Alert tone="info" title={t('messaging.thread.noReplyTitle')}>
        <p>{t('messaging.thread.noReply')}</p>
        {consultation}
      </Alert>
    );
  if (conversation.status === 'closed')
    return (
      <Alert tone="info" title={t('messaging.thread.closedTitle')}>
        <p>
          {conversation.closedReason === 'idle'
            ? t('messaging.thread.closedIdle')
            : conversation.closedReason === 'account_closed'
              ? t('dataRights.practice.closedForPatient')
              : t('messaging.thread.closed')}
        </p>
        <div className="cluster">
          <ButtonLink to={newMessage} variant="secondary" small>
            {t('messaging.thread.writeAgain')}
          </ButtonLink>
          <Link to={consultationPath(conversation, conversation.patientProfileId)}>
            {t('messaging.compose.ratherConsultation')}
          </Link>
        </div>
      </Alert>
    );
  return (
    <TermsGate kind="patient">
      <Composer conversationId={conversation.id} safety={safety} onSent={onSent} footer={consultation} />
    </TermsGate>
  );
}
