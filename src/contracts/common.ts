import { z } from 'zod';
import { EmergencyAlertSchema } from './emergency';

export const LocaleSchema = z.enum(['fr', 'it', 'en']);
export type Locale = z.infer<typeof LocaleSchema>;

export const CountrySchema = z.enum(['FR', 'IT']);
export type Country = z.infer<typeof CountrySchema>;

export const IdSchema = z.uuid();

/** Calendar date without time, as entered by a person (birth dates, consultation dates). */
export const IsoDateSchema = z.iso.date();

export const EmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((value) => value.toLowerCase());

export const PersonNameSchema = z.string().trim().min(1).max(100);

export const ErrorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    /** Field-level problems for validation errors: path and a machine-readable reason, never input values. */
    issues: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
    /** Only with MISSIVE_EMERGENCY_DETECTED: the situation recognised and whom to call, for the alert. */
    emergency: EmergencyAlertSchema.optional(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

export const AcceptedResponseSchema = z.object({ status: z.literal('accepted') });
