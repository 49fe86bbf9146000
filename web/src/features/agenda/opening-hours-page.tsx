import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Schedule } from '../../../../src/contracts/care';
import type { Member } from '../../../../src/contracts/practices';
import { isApiError } from '../../api/client';
import { agendaApi } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { FormError } from '../../components/form-error';
import { CloseIcon } from '../../components/icons';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { Select } from '../../components/select';
import { PageLoading } from '../../components/spinner';
import { TextField } from '../../components/text-field';
import { errorCode } from '../../i18n/errors';
import { addDays, formatDay } from '../../lib/time';
import { useResource } from '../../lib/use-resource';
import { focusFirstInvalid, useSubmit } from '../../lib/use-submit';
import { ClosuresCard } from './closures-card';
import {
  copyDayToAll,
  draftOf,
  hasScheduleErrors,
  nextPeriod,
  orderedPeriods,
  type PeriodDraft,
  type ScheduleDraft,
  type ScheduleErrors,
  serverErrors,
  validateDraft,
  WEEKDAYS,
  weeklyTotals,
} from './schedule-model';
import { usePractice } from './use-practice';

const SLOT_CHOICES = [5, 10, 15, 20, 25, 30, 40, 45, 60, 90, 120];
/** 1 January 2024 was a Monday: day names come from Intl in the active language. */
const A_MONDAY = '2024-01-01';

/** "Monday", "Lundi", "Lunedì" (capitalised to start a label), or as written mid-sentence. */
export function weekdayName(weekday: number, language: string, capitalised = true): string {
  const name = formatDay(addDays(A_MONDAY, weekday - 1), language, 'weekday');
  return capitalised ? name.charAt(0).toLocaleUpperCase(language) + name.slice(1) : name;
}

/** Who may edit whose hours: everyone's with the agenda right, otherwise a practitioner their own. */
function editableFor(members: Member[], userId: string, hasAgenda: boolean): Member[] {
  return hasAgenda ? members : members.filter((member) => member.userId === userId);
}

