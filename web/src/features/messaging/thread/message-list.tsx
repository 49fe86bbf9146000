import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/button';
import { formatCalendarDate } from '../../../lib/format';
import type { ConversationDetail, Message } from '../api';
import { messagingApi } from '../api';
import { AttachmentLink } from '../compose/attachments';
import { formatFull, formatWhen } from '../format';

export type Viewer = { side: 'patient' | 'practice'; userId: string };

type Decision = {
  decision: 'approved' | 'refused';
  pickup: 'practice' | 'pharmacy' | null;
  reason: string | null;
};
type AutoReply = { until: string; message: string; covering: string | null };

function parse<T>(body: string): Partial<T> {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Partial<T>) : {};
  } catch {
    return {};
  }
}

/** Delivered / read state of one of the viewer's messages, from the other side's markers. */
export function tickOf(seq: number, otherSide: { deliveredSeq: number; readSeq: number }) {
  if (seq <= otherSide.readSeq) return 'read' as const;
  if (seq <= otherSide.deliveredSeq) return 'delivered' as const;
  return 'sent' as const;
}

type MessageListProps = {
  detail: ConversationDetail;
  messages: readonly Message[];
  viewer: Viewer;
  hasEarlier: boolean;
  onLoadEarlier: () => Promise<void>;
};

/** The messages of a conversation, oldest first: texts as plain text, system messages as translated notices. */
export function MessageList({ detail, messages, viewer, hasEarlier, onLoadEarlier }: MessageListProps) {
  const { t } = useTranslation();
  const [loading, setLoading] = useState(false);
  return (
    <section className="msg-thread" aria-label={t('messaging.thread.messagesLabel')}>
      {hasEarlier ? (
        <div className="msg-thread__earlier">
          <Button
            variant="ghost"
            small
            busy={loading}
            onClick={() => {
              setLoading(true);
              onLoadEarlier().finally(() => setLoading(false));
            }}
          >
            {t('messaging.thread.earlier')}
          </Button>
        </div>
      ) : null}
      <ol className="msg-list">
        {messages.map((message) => (
          <li key={message.id} className="msg-list__item">
            <MessageItem message={message} detail={detail} viewer={viewer} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function MessageItem({
  message,
  detail,
  viewer,
}: {
  message: Message;
  detail: ConversationDetail;
  viewer: Viewer;
}) {
  const { t, i18n } = useTranslation();
  const { conversation } = detail;
  const time = (
    <time
      className="msg__time"
      dateTime={new Date(message.createdAt).toISOString()}
      title={formatFull(message.createdAt, i18n.language)}
    >
      {formatWhen(message.createdAt, i18n.language)}
    </time>
  );

  if (message.kind === 'notice') {
    return (
      <p className="msg-notice">
        <span>{t(`messaging.notices.${message.body}`, { defaultValue: t('messaging.notices.other') })}</span>{' '}
        {time}
      </p>
    );
  }
  if (message.kind === 'auto_reply') {
    const reply = parse<AutoReply>(message.body);
    return (
      <div className="msg-notice msg-notice--box">
        <p className="msg-notice__title">
          {t('messaging.autoReply.title')} {time}
        </p>
        <p>
          {t('messaging.autoReply.away', {
            name: conversation.practitionerName,
            date: reply.until ? formatCalendarDate(reply.until, i18n.language) : '—',
          })}
        </p>
        {reply.message ? <p className="msg__body">{reply.message}</p> : null}
        {reply.covering ? <p>{t('messaging.autoReply.covering', { name: reply.covering })}</p> : null}
      </div>
    );
  }
  if (message.kind === 'renewal_decision') {
    const decision = parse<Decision>(message.body);
    const approved = decision.decision === 'approved';
    return (
      <div className={`msg-decision msg-decision--${approved ? 'approved' : 'refused'}`}>
        <p className="msg-decision__title">
          {approved
            ? t(
                `messaging.renewal.${viewer.side === 'patient' ? 'approvedPickup' : 'approvedFor'}.${decision.pickup === 'practice' ? 'practice' : 'pharmacy'}`,
              )
            : t('messaging.renewal.refusedTitle')}
        </p>
        {!approved && decision.reason ? (
          <p className="msg__body">
            <span className="muted">{t('messaging.renewal.reason')} </span>
            {decision.reason}
          </p>
        ) : null}
        <p className="small muted">
          {message.sender.name ? `${message.sender.name} · ` : ''}
          {time}
        </p>
      </div>
    );
  }

  const mine = message.sender.side === viewer.side && message.sender.userId === viewer.userId;
  const ownSide = message.sender.side === viewer.side;
  let author: string;
  if (mine) author = t('messaging.thread.you');
  else if (message.sender.side === 'patient') author = message.sender.name ?? conversation.patientName;
  else if (viewer.side === 'patient' && message.sender.userId !== conversation.practitionerId)
    author = t('messaging.thread.forPractice', {
      name: message.sender.name ?? t('messaging.thread.practice'),
      practice: conversation.practiceName,
    });
  else author = message.sender.name ?? t('messaging.thread.practice');
  const tick = mine ? tickOf(message.seq, detail.otherSide) : null;

  return (
    <div
      className={['msg', ownSide ? 'msg--own' : 'msg--other', mine ? 'msg--mine' : '']
        .filter(Boolean)
        .join(' ')}
    >
      <p className="msg__meta">
        <span className="msg__author">{author}</span> {time}
      </p>
      {message.kind === 'renewal_request' ? (
        <p className="msg__tag">{t('messaging.renewal.requestTag')}</p>
      ) : null}
      {viewer.side === 'practice' && message.emergencyKind ? (
        <p className="msg__flag">
          {t('inbox.flagOnMessage', {
            situation: t(`safety.kindsShort.${message.emergencyKind}`, {
              defaultValue: t('safety.kindsShort.other'),
            }),
          })}
        </p>
      ) : null}
      <p className="msg__body">{message.body}</p>
      {message.attachments.length > 0 ? (
        <ul className="msg__attachments" aria-label={t('messaging.attachments.listLabel')}>
          {message.attachments.map((attachment) => (
            <li key={attachment.id}>
              <AttachmentLink attachment={attachment} href={messagingApi.attachmentUrl(attachment.id)} />
            </li>
          ))}
        </ul>
      ) : null}
      {tick ? (
        <p className={`msg__tick msg__tick--${tick}`}>
          <span aria-hidden="true">{tick === 'sent' ? '✓' : '✓✓'}</span> {t(`messaging.ticks.${tick}`)}
        </p>
      ) : null}
    </div>
  );
}
