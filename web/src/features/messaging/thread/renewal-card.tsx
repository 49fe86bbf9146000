import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Renewal } from '../../../../../src/contracts/messaging';
import { Badge, type BadgeTone } from '../../../components/badge';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { FormError } from '../../../components/form-error';
import { formatCalendarDate } from '../../../lib/format';
import { useSubmit } from '../../../lib/use-submit';
import { messagingApi } from '../api';
import { AttachmentLink } from '../compose/attachments';
import { DECISION_REASON_MAX_CHARS } from '../constants';
import { announce } from '../live';

const TONE: Record<Renewal['status'], BadgeTone> = {
  pending: 'warning',
  approved: 'success',
  refused: 'danger',
};

type RenewalCardProps = {
  renewal: Renewal;
  conversationId: string;
  side: 'patient' | 'practice';
  /** Practitioners decide; assistants see the request but not the buttons. */
  canDecide: boolean;
  onDecided: () => void;
};

/** The structured renewal request: medication, dosage, since when, last prescription, and its decision. */
export function RenewalCard({ renewal, conversationId, side, canDecide, onDecided }: RenewalCardProps) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const [dialog, setDialog] = useState<'approve' | 'refuse' | null>(null);
  const { details } = renewal;
  return (
    <section className="msg-renewal" aria-labelledby={titleId}>
      <div className="msg-renewal__header">
        <h2 id={titleId} className="msg-renewal__title">
          {t('messaging.renewal.cardTitle')}
        </h2>
        <Badge tone={TONE[renewal.status]} dot>
          {t(`messaging.renewal.status.${renewal.status}`)}
        </Badge>
      </div>
      <dl className="details details--tight">
        <dt>{t('messaging.renewal.medication')}</dt>
        <dd>{details.medication}</dd>
        <dt>{t('messaging.renewal.dosage')}</dt>
        <dd>{details.dosage}</dd>
        <dt>{t('messaging.renewal.takenFor')}</dt>
        <dd>{details.takenFor}</dd>
        <dt>{t('messaging.renewal.lastPrescriptionOn')}</dt>
        <dd>{formatCalendarDate(details.lastPrescriptionOn, i18n.language)}</dd>
        {renewal.photo ? (
          <>
            <dt>{t('messaging.renewal.photo')}</dt>
            <dd>
              <AttachmentLink
                attachment={renewal.photo}
                href={messagingApi.attachmentUrl(renewal.photo.id)}
              />
            </dd>
          </>
        ) : null}
      </dl>
      {renewal.status === 'approved' ? (
        <p className="msg-renewal__outcome msg-renewal__outcome--approved">
          {t(
            `messaging.renewal.${side === 'patient' ? 'approvedPickup' : 'approvedFor'}.${renewal.pickup === 'practice' ? 'practice' : 'pharmacy'}`,
          )}
        </p>
      ) : null}
      {renewal.status === 'refused' ? (
        <div className="msg-renewal__outcome msg-renewal__outcome--refused">
          <p>{t('messaging.renewal.refusedTitle')}</p>
          {renewal.decisionReason ? (
            <p className="msg__body">
              <span className="muted">{t('messaging.renewal.reason')} </span>
              {renewal.decisionReason}
            </p>
          ) : null}
        </div>
      ) : null}
      <p className="small muted">
        {side === 'patient'
          ? t('messaging.renewal.notDelivered')
          : t('messaging.renewal.notDeliveredPractice')}
      </p>
      {side === 'practice' && renewal.status === 'pending' ? (
        canDecide ? (
          <div className="cluster">
            <Button onClick={() => setDialog('approve')}>{t('messaging.renewal.approve')}</Button>
            <Button variant="danger-outline" onClick={() => setDialog('refuse')}>
              {t('messaging.renewal.refuse')}
            </Button>
          </div>
        ) : (
          <p className="small">{t('messaging.renewal.practitionerDecides')}</p>
        )
      ) : null}
      {side === 'practice' ? (
        <DecisionDialog
          mode={dialog}
          renewalId={renewal.id}
          medication={details.medication}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            announce({ type: 'changed', conversationId });
            onDecided();
          }}
        />
      ) : null}
    </section>
  );
}

