import { DateTime } from 'luxon';

/** A weekly opening period in the practice's local time: ISO weekday (1 = Monday) and minutes since midnight. */
export interface OpeningPeriod {
  weekday: number;
  startMinute: number;
  endMinute: number;
}

/** Days without consultations (holidays, training), inclusive, as ISO dates in the practice's time zone. */
export interface ScheduleException {
  startsOn: string;
  endsOn: string;
}

export interface Slot {
  startsAt: number;
  endsAt: number;
}

export function parseClock(value: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new RangeError(`Invalid time ${value}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export function formatClock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Problems with a weekly pattern, or an empty list: periods must be well-formed and not overlap on a day. */
export function validateWeeklyPattern(periods: readonly OpeningPeriod[], slotMinutes: number): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(slotMinutes) || slotMinutes < 5 || slotMinutes > 240) problems.push('slot_length');
  for (const [index, p] of periods.entries()) {
    if (!Number.isInteger(p.weekday) || p.weekday < 1 || p.weekday > 7)
      problems.push(`periods.${index}.weekday`);
    if (p.startMinute < 0 || p.endMinute > 24 * 60 || p.endMinute - p.startMinute < slotMinutes) {
      problems.push(`periods.${index}.range`);
    }
  }
  for (let day = 1; day <= 7; day++) {
    const sorted = periods.filter((p) => p.weekday === day).sort((a, b) => a.startMinute - b.startMinute);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.startMinute < sorted[i - 1]!.endMinute) problems.push(`weekday.${day}.overlap`);
    }
  }
  return problems;
}

/**
 * Bookable slots between two instants, in the practice's time zone. Wall-clock times that do not exist
 * (the spring-forward hour) produce no slot; times that happen twice (the fall-back hour) produce one,
 * at their first occurrence. Slots are cut back-to-back from each period's start.
 */
export function generateSlots(input: {
  periods: readonly OpeningPeriod[];
  exceptions: readonly ScheduleException[];
  slotMinutes: number;
  timeZone: string;
  from: number;
  to: number;
}): Slot[] {
  const { periods, exceptions, slotMinutes, timeZone, from, to } = input;
  const slots: Slot[] = [];
  let day = DateTime.fromMillis(from, { zone: timeZone }).startOf('day');
  const last = DateTime.fromMillis(to, { zone: timeZone }).startOf('day');
  while (day <= last) {
    const isoDate = day.toISODate()!;
    const closed = exceptions.some((e) => e.startsOn <= isoDate && isoDate <= e.endsOn);
    if (!closed) {
      for (const period of periods) {
        if (period.weekday !== day.weekday) continue;
        for (
          let minute = period.startMinute;
          minute + slotMinutes <= period.endMinute;
          minute += slotMinutes
        ) {
          const start = localInstant(day, minute, timeZone);
          if (start === null) continue;
          const startsAt = start.toMillis();
          if (startsAt < from || startsAt >= to) continue;
          slots.push({ startsAt, endsAt: startsAt + slotMinutes * 60_000 });
        }
      }
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return slots.sort((a, b) => a.startsAt - b.startsAt);
}

/** The instant of a wall-clock time on a local day, or null when that time does not exist there. */
function localInstant(day: DateTime, minute: number, timeZone: string): DateTime | null {
  const wanted = {
    year: day.year,
    month: day.month,
    day: day.day,
    hour: Math.floor(minute / 60),
    minute: minute % 60,
  };
  const candidate = DateTime.fromObject(wanted, { zone: timeZone });
  // Luxon shifts non-existent times forward; a shifted result means the wall-clock time was skipped.
  if (candidate.hour !== wanted.hour || candidate.minute !== wanted.minute) return null;
  // For a repeated hour Luxon may pick either offset: take the earlier instant.
  const earlier = candidate.minus({ hours: 1 });
  if (earlier.hour === wanted.hour && earlier.minute === wanted.minute && earlier.day === wanted.day)
    return earlier;
  return candidate;
}

/** Whether an instant is one of the practitioner's slots (a booking must land exactly on one). */
export function isSlotStart(slots: readonly Slot[], startsAt: number): Slot | undefined {
  return slots.find((s) => s.startsAt === startsAt);
}

/** Patients may cancel until a deadline before the appointment, set per practice. */
export function canPatientCancel(startsAt: number, now: number, deadlineHours: number): boolean {
  return startsAt - now >= deadlineHours * 3_600_000;
}

/** Patients often arrive, and are seen, a little early: attendance may be recorded from 30 minutes before. */
export const EARLY_ARRIVAL_MS = 30 * 60_000;

/** Whether attendance can be recorded now: "attended" from the early-arrival window, "no-show" once started. */
export function canRecordAttendance(status: 'attended' | 'no_show', startsAt: number, now: number): boolean {
  return status === 'attended' ? now >= startsAt - EARLY_ARRIVAL_MS : now >= startsAt;
}
