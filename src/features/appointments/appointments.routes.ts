import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  AgendaQuerySchema,
  AgendaResponseSchema,
  AppointmentListSchema,
  AppointmentParamsSchema,
  AppointmentSchema,
  AttendanceBodySchema,
  BookAppointmentBodySchema,
  CancelAppointmentBodySchema,
  CreateScheduleExceptionBodySchema,
  DirectoryQuerySchema,
  DirectoryResponseSchema,
  PracticeAppointmentParamsSchema,
  PracticeCancelBodySchema,
  PracticePractitionerParamsSchema,
  PracticeSettingsSchema,
  PractitionerParamsSchema,
  ScheduleExceptionParamsSchema,
  ScheduleSchema,
  SlotsQuerySchema,
  SlotsResponseSchema,
  UpdateScheduleBodySchema,
} from '../../contracts/care';
import { PracticeParamsSchema, PracticeSchema } from '../../contracts/practices';
import { actorOf, authOf, requireAuth } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import type { PracticesService } from '../practices/practices.service';
import type { AppointmentsService } from './appointments.service';
import type { SchedulesService } from './schedules.service';

const errors = errorResponses;

export async function registerAppointmentsRoutes(
  root: FastifyInstance,
  deps: { appointments: AppointmentsService; schedules: SchedulesService; practices: PracticesService },
): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { appointments, schedules, practices } = deps;
  const user = { preHandler: requireAuth('user') };
  const patient = { preHandler: requireAuth('patient') };

  // ----- Opening hours (practice side) -----
  const schedulePath = '/api/v1/practices/:practiceId/practitioners/:practitionerId/schedule';
  app.get(
    schedulePath,
    {
      ...user,
      schema: {
        summary: "A practitioner's opening hours and closures",
        tags: ['agenda'],
        params: PracticePractitionerParamsSchema,
        response: { 200: ScheduleSchema, ...errors },
      },
    },
    async (request) =>
      schedules.getSchedule(authOf(request), request.params.practiceId, request.params.practitionerId),
  );
  app.put(
    schedulePath,
    {
      ...user,
      schema: {
        summary: 'Set the weekly opening hours and consultation length',
        tags: ['agenda'],
        params: PracticePractitionerParamsSchema,
        body: UpdateScheduleBodySchema,
        response: { 200: ScheduleSchema, ...errors },
      },
    },
    async (request) =>
      schedules.updateSchedule(
        authOf(request),
        request.params.practiceId,
        request.params.practitionerId,
        request.body,
        actorOf(request),
      ),
  );
  app.post(
    `${schedulePath}/exceptions`,
    {
      ...user,
      schema: {
        summary: 'Add a closure (holiday, training)',
        tags: ['agenda'],
        params: PracticePractitionerParamsSchema,
        body: CreateScheduleExceptionBodySchema,
        response: { 201: ScheduleSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await schedules.addException(
            authOf(request),
            request.params.practiceId,
            request.params.practitionerId,
            request.body,
            actorOf(request),
          ),
        ),
  );
  app.delete(
    `${schedulePath}/exceptions/:exceptionId`,
    {
      ...user,
      schema: {
        summary: 'Remove a closure',
        tags: ['agenda'],
        params: ScheduleExceptionParamsSchema,
        response: { 200: ScheduleSchema, ...errors },
      },
    },
    async (request) =>
      schedules.removeException(
        authOf(request),
        request.params.practiceId,
        request.params.practitionerId,
        request.params.exceptionId,
        actorOf(request),
      ),
  );

  // ----- Agenda (practice side) -----
  app.get(
    '/api/v1/practices/:practiceId/agenda',
    {
      ...user,
      schema: {
        summary: 'Appointments of a day or week',
        tags: ['agenda'],
        params: PracticeParamsSchema,
        querystring: AgendaQuerySchema,
        response: { 200: AgendaResponseSchema, ...errors },
      },
    },
    async (request) =>
      appointments.agenda(authOf(request), request.params.practiceId, request.query, actorOf(request)),
  );
  app.post(
    '/api/v1/practices/:practiceId/appointments/:appointmentId/attendance',
    {
      ...user,
      schema: {
        summary: 'Mark an appointment attended or missed',
        tags: ['agenda'],
        params: PracticeAppointmentParamsSchema,
        body: AttendanceBodySchema,
        response: { 200: AppointmentSchema, ...errors },
      },
    },
    async (request) =>
      appointments.markAttendance(
        authOf(request),
        request.params.practiceId,
        request.params.appointmentId,
        request.body.status,
        actorOf(request),
      ),
  );
  app.post(
    '/api/v1/practices/:practiceId/appointments/:appointmentId/cancel',
    {
      ...user,
      schema: {
        summary: 'Cancel an appointment (the patient is told by mail)',
        tags: ['agenda'],
        params: PracticeAppointmentParamsSchema,
        body: PracticeCancelBodySchema,
        response: { 200: AppointmentSchema, ...errors },
      },
    },
    async (request) =>
      appointments.cancelByPractice(
        authOf(request),
        request.params.practiceId,
        request.params.appointmentId,
        request.body.reason,
        actorOf(request),
      ),
  );
  app.patch(
    '/api/v1/practices/:practiceId/settings',
    {
      ...user,
      schema: {
        summary: 'Practice settings (online cancellation deadline)',
        tags: ['practices'],
        params: PracticeParamsSchema,
        body: PracticeSettingsSchema,
        response: { 200: PracticeSchema, ...errors },
      },
    },
    async (request) =>
      practices.updateSettings(authOf(request), request.params.practiceId, request.body, actorOf(request)),
  );

  // ----- Finding a practitioner and booking (patient side) -----
  app.get(
    '/api/v1/directory/practitioners',
    {
      ...user,
      schema: {
        summary: 'Find a practitioner by name, specialty or city',
        tags: ['booking'],
        querystring: DirectoryQuerySchema,
        response: { 200: DirectoryResponseSchema, ...errors },
      },
    },
    async (request) => ({
      practitioners: await schedules.directory(request.query),
    }),
  );
  app.get(
    '/api/v1/directory/practitioners/:practitionerId/slots',
    {
      ...user,
      schema: {
        summary: 'Free slots of a practitioner',
        tags: ['booking'],
        params: PractitionerParamsSchema,
        querystring: SlotsQuerySchema,
        response: { 200: SlotsResponseSchema, ...errors },
      },
    },
    async (request) =>
      schedules.freeSlotsForDays(
        request.params.practitionerId,
        request.query.practiceId,
        request.query.from,
        request.query.days,
      ),
  );
  app.post(
    '/api/v1/appointments',
    {
      ...patient,
      schema: {
        summary: 'Book a slot for yourself or a relative',
        tags: ['booking'],
        body: BookAppointmentBodySchema,
        response: { 201: AppointmentSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await appointments.book(authOf(request), request.body, actorOf(request))),
  );
  app.get(
    '/api/v1/appointments',
    {
      ...patient,
      schema: {
        summary: 'Your and your relatives’ appointments',
        tags: ['booking'],
        response: { 200: AppointmentListSchema, ...errors },
      },
    },
    async (request) => ({
      appointments: await appointments.mine(authOf(request)),
    }),
  );
  app.post(
    '/api/v1/appointments/:appointmentId/cancel',
    {
      ...patient,
      schema: {
        summary: 'Cancel an appointment before the practice’s deadline',
        tags: ['booking'],
        params: AppointmentParamsSchema,
        body: CancelAppointmentBodySchema,
        response: { 200: AppointmentSchema, ...errors },
      },
    },
    async (request) =>
      appointments.cancelByPatient(
        authOf(request),
        request.params.appointmentId,
        request.body.reason,
        actorOf(request),
      ),
  );
}
