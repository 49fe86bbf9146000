import { z } from 'zod';
import { EmailSchema, IdSchema, IsoDateSchema, PersonNameSchema } from './common';

const ClockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
export const EpochMsSchema = z.number().int().min(0);

// ---------- Opening hours ----------

export const OpeningPeriodSchema = z.object({
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: z.number().int().min(1).max(7),
  start: ClockSchema,
  end: ClockSchema,
});
export type OpeningPeriodBody = z.infer<typeof OpeningPeriodSchema>;

export const ScheduleExceptionSchema = z.object({
  id: IdSchema,
  startsOn: IsoDateSchema,
  endsOn: IsoDateSchema,
  label: z.string(),
});

export const ScheduleSchema = z.object({
  practitionerId: IdSchema,
  practiceId: IdSchema,
  timeZone: z.string(),
  slotMinutes: z.number().int(),
  bookingHorizonDays: z.number().int(),
  periods: z.array(OpeningPeriodSchema),
  exceptions: z.array(ScheduleExceptionSchema),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

export const UpdateScheduleBodySchema = z.object({
  slotMinutes: z.number().int().min(5).max(240),
  bookingHorizonDays: z.number().int().min(1).max(365).default(60),
  periods: z.array(OpeningPeriodSchema).max(70),
});
export type UpdateScheduleBody = z.infer<typeof UpdateScheduleBodySchema>;

export const CreateScheduleExceptionBodySchema = z.object({
  startsOn: IsoDateSchema,
  endsOn: IsoDateSchema,
  label: z.string().trim().min(1).max(100),
});

export const PracticePractitionerParamsSchema = z.object({ practiceId: IdSchema, practitionerId: IdSchema });
export const ScheduleExceptionParamsSchema = PracticePractitionerParamsSchema.extend({
  exceptionId: IdSchema,
});

// ---------- Directory and booking (patient side) ----------

export const DirectoryQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  specialty: z.string().trim().max(100).optional(),
  city: z.string().trim().max(100).optional(),
  /** One practitioner (booking links). */
  practitionerId: IdSchema.optional(),
});

