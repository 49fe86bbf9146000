import { z } from 'zod';
import { IdSchema } from './common';
import { MessageTextSchema } from './messaging';

export const AudienceSchema = z.object({
  lastConsultationMonths: z.number().int().min(1).max(240).nullable(),
  minAge: z.number().int().min(0).max(130).nullable(),
  maxAge: z.number().int().min(0).max(130).nullable(),
  sex: z.enum(['female', 'male']).nullable(),
  tags: z.array(z.string().trim().toLowerCase().min(1).max(40)).max(10),
  includeRelatives: z.boolean(),
  /** Only these patients (a list matched from a CSV file); the other criteria still apply. */
  profileIds: z.array(IdSchema).min(1).max(20_000).optional(),
});

/** When to send (epoch ms): a date the calendar can hold, before 2100. */
const SendAtSchema = z
  .number()
  .int()
  .min(0)
  .max(Date.UTC(2100, 0, 1));

export const AudienceCountBodySchema = z.object({
  audience: AudienceSchema,
  sendAt: SendAtSchema.optional(),
});
export const AudienceCountSchema = z.object({ recipients: z.number().int(), optedOut: z.number().int() });

export const CreateCampaignBodySchema = z.object({
  kind: z.enum(['prevention', 'practice_info']),
  title: z.string().trim().min(1).max(120),
  body: MessageTextSchema,
  patientsMayReply: z.boolean(),
  audience: AudienceSchema,
  /** When to send (epoch ms); now when omitted. */
  sendAt: SendAtSchema.optional(),
  /** A file uploaded with `POST /api/v1/attachments` (PDF, JPEG or PNG), stored once with the campaign. */
  attachmentId: IdSchema.optional(),
  /** The author confirms the content rules: prevention or practice information, no advertising. */
  contentRulesAccepted: z.literal(true),
});

export const CampaignSchema = z.object({
  id: IdSchema,
  kind: z.enum(['prevention', 'practice_info']),
  title: z.string(),
  status: z.enum(['scheduled', 'sending', 'sent', 'cancelled']),
  scheduledAt: z.number().int().nullable(),
  startedAt: z.number().int().nullable(),
  completedAt: z.number().int().nullable(),
  totalRecipients: z.number().int().nullable(),
  delivered: z.number().int(),
  read: z.number().int(),
  replied: z.number().int(),
  patientsMayReply: z.boolean(),
});
export type Campaign = z.infer<typeof CampaignSchema>;
export const CampaignListSchema = z.object({ campaigns: z.array(CampaignSchema) });
export const CampaignParamsSchema = z.object({ practiceId: IdSchema, campaignId: IdSchema });
export const OptOutBodySchema = z.object({ patientProfileId: IdSchema, optedOut: z.boolean() });

/** A campaign's file, as listed (the bytes come from the download routes). */
export const CampaignAttachmentSchema = z.object({
  name: z.string(),
  contentType: z.enum(['application/pdf', 'image/jpeg', 'image/png']),
  size: z.number().int(),
});
export type CampaignAttachment = z.infer<typeof CampaignAttachmentSchema>;

/** One campaign with what its page shows: the message, the audience it was sent to. */
export const CampaignDetailSchema = CampaignSchema.extend({
  body: z.string(),
  attachment: CampaignAttachmentSchema.nullable(),
  audience: AudienceSchema,
  createdAt: z.number().int(),
});
export type CampaignDetail = z.infer<typeof CampaignDetailSchema>;

/** Cumulative delivered / read / replied counts at the end of each hour (or day) since sending started. */
export const CampaignTimelineSchema = z.object({
  bucket: z.enum(['hour', 'day']),
  points: z.array(
    z.object({
      /** Start of the bucket (epoch ms, practice time zone boundaries). */
      at: z.number().int(),
      delivered: z.number().int(),
      read: z.number().int(),
      replied: z.number().int(),
    }),
  ),
});
export type CampaignTimeline = z.infer<typeof CampaignTimelineSchema>;

/** A patient's campaign preferences: per practice they are known to, per profile they act for. */
export const CampaignOptOutListSchema = z.object({
  practices: z.array(
    z.object({
      practiceId: IdSchema,
      practiceName: z.string(),
      profiles: z.array(z.object({ patientProfileId: IdSchema, name: z.string(), optedOut: z.boolean() })),
    }),
  ),
});
export type CampaignOptOutList = z.infer<typeof CampaignOptOutListSchema>;

/** A CSV list of patients (last name, first name, birth date) to match against the practice's records. */
export const PatientListBodySchema = z.object({ csv: z.string().min(1).max(1_000_000) });
export const PatientListMatchSchema = z.object({
  /** Profiles found, to send as the audience's `profileIds`. */
  profileIds: z.array(IdSchema),
  rows: z.number().int(),
  /** Rows not matched, with why: unreadable, unknown to the practice, or not using Missive. */
  unmatched: z.array(
    z.object({
      line: z.number().int(),
      name: z.string(),
      reason: z.enum(['missing', 'invalid_date', 'not_found', 'not_on_missive']),
    }),
  ),
  unmatchedCount: z.number().int(),
});
export type PatientListMatch = z.infer<typeof PatientListMatchSchema>;

/** In a conversation a campaign opened: the campaign's file, or null. */
export const ConversationCampaignAttachmentSchema = z.object({
  attachment: CampaignAttachmentSchema.nullable(),
});
