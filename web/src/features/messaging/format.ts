import type { TFunction } from 'i18next';
import type { BadgeTone } from '../../components/badge';
import { intlLocale } from '../../lib/format';
import type { Category, ConversationStatus } from './api';

export const CATEGORIES: readonly Category[] = [
  'health_question',
  'renewal',
  'test_results',
  'administrative',
];
export const STATUSES: readonly ConversationStatus[] = ['open', 'in_progress', 'waiting_patient', 'closed'];

export const STATUS_TONE: Record<ConversationStatus, BadgeTone> = {
  open: 'primary',
  in_progress: 'warning',
  waiting_patient: 'neutral',
  closed: 'neutral',
};

/** The status as the patient reads it ("Sent", "Being handled", "Answered", "Closed"). */
export function patientStatus(t: TFunction, status: ConversationStatus): string {
  return t(`messaging.patientStatus.${status}`);
}

/** The status as the practice reads it ("To handle", "In progress", "Waiting for the patient", "Closed"). */
export function practiceStatus(t: TFunction, status: ConversationStatus): string {
  return t(`inbox.status.${status}`);
}

export function categoryLabel(t: TFunction, category: Category): string {
  return t(`messaging.categories.${category}.label`);
}

/** The kind of request in a few words, for badges in lists. */
export function categoryShort(t: TFunction, category: Category): string {
  return t(`messaging.categories.${category}.short`);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "3 min", "5 h", "2 days": how long something has been waiting, in the largest whole unit. */
export function durationText(t: TFunction, milliseconds: number): string {
  const ms = Math.max(0, milliseconds);
  if (ms < HOUR) return t('messaging.duration.minutes', { count: Math.max(1, Math.floor(ms / MINUTE)) });
  if (ms < DAY) return t('messaging.duration.hours', { count: Math.floor(ms / HOUR) });
  return t('messaging.duration.days', { count: Math.floor(ms / DAY) });
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** A message time: "14:05" today, "12 Mar, 14:05" this year, "12 Mar 2025" before. In the viewer's time zone. */
export function formatWhen(epochMs: number, language: string, now: number = Date.now()): string {
  const date = new Date(epochMs);
  const today = new Date(now);
  const locale = intlLocale(language);
  if (sameDay(date, today))
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      date,
    );
  if (date.getFullYear() === today.getFullYear())
    return new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(date);
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}

/** The full date and time, for a tooltip-free <time> title and screen readers. */
export function formatFull(epochMs: number, language: string): string {
  return new Intl.DateTimeFormat(intlLocale(language), {
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(new Date(epochMs));
}

/** The page a patient books from (the booking screens' route), for a given person when known. */
export function consultationPath(
  practitioner: { practiceId: string; practitionerId: string },
  forProfile?: string,
) {
  const path = `/book/${encodeURIComponent(practitioner.practiceId)}/${encodeURIComponent(practitioner.practitionerId)}`;
  return forProfile ? `${path}?for=${encodeURIComponent(forProfile)}` : path;
}

/** A new idempotency key for one message: generated once, reused for every retry of that message. */
export function newClientMessageId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function')
    return crypto.randomUUID().replace(/-/g, '');
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
