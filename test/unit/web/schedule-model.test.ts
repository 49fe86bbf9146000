import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import {
  copyDayToAll,
  hasScheduleErrors,
  nextPeriod,
  orderedPeriods,
  type PeriodDraft,
  serverErrors,
  validateDraft,
  weeklyTotals,
} from '../../../web/src/features/agenda/schedule-model';

const t = ((key: string) => key) as unknown as TFunction;
const period = (key: string, weekday: number, start: string, end: string): PeriodDraft => ({
  key,
  weekday,
  start,
  end,
});

describe('weekly opening hours', () => {
  it('accepts a usual week', () => {
    const errors = validateDraft(t, {
      slotMinutes: '20',
      bookingHorizonDays: '60',
      periods: [period('a', 1, '09:00', '12:00'), period('b', 1, '14:00', '18:00')],
    });
    expect(hasScheduleErrors(errors)).toBe(false);
  });

  it('flags each wrong period next to it: reversed, shorter than a consultation, overlapping', () => {
    const errors = validateDraft(t, {
      slotMinutes: '30',
      bookingHorizonDays: '60',
      periods: [
        period('reversed', 1, '12:00', '09:00'),
        period('short', 2, '09:00', '09:20'),
        period('first', 3, '09:00', '12:00'),
        period('overlap', 3, '11:30', '13:00'),
        period('empty', 4, '', '10:00'),
      ],
    });
    expect(errors.periods).toEqual({
      reversed: 'openingHours.errors.endBeforeStart',
      short: 'openingHours.errors.tooShort',
      overlap: 'openingHours.errors.overlap',
      empty: 'openingHours.errors.time',
    });
  });

  it('checks the consultation length and the booking horizon', () => {
    const errors = validateDraft(t, { slotMinutes: '3', bookingHorizonDays: '400', periods: [] });
    expect(errors.slotMinutes).toBeDefined();
    expect(errors.bookingHorizonDays).toBeDefined();
  });

  it('puts the server’s issues on the periods as they were sent (by weekday, then start)', () => {
    const draft = [period('wed', 3, '09:00', '12:00'), period('mon', 1, '14:00', '15:00')];
    const sent = orderedPeriods(draft);
    expect(sent.map((p) => p.key)).toEqual(['mon', 'wed']);
    const errors = serverErrors(
      t,
      [
        { path: 'periods.1.range', reason: 'invalid' },
        { path: 'weekday.1.overlap', reason: 'invalid' },
        { path: 'slot_length', reason: 'invalid' },
      ],
      sent,
    );
    expect(errors.periods).toEqual({ wed: 'openingHours.errors.period' });
    expect(errors.days).toEqual({ 1: 'openingHours.errors.overlap' });
    expect(errors.slotMinutes).toBeDefined();
  });

  it('copies one day to every other day, replacing their hours', () => {
    const copied = copyDayToAll([period('mon', 1, '00:00', '23:55'), period('tue', 2, '09:00', '10:00')], 1);
    expect(copied).toHaveLength(7);
    expect(new Set(copied.map((p) => p.weekday))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7]));
    expect(copied.every((p) => p.start === '00:00' && p.end === '23:55')).toBe(true);
    expect(new Set(copied.map((p) => p.key)).size).toBe(7);
  });

  it('suggests the morning, then the afternoon, then later hours', () => {
    const morning = nextPeriod([], 2);
    expect([morning.start, morning.end]).toEqual(['09:00', '12:00']);
    const afternoon = nextPeriod([morning], 2);
    expect([afternoon.start, afternoon.end]).toEqual(['14:00', '18:00']);
    const evening = nextPeriod([morning, afternoon], 2);
    expect([evening.start, evening.end]).toEqual(['19:00', '21:00']);
  });

  it('sums the week', () => {
    expect(
      weeklyTotals({
        slotMinutes: '20',
        bookingHorizonDays: '60',
        periods: [period('a', 1, '09:00', '12:00'), period('b', 2, '14:00', '15:10')],
      }),
    ).toEqual({ minutes: 250, slots: 12 });
  });
});
