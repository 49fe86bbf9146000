import { DateTime } from 'luxon';
import { ageOn } from './care';

/** Who a campaign goes to. Prevention and practice information only: never marketing. */
export interface AudienceDefinition {
  /** Only patients seen within this many months; null: any consultation. */
  lastConsultationMonths: number | null;
  minAge: number | null;
  maxAge: number | null;
  sex: 'female' | 'male' | null;
  /** Practice tags a patient must all carry (e.g. "diabetes"). */
  tags: string[];
  /** Relatives managed by an account holder (children, dependants) are included. */
  includeRelatives: boolean;
}

export interface AudienceCandidate {
  profileId: string;
  birthDate: string;
  sex: 'female' | 'male' | 'other' | null;
  relationship: 'self' | 'child' | 'dependent';
  tags: readonly string[];
  lastConsultationAt: number;
  optedOut: boolean;
}

/**
 * The recipients of a campaign among a practice's linked patients, with ages computed at the send date.
 * Patients who opted out of the practice's campaigns are never included; they are counted apart.
 */
export function selectAudience(
  candidates: readonly AudienceCandidate[],
  audience: AudienceDefinition,
  sendDate: string,
  windowStart: number | null,
) {
  const recipients: string[] = [];
  let optedOut = 0;
  for (const c of candidates) {
    if (!audience.includeRelatives && c.relationship !== 'self') continue;
    if (windowStart !== null && c.lastConsultationAt < windowStart) continue;
    const age = ageOn(c.birthDate, sendDate);
    if (audience.minAge !== null && age < audience.minAge) continue;
    if (audience.maxAge !== null && age > audience.maxAge) continue;
    if (audience.sex !== null && c.sex !== audience.sex) continue;
    if (!audience.tags.every((tag) => c.tags.includes(tag))) continue;
    if (c.optedOut) {
      optedOut++;
      continue;
    }
    recipients.push(c.profileId);
  }
  return { recipients, optedOut };
}

/** When one recipient got, read and answered a campaign (epoch ms; null: not yet). */
export interface RecipientEvents {
  deliveredAt: number | null;
  readAt: number | null;
  repliedAt: number | null;
}

export interface TimelinePoint {
  at: number;
  delivered: number;
  read: number;
  replied: number;
}

/** Sending spans up to this long are shown hour by hour; longer ones day by day. */
const HOURLY_SPAN_MS = 72 * 3_600_000;
/** A chart stays readable: beyond this many buckets the oldest are dropped (their counts stay in the totals). */
const MAX_POINTS = 120;

/**
 * Cumulative delivered / read / replied counts at the end of each bucket, from the bucket where sending
 * started to the one holding `until`, bucket boundaries in the practice's time zone. A read or reply is
 * never counted before the delivery it follows.
 */
export function campaignTimeline(
  recipients: readonly RecipientEvents[],
  startedAt: number,
  until: number,
  zone: string,
): { bucket: 'hour' | 'day'; points: TimelinePoint[] } {
  const end = Math.max(until, startedAt);
  const bucket = end - startedAt <= HOURLY_SPAN_MS ? 'hour' : 'day';
  const starts: number[] = [];
  let cursor = DateTime.fromMillis(startedAt, { zone }).startOf(bucket);
  while (cursor.toMillis() <= end) {
    starts.push(cursor.toMillis());
    cursor = cursor.plus(bucket === 'hour' ? { hours: 1 } : { days: 1 });
  }
  const shown = starts.slice(-MAX_POINTS);
  const indexOf = (at: number) => {
    // The last bucket starting at or before `at` (buckets dropped from the front fold into the first shown).
    let low = 0;
    let high = shown.length - 1;
    if (at < shown[0]!) return 0;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (shown[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  const delivered = new Array<number>(shown.length).fill(0);
  const read = new Array<number>(shown.length).fill(0);
  const replied = new Array<number>(shown.length).fill(0);
  for (const r of recipients) {
    if (r.deliveredAt === null) continue;
    delivered[indexOf(r.deliveredAt)]!++;
    if (r.readAt !== null) read[indexOf(Math.max(r.readAt, r.deliveredAt))]!++;
    if (r.repliedAt !== null) replied[indexOf(Math.max(r.repliedAt, r.deliveredAt))]!++;
  }
  const points: TimelinePoint[] = [];
  let d = 0;
  let rd = 0;
  let rp = 0;
  shown.forEach((at, i) => {
    d += delivered[i]!;
    rd += read[i]!;
    rp += replied[i]!;
    points.push({ at, delivered: d, read: rd, replied: rp });
  });
  return { bucket, points };
}
