import { z } from 'zod';
import { IdSchema, IsoDateSchema } from './common';

export const KeyRotationProgressSchema = z.object({
  id: IdSchema,
  status: z.enum(['running', 'done', 'superseded']),
  dataKeyId: IdSchema,
  startedAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
  /** Rows holding records of an older data key when the rotation started. */
  total: z.number().int(),
  processed: z.number().int(),
  reencrypted: z.number().int(),
  /** Records that could not be decrypted and were left as they were. */
  unreadable: z.number().int(),
  pass: z.number().int(),
  /** 100 only once no record of an older key is left. */
  percent: z.number().int().min(0).max(100),
});
export type KeyRotationProgress = z.infer<typeof KeyRotationProgressSchema>;

export const KeyRotationStatusSchema = z.object({
  /** The running rotation, or else the last one; null if the keys were never rotated. */
  rotation: KeyRotationProgressSchema.nullable(),
  activeDataKeyId: IdSchema,
  masterKeyId: z.string(),
});
export type KeyRotationStatus = z.infer<typeof KeyRotationStatusSchema>;

/** Days in the practice's time zone, both included. */
export const AuditExportQuerySchema = z
  .object({ from: IsoDateSchema, to: IsoDateSchema })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export type AuditExportQuery = z.infer<typeof AuditExportQuerySchema>;
