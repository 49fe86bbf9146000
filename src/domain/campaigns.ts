import { DateTime } from 'luxon';
import { ageOn, matchKey } from './care';
import { FIELD_ALIASES, normaliseHeader, parseDate } from './consultation-import';

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
  /** A list of patients (from a CSV matched against the practice's records): only they may receive it. */
  profileIds?: string[] | undefined;
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
  const listed = audience.profileIds ? new Set(audience.profileIds) : null;
  for (const c of candidates) {
    if (listed && !listed.has(c.profileId)) continue;
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

/**
 * How long a campaign's fan-out rests after a batch (ms). As long as the batch took, so that it works at
 * most half of the time and leaves the cores to the requests it shares them with; but never so long that
 * the campaign would finish after its deadline: the time left beyond the work still expected (at the
 * pace of the batches so far) is shared among the batches still to go. No rest after the last batch.
 */
export function restAfterBatch(fanOut: {
  /** How long this batch took. */
  batchMs: number;
  /** Now and the deadline, on the same clock. */
  now: number;
  deadline: number;
  /** Time spent on batches so far, this one included, and the recipients they went through. */
  workedMs: number;
  done: number;
  /** Recipients still to go, and how many go in a batch. */
  remaining: number;
  batchSize: number;
}): number {
  if (fanOut.remaining <= 0) return 0;
  const expectedWork = (fanOut.workedMs / Math.max(1, fanOut.done)) * fanOut.remaining;
  const batchesLeft = Math.ceil(fanOut.remaining / fanOut.batchSize);
  const share = (fanOut.deadline - fanOut.now - expectedWork) / batchesLeft;
  return Math.max(0, Math.min(fanOut.batchMs, share));
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

export interface ListEntry {
  line: number;
  name: string;
  matchKey: string;
}

export interface ListProblem {
  line: number;
  name: string;
  reason: 'missing' | 'invalid_date' | 'not_found' | 'not_on_missive';
}

/**
 * Reads a list of patients for a campaign: a header row naming the last name, first name and birth date
 * columns (French, Italian or English, any order, other columns ignored), then one patient per row.
 * Rows that cannot be read are reported with their line; a patient listed twice counts once.
 */
export function readPatientList(records: readonly (readonly string[])[]): {
  entries: ListEntry[];
  problems: ListProblem[];
  missingColumns: string[];
} {
  const [header, ...body] = records;
  const normalised = (header ?? []).map(normaliseHeader);
  const column = (field: 'lastName' | 'firstName' | 'birthDate') =>
    normalised.findIndex((h) => FIELD_ALIASES[field].includes(h));
  const columns = {
    lastName: column('lastName'),
    firstName: column('firstName'),
    birthDate: column('birthDate'),
  };
  const missingColumns = Object.entries(columns)
    .filter(([, index]) => index === -1)
    .map(([field]) => field);
  if (missingColumns.length > 0) return { entries: [], problems: [], missingColumns };
  const entries: ListEntry[] = [];
  const problems: ListProblem[] = [];
  const seen = new Set<string>();
  body.forEach((record, index) => {
    const line = index + 2;
    if (record.every((cell) => cell.trim() === '')) return;
    const cell = (field: keyof typeof columns) => (record[columns[field]] ?? '').trim();
    const name = `${cell('firstName')} ${cell('lastName')}`.trim();
    if (!cell('lastName') || !cell('firstName') || !cell('birthDate')) {
      problems.push({ line, name, reason: 'missing' });
      return;
    }
    const birthDate = parseDate(cell('birthDate'));
    if (!birthDate) {
      problems.push({ line, name, reason: 'invalid_date' });
      return;
    }
    const key = matchKey(cell('lastName'), cell('firstName'), birthDate);
    if (seen.has(key)) return;
    seen.add(key);
    entries.push({ line, name, matchKey: key });
  });
  return { entries, problems, missingColumns };
}
