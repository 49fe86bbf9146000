import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  canPatientCancel,
  canRecordAttendance,
  formatClock,
  generateSlots,
  parseClock,
  validateWeeklyPattern,
} from '../../../src/domain/schedule';

const local = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('opening hours and slots', () => {
  it('parses and formats wall-clock times', () => {
    expect(parseClock('09:30')).toBe(570);
    expect(formatClock(570)).toBe('09:30');
    expect(() => parseClock('24:00')).toThrow();
  });

  it('refuses overlapping periods and periods shorter than a consultation', () => {
    expect(validateWeeklyPattern([{ weekday: 1, startMinute: 540, endMinute: 720 }], 20)).toEqual([]);
    expect(
      validateWeeklyPattern(
        [
          { weekday: 1, startMinute: 540, endMinute: 720 },
          { weekday: 1, startMinute: 700, endMinute: 800 },
        ],
        20,
      ),
    ).toEqual(['weekday.1.overlap']);
    expect(validateWeeklyPattern([{ weekday: 8, startMinute: 540, endMinute: 550 }], 20)).toEqual([
      'periods.0.weekday',
      'periods.0.range',
    ]);
  });

  it('cuts slots in the practice time zone, skipping closures', () => {
    const slots = generateSlots({
      periods: [{ weekday: 1, startMinute: 9 * 60, endMinute: 10 * 60 }],
      exceptions: [{ startsOn: '2026-11-16', endsOn: '2026-11-16' }],
      slotMinutes: 30,
      timeZone: 'Europe/Rome',
      from: Date.UTC(2026, 10, 9),
      to: Date.UTC(2026, 10, 24),
    });
    expect(slots.map((s) => local(s.startsAt, 'Europe/Rome'))).toEqual([
      '2026-11-09T09:00',
      '2026-11-09T09:30',
      '2026-11-23T09:00',
      '2026-11-23T09:30',
    ]);
  });

  it('skips the missing hour in spring and offers the repeated hour once in autumn', () => {
    const night = {
      periods: [{ weekday: 7, startMinute: 60, endMinute: 240 }],
      exceptions: [],
      slotMinutes: 60,
      timeZone: 'Europe/Paris',
    };
    const spring = generateSlots({ ...night, from: Date.UTC(2027, 2, 27), to: Date.UTC(2027, 2, 29) });
    expect(spring.map((s) => local(s.startsAt, 'Europe/Paris'))).toEqual([
      '2027-03-28T01:00',
      '2027-03-28T03:00',
    ]);
    const autumn = generateSlots({ ...night, from: Date.UTC(2027, 9, 30), to: Date.UTC(2027, 10, 1) });
    expect(autumn.map((s) => local(s.startsAt, 'Europe/Paris'))).toEqual([
      '2027-10-31T01:00',
      '2027-10-31T02:00',
      '2027-10-31T03:00',
    ]);
    expect(new Set(autumn.map((s) => s.startsAt)).size).toBe(3);
  });

  it('lets patients cancel until the deadline, and records attendance only when it can have happened', () => {
    const start = Date.UTC(2026, 10, 20, 9);
    expect(canPatientCancel(start, start - 24 * 3_600_000, 24)).toBe(true);
    expect(canPatientCancel(start, start - 24 * 3_600_000 + 1, 24)).toBe(false);
    expect(canRecordAttendance('attended', start, start - 30 * 60_000)).toBe(true);
    expect(canRecordAttendance('attended', start, start - 31 * 60_000)).toBe(false);
    expect(canRecordAttendance('no_show', start, start - 1)).toBe(false);
    expect(canRecordAttendance('no_show', start, start)).toBe(true);
  });
});
