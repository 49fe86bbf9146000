import { z } from 'zod';
import { ConversationSummarySchema } from './messaging';

/** Frames a client may send on /api/v1/ws. Anything else closes the socket with 1008. */
export const ClientFrameSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('ping') })]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const RealtimeEventTypeSchema = z.enum([
  'conversation.created',
  'conversation.updated',
  'message.created',
  'renewal.decided',
  'read.updated',
]);

/** Frames the server sends. Events carry ids and the change cursor only: clients fetch the content. */
export const ServerFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), cursor: z.number().int() }),
  z.object({ type: z.literal('pong') }),
  z.object({
    type: z.literal('event'),
    event: z.union([
      z.object({ type: RealtimeEventTypeSchema, conversationId: z.uuid(), cursor: z.number().int() }),
      /** A campaign's message arrived: it shows in the inbox (as a conversation) once listed or synced. */
      z.object({ type: z.literal('campaign.delivered'), campaignId: z.uuid(), cursor: z.number().int() }),
    ]),
  }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

export const SyncQuerySchema = z.object({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export const SyncResponseSchema = z.object({
  /** Pass it back as `since` for the next page or the next resync. */
  cursor: z.number().int(),
  conversations: z.array(ConversationSummarySchema),
  hasMore: z.boolean(),
});
export type SyncResponse = z.infer<typeof SyncResponseSchema>;
