import type { TFunction } from 'i18next';
import type { Schedule } from '../../../../src/contracts/care';
import type { ApiIssue } from '../../api/client';
import { formatClock, parseClock } from '../../lib/time';

/** One opening period being edited; `key` keeps React rows and error messages attached to it. */
export type PeriodDraft = { key: string; weekday: number; start: string; end: string };

export type ScheduleDraft = {
  slotMinutes: string;
  bookingHorizonDays: string;
  periods: PeriodDraft[];
};

export type ScheduleErrors = {
  slotMinutes?: string;
  bookingHorizonDays?: string;
  /** By period key. */
  periods: Record<string, string>;
  /** By ISO weekday. */
  days: Record<number, string>;
};

let counter = 0;
export const newKey = () => {
  counter += 1;
  return `p${counter}`;
};

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export function draftOf(schedule: Schedule): ScheduleDraft {
  return {
    slotMinutes: String(schedule.slotMinutes),
    bookingHorizonDays: String(schedule.bookingHorizonDays),
    periods: schedule.periods.map((period) => ({ key: newKey(), ...period })),
  };
}

/** Periods in the order they are sent: by weekday, then start. */
export function orderedPeriods(periods: readonly PeriodDraft[]): PeriodDraft[] {
  return [...periods].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
}

/** A sensible next period for a day: mornings first, then the afternoon, then after the last one. */
export function nextPeriod(periods: readonly PeriodDraft[], weekday: number): PeriodDraft {
  const ends = periods
    .filter((period) => period.weekday === weekday)
    .map((period) => parseClock(period.end))
    .filter((value): value is number => value !== null);
  if (ends.length === 0) return { key: newKey(), weekday, start: '09:00', end: '12:00' };
  const last = Math.max(...ends);
  if (last <= 14 * 60) return { key: newKey(), weekday, start: '14:00', end: '18:00' };
  const start = Math.min(last + 60, 23 * 60);
  return {
    key: newKey(),
    weekday,
    start: formatClock(start),
    end: formatClock(Math.min(start + 120, 23 * 60 + 55)),
  };
}

/** Replaces every other day's periods by copies of one day's. */
export function copyDayToAll(periods: readonly PeriodDraft[], weekday: number): PeriodDraft[] {
  const source = periods.filter((period) => period.weekday === weekday);
  return orderedPeriods([
    ...source,
    ...WEEKDAYS.filter((day) => day !== weekday).flatMap((day) =>
      source.map((period) => ({ ...period, key: newKey(), weekday: day })),
    ),
  ]);
}

function integerIn(value: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(value.trim())) return null;
  const number = Number(value);
  return number >= min && number <= max ? number : null;
}

/** The same rules as the server, checked as the person types, with each message next to its field. */
export function validateDraft(t: TFunction, draft: ScheduleDraft): ScheduleErrors {
  const errors: ScheduleErrors = { periods: {}, days: {} };
  const slot = integerIn(draft.slotMinutes, 5, 240);
  if (slot === null) errors.slotMinutes = t('openingHours.errors.slotMinutes');
  if (integerIn(draft.bookingHorizonDays, 1, 365) === null)
    errors.bookingHorizonDays = t('openingHours.errors.horizon');
  for (const weekday of WEEKDAYS) {
    const day = orderedPeriods(draft.periods.filter((period) => period.weekday === weekday));
    let previousEnd: number | null = null;
    for (const period of day) {
      const start = parseClock(period.start);
      const end = parseClock(period.end);
      if (start === null || end === null) errors.periods[period.key] = t('openingHours.errors.time');
      else if (end <= start) errors.periods[period.key] = t('openingHours.errors.endBeforeStart');
      else if (slot !== null && end - start < slot)
        errors.periods[period.key] = t('openingHours.errors.tooShort', { minutes: slot });
      else if (previousEnd !== null && start < previousEnd)
        errors.periods[period.key] = t('openingHours.errors.overlap');
      if (end !== null) previousEnd = Math.max(previousEnd ?? 0, end);
    }
  }
  return errors;
}

export function hasScheduleErrors(errors: ScheduleErrors): boolean {
  return (
    Boolean(errors.slotMinutes || errors.bookingHorizonDays) ||
    Object.keys(errors.periods).length > 0 ||
    Object.keys(errors.days).length > 0
  );
}

/** The server's issues (`slot_length`, `periods.3.range`, `weekday.2.overlap`, zod paths) on the fields. */
export function serverErrors(
  t: TFunction,
  issues: readonly ApiIssue[],
  sent: readonly PeriodDraft[],
): ScheduleErrors {
  const errors: ScheduleErrors = { periods: {}, days: {} };
  for (const { path } of issues) {
    const period = /^periods\.(\d+)/.exec(path);
    const overlap = /^weekday\.(\d)\.overlap$/.exec(path);
    if (path === 'slot_length' || path.startsWith('slotMinutes'))
      errors.slotMinutes = t('openingHours.errors.slotMinutes');
    else if (path.startsWith('bookingHorizonDays'))
      errors.bookingHorizonDays = t('openingHours.errors.horizon');
    else if (period) {
      const draft = sent[Number(period[1])];
      if (draft) errors.periods[draft.key] = t('openingHours.errors.period');
    } else if (overlap) errors.days[Number(overlap[1])] = t('openingHours.errors.overlap');
  }
  return errors;
}

/** Minutes of opening per week and how many consultations they hold. */
export function weeklyTotals(draft: ScheduleDraft): { minutes: number; slots: number } {
  const slot = Number(draft.slotMinutes) || 0;
  let minutes = 0;
  let slots = 0;
  for (const period of draft.periods) {
    const start = parseClock(period.start);
    const end = parseClock(period.end);
    if (start === null || end === null || end <= start) continue;
    minutes += end - start;
    if (slot >= 5) slots += Math.floor((end - start) / slot);
  }
  return { minutes, slots };
}
