import { z } from 'zod';
import { PasswordSchema } from './accounts';
import { IdSchema } from './common';

/** Re-authentication for the most sensitive account actions: the account's password, typed again. */
export const ReauthBodySchema = z.object({ password: PasswordSchema });
export type ReauthBody = z.infer<typeof ReauthBodySchema>;

export const DataExportSchema = z.object({
  id: IdSchema,
  status: z.enum(['building', 'ready', 'failed']),
  /** Items processed so far out of `total` (conversations, appointments, files…). */
  progress: z.number().int(),
  total: z.number().int(),
  size: z.number().int().nullable(),
  createdAt: z.number().int(),
  completedAt: z.number().int().nullable(),
  expiresAt: z.number().int(),
});
export type DataExport = z.infer<typeof DataExportSchema>;

export const DataExportParamsSchema = z.object({ exportId: IdSchema });

export const CloseAccountBodySchema = z.object({
  password: PasswordSchema,
  /** The person typed or ticked their confirmation; a request without it is refused. */
  confirm: z.literal(true),
});
export type CloseAccountBody = z.infer<typeof CloseAccountBodySchema>;

export const CloseAccountResponseSchema = z.object({
  /** Conversations the practices keep in their medical records, detached from the closed account. */
  retainedConversations: z.number().int(),
  /** When the last of them will be erased, if any are kept. */
  retainedUntil: z.number().int().nullable(),
});
export type CloseAccountResponse = z.infer<typeof CloseAccountResponseSchema>;
