import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PracticePractitionerParamsSchema } from '../../contracts/care';
import {
  AccessLogSchema,
  AttachmentSchema,
  ConversationDetailSchema,
  ConversationListSchema,
  ConversationParamsSchema,
  ConversationSummarySchema,
  CreateTemplateBodySchema,
  EligibilityQuerySchema,
  EligibilitySchema,
  InboxQuerySchema,
  MessagePageQuerySchema,
  MessagePageSchema,
  MessageSchema,
  MessagingSettingsSchema,
  PracticeStartConversationBodySchema,
  ReadBodySchema,
  ReadResponseSchema,
  RenewalDecisionBodySchema,
  RenewalParamsSchema,
  SendMessageBodySchema,
  StartConversationBodySchema,
  StartConversationResponseSchema,
  TemplateListSchema,
  TemplateParamsSchema,
  TemplateSchema,
  UnreadSchema,
  UpdateConversationBodySchema,
} from '../../contracts/messaging';
import { PracticeParamsSchema } from '../../contracts/practices';
import { MAX_ATTACHMENT_BYTES } from '../../domain/attachments';
import { actorOf, authOf, requireAuth } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import { AppError } from '../../platform/http/errors';
import type { AttachmentsService } from './attachments.service';
import type { ConversationsService } from './conversations.service';
import type { InboxService } from './inbox.service';
import type { MessagingSettingsService } from './settings.service';
import type { TriageService } from './triage.service';

const errors = errorResponses;

/** The upload's file name, sent percent-encoded; a malformed encoding is the client's error, not ours. */
function fileNameOf(header: string | undefined): string {
  if (header === undefined) return 'document';
  try {
    return decodeURIComponent(header);
  } catch {
    throw new AppError('MISSIVE_VALIDATION', [{ path: 'headers.x-file-name', reason: 'malformed' }]);
  }
}

const UPLOAD_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/octet-stream'];

