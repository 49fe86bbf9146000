import { DateTime } from 'luxon';

/** Rules of patient messaging: who may write, limits, status workflow, response times, absences. */

export const CATEGORIES = ['health_question', 'renewal', 'test_results', 'administrative'] as const;
export type Category = (typeof CATEGORIES)[number];

export const STATUSES = ['open', 'in_progress', 'waiting_patient', 'closed'] as const;
export type ConversationStatus = (typeof STATUSES)[number];

export interface CategorySetting {
  enabled: boolean;
  /** Expected response time in working days, shown to the patient before sending. */
  responseDays: number;
}

export interface MessagingSettings {
  open: boolean;
  repliesWhenClosed: boolean;
  /** Months since the last attended consultation within which a patient may write; null: any time. */
  windowMonths: number | null;
  allowRelatives: boolean;
  categories: Record<Category, CategorySetting>;
  maxOpenConversations: number;
  dailyMessageCap: number;
  absence: { from: string; until: string; message: string; coveringPractitionerId: string | null } | null;
  autoCloseDays: number;
}

export const DEFAULT_SETTINGS: MessagingSettings = {
  open: false,
  repliesWhenClosed: true,
  windowMonths: 24,
  allowRelatives: true,
  categories: {
    health_question: { enabled: true, responseDays: 2 },
    renewal: { enabled: true, responseDays: 3 },
    test_results: { enabled: true, responseDays: 2 },
    administrative: { enabled: true, responseDays: 2 },
  },
  maxOpenConversations: 2,
  dailyMessageCap: 10,
  absence: null,
  autoCloseDays: 14,
};

export type RefusalReason =
  | 'MISSIVE_MESSAGING_CLOSED'
  | 'MISSIVE_NO_CARE_RELATIONSHIP'
  | 'MISSIVE_CONSULTATION_TOO_OLD'
  | 'MISSIVE_RELATIVES_NOT_ALLOWED'
  | 'MISSIVE_CATEGORY_NOT_OFFERED'
  | 'MISSIVE_TOO_MANY_OPEN_CONVERSATIONS'
  | 'MISSIVE_DAILY_LIMIT_REACHED';

/** Refusals after which the patient is offered the practitioner's booking page instead. */
export const BOOKING_SUGGESTED: ReadonlySet<RefusalReason> = new Set([
  'MISSIVE_MESSAGING_CLOSED',
  'MISSIVE_NO_CARE_RELATIONSHIP',
  'MISSIVE_CONSULTATION_TOO_OLD',
]);

export interface StartFacts {
  settings: MessagingSettings;
  /** Last attended consultation of this profile with this practitioner, or null when none. */
  lastConsultationAt: number | null;
  /** The conversation is about a relative the account holder manages (not the holder themself). */
  forRelative: boolean;
  category: Category | null;
  openConversations: number;
  messagesToday: number;
  now: number;
}

/** Whether a patient may start a conversation; the first refusal reason otherwise, in the order patients understand. */
export function refusalToStart(facts: StartFacts): RefusalReason | null {
  const { settings } = facts;
  if (!settings.open) return 'MISSIVE_MESSAGING_CLOSED';
  if (facts.lastConsultationAt === null) return 'MISSIVE_NO_CARE_RELATIONSHIP';
  if (settings.windowMonths !== null) {
    const limit = DateTime.fromMillis(facts.now).minus({ months: settings.windowMonths }).toMillis();
    if (facts.lastConsultationAt < limit) return 'MISSIVE_CONSULTATION_TOO_OLD';
  }
  if (facts.forRelative && !settings.allowRelatives) return 'MISSIVE_RELATIVES_NOT_ALLOWED';
  if (facts.category !== null && !settings.categories[facts.category].enabled)
    return 'MISSIVE_CATEGORY_NOT_OFFERED';
  if (facts.openConversations >= settings.maxOpenConversations) return 'MISSIVE_TOO_MANY_OPEN_CONVERSATIONS';
  if (facts.messagesToday >= settings.dailyMessageCap) return 'MISSIVE_DAILY_LIMIT_REACHED';
  return null;
}

export type ReplyRefusal =
  | 'MISSIVE_CONVERSATION_CLOSED'
  | 'MISSIVE_REPLIES_DISABLED'
  | 'MISSIVE_MESSAGING_CLOSED'
  | 'MISSIVE_DAILY_LIMIT_REACHED';

/** Whether a patient may reply in an existing conversation. */
export function refusalToReply(facts: {
  status: ConversationStatus;
  patientMayReply: boolean;
  settings: MessagingSettings;
  messagesToday: number;
}): ReplyRefusal | null {
  if (!facts.patientMayReply) return 'MISSIVE_REPLIES_DISABLED';
  if (facts.status === 'closed') return 'MISSIVE_CONVERSATION_CLOSED';
  if (!facts.settings.open && !facts.settings.repliesWhenClosed) return 'MISSIVE_MESSAGING_CLOSED';
  if (facts.messagesToday >= facts.settings.dailyMessageCap) return 'MISSIVE_DAILY_LIMIT_REACHED';
  return null;
}

/** Practice-side status changes: any open state to any other; a closed conversation can only be reopened. */
export function canChangeStatus(from: ConversationStatus, to: ConversationStatus): boolean {
  if (from === to) return false;
  if (from === 'closed') return to === 'open';
  return true;
}

/** The status after a message: a patient's message puts the ball in the practice's court, a practice reply in the patient's. */
export function statusAfterMessage(
  current: ConversationStatus,
  side: 'patient' | 'practice',
): ConversationStatus {
  if (current === 'closed') return current;
  if (side === 'patient') return current === 'waiting_patient' ? 'open' : current;
  return 'waiting_patient';
}

/** Adds working days (Monday–Friday) in a time zone; the deadline is the end of the last working day. */
export function addWorkingDays(from: number, days: number, timeZone: string): number {
  let day = DateTime.fromMillis(from, { zone: timeZone });
  let remaining = days;
  while (remaining > 0) {
    day = day.plus({ days: 1 });
    if (day.weekday <= 5) remaining--;
  }
  return day.endOf('day').toMillis();
}

/** Whether the practitioner is away on this (practice-local) date. */
export function isAbsent(settings: MessagingSettings, now: number, timeZone: string): boolean {
  if (!settings.absence) return false;
  const today = DateTime.fromMillis(now, { zone: timeZone }).toISODate()!;
  return settings.absence.from <= today && today <= settings.absence.until;
}

/** Idle conversations close by themselves after the configured number of days without a message. */
export function isIdle(lastMessageAt: number, now: number, autoCloseDays: number): boolean {
  return now - lastMessageAt >= autoCloseDays * 86_400_000;
}

/** Assistants answer administrative requests; medical categories are for practitioners. */
export function mayReplyInCategory(role: 'practitioner' | 'assistant', category: Category): boolean {
  return role === 'practitioner' || category === 'administrative';
}
