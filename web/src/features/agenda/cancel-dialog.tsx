import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Appointment } from '../../../../src/contracts/care';
import { type AgendaAppointment, agendaApi } from '../../api/endpoints';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { FormError } from '../../components/form-error';
import { TextAreaField } from '../../components/text-area-field';
import { formatInstant } from '../../lib/time';
import { useSubmit } from '../../lib/use-submit';

/** The practice cancels an appointment; a reason is required (the patient's e-mail does not include it). */
export function CancelByPracticeDialog({
  practiceId,
  appointment,
  timeZone,
  onClose,
  onCancelled,
}: {
  practiceId: string;
  appointment: AgendaAppointment | null;
  timeZone: string;
  onClose: () => void;
  onCancelled: (appointment: Appointment) => void;
}) {
  const { t, i18n } = useTranslation();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [shownFor, setShownFor] = useState<string | null>(null);
  const { busy, error, setError, run } = useSubmit();
  if (appointment && shownFor !== appointment.id) {
    setShownFor(appointment.id);
    setReason('');
    setReasonError(undefined);
    setError(null);
  }

  async function confirm() {
    if (!appointment) return;
    if (!reason.trim()) {
      setReasonError(t('agenda.cancelReasonRequired'));
      reasonRef.current?.focus();
      return;
    }
    setReasonError(undefined);
    const target = appointment;
    const outcome = await run(() => agendaApi.cancel(practiceId, target.id, reason.trim()));
    if (outcome.ok) onCancelled(outcome.value);
  }

  return (
    <Dialog
      open={appointment !== null}
      title={t('agenda.cancelTitle')}
      initialFocusRef={reasonRef}
      onClose={() => {
        if (!busy) onClose();
      }}
      actions={
        <>
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            {t('agenda.keep')}
          </Button>
          <Button variant="danger" onClick={() => void confirm()} busy={busy}>
            {t('agenda.cancelConfirm')}
          </Button>
        </>
      }
    >
      {appointment ? (
        <div className="stack">
          <p>
            {t('agenda.cancelText', {
              name: appointment.patientName,
              date: formatInstant(appointment.startsAt, timeZone, i18n.language),
              practitioner: appointment.practitionerName,
            })}
          </p>
          <TextAreaField
            ref={reasonRef}
            label={t('agenda.cancelReason')}
            hint={t('agenda.cancelReasonHint')}
            required
            maxLength={300}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            error={reasonError}
          />
          <FormError error={error} />
        </div>
      ) : null}
    </Dialog>
  );
}
