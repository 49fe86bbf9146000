import { intlLocale } from './format';

/**
 * Calendar arithmetic in a practice's time zone with Intl only (no date library in the bundle).
 * Calendar dates are ISO strings ("2026-03-16"); instants are epoch milliseconds.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

function zonedParts(epochMs: number, timeZone: string) {
  const parts: Record<string, string> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(epochMs))) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The calendar date of an instant in a time zone. */
export function isoDateIn(epochMs: number, timeZone: string): string {
  return zonedParts(epochMs, timeZone).date;
}

/** Minutes since local midnight of an instant in a time zone (for placing it within its day). */
export function minutesIn(epochMs: number, timeZone: string): number {
  return zonedParts(epochMs, timeZone).minutes;
}

export function todayIn(timeZone: string, now: number = Date.now()): string {
  return isoDateIn(now, timeZone);
}

function utcDate(iso: string): Date {
  const [year, month, day] = iso.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
}

export function isIsoDate(value: string | null | undefined): value is string {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return utcDate(value).toISOString().slice(0, 10) === value;
}

export function addDays(iso: string, days: number): string {
  const date = utcDate(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(iso: string): number {
  const day = utcDate(iso).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday of the week containing the date. */
export function startOfWeek(iso: string): string {
  return addDays(iso, 1 - isoWeekday(iso));
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcDate(to).getTime() - utcDate(from).getTime()) / 86_400_000);
}

/** "09:20": the wall-clock time of an instant in the practice's time zone, in the active language. */
export function formatTime(epochMs: number, timeZone: string, language: string): string {
  return new Intl.DateTimeFormat(intlLocale(language), {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(epochMs));
}

type DayStyle = 'long' | 'short' | 'weekday' | 'weekdayShort' | 'dayMonth' | 'monthShort' | 'full';

const DAY_FORMATS: Record<DayStyle, Intl.DateTimeFormatOptions> = {
  /** Monday 16 March */
  long: { weekday: 'long', day: 'numeric', month: 'long' },
  /** Mon 16 Mar */
  short: { weekday: 'short', day: 'numeric', month: 'short' },
  /** Monday */
  weekday: { weekday: 'long' },
  /** Mon */
  weekdayShort: { weekday: 'short' },
  /** 16 March */
  dayMonth: { day: 'numeric', month: 'long' },
  /** Mar */
  monthShort: { month: 'short' },
  /** Monday 16 March 2026 */
  full: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
};

/** A calendar date as words, without any time-zone shift. */
export function formatDay(iso: string, language: string, style: DayStyle = 'long'): string {
  return new Intl.DateTimeFormat(intlLocale(language), { ...DAY_FORMATS[style], timeZone: 'UTC' }).format(
    utcDate(iso),
  );
}

/** "16 – 22 March 2026": a span of calendar dates. */
export function formatDayRange(from: string, to: string, language: string): string {
  const format = new Intl.DateTimeFormat(intlLocale(language), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  // CLDR's Italian interval patterns pad the day ("26 novembre – 02 dicembre"), unlike every single date shown
  // beside them: the day is written without a leading zero in every language.
  return format
    .formatRangeToParts(utcDate(from), utcDate(to))
    .map((part) => (part.type === 'day' ? String(Number(part.value)) : part.value))
    .join('');
}

/** An instant as a date (and time) in the practice's time zone, in the active language. */
export function formatInstant(epochMs: number, timeZone: string, language: string, withTime = true): string {
  return new Intl.DateTimeFormat(intlLocale(language), {
    timeZone,
    ...(withTime
      ? {
          weekday: 'long',
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        }
      : { day: 'numeric', month: 'long', year: 'numeric' }),
    ...(withTime ? { hourCycle: 'h23' as const } : {}),
  }).format(new Date(epochMs));
}

/** Full years and, for babies, months between a birth date and a day. */
export function ageOn(birthDate: string, today: string): { years: number; months: number } {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let months = (ty - by) * 12 + (tm - bm);
  if (td < bd) months -= 1;
  months = Math.max(0, months);
  return { years: Math.floor(months / 12), months };
}

/** "HH:MM" → minutes since midnight, or null. */
export function parseClock(value: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The time zone that applies to a patient's country, when the server gives none with a date. */
export function countryTimeZone(country: 'FR' | 'IT'): string {
  return country === 'IT' ? 'Europe/Rome' : 'Europe/Paris';
}

/** "14/03/1951": a birth date as written on forms in France and Italy (and the UK). */
export function formatNumericDate(iso: string, language: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  if (!year || !month || !day) return iso;
  return new Intl.DateTimeFormat(intlLocale(language), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year, month - 1, day)));
}
