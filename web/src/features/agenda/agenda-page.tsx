import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import type { Appointment } from '../../../../src/contracts/care';
import type { Member } from '../../../../src/contracts/practices';
import { type AgendaAppointment, type AgendaResponse, agendaApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Badge } from '../../components/badge';
import { Button, ButtonLink } from '../../components/button';
import { FormError } from '../../components/form-error';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { Select } from '../../components/select';
import { PageLoading, Spinner } from '../../components/spinner';
import {
  addDays,
  daysBetween,
  formatDay,
  formatDayRange,
  formatNumericDate,
  formatTime,
  isIsoDate,
  isoDateIn,
  startOfWeek,
  todayIn,
} from '../../lib/time';
import { AppointmentStatusBadge } from '../appointments/status-badge';
import { ageText } from '../relatives/profile-label';
import { CancelByPracticeDialog } from './cancel-dialog';
import { usePractice } from './use-practice';

type View = 'day' | 'week';
/** Patients are often seen a little early: "attended" may be recorded from 30 minutes before. */
const EARLY_MS = 30 * 60_000;

type AgendaState = { data: AgendaResponse | null; loading: boolean; error: unknown };

export function AgendaPage() {
  const { t } = useTranslation();
  const { practiceId = '' } = useParams();
  const { membership, resource, reload, practitioners } = usePractice(practiceId);

  if (!membership?.rights.includes('agenda'))
    return (
      <div className="stack-lg">
        <PageHeader title={t('agenda.title')} />
        <Alert tone="warning">{t('agenda.noRight')}</Alert>
      </div>
    );
  if (resource.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed')
    return (
      <div className="stack-lg">
        <PageHeader title={t('agenda.title')} />
        <LoadError error={resource.error} onRetry={reload} />
      </div>
    );
  return (
    <Agenda
      practiceId={practiceId}
      practiceName={resource.data.practice.name}
      timeZone={resource.data.practice.timeZone}
      practitioners={practitioners}
    />
  );
}

function Agenda({
  practiceId,
  practiceName,
  timeZone,
  practitioners,
}: {
  practiceId: string;
  practiceName: string;
  timeZone: string;
  practitioners: Member[];
}) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const today = todayIn(timeZone);
  const view: View = params.get('view') === 'week' ? 'week' : 'day';
  const requestedDate = params.get('date');
  const date = isIsoDate(requestedDate) ? requestedDate : today;
  const practitionerParam = params.get('practitioner') ?? '';
  const practitionerId = practitioners.some((member) => member.userId === practitionerParam)
    ? practitionerParam
    : '';
  const from = view === 'week' ? startOfWeek(date) : date;
  const days = view === 'week' ? 7 : 1;
  const [state, setState] = useState<AgendaState>({ data: null, loading: true, error: null });
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [toCancel, setToCancel] = useState<AgendaAppointment | null>(null);
  const [now, setNow] = useState(Date.now());

  // The clock moves on at the desk: which buttons apply depends on it.
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` forces a refresh.
  useEffect(() => {
    let current = true;
    // The previous view stays on screen while the next one loads: no flicker when paging through days.
    setState((previous) => ({ ...previous, loading: true, error: null }));
    agendaApi.agenda(practiceId, from, days as 1 | 7, practitionerId || undefined).then(
      (data) => {
        if (current) setState({ data, loading: false, error: null });
      },
      (error: unknown) => {
        if (current) setState((previous) => ({ ...previous, loading: false, error }));
      },
    );
    return () => {
      current = false;
    };
  }, [practiceId, from, days, practitionerId, attempt]);

  const update = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(params);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
      }
      setActionError(null);
      setParams(next, { replace: true });
    },
    [params, setParams],
  );

  function replace(appointment: Appointment) {
    setState((previous) =>
      previous.data
        ? {
            ...previous,
            data: {
              ...previous.data,
              appointments: previous.data.appointments.map((candidate) =>
                candidate.id === appointment.id ? { ...candidate, ...appointment } : candidate,
              ),
            },
          }
        : previous,
    );
  }

  async function mark(appointment: AgendaAppointment, status: 'attended' | 'no_show') {
    setPending(appointment.id);
    setActionError(null);
    try {
      replace(await agendaApi.attendance(practiceId, appointment.id, status));
    } catch (error) {
      setActionError(error);
    } finally {
      setPending(null);
    }
  }

  const step = view === 'week' ? 7 : 1;
  const title =
    view === 'week'
      ? formatDayRange(from, addDays(from, 6), i18n.language)
      : formatDay(date, i18n.language, 'full');
  const relative =
    view === 'day' && Math.abs(daysBetween(today, date)) <= 1
      ? t(`agenda.relativeDay.${daysBetween(today, date) + 1}`)
      : null;
  const appointments = state.data?.appointments ?? [];
  const zone = state.data?.timeZone ?? timeZone;
  const showPractitioner = !practitionerId && practitioners.length > 1;
  const openingHoursLink = `/practices/${practiceId}/opening-hours${practitionerId ? `?practitioner=${practitionerId}` : ''}`;

  const dayList = (list: AgendaAppointment[]) => (
    <ul className="agenda-list">
      {list.map((appointment) => (
        <AgendaItem
          key={appointment.id}
          appointment={appointment}
          timeZone={zone}
          today={today}
          now={now}
          showPractitioner={showPractitioner}
          busy={pending === appointment.id}
          onMark={(status) => void mark(appointment, status)}
          onCancel={() => {
            setActionError(null);
            setToCancel(appointment);
          }}
        />
      ))}
    </ul>
  );

  return (
    <div className="stack-lg">
      <PageHeader
        title={t('agenda.title')}
        description={practiceName}
        actions={
          <ButtonLink to={openingHoursLink} variant="secondary" small>
            {t('agenda.openingHours')}
          </ButtonLink>
        }
      />
      <div className="agenda-toolbar card">
        <div className="agenda-toolbar__nav">
          <Button
            variant="secondary"
            small
            onClick={() => update({ date: null })}
            disabled={view === 'day' ? date === today : startOfWeek(today) === from}
          >
            {t('agenda.today')}
          </Button>
          <Button
            variant="secondary"
            small
            onClick={() => update({ date: addDays(date, -step) })}
            aria-label={view === 'week' ? t('agenda.previousWeek') : t('agenda.previousDay')}
          >
            <span aria-hidden="true">‹</span>
          </Button>
          <Button
            variant="secondary"
            small
            onClick={() => update({ date: addDays(date, step) })}
            aria-label={view === 'week' ? t('agenda.nextWeek') : t('agenda.nextDay')}
          >
            <span aria-hidden="true">›</span>
          </Button>
          <h2 className="agenda-toolbar__title" aria-live="polite">
            <span className="agenda-toolbar__date">{title}</span>
            {relative ? <Badge tone="primary">{relative}</Badge> : null}
          </h2>
        </div>
        <div className="agenda-toolbar__filters">
          <fieldset className="fieldset">
            <legend className="visually-hidden">{t('agenda.viewLabel')}</legend>
            <div className="segmented segmented--compact">
              {(['day', 'week'] as const).map((option) => (
                <label key={option} className="segmented__option">
                  <input
                    type="radio"
                    name="agenda-view"
                    value={option}
                    checked={view === option}
                    onChange={() => update({ view: option === 'day' ? null : option })}
                  />
                  <span>{t(`agenda.view.${option}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          {practitioners.length > 1 ? (
            <Select
              label={t('agenda.practitionerLabel')}
              hideLabel
              className="agenda-toolbar__select"
              value={practitionerId}
              onChange={(event) => update({ practitioner: event.target.value })}
              options={[
                { value: '', label: t('agenda.allPractitioners') },
                ...practitioners.map((member) => ({
                  value: member.userId,
                  label: `${member.firstName} ${member.lastName}`,
                })),
              ]}
            />
          ) : null}
          <Button variant="ghost" small onClick={() => setAttempt((value) => value + 1)} busy={state.loading}>
            {t('agenda.refresh')}
          </Button>
        </div>
      </div>

      <FormError error={actionError} />
      {state.error ? (
        <LoadError error={state.error} onRetry={() => setAttempt((value) => value + 1)} />
      ) : null}
      {state.data === null && state.loading ? <PageLoading label={t('common.loading')} /> : null}

      {state.data !== null ? (
        <div className={state.loading ? 'agenda agenda--loading' : 'agenda'} aria-busy={state.loading}>
          {state.loading ? (
            <span className="agenda__spinner">
              <Spinner label={t('common.loading')} />
            </span>
          ) : null}
          <Summary appointments={appointments} />
          {view === 'day' ? (
            appointments.length === 0 ? (
              <p className="empty-state">{t('agenda.empty')}</p>
            ) : (
              dayList(appointments)
            )
          ) : (
            <div className="agenda-week">
              {Array.from({ length: 7 }, (_, index) => addDays(from, index)).map((day) => {
                const list = appointments.filter(
                  (appointment) => isoDateIn(appointment.startsAt, zone) === day,
                );
                const live = list.filter((appointment) => appointment.status !== 'cancelled');
                return (
                  <section
                    key={day}
                    className={day === today ? 'agenda-day agenda-day--today' : 'agenda-day'}
                    aria-labelledby={`agenda-${day}`}
                  >
                    <h3 id={`agenda-${day}`} className="agenda-day__title">
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => update({ view: null, date: day })}
                      >
                        {formatDay(day, i18n.language, 'long')}
                      </button>
                      <span className="small muted">
                        {day === today ? `${t('agenda.relativeDay.1')} · ` : ''}
                        {live.length === 0 ? t('agenda.emptyDay') : t('agenda.count', { count: live.length })}
                      </span>
                    </h3>
                    {list.length === 0 ? null : dayList(list)}
                  </section>
                );
              })}
            </div>
          )}
        </div>
      ) : null}

      <CancelByPracticeDialog
        practiceId={practiceId}
        appointment={toCancel}
        timeZone={zone}
        onClose={() => setToCancel(null)}
        onCancelled={(appointment) => {
          setToCancel(null);
          replace(appointment);
        }}
      />
    </div>
  );
}

