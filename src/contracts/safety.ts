import { z } from 'zod';
import { CountrySchema, LocaleSchema } from './common';
import { EmergencyNumberSchema } from './emergency';

export { type EmergencyAlert, EmergencyAlertSchema, EmergencyNumberSchema } from './emergency';

export const SafetyCheckBodySchema = z.object({
  text: z.string().max(10_000),
  lang: LocaleSchema,
  country: CountrySchema,
});
export const SafetyCheckResponseSchema = z.object({
  emergency: z.boolean(),
  kind: z.string().nullable(),
  numbers: z.array(EmergencyNumberSchema),
});
export type SafetyCheckResponse = z.infer<typeof SafetyCheckResponseSchema>;
export const SafetyNumbersQuerySchema = z.object({ country: CountrySchema, lang: LocaleSchema });
export const SafetyNumbersResponseSchema = z.object({ numbers: z.array(EmergencyNumberSchema) });
