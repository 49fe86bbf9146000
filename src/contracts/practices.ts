import { z } from 'zod';
import { MembershipSchema, PracticeRightSchema, PracticeRoleSchema } from './accounts';
import { CountrySchema, EmailSchema, IdSchema, PersonNameSchema } from './common';

export const TimeZoneSchema = z.enum(['Europe/Paris', 'Europe/Rome']);

export const PracticeSchema = z.object({
  id: IdSchema,
  name: z.string(),
  address: z.string(),
  postcode: z.string(),
  city: z.string(),
  country: CountrySchema,
  timeZone: TimeZoneSchema,
  phone: z.string().nullable(),
  isDemo: z.boolean(),
  /** Patients may cancel online until this many hours before an appointment. */
  cancellationDeadlineHours: z.number().int(),
});
export type Practice = z.infer<typeof PracticeSchema>;

export const CreatePracticeBodySchema = z.object({
  name: z.string().trim().min(2).max(120),
  address: z.string().trim().min(2).max(200),
  postcode: z.string().trim().min(2).max(12),
  city: z.string().trim().min(1).max(100),
  country: CountrySchema,
  timeZone: TimeZoneSchema.optional(),
  phone: z.string().trim().max(30).nullable().optional(),
});
export type CreatePracticeBody = z.infer<typeof CreatePracticeBodySchema>;

export const MemberSchema = z.object({
  userId: IdSchema,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  role: PracticeRoleSchema,
  isAdmin: z.boolean(),
  rights: z.array(PracticeRightSchema),
  mfaEnrolled: z.boolean(),
  since: z.number().int(),
});
export type Member = z.infer<typeof MemberSchema>;

export const InvitationSchema = z.object({
  id: IdSchema,
  email: z.string(),
  role: PracticeRoleSchema,
  rights: z.array(PracticeRightSchema),
  isAdmin: z.boolean(),
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type Invitation = z.infer<typeof InvitationSchema>;

export const PracticeMembersResponseSchema = z.object({
  practice: PracticeSchema,
  members: z.array(MemberSchema),
  invitations: z.array(InvitationSchema),
});
export type PracticeMembersResponse = z.infer<typeof PracticeMembersResponseSchema>;

export const InviteMemberBodySchema = z.object({
  email: EmailSchema,
  role: z.literal('assistant'),
  rights: z.array(PracticeRightSchema).max(4),
  isAdmin: z.boolean().default(false),
});
export type InviteMemberBody = z.infer<typeof InviteMemberBodySchema>;

export const UpdateMemberBodySchema = z
  .object({ rights: z.array(PracticeRightSchema).max(4).optional(), isAdmin: z.boolean().optional() })
  .refine((body) => body.rights !== undefined || body.isAdmin !== undefined, { message: 'empty' });
export type UpdateMemberBody = z.infer<typeof UpdateMemberBodySchema>;

export const PracticeMemberParamsSchema = z.object({ practiceId: IdSchema, userId: IdSchema });
export const PracticeParamsSchema = z.object({ practiceId: IdSchema });
export const InvitationParamsSchema = z.object({ practiceId: IdSchema, invitationId: IdSchema });

/** What the invitation link shows before the invitee accepts. */
export const InvitationPreviewSchema = z.object({
  practiceName: z.string(),
  email: z.string(),
  role: PracticeRoleSchema,
  /** True when an account already exists for this e-mail: the invitee signs in instead of choosing a password. */
  accountExists: z.boolean(),
});
export type InvitationPreview = z.infer<typeof InvitationPreviewSchema>;

export const AcceptInvitationBodySchema = z.object({
  token: z.string().min(16).max(200),
  /** Required when no account exists yet for the invited e-mail. */
  firstName: PersonNameSchema.optional(),
  lastName: PersonNameSchema.optional(),
  password: z.string().min(1).max(256).optional(),
});
export type AcceptInvitationBody = z.infer<typeof AcceptInvitationBodySchema>;

export const AcceptInvitationResponseSchema = z.object({ membership: MembershipSchema });
