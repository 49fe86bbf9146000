import { DateTime } from 'luxon';
import type { DirectoryEntry, Schedule, UpdateScheduleBody } from '../../contracts/care';
import {
  formatClock,
  generateSlots,
  type OpeningPeriod,
  parseClock,
  type Slot,
  validateWeeklyPattern,
} from '../../domain/schedule';
import type { Clock } from '../../platform/clock/clock';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import type { PracticesService } from '../practices/practices.service';
import * as repo from './appointments.repository';

export interface SchedulesDeps {
  store: Store;
  clock: Clock;
  practices: PracticesService;
}

export type SchedulesService = ReturnType<typeof createSchedulesService>;

const toPeriods = (json: string) => JSON.parse(json) as OpeningPeriod[];

/** Lower case, no accents, single spaces: for searching names as people type them. */
const fold = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Opening hours per practitioner and practice, and the free slots they produce. */
export function createSchedulesService(deps: SchedulesDeps) {
  const { store, clock, practices } = deps;
  const db = store.db;

  /** Practitioners manage their own hours; members with the agenda right manage everyone's in the practice. */
  async function requireScheduleAccess(auth: AuthContext, practiceId: string, practitionerId: string) {
    const member = await practices.requireMember(auth, practiceId);
    const rights = JSON.parse(member.rights) as string[];
    if (auth.user.id !== practitionerId && !rights.includes('agenda'))
      throw new AppError('MISSIVE_NOT_FOUND');
    const target = await practices.findMember(practiceId, practitionerId);
    if (target?.role !== 'practitioner') throw new AppError('MISSIVE_NOT_FOUND');
  }

  async function readSchedule(practiceId: string, practitionerId: string): Promise<Schedule> {
    const practice = await practices.findPractice(practiceId);
    if (!practice) throw new AppError('MISSIVE_NOT_FOUND');
    const [row, exceptions] = await Promise.all([
      repo.findSchedule(db, practitionerId, practiceId),
      repo.listExceptions(db, practitionerId, practiceId),
    ]);
    return {
      practitionerId,
      practiceId,
      timeZone: practice.time_zone,
      slotMinutes: row?.slot_minutes ?? 20,
      bookingHorizonDays: row?.booking_horizon_days ?? 60,
      periods: (row ? toPeriods(row.periods) : []).map((p) => ({
        weekday: p.weekday,
        start: formatClock(p.startMinute),
        end: formatClock(p.endMinute),
      })),
      exceptions: exceptions.map((e) => ({
        id: e.id,
        startsOn: e.starts_on,
        endsOn: e.ends_on,
        label: e.label,
      })),
    };
  }

  /**
   * Free slots of a practitioner at a practice between two instants: the weekly pattern minus exceptions
   * and live appointments, never in the past nor beyond the booking horizon.
   */
  async function freeSlots(
    practitionerId: string,
    practiceId: string,
    from: number,
    to: number,
  ): Promise<{ timeZone: string; slots: Slot[]; horizonEndsAt: number | null }> {
    const practice = await practices.findPractice(practiceId);
    const schedule = await repo.findSchedule(db, practitionerId, practiceId);
    if (!practice || !schedule || !(await repo.isBookable(db, practitionerId, practiceId)))
      return { timeZone: practice?.time_zone ?? 'Europe/Paris', slots: [], horizonEndsAt: null };
    const now = clock.now();
    const start = Math.max(from, now);
    const end = Math.min(to, now + schedule.booking_horizon_days * 86_400_000);
    if (end <= start)
      return {
        timeZone: practice.time_zone,
        slots: [],
        horizonEndsAt: now + schedule.booking_horizon_days * 86_400_000,
      };
    const fromDate = DateTime.fromMillis(start, { zone: practice.time_zone }).toISODate()!;
    const [exceptions, booked] = await Promise.all([
      repo.listExceptions(db, practitionerId, practiceId, fromDate),
      repo.liveAppointmentStarts(db, practitionerId, start, end),
    ]);
    const taken = new Set(booked.map((b) => b.starts_at));
    const slots = generateSlots({
      periods: toPeriods(schedule.periods),
      exceptions: exceptions.map((e) => ({ startsOn: e.starts_on, endsOn: e.ends_on })),
      slotMinutes: schedule.slot_minutes,
      timeZone: practice.time_zone,
      from: start,
      to: end,
    }).filter((slot) => !taken.has(slot.startsAt));
    return {
      timeZone: practice.time_zone,
      slots,
      horizonEndsAt: now + schedule.booking_horizon_days * 86_400_000,
    };
  }

  async function saveSchedule(
    practiceId: string,
    practitionerId: string,
    body: UpdateScheduleBody,
    actor: Actor,
  ): Promise<void> {
    const periods = body.periods.map((p) => ({
      weekday: p.weekday,
      startMinute: parseClock(p.start),
      endMinute: parseClock(p.end),
    }));
    const problems = validateWeeklyPattern(periods, body.slotMinutes);
    if (problems.length > 0)
      throw new AppError(
        'MISSIVE_INVALID_SCHEDULE',
        problems.map((path) => ({ path, reason: 'invalid' })),
      );
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await repo.upsertSchedule(trx, {
        practitioner_user_id: practitionerId,
        practice_id: practiceId,
        slot_minutes: body.slotMinutes,
        booking_horizon_days: body.bookingHorizonDays,
        periods: JSON.stringify(
          periods.sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute),
        ),
        updated_at: now,
      });
      await appendAudit(
        trx,
        store.dialect,
        actor,
        { action: 'schedule.updated', targetType: 'practitioner', targetId: practitionerId, practiceId },
        now,
      );
    });
  }

  return {
    freeSlots,

    /** Free slots over whole days in the practice's time zone, starting today when no date is given. */
    async freeSlotsForDays(
      practitionerId: string,
      practiceId: string,
      fromDate: string | undefined,
      days: number,
    ) {
      const practice = await practices.findPractice(practiceId);
      const zone = practice?.time_zone ?? 'Europe/Paris';
      const start = (
        fromDate ? DateTime.fromISO(fromDate, { zone }) : DateTime.fromMillis(clock.now(), { zone })
      ).startOf('day');
      return freeSlots(practitionerId, practiceId, start.toMillis(), start.plus({ days }).toMillis());
    },

    async getSchedule(auth: AuthContext, practiceId: string, practitionerId: string): Promise<Schedule> {
      await requireScheduleAccess(auth, practiceId, practitionerId);
      return readSchedule(practiceId, practitionerId);
    },

    async updateSchedule(
      auth: AuthContext,
      practiceId: string,
      practitionerId: string,
      body: UpdateScheduleBody,
      actor: Actor,
    ): Promise<Schedule> {
      await requireScheduleAccess(auth, practiceId, practitionerId);
      await saveSchedule(practiceId, practitionerId, body, actor);
      return readSchedule(practiceId, practitionerId);
    },

    saveSchedule,

    async addException(
      auth: AuthContext,
      practiceId: string,
      practitionerId: string,
      body: { startsOn: string; endsOn: string; label: string },
      actor: Actor,
    ): Promise<Schedule> {
      await requireScheduleAccess(auth, practiceId, practitionerId);
      if (body.endsOn < body.startsOn)
        throw new AppError('MISSIVE_INVALID_SCHEDULE', [{ path: 'endsOn', reason: 'before_start' }]);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const id = uuidv7();
        await repo.insertException(trx, {
          id,
          practitioner_user_id: practitionerId,
          practice_id: practiceId,
          starts_on: body.startsOn,
          ends_on: body.endsOn,
          label: body.label,
          created_at: now,
        });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'schedule.exception_added',
            targetType: 'practitioner',
            targetId: practitionerId,
            practiceId,
          },
          now,
        );
      });
      return readSchedule(practiceId, practitionerId);
    },

    async removeException(
      auth: AuthContext,
      practiceId: string,
      practitionerId: string,
      exceptionId: string,
      actor: Actor,
    ): Promise<Schedule> {
      await requireScheduleAccess(auth, practiceId, practitionerId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.deleteException(trx, exceptionId, practitionerId, practiceId)))
          throw new AppError('MISSIVE_NOT_FOUND');
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'schedule.exception_removed',
            targetType: 'practitioner',
            targetId: practitionerId,
            practiceId,
          },
          now,
        );
      });
      return readSchedule(practiceId, practitionerId);
    },

    /**
     * Finds practitioners by name, practice, specialty and city: every word of the query must match one of
     * the fields, ignoring case and accents ("claire martin", "pediatrie").
     */
    async directory(filters: {
      q?: string | undefined;
      specialty?: string | undefined;
      city?: string | undefined;
      practitionerId?: string | undefined;
    }): Promise<DirectoryEntry[]> {
      const rows = await repo.listDirectory(db, filters.practitionerId);
      const words = (value: string | undefined) =>
        fold(value ?? '')
          .split(' ')
          .filter(Boolean);
      const [q, specialty, city] = [words(filters.q), words(filters.specialty), words(filters.city)];
      return rows
        .filter((r) => {
          const names = fold(`${r.first_name} ${r.last_name} ${r.practice_name}`);
          return (
            q.every((w) => names.includes(w)) &&
            specialty.every((w) => fold(r.specialty).includes(w)) &&
            city.every((w) => fold(`${r.city} ${r.postcode}`).includes(w))
          );
        })
        .slice(0, 100)
        .map((r) => ({
          practitionerId: r.user_id,
          firstName: r.first_name,
          lastName: r.last_name,
          specialty: r.specialty,
          practiceId: r.practice_id,
          practiceName: r.practice_name,
          address: r.address,
          postcode: r.postcode,
          city: r.city,
          timeZone: r.time_zone,
          phone: r.phone,
          bookable: r.periods !== null && r.periods !== '[]',
        }));
    },
  };
}