export function OpeningHoursPage() {
  const { t } = useTranslation();
  const { practiceId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const { me, membership, resource, reload, practitioners } = usePractice(practiceId);
  const hasAgenda = membership?.rights.includes('agenda') ?? false;

  if (resource.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed')
    return (
      <div className="stack-lg">
        <PageHeader title={t('openingHours.title')} />
        <LoadError error={resource.error} onRetry={reload} />
      </div>
    );
  const editable = editableFor(practitioners, me?.user.id ?? '', hasAgenda);
  const requested = params.get('practitioner');
  const selected =
    editable.find((member) => member.userId === requested) ??
    editable.find((member) => member.userId === me?.user.id) ??
    editable[0];

  return (
    <div className="stack-lg">
      {hasAgenda ? (
        <p className="back-link">
          <Link to={`/practices/${practiceId}/agenda`}>{t('openingHours.backToAgenda')}</Link>
        </p>
      ) : null}
      <PageHeader
        title={
          selected
            ? t('openingHours.titleOf', { name: `${selected.firstName} ${selected.lastName}` })
            : t('openingHours.title')
        }
        description={t('openingHours.description', { practice: resource.data.practice.name })}
      />
      {editable.length === 0 || !selected ? (
        <Alert tone="warning">{t('openingHours.noneEditable')}</Alert>
      ) : (
        <>
          {editable.length > 1 ? (
            <Select
              label={t('openingHours.practitioner')}
              className="narrow-field"
              value={selected.userId}
              onChange={(event) => {
                const next = new URLSearchParams(params);
                next.set('practitioner', event.target.value);
                setParams(next, { replace: true });
              }}
              options={editable.map((member) => ({
                value: member.userId,
                label: `${member.firstName} ${member.lastName}`,
              }))}
            />
          ) : null}
          <ScheduleLoader key={selected.userId} practiceId={practiceId} practitionerId={selected.userId} />
        </>
      )}
    </div>
  );
}

function ScheduleLoader({ practiceId, practitionerId }: { practiceId: string; practitionerId: string }) {
  const { t } = useTranslation();
  const { resource, reload } = useResource(
    () => agendaApi.schedule(practiceId, practitionerId),
    `${practiceId}/${practitionerId}`,
  );
  if (resource.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed') return <LoadError error={resource.error} onRetry={reload} />;
  return (
    <div className="schedule-layout">
      <WeeklyForm practiceId={practiceId} practitionerId={practitionerId} schedule={resource.data} />
      <ClosuresCard
        practiceId={practiceId}
        practitionerId={practitionerId}
        initial={resource.data.exceptions}
      />
    </div>
  );
}

function WeeklyForm({
  practiceId,
  practitionerId,
  schedule,
}: {
  practiceId: string;
  practitionerId: string;
  schedule: Schedule;
}) {
  const { t, i18n } = useTranslation();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<ScheduleDraft>(() => draftOf(schedule));
  const [errors, setErrors] = useState<ScheduleErrors>({ periods: {}, days: {} });
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useSubmit();

  function change(next: ScheduleDraft) {
    setDraft(next);
    setSaved(false);
    // Once a save was refused, messages follow the corrections as they are made.
    if (hasScheduleErrors(errors)) setErrors(validateDraft(t, next));
  }
  const setPeriod = (key: string, changes: Partial<PeriodDraft>) =>
    change({
      ...draft,
      periods: draft.periods.map((period) => (period.key === key ? { ...period, ...changes } : period)),
    });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const found = validateDraft(t, draft);
    setErrors(found);
    if (hasScheduleErrors(found)) {
      focusFirstInvalid(formRef.current);
      return;
    }
    const sent = orderedPeriods(draft.periods);
    const outcome = await run(() =>
      agendaApi.saveSchedule(practiceId, practitionerId, {
        slotMinutes: Number(draft.slotMinutes),
        bookingHorizonDays: Number(draft.bookingHorizonDays),
        periods: sent.map(({ weekday, start, end }) => ({ weekday, start, end })),
      }),
    );
    if (outcome.ok) {
      setSaved(true);
      setErrors({ periods: {}, days: {} });
    } else if (isApiError(outcome.error)) {
      setErrors(serverErrors(t, outcome.error.issues, sent));
      focusFirstInvalid(formRef.current);
    }
  }

  const totals = weeklyTotals(draft);
  const slotOptions = SLOT_CHOICES.includes(Number(draft.slotMinutes))
    ? SLOT_CHOICES
    : [...SLOT_CHOICES, Number(draft.slotMinutes)].filter(Boolean).sort((a, b) => a - b);
  const invalidSchedule = errorCode(error) === 'MISSIVE_INVALID_SCHEDULE';

  return (
    <Card title={t('openingHours.weeklyTitle')} description={t('openingHours.weeklyDescription')}>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <FormError error={error} message={invalidSchedule ? t('openingHours.errors.summary') : undefined} />
        <div className="form__row">
          <Select
            label={t('openingHours.slotMinutes')}
            hint={t('openingHours.slotMinutesHint')}
            value={draft.slotMinutes}
            onChange={(event) => change({ ...draft, slotMinutes: event.target.value })}
            options={slotOptions.map((minutes) => ({
              value: String(minutes),
              label: t('openingHours.minutes', { count: minutes }),
            }))}
            error={errors.slotMinutes}
          />
          <TextField
            label={t('openingHours.horizon')}
            hint={t('openingHours.horizonHint')}
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            value={draft.bookingHorizonDays}
            onChange={(event) => change({ ...draft, bookingHorizonDays: event.target.value })}
            error={errors.bookingHorizonDays}
            inputClassName="input--short"
          />
        </div>
        <div className="week-editor">
          {WEEKDAYS.map((weekday) => {
            const dayName = weekdayName(weekday, i18n.language);
            const periods = orderedPeriods(draft.periods.filter((period) => period.weekday === weekday));
            return (
              <fieldset key={weekday} className="week-editor__day">
                <legend className="week-editor__name">{dayName}</legend>
                <div className="week-editor__body">
                  <div className="week-editor__periods">
                    {periods.length === 0 ? (
                      <p className="muted week-editor__closed">{t('openingHours.closed')}</p>
                    ) : null}
                    {periods.map((period, index) => {
                      const label = t('openingHours.periodLabel', { day: dayName, number: index + 1 });
                      const periodError = errors.periods[period.key];
                      const errorId = `period-${period.key}-error`;
                      return (
                        <div key={period.key} className="period">
                          <div className="period__inputs">
                            <label className="visually-hidden" htmlFor={`period-${period.key}-start`}>
                              {t('openingHours.startOf', { period: label })}
                            </label>
                            <input
                              id={`period-${period.key}-start`}
                              type="time"
                              step={300}
                              className="input input--time"
                              value={period.start}
                              aria-invalid={periodError ? true : undefined}
                              aria-describedby={periodError ? errorId : undefined}
                              onChange={(event) => setPeriod(period.key, { start: event.target.value })}
                            />
                            <span aria-hidden="true" className="period__to">
                              –
                            </span>
                            <label className="visually-hidden" htmlFor={`period-${period.key}-end`}>
                              {t('openingHours.endOf', { period: label })}
                            </label>
                            <input
                              id={`period-${period.key}-end`}
                              type="time"
                              step={300}
                              className="input input--time"
                              value={period.end}
                              aria-invalid={periodError ? true : undefined}
                              aria-describedby={periodError ? errorId : undefined}
                              onChange={(event) => setPeriod(period.key, { end: event.target.value })}
                            />
                            <button
                              type="button"
                              className="icon-button"
                              onClick={() =>
                                change({
                                  ...draft,
                                  periods: draft.periods.filter((candidate) => candidate.key !== period.key),
                                })
                              }
                            >
                              <CloseIcon />
                              <span className="visually-hidden">
                                {t('openingHours.removePeriod')} {label}
                              </span>
                            </button>
                          </div>
                          {periodError ? (
                            <div id={errorId} className="field__error">
                              {periodError}
                            </div>
                          ) : null}
                        </div>
                      );
                    })}
                    {errors.days[weekday] ? <div className="field__error">{errors.days[weekday]}</div> : null}
                  </div>
                  <div className="week-editor__actions">
                    <Button
                      variant="secondary"
                      small
                      onClick={() =>
                        change({ ...draft, periods: [...draft.periods, nextPeriod(draft.periods, weekday)] })
                      }
                    >
                      {t('openingHours.addPeriod')}
                      <span className="visually-hidden"> ({dayName})</span>
                    </Button>
                    {periods.length > 0 ? (
                      <Button
                        variant="ghost"
                        small
                        onClick={() => change({ ...draft, periods: copyDayToAll(draft.periods, weekday) })}
                      >
                        {t('openingHours.copyToAll', { day: weekdayName(weekday, i18n.language, false) })}
                      </Button>
                    ) : null}
                  </div>
                </div>
              </fieldset>
            );
          })}
        </div>
        <p className="small muted">
          {t('openingHours.totals', {
            hours: t('openingHours.duration', {
              hours: Math.floor(totals.minutes / 60),
              minutes: String(totals.minutes % 60).padStart(2, '0'),
            }),
            count: totals.slots,
          })}
        </p>
        <div aria-live="polite">{saved ? <Alert tone="success">{t('openingHours.saved')}</Alert> : null}</div>
        <div className="form__actions">
          <Button type="submit" busy={busy}>
            {t('openingHours.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
