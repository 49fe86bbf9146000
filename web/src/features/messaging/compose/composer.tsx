import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { EmergencyAlert } from '../../../components/emergency-alert';
import { EmergencyStrip } from '../../../components/emergency-strip';
import { FormError } from '../../../components/form-error';
import { errorText } from '../../../i18n/errors';
import type { Message, Template } from '../api';
import { MESSAGE_MAX_CHARS } from '../constants';
import { newClientMessageId } from '../format';
import { flush, type Outgoing, send, take, useOutbox } from '../outbox';
import { AttachmentField, useUploads } from './attachments';
import { emergencyRefusal, flagForRefusal, isSendShortcut } from './red-flag';
import { TemplatePicker } from './template-picker';
import { type SafetyContext, useSafety } from './use-safety';

type ComposerProps = {
  conversationId: string;
  /** The patient's language and country: their drafts get the red-flag check and the emergency notice. */
  safety: SafetyContext | null;
  /** Why this person cannot reply here; the box stays visible but disabled, with this explanation. */
  blocked?: ReactNode;
  /** Practice side: reply templates of this practice. */
  templatesPracticeId?: string;
  onSent: (message: Message) => void;
  /** Shown under the box (the patient's "I would rather have a consultation" link). */
  footer?: ReactNode;
};

