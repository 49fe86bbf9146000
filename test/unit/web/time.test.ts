import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../../web/src/lib/format';
import {
  addDays,
  ageOn,
  daysBetween,
  formatDayRange,
  formatTime,
  isIsoDate,
  isoDateIn,
  isoWeekday,
  minutesIn,
  startOfWeek,
  todayIn,
} from '../../../web/src/lib/time';

describe('calendar arithmetic in the practice time zone', () => {
  it('gives the local date of an instant, which differs from UTC late in the evening', () => {
    const lateEvening = Date.UTC(2026, 2, 14, 23, 30); // 00:30 on the 15th in Paris (UTC+1)
    expect(isoDateIn(lateEvening, 'Europe/Paris')).toBe('2026-03-15');
    expect(isoDateIn(lateEvening, 'UTC')).toBe('2026-03-14');
    expect(todayIn('Europe/Rome', lateEvening)).toBe('2026-03-15');
  });

  it('reads wall-clock times on both sides of a daylight-saving change', () => {
    expect(minutesIn(Date.UTC(2026, 2, 28, 8, 0), 'Europe/Paris')).toBe(9 * 60); // winter time, UTC+1
    expect(minutesIn(Date.UTC(2026, 2, 30, 7, 0), 'Europe/Paris')).toBe(9 * 60); // summer time, UTC+2
    expect(formatTime(Date.UTC(2026, 2, 30, 7, 0), 'Europe/Paris', 'fr')).toBe('09:00');
    expect(formatTime(Date.UTC(2026, 2, 30, 12, 5), 'Europe/Rome', 'en')).toBe('14:05');
  });

  it("writes a campaign's time in the practice's zone, whatever the device's", () => {
    const at = Date.UTC(2026, 10, 26, 18, 19); // 19:19 in Paris (UTC+1)
    expect(formatDateTime(at, 'fr', true, 'Europe/Paris')).toContain('19:19');
    expect(formatDateTime(at, 'fr', true, 'UTC')).toContain('18:19');
    expect(formatDateTime(at, 'en', false, 'Europe/Rome')).toBe('26 Nov 2026');
  });

  it('adds days across month, year and daylight-saving boundaries', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-03-28', '2026-04-04')).toBe(7);
  });

  it('finds ISO weekdays and the Monday of a week', () => {
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(isoWeekday('2026-11-30')).toBe(1);
    expect(startOfWeek('2026-11-29')).toBe('2026-11-23');
    expect(startOfWeek('2026-11-23')).toBe('2026-11-23');
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-3-1')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });

  it('counts ages in full years, and in months for babies', () => {
    expect(ageOn('2010-10-19', '2026-10-18')).toEqual({ years: 15, months: 191 });
    expect(ageOn('2010-10-19', '2026-10-19').years).toBe(16);
    expect(ageOn('2026-01-31', '2026-03-30')).toEqual({ years: 0, months: 1 });
  });
});

describe('formatDayRange', () => {
  // ICU puts thin spaces around the dash: compare with plain spaces.
  const range = (from: string, to: string, language: string) =>
    formatDayRange(from, to, language).replace(/\s/g, ' ');
  it('writes the days without a leading zero in every language', () => {
    expect(range('2026-11-26', '2026-12-02', 'it')).toBe('26 novembre – 2 dicembre 2026');
    expect(range('2026-11-02', '2026-11-08', 'it')).toBe('2–8 novembre 2026');
    expect(range('2026-12-28', '2027-01-03', 'fr')).toBe('28 décembre 2026 – 3 janvier 2027');
    expect(range('2026-11-26', '2026-12-02', 'en')).toBe('26 November – 2 December 2026');
  });
});
