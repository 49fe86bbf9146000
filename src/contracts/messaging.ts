import { z } from 'zod';
import { IdSchema, IsoDateSchema } from './common';

/** The highest daily message cap a practitioner may set for a patient. */
export const MAX_DAILY_MESSAGE_CAP = 100;

export const CategorySchema = z.enum(['health_question', 'renewal', 'test_results', 'administrative']);
export type Category = z.infer<typeof CategorySchema>;
export const ConversationStatusSchema = z.enum(['open', 'in_progress', 'waiting_patient', 'closed']);

export const MESSAGE_MAX_CHARS = 5_000;
export const MessageTextSchema = z.string().trim().min(1).max(MESSAGE_MAX_CHARS);
/** Client-generated idempotency key: a retry with the same key never creates a second message. */
export const ClientMessageIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

// ---------- Practitioner settings and templates ----------

const CategorySettingSchema = z.object({
  enabled: z.boolean(),
  responseDays: z.number().int().min(1).max(30),
});

export const MessagingSettingsSchema = z.object({
  open: z.boolean(),
  repliesWhenClosed: z.boolean(),
  windowMonths: z.number().int().min(1).max(120).nullable(),
  allowRelatives: z.boolean(),
  categories: z.object({
    health_question: CategorySettingSchema,
    renewal: CategorySettingSchema,
    test_results: CategorySettingSchema,
    administrative: CategorySettingSchema,
  }),
  maxOpenConversations: z.number().int().min(1).max(20),
  dailyMessageCap: z.number().int().min(1).max(MAX_DAILY_MESSAGE_CAP),
  absence: z
    .object({
      from: IsoDateSchema,
      until: IsoDateSchema,
      message: z.string().trim().max(1_000),
      coveringPractitionerId: IdSchema.nullable(),
    })
    .nullable(),
  autoCloseDays: z.number().int().min(1).max(365),
});
export type MessagingSettingsBody = z.infer<typeof MessagingSettingsSchema>;

export const TemplateSchema = z.object({
  id: IdSchema,
  title: z.string(),
  body: z.string(),
  /** Shared with the whole practice, or the caller's own. */
  shared: z.boolean(),
});
export const TemplateListSchema = z.object({ templates: z.array(TemplateSchema) });
export const CreateTemplateBodySchema = z.object({
  title: z.string().trim().min(1).max(80),
  body: MessageTextSchema,
  shared: z.boolean().default(false),
});
export const TemplateParamsSchema = z.object({ practiceId: IdSchema, templateId: IdSchema });

// ---------- Eligibility (shown before writing) ----------

export const EligibilityQuerySchema = z.object({
  practitionerId: IdSchema,
  practiceId: IdSchema,
  patientProfileId: IdSchema,
});
export const EligibilitySchema = z.object({
  eligible: z.boolean(),
  /** Error code explaining a refusal (MISSIVE_MESSAGING_CLOSED, MISSIVE_CONSULTATION_TOO_OLD …). */
  reason: z.string().nullable(),
  /** Where to book instead, when a consultation is the way forward. */
  bookingPath: z.string().nullable(),
  categories: z.array(z.object({ category: CategorySchema, responseDays: z.number().int() })),
  absence: z
    .object({ until: IsoDateSchema, message: z.string(), coveringPractitionerName: z.string().nullable() })
    .nullable(),
});
export type Eligibility = z.infer<typeof EligibilitySchema>;

// ---------- Conversations and messages ----------

