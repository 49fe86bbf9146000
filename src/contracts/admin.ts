import { z } from 'zod';
import { EmailSchema, IdSchema, PersonNameSchema } from './common';
import { CreatePracticeBodySchema, PracticeSchema } from './practices';

export const RppsSchema = z
  .string()
  .trim()
  .transform((value) => value.replace(/\s+/g, ''));

export const CreatePractitionerBodySchema = z.object({
  email: EmailSchema,
  firstName: PersonNameSchema,
  lastName: PersonNameSchema,
  specialty: z.string().trim().min(2).max(100),
  rpps: RppsSchema,
  /** Join an existing practice, or create a new one (exactly one of the two). */
  practiceId: IdSchema.optional(),
  newPractice: CreatePracticeBodySchema.optional(),
  isPracticeAdmin: z.boolean().default(true),
});
export type CreatePractitionerBody = z.infer<typeof CreatePractitionerBodySchema>;

export const AdminPractitionerSchema = z.object({
  userId: IdSchema,
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  specialty: z.string(),
  rpps: z.string(),
  verified: z.boolean(),
  verifiedAt: z.number().int().nullable(),
  practices: z.array(z.object({ id: IdSchema, name: z.string() })),
  activated: z.boolean(),
  mfaEnrolled: z.boolean(),
});
export type AdminPractitioner = z.infer<typeof AdminPractitionerSchema>;

export const AdminPractitionerListSchema = z.object({ practitioners: z.array(AdminPractitionerSchema) });
export const AdminPracticeListSchema = z.object({ practices: z.array(PracticeSchema) });
export const UserParamsSchema = z.object({ userId: IdSchema });