function DecisionDialog({
  mode,
  renewalId,
  medication,
  onClose,
  onDone,
}: {
  mode: 'approve' | 'refuse' | null;
  renewalId: string;
  medication: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [pickup, setPickup] = useState<'practice' | 'pharmacy' | ''>('');
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const { busy, error, run, setError } = useSubmit();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mode === 'approve' && !pickup) {
      setFieldError(t('messaging.renewal.pickupRequired'));
      return;
    }
    if (mode === 'refuse' && !reason.trim()) {
      setFieldError(t('messaging.renewal.reasonRequired'));
      reasonRef.current?.focus();
      return;
    }
    setFieldError(undefined);
    const outcome = await run(() =>
      messagingApi.decide(
        renewalId,
        mode === 'approve'
          ? { decision: 'approved', pickup: pickup || 'pharmacy' }
          : { decision: 'refused', reason: reason.trim() },
      ),
    );
    if (outcome.ok) {
      setPickup('');
      setReason('');
      onDone();
    }
  }

  const close = () => {
    if (busy) return;
    setFieldError(undefined);
    setError(null);
    onClose();
  };

  return (
    <Dialog
      open={mode !== null}
      title={
        mode === 'approve'
          ? t('messaging.renewal.approveTitle', { medication })
          : t('messaging.renewal.refuseTitle', { medication })
      }
      onClose={close}
    >
      <form className="form" onSubmit={submit} noValidate>
        <FormError error={error} />
        {mode === 'approve' ? (
          <fieldset className="fieldset" aria-describedby={fieldError ? `${id}-error` : `${id}-hint`}>
            <legend className="fieldset__legend">{t('messaging.renewal.pickupLegend')}</legend>
            <p id={`${id}-hint`} className="field__hint">
              {t('messaging.renewal.pickupHint')}
            </p>
            <div className="msg-choices">
              {(['pharmacy', 'practice'] as const).map((value) => (
                <label key={value} className="msg-choice">
                  <input
                    type="radio"
                    name={`${id}-pickup`}
                    value={value}
                    checked={pickup === value}
                    onChange={() => {
                      setPickup(value);
                      setFieldError(undefined);
                    }}
                  />
                  <span>{t(`messaging.renewal.pickup.${value}`)}</span>
                </label>
              ))}
            </div>
            {fieldError ? (
              <div id={`${id}-error`} className="field__error">
                {fieldError}
              </div>
            ) : null}
          </fieldset>
        ) : (
          <div className="field">
            <label className="field__label" htmlFor={`${id}-reason`}>
              {t('messaging.renewal.reasonLabel')}
            </label>
            <textarea
              ref={reasonRef}
              id={`${id}-reason`}
              className="input msg-textarea"
              rows={4}
              maxLength={DECISION_REASON_MAX_CHARS}
              value={reason}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={`${id}-reason-hint${fieldError ? ` ${id}-error` : ''}`}
              onChange={(event) => {
                setReason(event.target.value);
                setFieldError(undefined);
              }}
            />
            <div id={`${id}-reason-hint`} className="field__hint">
              {t('messaging.renewal.reasonHint')}
            </div>
            {fieldError ? (
              <div id={`${id}-error`} className="field__error">
                {fieldError}
              </div>
            ) : null}
          </div>
        )}
        <div className="dialog__actions">
          <Button variant="secondary" onClick={close} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant={mode === 'refuse' ? 'danger' : 'primary'} busy={busy}>
            {mode === 'approve'
              ? t('messaging.renewal.confirmApprove')
              : t('messaging.renewal.confirmRefuse')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
