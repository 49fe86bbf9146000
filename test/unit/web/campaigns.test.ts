import { describe, expect, it } from 'vitest';
import { labelIndexes, linearScale, linePath, niceTicks } from '../../../web/src/components/chart-scale';
import {
  audienceKey,
  EMPTY_AUDIENCE_FORM,
  fromAudience,
  listAudience,
  parseTags,
  toAudience,
  zonedToEpoch,
} from '../../../web/src/features/campaigns/audience-form';
import { percent, progressOf } from '../../../web/src/features/campaigns/format';

describe('chart scales', () => {
  it('maps a domain onto a range, inverted for the y axis, and a flat domain onto its start', () => {
    const y = linearScale([0, 100], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(25)).toBe(150);
    expect(y(100)).toBe(0);
    expect(linearScale([3, 3], [10, 50])(3)).toBe(10);
  });

  it('picks round whole-number ticks from zero up to the maximum', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(1)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(100)).toEqual([0, 50, 100]);
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(100_000)).toEqual([0, 50_000, 100_000]);
  });

  it('draws a path through the points', () => {
    expect(linePath([])).toBe('');
    expect(
      linePath([
        [0, 10],
        [5.25, 2],
      ]),
    ).toBe('M0.0 10.0 L5.3 2.0');
  });

  it('keeps axis labels sparse, always with the last one', () => {
    expect(labelIndexes(0, 6)).toEqual([]);
    expect(labelIndexes(4, 6)).toEqual([0, 1, 2, 3]);
    expect(labelIndexes(24, 6)).toEqual([0, 4, 8, 12, 16, 20, 23]);
    expect(labelIndexes(13, 6)).toEqual([0, 3, 6, 9, 12]);
  });
});

describe('audience form', () => {
  it('sends everyone in care by default', () => {
    expect(toAudience(EMPTY_AUDIENCE_FORM)).toEqual({
      ok: true,
      audience: {
        lastConsultationMonths: null,
        minAge: null,
        maxAge: null,
        sex: null,
        tags: [],
        includeRelatives: true,
      },
    });
  });

  it('reads ages, window, sex and tags as the server expects them', () => {
    const result = toAudience({
      window: '12',
      minAge: ' 65 ',
      maxAge: '90',
      sex: 'female',
      tags: 'Diabetes, , hypertension,diabetes',
      includeRelatives: false,
    });
    expect(result).toEqual({
      ok: true,
      audience: {
        lastConsultationMonths: 12,
        minAge: 65,
        maxAge: 90,
        sex: 'female',
        tags: ['diabetes', 'hypertension'],
        includeRelatives: false,
      },
    });
    if (result.ok)
      expect(fromAudience(result.audience)).toMatchObject({ minAge: '65', tags: 'diabetes, hypertension' });
  });

  it('reports what is wrong instead of counting', () => {
    expect(toAudience({ ...EMPTY_AUDIENCE_FORM, minAge: '6a' })).toEqual({
      ok: false,
      errors: { minAge: 'age' },
    });
    expect(toAudience({ ...EMPTY_AUDIENCE_FORM, maxAge: '131' })).toEqual({
      ok: false,
      errors: { maxAge: 'age' },
    });
    expect(toAudience({ ...EMPTY_AUDIENCE_FORM, minAge: '70', maxAge: '65' })).toEqual({
      ok: false,
      errors: { maxAge: 'ageOrder' },
    });
    const many = Array.from({ length: 11 }, (_, i) => `t${i}`).join(',');
    expect(toAudience({ ...EMPTY_AUDIENCE_FORM, tags: many })).toEqual({
      ok: false,
      errors: { tags: 'tagsTooMany' },
    });
    expect(toAudience({ ...EMPTY_AUDIENCE_FORM, tags: 'x'.repeat(41) })).toEqual({
      ok: false,
      errors: { tags: 'tagTooLong' },
    });
  });

  it('gives the same key to the same audience however its tags were typed', () => {
    const a = toAudience({ ...EMPTY_AUDIENCE_FORM, tags: 'b, a' });
    const b = toAudience({ ...EMPTY_AUDIENCE_FORM, tags: 'A,B' });
    const c = toAudience({ ...EMPTY_AUDIENCE_FORM, tags: 'a', minAge: '1' });
    if (!a.ok || !b.ok || !c.ok) throw new Error('valid forms');
    expect(audienceKey(a.audience)).toBe(audienceKey(b.audience));
    expect(audienceKey(a.audience)).not.toBe(audienceKey(c.audience));
    const listed = listAudience({ profileIds: ['p1', 'p2'] });
    expect(listed).toMatchObject({
      ok: true,
      audience: { profileIds: ['p1', 'p2'], includeRelatives: true },
    });
    expect(listAudience({ profileIds: [] }).ok).toBe(false);
    expect(listAudience(null).ok).toBe(false);
    if (listed.ok) expect(audienceKey(listed.audience)).not.toBe(audienceKey(a.audience));
    expect(parseTags(' ,, ')).toEqual([]);
  });
});

describe('scheduling in the practice time zone', () => {
  it('turns a wall-clock time into the instant, winter and summer', () => {
    expect(zonedToEpoch('2026-01-15', '09:00', 'Europe/Paris')).toBe(Date.UTC(2026, 0, 15, 8, 0));
    expect(zonedToEpoch('2026-07-15', '09:00', 'Europe/Rome')).toBe(Date.UTC(2026, 6, 15, 7, 0));
  });

  it('handles the nights of the clock changes and rejects impossible dates', () => {
    // 29 March 2026, 02:30 does not exist in Paris: it moves to 03:30 summer time.
    expect(zonedToEpoch('2026-03-29', '02:30', 'Europe/Paris')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    // 25 October 2026, 02:30 happens twice; either instant is a correct reading.
    expect([Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 9, 25, 1, 30)]).toContain(
      zonedToEpoch('2026-10-25', '02:30', 'Europe/Paris'),
    );
    expect(zonedToEpoch('2026-02-30', '09:00', 'Europe/Paris')).toBeNull();
    expect(zonedToEpoch('2026-02-10', '24:00', 'Europe/Paris')).toBeNull();
    expect(zonedToEpoch('', '09:00', 'Europe/Paris')).toBeNull();
  });
});

describe('campaign progress', () => {
  it('is a share of the recipients, complete for an empty audience', () => {
    expect(progressOf({ delivered: 0, totalRecipients: null })).toBe(0);
    expect(progressOf({ delivered: 0, totalRecipients: 0 })).toBe(1);
    expect(progressOf({ delivered: 250, totalRecipients: 1000 })).toBe(0.25);
    expect(percent(1, 3, 'en-GB')).toBe('33%');
    expect(percent(1, null, 'en-GB')).toBe('—');
  });
});
