import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import type { Appointment, DirectoryEntry, Relative } from '../../../../src/contracts/care';
import { bookingApi, relativesApi, type Slot, type SlotsResponse } from '../../api/endpoints';
import { Alert } from '../../components/alert';
import { Button, ButtonLink } from '../../components/button';
import { Card } from '../../components/card';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { PageLoading, Spinner } from '../../components/spinner';
import { addDays, formatDay, formatDayRange, formatInstant, isIsoDate, todayIn } from '../../lib/time';
import { useResource } from '../../lib/use-resource';
import { BookingDialog } from './booking-dialog';
import { WeekSlots } from './week-slots';

const WEEK = 7;
/** How far ahead to look for the next free time when a week is full. */
const LOOKAHEAD_DAYS = 31;

type Loaded = { entry: DirectoryEntry; profiles: Relative[] };

/** The practitioner comes with the link from the search (router state); a bare address finds them again. */
async function loadPage(practiceId: string, practitionerId: string, known: DirectoryEntry | undefined) {
  const [entry, relatives] = await Promise.all([
    known ??
      bookingApi
        .directory({})
        .then((response) =>
          response.practitioners.find(
            (candidate) => candidate.practitionerId === practitionerId && candidate.practiceId === practiceId,
          ),
        ),
    relativesApi.list(),
  ]);
  return { entry: entry ?? null, profiles: relatives.profiles };
}

export function BookSlotsPage() {
  const { t } = useTranslation();
  const { practiceId = '', practitionerId = '' } = useParams();
  const location = useLocation();
  const stateEntry = (location.state as { entry?: DirectoryEntry } | null)?.entry;
  const known =
    stateEntry?.practitionerId === practitionerId && stateEntry.practiceId === practiceId
      ? stateEntry
      : undefined;
  const { resource, reload } = useResource(
    () => loadPage(practiceId, practitionerId, known),
    `${practiceId}/${practitionerId}`,
  );

  if (resource.status === 'loading') return <PageLoading label={t('common.loading')} />;
  if (resource.status === 'failed')
    return (
      <div className="stack-lg">
        <PageHeader title={t('booking.title')} />
        <LoadError error={resource.error} onRetry={reload} />
      </div>
    );
  if (!resource.data.entry?.bookable)
    return (
      <div className="stack-lg">
        <PageHeader title={t('booking.title')} />
        <Alert tone="warning">{t('booking.practitionerNotFound')}</Alert>
        <p>
          <Link to="/book">{t('booking.backToSearch')}</Link>
        </p>
      </div>
    );
  return <SlotsView loaded={{ entry: resource.data.entry, profiles: resource.data.profiles }} />;
}

type SlotsState =
  | { status: 'loading' }
  | { status: 'ready'; data: SlotsResponse; next: Slot | null | undefined }
  | { status: 'failed'; error: unknown };

