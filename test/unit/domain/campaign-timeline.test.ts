import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { campaignTimeline } from '../../../src/domain/campaigns';

const paris = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Paris' }).toMillis();

describe('campaign timeline', () => {
  it('counts deliveries, reads and replies cumulatively, hour by hour in the practice time zone', () => {
    const started = paris('2026-11-02T09:40');
    const { bucket, points } = campaignTimeline(
      [
        { deliveredAt: paris('2026-11-02T09:41'), readAt: paris('2026-11-02T10:05'), repliedAt: null },
        {
          deliveredAt: paris('2026-11-02T09:42'),
          readAt: paris('2026-11-02T11:30'),
          repliedAt: paris('2026-11-02T11:31'),
        },
        { deliveredAt: paris('2026-11-02T10:10'), readAt: null, repliedAt: null },
        { deliveredAt: null, readAt: null, repliedAt: null },
      ],
      started,
      paris('2026-11-02T11:50'),
      'Europe/Paris',
    );
    expect(bucket).toBe('hour');
    expect(points).toEqual([
      { at: paris('2026-11-02T09:00'), delivered: 2, read: 0, replied: 0 },
      { at: paris('2026-11-02T10:00'), delivered: 3, read: 1, replied: 0 },
      { at: paris('2026-11-02T11:00'), delivered: 3, read: 2, replied: 1 },
    ]);
  });

  it('switches to days for long spans, with day boundaries at local midnight', () => {
    const { bucket, points } = campaignTimeline(
      [{ deliveredAt: paris('2026-03-28T23:30'), readAt: paris('2026-03-30T00:10'), repliedAt: null }],
      paris('2026-03-28T23:00'),
      paris('2026-04-02T12:00'),
      'Europe/Paris',
    );
    expect(bucket).toBe('day');
    // The change to summer time (29 March) does not shift the boundaries.
    expect(points.map((p) => DateTime.fromMillis(p.at, { zone: 'Europe/Paris' }).toISO())).toEqual([
      '2026-03-28T00:00:00.000+01:00',
      '2026-03-29T00:00:00.000+01:00',
      '2026-03-30T00:00:00.000+02:00',
      '2026-03-31T00:00:00.000+02:00',
      '2026-04-01T00:00:00.000+02:00',
      '2026-04-02T00:00:00.000+02:00',
    ]);
    expect(points.map((p) => p.read)).toEqual([0, 0, 1, 1, 1, 1]);
  });

  it('never counts a read before its delivery, and keeps at most 120 buckets', () => {
    const start = paris('2026-01-01T00:00');
    const { points } = campaignTimeline(
      [{ deliveredAt: start + 1000, readAt: start, repliedAt: start }],
      start,
      paris('2026-12-31T00:00'),
      'Europe/Paris',
    );
    expect(points).toHaveLength(120);
    // Events older than the first bucket shown are folded into it.
    expect(points[0]).toMatchObject({ delivered: 1, read: 1, replied: 1 });
  });

  it('has one empty point when sending just started', () => {
    const now = paris('2026-05-05T08:15');
    expect(campaignTimeline([], now, now, 'Europe/Rome').points).toEqual([
      { at: paris('2026-05-05T08:00'), delivered: 0, read: 0, replied: 0 },
    ]);
  });
});
