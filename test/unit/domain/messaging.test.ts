import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  canChangeStatus,
  DEFAULT_SETTINGS,
  isAbsent,
  isIdle,
  mayReplyInCategory,
  refusalToReply,
  refusalToStart,
  statusAfterMessage,
} from '../../../src/domain/messaging';
import { ManualClock } from '../../../src/platform/clock/clock';

const clock = new ManualClock(Date.UTC(2026, 10, 25, 10));
const DAY = 86_400_000;
const open = { ...DEFAULT_SETTINGS, open: true };
const facts = {
  settings: open,
  lastConsultationAt: clock.now() - 30 * DAY,
  forRelative: false,
  category: 'health_question' as const,
  openConversations: 0,
  messagesToday: 0,
  now: clock.now(),
};

describe('who may start a conversation', () => {
  it('is closed by default', () => {
    expect(DEFAULT_SETTINGS.open).toBe(false);
    expect(refusalToStart({ ...facts, settings: DEFAULT_SETTINGS })).toBe('MISSIVE_MESSAGING_CLOSED');
  });

  it('gives each refusal reason in turn', () => {
    expect(refusalToStart(facts)).toBeNull();
    expect(refusalToStart({ ...facts, lastConsultationAt: null })).toBe('MISSIVE_NO_CARE_RELATIONSHIP');
    expect(refusalToStart({ ...facts, lastConsultationAt: clock.now() - 25 * 30 * DAY })).toBe(
      'MISSIVE_CONSULTATION_TOO_OLD',
    );
    expect(
      refusalToStart({
        ...facts,
        lastConsultationAt: clock.now() - 25 * 30 * DAY,
        settings: { ...open, windowMonths: null },
      }),
    ).toBeNull();
    expect(
      refusalToStart({ ...facts, forRelative: true, settings: { ...open, allowRelatives: false } }),
    ).toBe('MISSIVE_RELATIVES_NOT_ALLOWED');
    expect(
      refusalToStart({
        ...facts,
        category: 'test_results',
        settings: {
          ...open,
          categories: { ...open.categories, test_results: { enabled: false, responseDays: 2 } },
        },
      }),
    ).toBe('MISSIVE_CATEGORY_NOT_OFFERED');
    expect(refusalToStart({ ...facts, openConversations: 2 })).toBe('MISSIVE_TOO_MANY_OPEN_CONVERSATIONS');
    expect(refusalToStart({ ...facts, messagesToday: 10 })).toBe('MISSIVE_DAILY_LIMIT_REACHED');
  });

  it('counts the consultation window in calendar months from the injected clock', () => {
    const justInside = DateTime.fromMillis(clock.now()).minus({ months: 24 }).toMillis();
    expect(refusalToStart({ ...facts, lastConsultationAt: justInside })).toBeNull();
    expect(refusalToStart({ ...facts, lastConsultationAt: justInside - 1 })).toBe(
      'MISSIVE_CONSULTATION_TOO_OLD',
    );
  });
});

describe('replies, statuses and absences', () => {
  it('refuses patient replies with the most useful reason', () => {
    const base = { status: 'open' as const, patientMayReply: true, settings: open, messagesToday: 0 };
    expect(refusalToReply(base)).toBeNull();
    expect(refusalToReply({ ...base, patientMayReply: false, status: 'closed' })).toBe(
      'MISSIVE_REPLIES_DISABLED',
    );
    expect(refusalToReply({ ...base, status: 'closed' })).toBe('MISSIVE_CONVERSATION_CLOSED');
    expect(refusalToReply({ ...base, settings: { ...DEFAULT_SETTINGS, repliesWhenClosed: false } })).toBe(
      'MISSIVE_MESSAGING_CLOSED',
    );
    expect(refusalToReply({ ...base, settings: DEFAULT_SETTINGS })).toBeNull();
    expect(refusalToReply({ ...base, messagesToday: 10 })).toBe('MISSIVE_DAILY_LIMIT_REACHED');
  });

  it('moves the status with each side and allows only reopening a closed conversation', () => {
    expect(statusAfterMessage('waiting_patient', 'patient')).toBe('open');
    expect(statusAfterMessage('in_progress', 'patient')).toBe('in_progress');
    expect(statusAfterMessage('open', 'practice')).toBe('waiting_patient');
    expect(statusAfterMessage('closed', 'practice')).toBe('closed');
    expect(canChangeStatus('open', 'closed')).toBe(true);
    expect(canChangeStatus('closed', 'open')).toBe(true);
    expect(canChangeStatus('closed', 'in_progress')).toBe(false);
    expect(canChangeStatus('open', 'open')).toBe(false);
  });

  it('counts expected response times in working days', () => {
    // Friday 27 November 2026, 15:00 in Paris + 2 working days → end of Tuesday 1 December.
    const friday = DateTime.fromISO('2026-11-27T15:00', { zone: 'Europe/Paris' }).toMillis();
    expect(
      DateTime.fromMillis(addWorkingDays(friday, 2, 'Europe/Paris'), { zone: 'Europe/Paris' }).toFormat(
        'yyyy-MM-dd HH:mm',
      ),
    ).toBe('2026-12-01 23:59');
  });

  it('knows absences by local date, and idle conversations by delay', () => {
    const away = {
      ...open,
      absence: { from: '2026-11-25', until: '2026-11-30', message: 'Congés', coveringPractitionerId: null },
    };
    expect(isAbsent(away, clock.now(), 'Europe/Paris')).toBe(true);
    expect(isAbsent(away, clock.now() + 6 * DAY, 'Europe/Paris')).toBe(false);
    expect(isAbsent(open, clock.now(), 'Europe/Paris')).toBe(false);
    expect(isIdle(clock.now() - 14 * DAY, clock.now(), 14)).toBe(true);
    expect(isIdle(clock.now() - 13 * DAY, clock.now(), 14)).toBe(false);
  });

  it('keeps medical categories to practitioners', () => {
    expect(mayReplyInCategory('assistant', 'administrative')).toBe(true);
    expect(mayReplyInCategory('assistant', 'renewal')).toBe(false);
    expect(mayReplyInCategory('practitioner', 'health_question')).toBe(true);
  });
});
