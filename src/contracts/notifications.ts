import { z } from 'zod';

export const NotificationPreferencesSchema = z.object({
  /** "You have a new message" mails, without any content. */
  email: z.boolean(),
  /** Practice staff: the daily digest of waiting and overdue conversations. */
  digest: z.boolean(),
});
export type NotificationPreferencesBody = z.infer<typeof NotificationPreferencesSchema>;
