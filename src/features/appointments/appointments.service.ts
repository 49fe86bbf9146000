import { DateTime } from 'luxon';
import type { Appointment, BookAppointmentBody } from '../../contracts/care';
import { maySeeProfileItem } from '../../domain/care';
import { canPatientCancel, canRecordAttendance } from '../../domain/schedule';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/dialect';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { AccountsService } from '../accounts/accounts.service';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import type { CareService } from '../patients/care.service';
import { type PatientsService, profileFacts } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';
import * as repo from './appointments.repository';
import type { SchedulesService } from './schedules.service';

export interface AppointmentsDeps {
  store: Store;
  clock: Clock;
  accounts: AccountsService;
  practices: PracticesService;
  patients: PatientsService;
  care: CareService;
  schedules: SchedulesService;
}

type Details = NonNullable<Awaited<ReturnType<typeof repo.findAppointment>>>;

export type AppointmentsService = ReturnType<typeof createAppointmentsService>;

export function createAppointmentsService(deps: AppointmentsDeps) {
  const { store, clock, accounts, practices, patients, care, schedules } = deps;
  const db = store.db;

  function toAppointment(row: Details): Appointment {
    return {
      id: row.id,
      practiceId: row.practice_id,
      practiceName: row.practice_name,
      practitionerId: row.practitioner_user_id,
      practitionerName: `${row.practitioner_first_name} ${row.practitioner_last_name}`,
      patientProfileId: row.patient_profile_id,
      patientName: `${row.patient_first_name} ${row.patient_last_name}`,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      timeZone: row.time_zone,
      status: row.status,
      cancelReason: row.cancel_reason,
      cancellable:
        row.status === 'booked' &&
        canPatientCancel(row.starts_at, clock.now(), row.cancellation_deadline_hours),
      cancellationDeadlineHours: row.cancellation_deadline_hours,
      practicePhone: row.practice_phone,
    };
  }

  const facts = (row: Details) =>
    profileFacts({
      owner_user_id: row.profile_owner_user_id,
      user_id: row.profile_user_id,
      own_account_since: row.profile_own_account_since,
    });
  const visibleTo = (userId: string, row: Details) =>
    maySeeProfileItem(userId, facts(row), {
      createdByUserId: row.booked_by_user_id,
      createdAt: row.created_at,
    });

  async function requirePracticeAppointment(
    auth: AuthContext,
    practiceId: string,
    appointmentId: string,
  ): Promise<Details> {
    await practices.requireRight(auth, practiceId, 'agenda');
    const row = await repo.findAppointment(db, appointmentId);
    if (!row || row.practice_id !== practiceId) throw new AppError('MISSIVE_NOT_FOUND');
    return row;
  }

  return {
    /** Books a free slot for the account holder or a relative. The database refuses a second booking of one slot. */
    async book(auth: AuthContext, body: BookAppointmentBody, actor: Actor): Promise<Appointment> {
      if (auth.user.kind !== 'patient') throw new AppError('MISSIVE_NOT_FOUND');
      const profile = await patients.requireProfile(auth.user.id, body.patientProfileId);
      if (!(await repo.isBookable(db, body.practitionerId, body.practiceId)))
        throw new AppError('MISSIVE_NOT_FOUND');
      // The requested start must be one of the free slots of that day.
      const { slots } = await schedules.freeSlots(
        body.practitionerId,
        body.practiceId,
        body.startsAt,
        body.startsAt + 1,
      );
      const slot = slots.find((s) => s.startsAt === body.startsAt);
      if (!slot) throw new AppError('MISSIVE_SLOT_UNAVAILABLE');
      const now = clock.now();
      const id = uuidv7();
      try {
        await db.transaction().execute(async (trx) => {
          await repo.insertAppointment(trx, {
            id,
            practice_id: body.practiceId,
            practitioner_user_id: body.practitionerId,
            patient_profile_id: profile.id,
            booked_by_user_id: auth.user.id,
            starts_at: slot.startsAt,
            ends_at: slot.endsAt,
            status: 'booked',
            cancel_reason: null,
            cancelled_by_user_id: null,
            status_changed_at: null,
            created_at: now,
          });
          await appendAudit(
            trx,
            store.dialect,
            actor,
            {
              action: 'appointment.booked',
              targetType: 'appointment',
              targetId: id,
              practiceId: body.practiceId,
              patientProfileId: profile.id,
            },
            now,
          );
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('MISSIVE_SLOT_UNAVAILABLE');
        throw error;
      }
      return toAppointment((await repo.findAppointment(db, id))!);
    },

    async mine(auth: AuthContext): Promise<Appointment[]> {
      const profiles = await patients.profilesOf(auth.user.id);
      const rows = await repo.appointmentsOfProfiles(
        db,
        profiles.map((p) => p.id),
      );
      return rows.filter((row) => visibleTo(auth.user.id, row)).map(toAppointment);
    },

    async cancelByPatient(
      auth: AuthContext,
      appointmentId: string,
      reason: string | undefined,
      actor: Actor,
    ): Promise<Appointment> {
      const row = await repo.findAppointment(db, appointmentId);
      if (!row || !visibleTo(auth.user.id, row) || auth.user.kind !== 'patient')
        throw new AppError('MISSIVE_NOT_FOUND');
      if (row.status !== 'booked') throw new AppError('MISSIVE_INVALID_TRANSITION');
      if (!canPatientCancel(row.starts_at, clock.now(), row.cancellation_deadline_hours))
        throw new AppError('MISSIVE_CANCELLATION_TOO_LATE');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const changed = await repo.updateAppointmentStatus(trx, appointmentId, ['booked'], {
          status: 'cancelled',
          cancel_reason: reason ?? null,
          cancelled_by_user_id: auth.user.id,
          status_changed_at: now,
        });
        if (!changed) throw new AppError('MISSIVE_INVALID_TRANSITION');
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'appointment.cancelled_by_patient',
            targetType: 'appointment',
            targetId: appointmentId,
            practiceId: row.practice_id,
            patientProfileId: row.patient_profile_id,
          },
          now,
        );
      });
      return toAppointment((await repo.findAppointment(db, appointmentId))!);
    },

    async agenda(
      auth: AuthContext,
      practiceId: string,
      query: { from: string; days: number; practitionerId?: string | undefined },
      actor: Actor,
    ) {
      await practices.requireRight(auth, practiceId, 'agenda');
      const practice = (await practices.findPractice(practiceId))!;
      const start = DateTime.fromISO(query.from, { zone: practice.time_zone }).startOf('day');
      const rows = await repo.agenda(
        db,
        practiceId,
        start.toMillis(),
        start.plus({ days: query.days }).toMillis(),
        query.practitionerId,
      );
      await db.transaction().execute((trx) =>
        appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'agenda.viewed',
            targetType: 'practice',
            targetId: practiceId,
            practiceId,
            details: { from: query.from, days: query.days, count: rows.length },
          },
          clock.now(),
        ),
      );
      return {
        timeZone: practice.time_zone,
        appointments: rows.map((row) => ({
          ...toAppointment(row),
          patientBirthDate: row.patient_birth_date,
          bookedByRelative: row.booked_by_user_id !== row.profile_user_id,
        })),
      };
    },

    /** Records attendance (see canRecordAttendance); "attended" creates or refreshes the care relationship. */
    async markAttendance(
      auth: AuthContext,
      practiceId: string,
      appointmentId: string,
      status: 'attended' | 'no_show',
      actor: Actor,
    ): Promise<Appointment> {
      const row = await requirePracticeAppointment(auth, practiceId, appointmentId);
      const now = clock.now();
      if (!canRecordAttendance(status, row.starts_at, now))
        throw new AppError('MISSIVE_APPOINTMENT_NOT_STARTED');
      // A no-show can be corrected to attended; an attended consultation is never undone.
      const from: ('booked' | 'no_show')[] = status === 'attended' ? ['booked', 'no_show'] : ['booked'];
      const profile = (await patients.findProfile(row.patient_profile_id))!;
      await db.transaction().execute(async (trx) => {
        const changed = await repo.updateAppointmentStatus(trx, appointmentId, from, {
          status,
          status_changed_at: now,
        });
        if (!changed) throw new AppError('MISSIVE_INVALID_TRANSITION');
        if (status === 'attended')
          await care.recordConsultation(trx, {
            practiceId,
            practitionerId: row.practitioner_user_id,
            profile,
            at: row.starts_at,
          });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: `appointment.${status}`,
            targetType: 'appointment',
            targetId: appointmentId,
            practiceId,
            patientProfileId: row.patient_profile_id,
          },
          now,
        );
      });
      return toAppointment((await repo.findAppointment(db, appointmentId))!);
    },

    /** The practice cancels; the patient is told by mail, with no reason or health detail in it. */
    async cancelByPractice(
      auth: AuthContext,
      practiceId: string,
      appointmentId: string,
      reason: string,
      actor: Actor,
    ): Promise<Appointment> {
      const row = await requirePracticeAppointment(auth, practiceId, appointmentId);
      const now = clock.now();
      const notified = row.profile_user_id ?? row.profile_owner_user_id;
      const recipient = await accounts.getUser(notified);
      const when = DateTime.fromMillis(row.starts_at, { zone: row.time_zone })
        .setLocale(recipient.locale)
        .toLocaleString(DateTime.DATETIME_MED);
      await db.transaction().execute(async (trx) => {
        const changed = await repo.updateAppointmentStatus(trx, appointmentId, ['booked'], {
          status: 'cancelled',
          cancel_reason: reason,
          cancelled_by_user_id: auth.user.id,
          status_changed_at: now,
        });
        if (!changed) throw new AppError('MISSIVE_INVALID_TRANSITION');
        await accounts.queueMail(trx, recipient.email, recipient.locale, {
          kind: 'appointment_cancelled',
          practiceName: row.practice_name,
          when,
          link: accounts.link('/appointments'),
        });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'appointment.cancelled_by_practice',
            targetType: 'appointment',
            targetId: appointmentId,
            practiceId,
            patientProfileId: row.patient_profile_id,
          },
          now,
        );
      });
      accounts.wakeOutbox();
      return toAppointment((await repo.findAppointment(db, appointmentId))!);
    },
  };
}