export async function registerMessagingRoutes(
  root: FastifyInstance,
  deps: {
    settings: MessagingSettingsService;
    conversations: ConversationsService;
    inbox: InboxService;
    triage: TriageService;
    attachments: AttachmentsService;
  },
): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { settings, conversations, inbox, triage, attachments } = deps;
  const user = { preHandler: requireAuth('user') };
  const patient = { preHandler: requireAuth('patient') };

  // Uploads arrive as raw bytes; their real type is decided by content, not by this header.
  app.addContentTypeParser(
    UPLOAD_TYPES,
    { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES + 1 },
    (_request, body, done) => done(null, body),
  );

  // ----- Practitioner controls and templates -----
  const settingsPath = '/api/v1/practices/:practiceId/practitioners/:practitionerId/messaging-settings';
  app.get(
    settingsPath,
    {
      ...user,
      schema: {
        summary: "A practitioner's messaging controls",
        tags: ['messaging'],
        params: PracticePractitionerParamsSchema,
        response: { 200: MessagingSettingsSchema, ...errors },
      },
    },
    async (request) =>
      settings.get(authOf(request), request.params.practiceId, request.params.practitionerId),
  );
  app.put(
    settingsPath,
    {
      ...user,
      schema: {
        summary: 'Open or close messaging; who may write, categories, limits, absence',
        tags: ['messaging'],
        params: PracticePractitionerParamsSchema,
        body: MessagingSettingsSchema,
        response: { 200: MessagingSettingsSchema, ...errors },
      },
    },
    async (request) =>
      settings.update(
        authOf(request),
        request.params.practiceId,
        request.params.practitionerId,
        request.body,
        actorOf(request),
      ),
  );
  app.get(
    '/api/v1/practices/:practiceId/templates',
    {
      ...user,
      schema: {
        summary: 'Reply templates (yours and the practice’s)',
        tags: ['messaging'],
        params: PracticeParamsSchema,
        response: { 200: TemplateListSchema, ...errors },
      },
    },
    async (request) => ({
      templates: await settings.listTemplates(authOf(request), request.params.practiceId),
    }),
  );
  app.post(
    '/api/v1/practices/:practiceId/templates',
    {
      ...user,
      schema: {
        summary: 'Add a reply template',
        tags: ['messaging'],
        params: PracticeParamsSchema,
        body: CreateTemplateBodySchema,
        response: { 201: TemplateSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await settings.createTemplate(authOf(request), request.params.practiceId, request.body)),
  );
  app.delete(
    '/api/v1/practices/:practiceId/templates/:templateId',
    {
      ...user,
      schema: {
        summary: 'Delete a reply template',
        tags: ['messaging'],
        params: TemplateParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await settings.deleteTemplate(authOf(request), request.params.practiceId, request.params.templateId);
      return reply.status(204).send(null);
    },
  );

  // ----- Patient side -----
  app.get(
    '/api/v1/messaging/eligibility',
    {
      ...patient,
      schema: {
        summary: 'May this patient write to this practitioner? Categories and response times',
        tags: ['messaging'],
        querystring: EligibilityQuerySchema,
        response: { 200: EligibilitySchema, ...errors },
      },
    },
    async (request) => conversations.checkEligibility(authOf(request), request.query),
  );
  app.post(
    '/api/v1/conversations',
    {
      ...patient,
      schema: {
        summary: 'Start a conversation (health question, renewal request …)',
        tags: ['messaging'],
        body: StartConversationBodySchema,
        response: { 200: StartConversationResponseSchema, 201: StartConversationResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { created, ...result } = await conversations.start(
        authOf(request),
        request.body,
        actorOf(request),
      );
      return reply.status(created ? 201 : 200).send(result);
    },
  );
  app.get(
    '/api/v1/conversations',
    {
      ...patient,
      schema: {
        summary: 'Your and your relatives’ conversations',
        tags: ['messaging'],
        response: { 200: ConversationListSchema, ...errors },
      },
    },
    async (request) => {
      const list = await inbox.listForPatient(authOf(request));
      return { conversations: list, total: list.length };
    },
  );

  // ----- Both sides -----
  app.get(
    '/api/v1/conversations/:conversationId',
    {
      ...user,
      schema: {
        summary: 'A conversation, its renewal request and read markers',
        tags: ['messaging'],
        params: ConversationParamsSchema,
        response: { 200: ConversationDetailSchema, ...errors },
      },
    },
    async (request) => inbox.detail(authOf(request), request.params.conversationId, actorOf(request)),
  );
  app.get(
    '/api/v1/conversations/:conversationId/messages',
    {
      ...user,
      schema: {
        summary: 'Messages by sequence number',
        tags: ['messaging'],
        params: ConversationParamsSchema,
        querystring: MessagePageQuerySchema,
        response: { 200: MessagePageSchema, ...errors },
      },
    },
    async (request) =>
      inbox.messages(authOf(request), request.params.conversationId, request.query, actorOf(request)),
  );
  app.post(
    '/api/v1/conversations/:conversationId/messages',
    {
      ...user,
      schema: {
        summary: 'Send a message (idempotent by clientMessageId)',
        tags: ['messaging'],
        params: ConversationParamsSchema,
        body: SendMessageBodySchema,
        response: { 200: MessageSchema, 201: MessageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { message, created } = await conversations.send(
        authOf(request),
        request.params.conversationId,
        request.body,
        actorOf(request),
      );
      return reply.status(created ? 201 : 200).send(message);
    },
  );
  app.get(
    '/api/v1/conversations/:conversationId/access-log',
    {
      ...user,
      schema: {
        summary: 'Who at the practice opened this conversation, and when',
        tags: ['messaging'],
        params: ConversationParamsSchema,
        response: { 200: AccessLogSchema, ...errors },
      },
    },
    async (request) => inbox.accessLog(authOf(request), request.params.conversationId),
  );
  app.post(
    '/api/v1/conversations/:conversationId/read',
    {
      ...user,
      schema: {
        summary: 'Mark messages read up to a sequence number',
        tags: ['messaging'],
        params: ConversationParamsSchema,
        body: ReadBodySchema,
        response: { 200: ReadResponseSchema, ...errors },
      },
    },
    async (request) => inbox.markRead(authOf(request), request.params.conversationId, request.body.seq),
  );
  app.get(
    '/api/v1/unread',
    {
      ...user,
      schema: {
        summary: 'Unread messages in total (the badge)',
        tags: ['messaging'],
        response: { 200: UnreadSchema, ...errors },
      },
    },
    async (request) => ({
      total: await inbox.unreadTotal(authOf(request)),
    }),
  );
  app.post(
    '/api/v1/attachments',
    {
      ...user,
      bodyLimit: MAX_ATTACHMENT_BYTES + 1,
      schema: {
        summary: 'Upload a PDF, JPEG or PNG (≤ 10 MB) to join to a message',
        tags: ['messaging'],
        headers: z.object({ 'x-file-name': z.string().max(500).optional() }),
        response: { 201: AttachmentSchema, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const name = fileNameOf(request.headers['x-file-name']);
      return reply
        .status(201)
        .send(
          await attachments.upload(authOf(request), Buffer.isBuffer(body) ? body : Buffer.alloc(0), name),
        );
    },
  );
  app.get(
    '/api/v1/attachments/:attachmentId',
    {
      ...user,
      schema: {
        summary: 'Download an attachment',
        tags: ['messaging'],
        params: z.object({ attachmentId: z.uuid() }),
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const file = await attachments.download(authOf(request), request.params.attachmentId, actorOf(request));
      // Bytes go out as they are (Fastify does not serialise buffers); the headers keep browsers from rendering them here.
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "sandbox; default-src 'none'")
        .send(file.data as never);
    },
  );

  // ----- Practice side -----
  app.get(
    '/api/v1/practices/:practiceId/inbox',
    {
      ...user,
      schema: {
        summary: 'The practice inbox: emergencies first, then longest waiting',
        tags: ['messaging'],
        params: PracticeParamsSchema,
        querystring: InboxQuerySchema,
        response: { 200: ConversationListSchema, ...errors },
      },
    },
    async (request) => inbox.practiceInbox(authOf(request), request.params.practiceId, request.query),
  );
  app.post(
    '/api/v1/practices/:practiceId/conversations',
    {
      ...user,
      schema: {
        summary: 'Write first to one of the practitioner’s patients',
        tags: ['messaging'],
        params: PracticeParamsSchema,
        body: PracticeStartConversationBodySchema,
        response: { 200: StartConversationResponseSchema, 201: StartConversationResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { created, ...result } = await triage.startByPractice(
        authOf(request),
        request.params.practiceId,
        request.body,
        actorOf(request),
      );
      return reply.status(created ? 201 : 200).send(result);
    },
  );
  app.patch(
    '/api/v1/conversations/:conversationId',
    {
      ...user,
      schema: {
        summary: 'Change status or assignee (practice side)',
        tags: ['messaging'],
        params: ConversationParamsSchema,
        body: UpdateConversationBodySchema,
        response: { 200: ConversationSummarySchema, ...errors },
      },
    },
    async (request) =>
      triage.update(authOf(request), request.params.conversationId, request.body, actorOf(request)),
  );
  app.post(
    '/api/v1/renewals/:renewalId/decision',
    {
      ...user,
      schema: {
        summary: 'Approve or refuse a renewal request (practitioners only)',
        tags: ['messaging'],
        params: RenewalParamsSchema,
        body: RenewalDecisionBodySchema,
        response: { 200: ConversationSummarySchema, ...errors },
      },
    },
    async (request) =>
      triage.decideRenewal(authOf(request), request.params.renewalId, request.body, actorOf(request)),
  );
}
