import type { z } from 'zod';
import type { AudienceSchema } from '../../../../src/contracts/campaigns';

export type Audience = z.infer<typeof AudienceSchema>;

/** The audience builder as the practitioner types it: text fields are kept as typed until sent. */
export type AudienceForm = {
  /** Months since the last consultation ("" for any). */
  window: string;
  minAge: string;
  maxAge: string;
  sex: '' | 'female' | 'male';
  /** Practice tags, separated by commas. */
  tags: string;
  includeRelatives: boolean;
};

export type AudienceField = 'minAge' | 'maxAge' | 'tags';
export type AudienceErrors = Partial<
  Record<AudienceField, 'age' | 'ageOrder' | 'tagsTooMany' | 'tagTooLong'>
>;

export const EMPTY_AUDIENCE_FORM: AudienceForm = {
  window: '',
  minAge: '',
  maxAge: '',
  sex: '',
  tags: '',
  includeRelatives: true,
};

export const WINDOW_MONTHS = [6, 12, 24, 36] as const;
const MAX_TAGS = 10;
const MAX_TAG_LENGTH = 40;

/** Tags as the server stores them: trimmed, lower case, without duplicates or empty entries. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((tag) => tag.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(tags)];
}

function parseAge(text: string): number | null | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d{1,3}$/.test(trimmed)) return 'invalid';
  const value = Number(trimmed);
  return value > 130 ? 'invalid' : value;
}

/** The audience to count and send, or what is wrong with the form (no request is made then). */
export function toAudience(
  form: AudienceForm,
): { ok: true; audience: Audience } | { ok: false; errors: AudienceErrors } {
  const errors: AudienceErrors = {};
  const minAge = parseAge(form.minAge);
  const maxAge = parseAge(form.maxAge);
  if (minAge === 'invalid') errors.minAge = 'age';
  if (maxAge === 'invalid') errors.maxAge = 'age';
  if (typeof minAge === 'number' && typeof maxAge === 'number' && maxAge < minAge) errors.maxAge = 'ageOrder';
  const tags = parseTags(form.tags);
  if (tags.length > MAX_TAGS) errors.tags = 'tagsTooMany';
  else if (tags.some((tag) => tag.length > MAX_TAG_LENGTH)) errors.tags = 'tagTooLong';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    audience: {
      lastConsultationMonths: form.window === '' ? null : Number(form.window),
      minAge: minAge as number | null,
      maxAge: maxAge as number | null,
      sex: form.sex === '' ? null : form.sex,
      tags,
      includeRelatives: form.includeRelatives,
    },
  };
}

/** The audience of a matched CSV list: only the listed patients, relatives among them included. */
export function listAudience(
  match: { profileIds: readonly string[] } | null,
): { ok: true; audience: Audience } | { ok: false; errors: AudienceErrors } {
  if (!match || match.profileIds.length === 0) return { ok: false, errors: {} };
  return {
    ok: true,
    audience: {
      lastConsultationMonths: null,
      minAge: null,
      maxAge: null,
      sex: null,
      tags: [],
      includeRelatives: true,
      profileIds: [...match.profileIds],
    },
  };
}

/** The form showing an audience already sent (the campaign page). */
export function fromAudience(audience: Audience): AudienceForm {
  return {
    window: audience.lastConsultationMonths === null ? '' : String(audience.lastConsultationMonths),
    minAge: audience.minAge === null ? '' : String(audience.minAge),
    maxAge: audience.maxAge === null ? '' : String(audience.maxAge),
    sex: audience.sex ?? '',
    tags: audience.tags.join(', '),
    includeRelatives: audience.includeRelatives,
  };
}

/** A stable key of an audience: the live count asks again only when it changes. */
export function audienceKey(audience: Audience): string {
  return JSON.stringify([
    audience.lastConsultationMonths,
    audience.minAge,
    audience.maxAge,
    audience.sex,
    [...audience.tags].sort(),
    audience.includeRelatives,
    audience.profileIds ?? null,
  ]);
}

/**
 * The instant of a wall-clock date and time in a time zone (the practice's), with Intl only: the offset is
 * read at the guessed instant and corrected once, which settles on either side of a DST change. A time
 * that does not exist (spring forward) moves to the next valid one.
 */
export function zonedToEpoch(date: string, time: string, timeZone: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const clock = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match || !clock) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const [, hh, mm] = clock.map(Number) as [number, number, number];
  if (hh > 23 || mm > 59) return null;
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  if (new Date(wall).getUTCDate() !== d) return null;
  const offsetAt = (instant: number) => {
    const parts: Record<string, number> = {};
    for (const part of new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(instant)))
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
    return asUtc - Math.floor(instant / 60_000) * 60_000;
  };
  const first = wall - offsetAt(wall);
  const second = wall - offsetAt(first);
  return offsetAt(second) === offsetAt(first) ? second : Math.max(first, second);
}