/** The reply box of a conversation: plain text, attachments, Ctrl/Cmd+Enter to send, offline queue. */
export function Composer({
  conversationId,
  safety,
  blocked,
  templatesPracticeId,
  onSent,
  footer,
}: ComposerProps) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const textRef = useRef<HTMLTextAreaElement>(null);
  const alertRef = useRef<HTMLHeadingElement>(null);
  const clientId = useRef<string | null>(null);
  const uploads = useUploads();
  const redFlag = useSafety(text, safety);
  const pending = useOutbox(conversationId);
  const disabled = Boolean(blocked);

  function focusAlert() {
    requestAnimationFrame(() => alertRef.current?.focus());
  }

  function clear() {
    setText('');
    uploads.reset();
    clientId.current = null;
    redFlag.reset();
  }

  async function submit(notEmergency = false) {
    if (busy || disabled) return;
    setError(null);
    setStatus('');
    const body = text.trim();
    if (!body) {
      setFieldError(t('messaging.compose.emptyReply'));
      textRef.current?.focus();
      return;
    }
    if (uploads.uploading) {
      setFieldError(t('messaging.attachments.wait'));
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      let acknowledged = notEmergency;
      if (safety && !notEmergency) {
        const found = await redFlag.check(body).catch(() => null);
        if (found && !redFlag.isAcknowledged(found)) {
          redFlag.raise(found);
          focusAlert();
          return;
        }
        acknowledged = found !== null;
      }
      if (notEmergency) redFlag.acknowledge(redFlag.alert);
      clientId.current ??= newClientMessageId();
      const result = await send({
        clientMessageId: clientId.current,
        conversationId,
        body,
        attachments: uploads.ready,
        emergencyAcknowledged: acknowledged,
      });
      if (result.status === 'sent') {
        clear();
        onSent(result.message);
        setStatus(t('messaging.compose.sent'));
        textRef.current?.focus();
      } else if (result.status === 'queued') {
        clear();
        setStatus(t('messaging.outbox.queued'));
        textRef.current?.focus();
      } else {
        // Refused: the text stays in the box, the message leaves the outbox.
        take(clientId.current);
        const refusal = emergencyRefusal(result.error);
        if (refusal && safety) {
          redFlag.raise(await flagForRefusal(refusal, redFlag.check, body));
          focusAlert();
        } else {
          setError(result.error);
        }
      }
    } finally {
      setBusy(false);
    }
  }

  function restore(item: Outgoing) {
    take(item.clientMessageId);
    setText((current) => (current.trim() ? `${item.body}\n\n${current}` : item.body));
    uploads.reset(item.attachments);
    clientId.current = item.clientMessageId;
    const refusal = emergencyRefusal(item.error);
    if (refusal && safety) {
      void flagForRefusal(refusal, redFlag.check, item.body).then((flag) => {
        redFlag.raise(flag);
        focusAlert();
      });
    } else {
      textRef.current?.focus();
    }
  }

  function insertTemplate(template: Template) {
    const area = textRef.current;
    const start = area?.selectionStart ?? text.length;
    const end = area?.selectionEnd ?? text.length;
    const next = `${text.slice(0, start)}${template.body}${text.slice(end)}`;
    setText(next.slice(0, MESSAGE_MAX_CHARS));
    requestAnimationFrame(() => {
      area?.focus();
      const caret = start + template.body.length;
      area?.setSelectionRange(caret, caret);
    });
  }

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const counterId = `${id}-counter`;
  const nearLimit = text.length > MESSAGE_MAX_CHARS * 0.8;

  return (
    <section className="msg-composer" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="msg-composer__title">
        {t('messaging.compose.replyTitle')}
      </h2>
      {safety ? <EmergencyStrip country={safety.country} /> : null}
      {pending.length > 0 ? <PendingList items={pending} onEdit={restore} /> : null}
      {safety && redFlag.alert ? (
        <EmergencyAlert
          kind={redFlag.alert.kind}
          numbers={redFlag.alert.numbers}
          country={safety.country}
          headingLevel={3}
          headingRef={alertRef}
          busy={busy}
          onNotEmergency={() => void submit(true)}
        />
      ) : null}
      {blocked ? <Alert tone="info">{blocked}</Alert> : null}
      <form
        className="form msg-composer__form"
        noValidate
        onSubmit={(event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          void submit();
        }}
      >
        <FormError error={error} />
        <div className="field">
          <label className="field__label" htmlFor={`${id}-text`}>
            {t('messaging.compose.replyLabel')}
          </label>
          <textarea
            ref={textRef}
            id={`${id}-text`}
            className="input msg-textarea"
            rows={4}
            value={text}
            disabled={disabled}
            maxLength={MESSAGE_MAX_CHARS}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={[hintId, fieldError ? errorId : '', nearLimit ? counterId : '']
              .filter(Boolean)
              .join(' ')}
            onChange={(event) => {
              setText(event.target.value);
              if (fieldError) setFieldError(undefined);
            }}
            onKeyDown={(event) => {
              if (isSendShortcut(event)) {
                event.preventDefault();
                void submit();
              }
            }}
          />
          <div id={hintId} className="field__hint">
            {t('messaging.compose.shortcut')}
          </div>
          {nearLimit ? (
            <div id={counterId} className="field__hint" aria-live="polite">
              {t('messaging.compose.counter', { count: text.length, max: MESSAGE_MAX_CHARS })}
            </div>
          ) : null}
          {fieldError ? (
            <div id={errorId} className="field__error">
              {fieldError}
            </div>
          ) : null}
        </div>
        <div className="msg-composer__bar">
          <AttachmentField
            uploads={uploads}
            label={t('messaging.attachments.add')}
            hint={t('messaging.attachments.hint')}
            disabled={disabled}
          />
          <div className="msg-composer__buttons">
            {templatesPracticeId && !disabled ? (
              <TemplatePicker practiceId={templatesPracticeId} onInsert={insertTemplate} />
            ) : null}
            <Button type="submit" busy={busy} disabled={disabled}>
              {t('messaging.compose.send')}
            </Button>
          </div>
        </div>
      </form>
      {footer}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {status}
      </div>
    </section>
  );
}

/** Messages not sent yet: waiting for the network, or refused by the server (to edit and send again). */
function PendingList({ items, onEdit }: { items: readonly Outgoing[]; onEdit: (item: Outgoing) => void }) {
  const { t } = useTranslation();
  return (
    <ul className="msg-pending" aria-label={t('messaging.outbox.title')}>
      {items.map((item) => (
        <li key={item.clientMessageId} className={`msg-pending__item msg-pending__item--${item.state}`}>
          <p className="msg-pending__body">{item.body}</p>
          <p className="msg-pending__state small">
            {item.state === 'refused'
              ? errorText(t, item.error)
              : item.state === 'sending'
                ? t('messaging.outbox.sending')
                : t('messaging.outbox.waiting')}
          </p>
          {item.state === 'refused' ? (
            <Button variant="secondary" small onClick={() => onEdit(item)}>
              {t('messaging.outbox.edit')}
            </Button>
          ) : item.state === 'waiting' ? (
            <Button variant="secondary" small onClick={() => void flush(item.conversationId)}>
              {t('messaging.outbox.retry')}
            </Button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