export const DirectoryEntrySchema = z.object({
  practitionerId: IdSchema,
  firstName: z.string(),
  lastName: z.string(),
  specialty: z.string(),
  practiceId: IdSchema,
  practiceName: z.string(),
  address: z.string(),
  postcode: z.string(),
  city: z.string(),
  timeZone: z.string(),
  bookable: z.boolean(),
  phone: z.string().nullable(),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntrySchema>;
export const DirectoryResponseSchema = z.object({ practitioners: z.array(DirectoryEntrySchema) });

export const SlotsQuerySchema = z.object({
  practiceId: IdSchema,
  /** First day to show, in the practice's time zone; today when omitted. */
  from: IsoDateSchema.optional(),
  days: z.coerce.number().int().min(1).max(31).default(7),
});
export const SlotSchema = z.object({ startsAt: EpochMsSchema, endsAt: EpochMsSchema });
export const SlotsResponseSchema = z.object({
  timeZone: z.string(),
  slots: z.array(SlotSchema),
  /** No slot is offered after this instant (the practitioner's booking horizon). */
  horizonEndsAt: EpochMsSchema.nullable(),
});
export const PractitionerParamsSchema = z.object({ practitionerId: IdSchema });

export const AppointmentStatusSchema = z.enum(['booked', 'attended', 'no_show', 'cancelled']);

export const AppointmentSchema = z.object({
  id: IdSchema,
  practiceId: IdSchema,
  practiceName: z.string(),
  practitionerId: IdSchema,
  practitionerName: z.string(),
  patientProfileId: IdSchema,
  patientName: z.string(),
  startsAt: EpochMsSchema,
  endsAt: EpochMsSchema,
  timeZone: z.string(),
  status: AppointmentStatusSchema,
  cancelReason: z.string().nullable(),
  /** Whether the patient may still cancel it online (before the practice's deadline). */
  cancellable: z.boolean(),
  /** Hours before the appointment until which patients may cancel online, and the practice's phone for later. */
  cancellationDeadlineHours: z.number().int(),
  practicePhone: z.string().nullable(),
});
export type Appointment = z.infer<typeof AppointmentSchema>;
export const AppointmentListSchema = z.object({ appointments: z.array(AppointmentSchema) });

export const BookAppointmentBodySchema = z.object({
  practitionerId: IdSchema,
  practiceId: IdSchema,
  startsAt: EpochMsSchema,
  /** The person the appointment is for: the account holder or a relative they manage. */
  patientProfileId: IdSchema,
});
export type BookAppointmentBody = z.infer<typeof BookAppointmentBodySchema>;

export const AppointmentParamsSchema = z.object({ appointmentId: IdSchema });
export const CancelAppointmentBodySchema = z.object({ reason: z.string().trim().max(300).optional() });

// ---------- Agenda (practice side) ----------

export const AgendaQuerySchema = z.object({
  from: IsoDateSchema,
  days: z.coerce.number().int().min(1).max(31).default(1),
  practitionerId: IdSchema.optional(),
});
export const AgendaAppointmentSchema = AppointmentSchema.extend({
  patientBirthDate: IsoDateSchema,
  bookedByRelative: z.boolean(),
});
export const AgendaResponseSchema = z.object({
  timeZone: z.string(),
  appointments: z.array(AgendaAppointmentSchema),
});
export const PracticeAppointmentParamsSchema = z.object({ practiceId: IdSchema, appointmentId: IdSchema });
export const AttendanceBodySchema = z.object({ status: z.enum(['attended', 'no_show']) });
export const PracticeCancelBodySchema = z.object({ reason: z.string().trim().min(1).max(300) });

export const PracticeSettingsSchema = z.object({
  cancellationDeadlineHours: z.number().int().min(0).max(168),
});

// ---------- Practice patients, tags and import ----------

export const TagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u);

export const PracticePatientSchema = z.object({
  id: IdSchema,
  firstName: z.string(),
  lastName: z.string(),
  birthDate: IsoDateSchema,
  /** Linked to a Missive account (by an attended consultation or an accepted invitation). */
  linked: z.boolean(),
  /** The linked patient profile (to write to the patient), or null while the record is not linked. */
  patientProfileId: IdSchema.nullable(),
  invited: z.boolean(),
  lastConsultationAt: EpochMsSchema.nullable(),
  practitioners: z.array(z.object({ id: IdSchema, name: z.string(), lastConsultationAt: EpochMsSchema })),
  tags: z.array(z.string()),
});
export type PracticePatient = z.infer<typeof PracticePatientSchema>;
export const PracticePatientsQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  tag: z.string().trim().max(40).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const PracticePatientsResponseSchema = z.object({
  total: z.number().int(),
  patients: z.array(PracticePatientSchema),
  tags: z.array(z.string()),
});
export const PracticePatientParamsSchema = z.object({ practiceId: IdSchema, patientId: IdSchema });
export const UpdateTagsBodySchema = z.object({ tags: z.array(TagSchema).max(20) });

export const ImportQuerySchema = z.object({ practitionerId: IdSchema });
export const ImportRowErrorSchema = z.object({
  line: z.number().int(),
  field: z.string(),
  reason: z.string(),
});
export const ImportPreviewSchema = z.object({
  totalRows: z.number().int(),
  validRows: z.number().int(),
  errors: z.array(ImportRowErrorSchema),
  /** Errors beyond the first 200 are counted, not listed. */
  errorCount: z.number().int(),
  sample: z.array(
    z.object({
      line: z.number().int(),
      lastName: z.string(),
      firstName: z.string(),
      birthDate: IsoDateSchema,
      email: z.string().nullable(),
      lastConsultationOn: IsoDateSchema,
    }),
  ),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;
export const ImportResultSchema = z.object({
  imported: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  invitations: z.number().int(),
});

// ---------- Relatives, "my practitioners", invitations ----------

export const RelativeSchema = z.object({
  id: IdSchema,
  relationship: z.enum(['self', 'child', 'dependent']),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: IsoDateSchema,
  sex: z.enum(['female', 'male', 'other']).nullable(),
  /** The relative holds their own account (a teenager): their new conversations are confidential. */
  ownAccount: z.boolean(),
  /** Old enough to hold their own account. */
  mayHoldOwnAccount: z.boolean(),
  /** This profile is the signed-in user's own (their account, or the one a teenager took over). */
  isYou: z.boolean(),
});
export type Relative = z.infer<typeof RelativeSchema>;
export const RelativesResponseSchema = z.object({ profiles: z.array(RelativeSchema) });
export const CreateRelativeBodySchema = z.object({
  relationship: z.enum(['child', 'dependent']),
  firstName: PersonNameSchema,
  lastName: PersonNameSchema,
  birthDate: IsoDateSchema,
  sex: z.enum(['female', 'male', 'other']).nullable().optional(),
});
export const UpdateRelativeBodySchema = CreateRelativeBodySchema.partial();
export const ProfileParamsSchema = z.object({ profileId: IdSchema });
export const OwnAccountBodySchema = z.object({ email: EmailSchema });

export const ProfileClaimPreviewSchema = z.object({
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
});
export const AcceptProfileClaimBodySchema = z.object({
  token: z.string().min(16).max(200),
  password: z.string().min(1).max(256),
  locale: z.enum(['fr', 'it', 'en']),
  country: z.enum(['FR', 'IT']),
});

export const MyPractitionerSchema = z.object({
  practitionerId: IdSchema,
  firstName: z.string(),
  lastName: z.string(),
  specialty: z.string(),
  practiceId: IdSchema,
  practiceName: z.string(),
  city: z.string(),
  patientProfileId: IdSchema,
  patientName: z.string(),
  lastConsultationAt: EpochMsSchema,
  timeZone: z.string(),
});
export type MyPractitioner = z.infer<typeof MyPractitionerSchema>;
export const MyPractitionersResponseSchema = z.object({ practitioners: z.array(MyPractitionerSchema) });

export const PatientInvitationPreviewSchema = z.object({
  practiceName: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: IsoDateSchema,
});
export const AcceptPatientInvitationBodySchema = z.object({
  token: z.string().min(16).max(200),
  /** Link to this existing profile (self or a relative); or create a relative profile for the invited person. */
  patientProfileId: IdSchema.optional(),
  createRelative: z.enum(['child', 'dependent']).optional(),
});
