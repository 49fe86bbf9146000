import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Appointment } from '../../../../src/contracts/care';
import { bookingApi, relativesApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button, ButtonLink } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { FormError } from '../../components/form-error';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { PageLoading } from '../../components/spinner';
import { TextAreaField } from '../../components/text-area-field';
import { errorCode } from '../../i18n/errors';
import { formatDay, formatInstant, formatTime, isoDateIn } from '../../lib/time';
import { useResource } from '../../lib/use-resource';
import { useSubmit } from '../../lib/use-submit';
import { AppointmentStatusBadge } from './status-badge';

async function load() {
  const [appointments, relatives] = await Promise.all([bookingApi.mine(), relativesApi.list()]);
  const self = relatives.profiles.find((profile) => profile.relationship === 'self');
  return {
    appointments: appointments.appointments,
    selfId: self?.id ?? null,
    relatives: relatives.profiles.length,
  };
}

export function MyAppointmentsPage() {
  const { t } = useTranslation();
  const { resource, setData, reload } = useResource(load, 'my-appointments');
  const [toCancel, setToCancel] = useState<Appointment | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  function replace(appointment: Appointment) {
    setData((data) => ({
      ...data,
      appointments: data.appointments.map((candidate) =>
        candidate.id === appointment.id ? appointment : candidate,
      ),
    }));
  }

  const now = Date.now();
  return (
    <div className="stack-lg">
      <PageHeader
        title={t('appointments.title')}
        description={t('appointments.description')}
        actions={<ButtonLink to="/book">{t('appointments.book')}</ButtonLink>}
      />
      <div aria-live="polite">{notice ? <Alert tone="success">{notice}</Alert> : null}</div>
      {resource.status === 'loading' ? <PageLoading label={t('common.loading')} /> : null}
      {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
      {resource.status === 'ready'
        ? (() => {
            const { appointments, selfId, relatives } = resource.data;
            const upcoming = appointments
              .filter((appointment) => appointment.status === 'booked' && appointment.endsAt > now)
              .sort((a, b) => a.startsAt - b.startsAt);
            const past = appointments
              .filter((appointment) => !upcoming.includes(appointment))
              .sort((a, b) => b.startsAt - a.startsAt);
            const showPatient = relatives > 1;
            return (
              <>
                <section aria-labelledby="appointments-upcoming" className="stack">
                  <h2 id="appointments-upcoming" className="section-title">
                    {t('appointments.upcoming')}
                  </h2>
                  {upcoming.length === 0 ? (
                    // The page header's "Book an appointment" is the action: the empty state does not repeat it.
                    <p className="empty-state">{t('appointments.noUpcoming')}</p>
                  ) : (
                    <ul className="appointment-list">
                      {upcoming.map((appointment) => (
                        <AppointmentItem
                          key={appointment.id}
                          appointment={appointment}
                          showPatient={showPatient && appointment.patientProfileId !== selfId}
                          onCancel={() => {
                            setNotice(null);
                            setToCancel(appointment);
                          }}
                        />
                      ))}
                    </ul>
                  )}
                </section>
                <section aria-labelledby="appointments-past" className="stack">
                  <h2 id="appointments-past" className="section-title">
                    {t('appointments.past')}
                  </h2>
                  {past.length === 0 ? (
                    <p className="empty-state">{t('appointments.noPast')}</p>
                  ) : (
                    <ul className="appointment-list appointment-list--past">
                      {past.map((appointment) => (
                        <AppointmentItem
                          key={appointment.id}
                          appointment={appointment}
                          showPatient={showPatient && appointment.patientProfileId !== selfId}
                        />
                      ))}
                    </ul>
                  )}
                </section>
              </>
            );
          })()
        : null}
      <CancelDialog
        appointment={toCancel}
        onClose={() => setToCancel(null)}
        onCancelled={(appointment) => {
          setToCancel(null);
          replace(appointment);
          setNotice(t('appointments.cancelled'));
        }}
        onTooLate={(appointment) => replace({ ...appointment, cancellable: false })}
      />
    </div>
  );
}

function DateTile({ startsAt, timeZone }: { startsAt: number; timeZone: string }) {
  const { i18n } = useTranslation();
  const day = isoDateIn(startsAt, timeZone);
  const [, , dayOfMonth] = day.split('-');
  return (
    <div className="date-tile" aria-hidden="true">
      <span className="date-tile__weekday">{formatDay(day, i18n.language, 'weekdayShort')}</span>
      <span className="date-tile__day">{Number(dayOfMonth)}</span>
      <span className="date-tile__month">{formatDay(day, i18n.language, 'monthShort')}</span>
    </div>
  );
}

function AppointmentItem({
  appointment,
  showPatient,
  onCancel,
}: {
  appointment: Appointment;
  showPatient: boolean;
  onCancel?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { timeZone } = appointment;
  const upcoming = appointment.status === 'booked' && appointment.endsAt > Date.now();
  return (
    <li className="appointment card">
      <DateTile startsAt={appointment.startsAt} timeZone={timeZone} />
      <div className="appointment__body">
        <h3 className="appointment__when">
          {formatInstant(appointment.startsAt, timeZone, i18n.language, false)}
          <span className="appointment__time">
            {/* A no-break space keeps the separator with the time when the line wraps. */}
            {' ·\u00a0'}
            {formatTime(appointment.startsAt, timeZone, i18n.language)}
          </span>
        </h3>
        <p className="appointment__who">
          <strong>{appointment.practitionerName}</strong>
          <span className="muted"> · {appointment.practiceName}</span>
        </p>
        {showPatient ? (
          <p className="small">{t('appointments.forPatient', { name: appointment.patientName })}</p>
        ) : null}
        {appointment.status === 'cancelled' && appointment.cancelReason ? (
          <p className="small muted">{t('appointments.reason', { reason: appointment.cancelReason })}</p>
        ) : null}
        {upcoming && !appointment.cancellable ? (
          <p className="small muted appointment__note">{t('appointments.tooLateNote')}</p>
        ) : null}
      </div>
      <div className="appointment__side">
        <AppointmentStatusBadge status={appointment.status} audience="patient" />
        {upcoming && appointment.cancellable && onCancel ? (
          <Button variant="danger-outline" small onClick={onCancel}>
            {t('appointments.cancel')}
            <span className="visually-hidden">
              {' '}
              {formatInstant(appointment.startsAt, timeZone, i18n.language)}
            </span>
          </Button>
        ) : null}
      </div>
    </li>
  );
}

function CancelDialog({
  appointment,
  onClose,
  onCancelled,
  onTooLate,
}: {
  appointment: Appointment | null;
  onClose: () => void;
  onCancelled: (appointment: Appointment) => void;
  onTooLate: (appointment: Appointment) => void;
}) {
  const { t, i18n } = useTranslation();
  const [reason, setReason] = useState('');
  const [shownFor, setShownFor] = useState<string | null>(null);
  const { busy, error, setError, run } = useSubmit();
  if (appointment && shownFor !== appointment.id) {
    setShownFor(appointment.id);
    setReason('');
    setError(null);
  }

  async function confirm() {
    if (!appointment) return;
    const target = appointment;
    const outcome = await run(() => bookingApi.cancel(target.id, reason.trim() || undefined));
    if (outcome.ok) onCancelled(outcome.value);
    else if (errorCode(outcome.error) === 'MISSIVE_CANCELLATION_TOO_LATE') onTooLate(target);
  }

  return (
    <Dialog
      open={appointment !== null}
      title={t('appointments.cancelTitle')}
      onClose={() => {
        if (!busy) onClose();
      }}
      actions={
        <>
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            {t('appointments.keep')}
          </Button>
          <Button
            variant="danger"
            onClick={() => void confirm()}
            busy={busy}
            disabled={errorCode(error) === 'MISSIVE_CANCELLATION_TOO_LATE'}
          >
            {t('appointments.cancelConfirm')}
          </Button>
        </>
      }
    >
      {appointment ? (
        <div className="stack">
          <p>
            {t('appointments.cancelText', {
              name: appointment.practitionerName,
              date: formatInstant(appointment.startsAt, appointment.timeZone, i18n.language),
            })}
          </p>
          <TextAreaField
            label={t('appointments.reasonLabel')}
            optionalText={t('common.optional')}
            hint={t('appointments.reasonHint')}
            maxLength={300}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
          <FormError error={error} />
        </div>
      ) : null}
    </Dialog>
  );
}
