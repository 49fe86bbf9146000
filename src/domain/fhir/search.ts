/** FHIR search rules without I/O: date parameters, page cursors, Bundles and OperationOutcomes. */
import type { FhirResource } from './resources';

export interface TimeRange {
  /** Inclusive lower bound, epoch ms. */
  from?: number;
  /** Exclusive upper bound, epoch ms. */
  to?: number;
}

const DATE_VALUE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** The interval a FHIR date value stands for (a year, a month, a day or an instant); dates are UTC days. */
export function dateInterval(value: string): { start: number; end: number } | null {
  const m = DATE_VALUE.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (h !== undefined) {
    const start = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ?? ''}${zone}`);
    if (Number.isNaN(start)) return null;
    // A time without seconds covers its minute, with seconds its second.
    return { start, end: start + (s === undefined ? 60_000 : frac ? 1 : 1_000) };
  }
  const year = Number(y);
  const month = mo === undefined ? 0 : Number(mo) - 1;
  const day = d === undefined ? 1 : Number(d);
  if (month > 11 || day < 1 || day > 31) return null;
  const start = Date.UTC(year, month, day);
  if (new Date(start).getUTCDate() !== day) return null;
  const end =
    d !== undefined
      ? Date.UTC(year, month, day + 1)
      : mo !== undefined
        ? Date.UTC(year, month + 1, 1)
        : Date.UTC(year + 1, 0, 1);
  return { start, end };
}

/**
 * Combines `date=ge2026-01-01&date=lt2026-02` style parameters into one range. Supported prefixes:
 * eq (default), ge, gt, le, lt. Returns null when a value cannot be read.
 */
export function parseDateParams(values: readonly string[]): TimeRange | null {
  const range: TimeRange = {};
  const narrow = (from?: number, to?: number) => {
    if (from !== undefined) range.from = range.from === undefined ? from : Math.max(range.from, from);
    if (to !== undefined) range.to = range.to === undefined ? to : Math.min(range.to, to);
  };
  for (const raw of values) {
    const prefixed = /^(eq|ge|gt|le|lt)(.*)$/.exec(raw);
    const prefix = prefixed ? prefixed[1] : 'eq';
    const interval = dateInterval(prefixed ? prefixed[2]! : raw);
    if (!interval) return null;
    if (prefix === 'eq') narrow(interval.start, interval.end);
    else if (prefix === 'ge') narrow(interval.start);
    else if (prefix === 'gt') narrow(interval.end);
    else if (prefix === 'le') narrow(undefined, interval.end);
    else narrow(undefined, interval.start);
  }
  return range;
}

/** Position after the last entry of a page: the sort key and the id that breaks ties. */
export interface PagePosition {
  key: number;
  id: string;
}

/** Page cursors are opaque to clients: base64url of the position. They are checked when read back. */
export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): PagePosition | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      /^[0-9a-f-]{36}$/.test(value[1])
    ) {
      return { key: value[0] as number, id: value[1] };
    }
  } catch {
    // Falls through: an unreadable cursor is a bad request, not a crash.
  }
  return null;
}

/** Whether an entry sorts after a page position (sort key, then id). */
export function isAfter(entry: PagePosition, position: PagePosition | null): boolean {
  if (!position) return true;
  return entry.key > position.key || (entry.key === position.key && entry.id > position.id);
}

export function comparePositions(a: PagePosition, b: PagePosition): number {
  return a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface FhirBundle extends FhirResource {
  resourceType: 'Bundle';
  type: 'searchset' | 'collection';
  link?: { relation: string; url: string }[];
  entry: { fullUrl: string; resource: FhirResource; search?: { mode: 'match' } }[];
}

export function searchsetBundle(input: {
  selfUrl: string;
  nextUrl: string | null;
  baseUrl: string;
  resources: FhirResource[];
  now: number;
}): FhirBundle {
  const link = [{ relation: 'self', url: input.selfUrl }];
  if (input.nextUrl) link.push({ relation: 'next', url: input.nextUrl });
  return {
    resourceType: 'Bundle',
    id: crypto.randomUUID(),
    meta: { lastUpdated: new Date(input.now).toISOString() },
    type: 'searchset',
    timestamp: new Date(input.now).toISOString(),
    link,
    entry: input.resources.map((resource) => ({
      fullUrl: `${input.baseUrl}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' as const },
    })),
  };
}

/** A set of resources filed together (a conversation's export, a patient's whole record). */
export function collectionBundle(input: {
  baseUrl: string;
  resources: FhirResource[];
  now: number;
}): FhirBundle {
  const seen = new Set<string>();
  const unique = input.resources.filter((r) => {
    const key = `${r.resourceType}/${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    resourceType: 'Bundle',
    id: crypto.randomUUID(),
    meta: { lastUpdated: new Date(input.now).toISOString() },
    type: 'collection',
    timestamp: new Date(input.now).toISOString(),
    entry: unique.map((resource) => ({
      fullUrl: `${input.baseUrl}/${resource.resourceType}/${resource.id}`,
      resource,
    })),
  };
}

const ISSUE_CODES: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  429: 'throttled',
};

/** The FHIR shape of an error: the API's code goes in `details`, the English text in `diagnostics`. */
export function operationOutcome(input: {
  status: number;
  code: string;
  message: string;
  requestId: string;
  issues?: { path: string; reason: string }[] | undefined;
}): FhirResource {
  const code = ISSUE_CODES[input.status] ?? 'exception';
  const severity = input.status >= 500 ? 'fatal' : 'error';
  const details = { coding: [{ system: 'urn:missive:error-code', code: input.code }], text: input.message };
  const issue =
    input.issues && input.issues.length > 0
      ? input.issues.map((i) => ({
          severity,
          code,
          details,
          diagnostics: `${i.path}: ${i.reason}`,
          expression: [i.path],
        }))
      : [{ severity, code, details, diagnostics: input.message }];
  return { resourceType: 'OperationOutcome', id: input.requestId, issue };
}