function Summary({ appointments }: { appointments: AgendaAppointment[] }) {
  const { t } = useTranslation();
  const count = (status: Appointment['status']) =>
    appointments.filter((appointment) => appointment.status === status).length;
  const live = appointments.length - count('cancelled');
  if (appointments.length === 0) return null;
  return (
    <p className="agenda-summary">
      <strong>{t('agenda.count', { count: live })}</strong>
      {count('booked') > 0 ? <span>{t('agenda.summary.booked', { count: count('booked') })}</span> : null}
      {count('attended') > 0 ? (
        <span>{t('agenda.summary.attended', { count: count('attended') })}</span>
      ) : null}
      {count('no_show') > 0 ? <span>{t('agenda.summary.noShow', { count: count('no_show') })}</span> : null}
      {count('cancelled') > 0 ? (
        <span>{t('agenda.summary.cancelled', { count: count('cancelled') })}</span>
      ) : null}
    </p>
  );
}

function AgendaItem({
  appointment,
  timeZone,
  today,
  now,
  showPractitioner,
  busy,
  onMark,
  onCancel,
}: {
  appointment: AgendaAppointment;
  timeZone: string;
  today: string;
  now: number;
  showPractitioner: boolean;
  busy: boolean;
  onMark: (status: 'attended' | 'no_show') => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { status, startsAt, endsAt } = appointment;
  const canAttend = (status === 'booked' || status === 'no_show') && now >= startsAt - EARLY_MS;
  const canNoShow = status === 'booked' && now >= startsAt;
  const canCancel = status === 'booked';
  const current = status === 'booked' && now >= startsAt && now < endsAt;
  const who = appointment.patientName;
  return (
    <li
      className={[
        'agenda-item',
        `agenda-item--${status}`,
        current ? 'agenda-item--now' : '',
        status === 'booked' && endsAt <= now ? 'agenda-item--overdue' : '',
      ]
        .filter(Boolean)
        .join(' ')}
    >
      <div className="agenda-item__time">
        <strong>{formatTime(startsAt, timeZone, i18n.language)}</strong>
        <span className="small muted">{formatTime(endsAt, timeZone, i18n.language)}</span>
      </div>
      <div className="agenda-item__patient">
        <span className="agenda-item__name">{who}</span>
        <span className="small">
          {t('agenda.born', { date: formatNumericDate(appointment.patientBirthDate, i18n.language) })}
          <span className="muted"> · {ageText(t, appointment.patientBirthDate, today)}</span>
        </span>
        {showPractitioner ? (
          <span className="small muted">{t('agenda.with', { name: appointment.practitionerName })}</span>
        ) : null}
        {appointment.bookedByRelative ? (
          <span className="small muted">{t('agenda.bookedByRelative')}</span>
        ) : null}
        {status === 'cancelled' && appointment.cancelReason ? (
          <span className="small muted">{t('agenda.reason', { reason: appointment.cancelReason })}</span>
        ) : null}
      </div>
      <div className="agenda-item__status">
        <AppointmentStatusBadge status={status} audience="practice" />
        {current ? <Badge tone="warning">{t('agenda.now')}</Badge> : null}
      </div>
      <div className="agenda-item__actions">
        {canAttend ? (
          <Button small variant="secondary" busy={busy} onClick={() => onMark('attended')}>
            {t('agenda.attended')}
            <span className="visually-hidden"> {who}</span>
          </Button>
        ) : null}
        {canNoShow ? (
          <Button small variant="secondary" disabled={busy} onClick={() => onMark('no_show')}>
            {t('agenda.noShow')}
            <span className="visually-hidden"> {who}</span>
          </Button>
        ) : null}
        {canCancel ? (
          <Button small variant="danger-outline" disabled={busy} onClick={onCancel}>
            {t('agenda.cancel')}
            <span className="visually-hidden"> {who}</span>
          </Button>
        ) : null}
      </div>
    </li>
  );
}
