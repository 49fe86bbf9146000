import { z } from 'zod';

/**
 * The emergency alert, shared by the red-flag check and by the refusal of an unconfirmed emergency
 * message (`MISSIVE_EMERGENCY_DETECTED`), so that the client can show the alert from either answer.
 * Kept apart from common.ts and safety.ts, which both use it.
 */
export const EmergencyNumberSchema = z.object({
  number: z.string(),
  label: z.string(),
  kind: z.enum(['call', 'sms']),
});
export type EmergencyNumberDto = z.infer<typeof EmergencyNumberSchema>;

/** What the red-flag check recognised and the numbers to call for it, most relevant first. */
export const EmergencyAlertSchema = z.object({
  kind: z.string(),
  numbers: z.array(EmergencyNumberSchema),
});
export type EmergencyAlert = z.infer<typeof EmergencyAlertSchema>;