export const AttachmentSchema = z.object({
  id: IdSchema,
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const MessageSchema = z.object({
  id: IdSchema,
  conversationId: IdSchema,
  seq: z.number().int(),
  clientMessageId: z.string().nullable(),
  sender: z.object({
    side: z.enum(['patient', 'practice', 'system']),
    userId: IdSchema.nullable(),
    name: z.string().nullable(),
    role: z.string().nullable(),
  }),
  kind: z.enum(['text', 'auto_reply', 'notice', 'renewal_request', 'renewal_decision']),
  body: z.string(),
  emergencyKind: z.string().nullable(),
  attachments: z.array(AttachmentSchema),
  createdAt: z.number().int(),
});
export type Message = z.infer<typeof MessageSchema>;

export const RenewalDetailsSchema = z.object({
  medication: z.string().trim().min(1).max(200),
  dosage: z.string().trim().min(1).max(200),
  takenFor: z.string().trim().min(1).max(100),
  lastPrescriptionOn: IsoDateSchema,
});
export const RenewalSchema = z.object({
  id: IdSchema,
  details: RenewalDetailsSchema,
  photo: AttachmentSchema.nullable(),
  status: z.enum(['pending', 'approved', 'refused']),
  decisionReason: z.string().nullable(),
  pickup: z.enum(['practice', 'pharmacy']).nullable(),
  decidedAt: z.number().int().nullable(),
});
export type Renewal = z.infer<typeof RenewalSchema>;

/** Characters of the last message shown in lists (an ellipsis marks a longer one). */
export const PREVIEW_LENGTH = 140;

export const ConversationSummarySchema = z.object({
  id: IdSchema,
  practiceId: IdSchema,
  practiceName: z.string(),
  practitionerId: IdSchema,
  practitionerName: z.string(),
  patientProfileId: IdSchema,
  patientName: z.string(),
  patientBirthDate: IsoDateSchema,
  category: CategorySchema,
  subject: z.string(),
  status: ConversationStatusSchema,
  origin: z.enum(['patient', 'practice', 'campaign']),
  assignee: z.object({ userId: IdSchema, name: z.string() }).nullable(),
  patientMayReply: z.boolean(),
  emergencyFlagged: z.boolean(),
  lastSeq: z.number().int(),
  lastMessageAt: z.number().int(),
  awaitingReplySince: z.number().int().nullable(),
  dueAt: z.number().int().nullable(),
  overdue: z.boolean(),
  unread: z.number().int(),
  closedReason: z.enum(['practice', 'idle', 'account_closed']).nullable(),
  changeCursor: z.number().int(),
  /**
   * In lists (the practice inbox, a patient's conversations, sync): who wrote the last message, and the
   * start of its text when it is one a person wrote (null for automatic replies and notices).
   */
  lastMessage: z
    .object({
      side: z.enum(['patient', 'practice', 'system']),
      preview: z
        .string()
        .max(PREVIEW_LENGTH + 1)
        .nullable(),
    })
    .optional(),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

export const ConversationDetailSchema = z.object({
  conversation: ConversationSummarySchema,
  renewal: RenewalSchema.nullable(),
  /** Highest sequence the other side has received and read (delivered / read ticks). */
  otherSide: z.object({ deliveredSeq: z.number().int(), readSeq: z.number().int() }),
});
export const ConversationListSchema = z.object({
  conversations: z.array(ConversationSummarySchema),
  total: z.number().int(),
});
export const MessagePageSchema = z.object({ messages: z.array(MessageSchema), hasMore: z.boolean() });
/** Sequence numbers are 32-bit integers in the database: larger ones cannot exist. */
const SEQ_MAX = 2_147_483_647;
export const MessagePageQuerySchema = z.object({
  /** Messages with seq greater than this (forward paging, sync). */
  after: z.coerce.number().int().min(0).max(SEQ_MAX).optional(),
  /** Messages with seq lower than this (scrolling back). */
  before: z.coerce.number().int().min(1).max(SEQ_MAX).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ConversationParamsSchema = z.object({ conversationId: IdSchema });

export const EmergencyAcknowledgementSchema = z.boolean().default(false);

export const StartConversationBodySchema = z.object({
  practitionerId: IdSchema,
  practiceId: IdSchema,
  patientProfileId: IdSchema,
  category: CategorySchema,
  subject: z.string().trim().min(1).max(150),
  clientMessageId: ClientMessageIdSchema,
  body: MessageTextSchema,
  attachmentIds: z.array(IdSchema).max(5).default([]),
  /** Structured renewal request, required when the category is "renewal". */
  renewal: RenewalDetailsSchema.extend({ photoAttachmentId: IdSchema.optional() }).optional(),
  /** The patient confirmed "this is not an emergency" after the red-flag alert. */
  emergencyAcknowledged: EmergencyAcknowledgementSchema,
});
export type StartConversationBody = z.infer<typeof StartConversationBodySchema>;

export const PracticeStartConversationBodySchema = z.object({
  practitionerId: IdSchema,
  patientProfileId: IdSchema,
  category: CategorySchema,
  subject: z.string().trim().min(1).max(150),
  clientMessageId: ClientMessageIdSchema,
  body: MessageTextSchema,
  attachmentIds: z.array(IdSchema).max(5).default([]),
  patientMayReply: z.boolean(),
});

export const SendMessageBodySchema = z.object({
  clientMessageId: ClientMessageIdSchema,
  body: MessageTextSchema,
  attachmentIds: z.array(IdSchema).max(5).default([]),
  emergencyAcknowledged: EmergencyAcknowledgementSchema,
});
export type SendMessageBody = z.infer<typeof SendMessageBodySchema>;

export const StartConversationResponseSchema = z.object({
  conversation: ConversationSummarySchema,
  message: MessageSchema,
});

export const UpdateConversationBodySchema = z
  .object({ status: ConversationStatusSchema.optional(), assigneeUserId: IdSchema.nullable().optional() })
  .refine((b) => b.status !== undefined || b.assigneeUserId !== undefined, { message: 'empty' });

export const ReadBodySchema = z.object({ seq: z.number().int().min(0) });
export const ReadResponseSchema = z.object({ readSeq: z.number().int(), unreadTotal: z.number().int() });

export const RenewalDecisionBodySchema = z.object({
  decision: z.enum(['approved', 'refused']),
  /** Required when refusing; shown to the patient. */
  reason: z.string().trim().max(1_000).optional(),
  /** Where the prescription will be available when approved (never sent through messaging). */
  pickup: z.enum(['practice', 'pharmacy']).optional(),
});
export const RenewalParamsSchema = z.object({ renewalId: IdSchema });

export const InboxQuerySchema = z.object({
  status: ConversationStatusSchema.optional(),
  category: CategorySchema.optional(),
  practitionerId: IdSchema.optional(),
  assigneeId: z.union([IdSchema, z.literal('none')]).optional(),
  unread: z.enum(['true', 'false']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const UnreadSchema = z.object({ total: z.number().int() });

/** Who at the practice opened a conversation, and when: shown to the patient. */
export const AccessLogSchema = z.object({
  entries: z.array(
    z.object({
      at: z.number().int(),
      name: z.string(),
      role: z.enum(['practitioner', 'assistant', 'former_member']),
      action: z.enum(['opened', 'read_messages', 'downloaded_attachment']),
    }),
  ),
});