function SlotsView({ loaded }: { loaded: Loaded }) {
  const { t, i18n } = useTranslation();
  const { entry, profiles } = loaded;
  const [params, setParams] = useSearchParams();
  const today = todayIn(entry.timeZone);
  const requested = params.get('from');
  const from = isIsoDate(requested) && requested > today ? requested : today;
  const to = addDays(from, WEEK - 1);
  const [slots, setSlots] = useState<SlotsState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [chosen, setChosen] = useState<Slot | null>(null);
  const [taken, setTaken] = useState(false);
  const [booked, setBooked] = useState<Appointment | null>(null);
  const name = `${entry.firstName} ${entry.lastName}`;
  const preferred = params.get('for');
  const defaultProfile =
    profiles.find((profile) => profile.id === preferred) ??
    profiles.find((profile) => profile.relationship === 'self') ??
    profiles[0];

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` forces a reload after a slot was taken.
  useEffect(() => {
    let current = true;
    setSlots({ status: 'loading' });
    bookingApi.slots(entry.practitionerId, entry.practiceId, from, WEEK).then(
      async (data) => {
        if (!current) return;
        if (data.slots.length > 0) {
          setSlots({ status: 'ready', data, next: undefined });
          return;
        }
        setSlots({ status: 'ready', data, next: undefined });
        // An empty week: look further ahead, so nobody has to click "next" through empty weeks.
        try {
          const later = await bookingApi.slots(
            entry.practitionerId,
            entry.practiceId,
            addDays(from, WEEK),
            LOOKAHEAD_DAYS,
          );
          if (current) setSlots({ status: 'ready', data, next: later.slots[0] ?? null });
        } catch {
          if (current) setSlots({ status: 'ready', data, next: null });
        }
      },
      (error: unknown) => {
        if (current) setSlots({ status: 'failed', error });
      },
    );
    return () => {
      current = false;
    };
  }, [entry.practitionerId, entry.practiceId, from, attempt]);

  function goTo(date: string) {
    const next = new URLSearchParams(params);
    if (date === today) next.delete('from');
    else next.set('from', date);
    setTaken(false);
    setParams(next, { replace: true });
  }

  if (booked) return <BookingSuccess appointment={booked} entry={entry} />;

  const timeZone = slots.status === 'ready' ? slots.data.timeZone : entry.timeZone;
  return (
    <div className="stack-lg">
      <p className="back-link">
        <Link to="/book">{t('booking.backToSearch')}</Link>
      </p>
      <PageHeader
        title={t('booking.bookWith', { name })}
        description={
          <>
            <span className="block">{entry.specialty}</span>
            <span className="block">
              {entry.practiceName} · {entry.address}, {entry.postcode} {entry.city}
            </span>
          </>
        }
      />
      <div aria-live="assertive">
        {taken ? (
          <Alert tone="warning" title={t('booking.takenTitle')}>
            {t('booking.takenText')}
          </Alert>
        ) : null}
      </div>
      <Card className="week-card">
        <div className="week-nav">
          <Button
            variant="secondary"
            small
            disabled={from <= today}
            onClick={() => goTo([addDays(from, -WEEK), today].sort()[1] ?? today)}
          >
            <span aria-hidden="true">‹</span> {t('booking.previousWeek')}
          </Button>
          <h2 className="week-nav__title" aria-live="polite">
            {formatDayRange(from, to, i18n.language)}
          </h2>
          <Button variant="secondary" small onClick={() => goTo(addDays(from, WEEK))}>
            {t('booking.nextWeek')} <span aria-hidden="true">›</span>
          </Button>
        </div>
        <p className="small muted week-card__zone">{t('booking.timesIn', { city: entry.city })}</p>
        {slots.status === 'loading' ? (
          <div className="week-loading">
            <Spinner label={t('booking.loadingSlots')} />
          </div>
        ) : null}
        {slots.status === 'failed' ? (
          <LoadError error={slots.error} onRetry={() => setAttempt((value) => value + 1)} />
        ) : null}
        {slots.status === 'ready' ? (
          slots.data.slots.length === 0 ? (
            <div className="week-empty">
              <p>{t('booking.noSlotsThisWeek')}</p>
              {slots.next === undefined ? <Spinner label={t('booking.lookingAhead')} /> : null}
              {slots.next ? (
                <Button
                  variant="secondary"
                  onClick={() => goTo(todayIn(timeZone, slots.next?.startsAt ?? 0))}
                >
                  {t('booking.nextAvailable', {
                    date: formatDay(todayIn(timeZone, slots.next.startsAt), i18n.language, 'long'),
                  })}
                </Button>
              ) : null}
              {slots.next === null ? <p className="muted">{t('booking.noSlotsSoon')}</p> : null}
            </div>
          ) : (
            <WeekSlots
              from={from}
              days={WEEK}
              timeZone={timeZone}
              today={today}
              slots={slots.data.slots}
              onChoose={(slot) => setChosen(slot)}
            />
          )
        ) : null}
      </Card>
      {defaultProfile ? (
        <BookingDialog
          slot={chosen}
          entry={entry}
          timeZone={timeZone}
          profiles={profiles}
          defaultProfileId={defaultProfile.id}
          onClose={() => setChosen(null)}
          onBooked={(appointment) => {
            setChosen(null);
            setBooked(appointment);
          }}
          onTaken={() => {
            setChosen(null);
            setTaken(true);
            setAttempt((value) => value + 1);
          }}
        />
      ) : null}
    </div>
  );
}

function BookingSuccess({ appointment, entry }: { appointment: Appointment; entry: DirectoryEntry }) {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.getElementById('page-title')?.focus();
    window.scrollTo(0, 0);
  }, []);
  return (
    <div className="stack-lg">
      <PageHeader title={t('booking.successTitle')} />
      <Card>
        <div className="stack">
          <Alert tone="success" role="status">
            {t('booking.successText', {
              name: appointment.practitionerName,
              date: formatInstant(appointment.startsAt, appointment.timeZone, i18n.language),
            })}
          </Alert>
          <dl className="details">
            <dt>{t('booking.forWhom')}</dt>
            <dd>{appointment.patientName}</dd>
            <dt>{t('booking.practitioner')}</dt>
            <dd>
              {appointment.practitionerName} · {entry.specialty}
            </dd>
            <dt>{t('booking.when')}</dt>
            <dd>{formatInstant(appointment.startsAt, appointment.timeZone, i18n.language)}</dd>
            <dt>{t('booking.where')}</dt>
            <dd>
              {entry.practiceName}
              <br />
              {entry.address}, {entry.postcode} {entry.city}
            </dd>
          </dl>
          <p className="small muted">{t('booking.successHelp')}</p>
          <div className="cluster">
            <ButtonLink to="/appointments">{t('booking.seeMyAppointments')}</ButtonLink>
            <ButtonLink to="/book" variant="secondary">
              {t('booking.bookAnother')}
            </ButtonLink>
          </div>
        </div>
      </Card>
    </div>
  );
}
