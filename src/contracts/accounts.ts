import { z } from 'zod';
import {
  CountrySchema,
  EmailSchema,
  IdSchema,
  IsoDateSchema,
  LocaleSchema,
  PersonNameSchema,
} from './common';

/** Length limits only: the password policy (length, common passwords) is enforced by the server's domain rules. */
export const PasswordSchema = z.string().min(1).max(256);

export const UserKindSchema = z.enum(['patient', 'staff', 'admin']);
export type UserKind = z.infer<typeof UserKindSchema>;

export const PracticeRoleSchema = z.enum(['practitioner', 'assistant']);
export type PracticeRole = z.infer<typeof PracticeRoleSchema>;

export const PracticeRightSchema = z.enum(['messaging', 'agenda', 'patients', 'campaigns']);
export type PracticeRight = z.infer<typeof PracticeRightSchema>;

/**
 * State of the second factor for the current session:
 * - not_required: patients;
 * - enrolment_required: staff or admin who has not set up TOTP yet (nothing but enrolment is allowed);
 * - required: TOTP set up, code not yet entered in this session;
 * - verified: TOTP checked for this session.
 */
export const MfaStateSchema = z.enum(['not_required', 'enrolment_required', 'required', 'verified']);
export type MfaState = z.infer<typeof MfaStateSchema>;

export const MembershipSchema = z.object({
  practiceId: IdSchema,
  practiceName: z.string(),
  role: PracticeRoleSchema,
  isAdmin: z.boolean(),
  rights: z.array(PracticeRightSchema),
});
export type Membership = z.infer<typeof MembershipSchema>;

export const PractitionerProfileSchema = z.object({
  rpps: z.string(),
  specialty: z.string(),
  verified: z.boolean(),
});

export const UserSchema = z.object({
  id: IdSchema,
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  kind: UserKindSchema,
  locale: LocaleSchema,
  country: CountrySchema,
  birthDate: IsoDateSchema.nullable(),
});
export type User = z.infer<typeof UserSchema>;

export const MeResponseSchema = z.object({
  user: UserSchema,
  mfa: MfaStateSchema,
  memberships: z.array(MembershipSchema),
  practitioner: PractitionerProfileSchema.nullable(),
});
export type MeResponse = z.infer<typeof MeResponseSchema>;

/** Whether the request's session is signed in: asked by the app when it opens, so never an error. */
export const SessionResponseSchema = z.object({ me: MeResponseSchema.nullable() });
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

export const SignupBodySchema = z.object({
  email: EmailSchema,
  password: PasswordSchema,
  firstName: PersonNameSchema,
  lastName: PersonNameSchema,
  birthDate: IsoDateSchema,
  country: CountrySchema,
  locale: LocaleSchema,
});
export type SignupBody = z.infer<typeof SignupBodySchema>;

export const LoginBodySchema = z.object({ email: EmailSchema, password: PasswordSchema });
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const TokenBodySchema = z.object({ token: z.string().min(16).max(200) });
export type TokenBody = z.infer<typeof TokenBodySchema>;

export const EmailBodySchema = z.object({ email: EmailSchema });
export type EmailBody = z.infer<typeof EmailBodySchema>;

export const PasswordResetConfirmBodySchema = z.object({
  token: z.string().min(16).max(200),
  password: PasswordSchema,
});
export type PasswordResetConfirmBody = z.infer<typeof PasswordResetConfirmBodySchema>;

export const UpdateMeBodySchema = z
  .object({
    locale: LocaleSchema.optional(),
    firstName: PersonNameSchema.optional(),
    lastName: PersonNameSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'empty' });
export type UpdateMeBody = z.infer<typeof UpdateMeBodySchema>;

export const ChangePasswordBodySchema = z.object({
  currentPassword: PasswordSchema,
  newPassword: PasswordSchema,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBodySchema>;

export const TotpSetupResponseSchema = z.object({
  /** otpauth:// URI, for authenticator apps that accept a link. */
  otpauthUri: z.string(),
  /** SVG image of the QR code for the URI. */
  qrSvg: z.string(),
  /** Base32 secret, for manual entry. */
  manualKey: z.string(),
});
export type TotpSetupResponse = z.infer<typeof TotpSetupResponseSchema>;

export const TotpCodeBodySchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/),
});
export type TotpCodeBody = z.infer<typeof TotpCodeBodySchema>;
