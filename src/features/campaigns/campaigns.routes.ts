import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AudienceCountBodySchema,
  AudienceCountSchema,
  CampaignDetailSchema,
  CampaignListSchema,
  CampaignOptOutListSchema,
  CampaignParamsSchema,
  CampaignSchema,
  CampaignTimelineSchema,
  ConversationCampaignAttachmentSchema,
  CreateCampaignBodySchema,
  OptOutBodySchema,
  PatientListBodySchema,
  PatientListMatchSchema,
} from '../../contracts/campaigns';
import { ConversationParamsSchema } from '../../contracts/messaging';
import { PracticeParamsSchema } from '../../contracts/practices';
import { actorOf, authOf, requireAuth } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import type { CampaignsService } from './campaigns.service';

const errors = errorResponses;

/** Bytes as they are, with headers that keep browsers from rendering them in the app's origin. */
function sendFile(
  reply: FastifyReply,
  file: { contentType: string; name: string; data: Buffer | Uint8Array },
) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .send(file.data as never);
}

export async function registerCampaignsRoutes(
  root: FastifyInstance,
  deps: { campaigns: CampaignsService; onCreated: () => void },
): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { campaigns } = deps;
  const user = { preHandler: requireAuth('user') };
  const patient = { preHandler: requireAuth('patient') };

  app.post(
    '/api/v1/practices/:practiceId/campaigns/audience',
    {
      ...user,
      schema: {
        summary: 'Count the recipients of an audience (live, while editing)',
        tags: ['campaigns'],
        params: PracticeParamsSchema,
        body: AudienceCountBodySchema,
        response: { 200: AudienceCountSchema, ...errors },
      },
    },
    async (request) =>
      campaigns.countAudience(
        authOf(request),
        request.params.practiceId,
        request.body.audience,
        request.body.sendAt,
      ),
  );
  app.post(
    '/api/v1/practices/:practiceId/campaigns/audience/list',
    {
      ...user,
      schema: {
        summary: "Match a CSV list of patients against the practice's records (unmatched rows reported)",
        tags: ['campaigns'],
        params: PracticeParamsSchema,
        body: PatientListBodySchema,
        response: { 200: PatientListMatchSchema, ...errors },
      },
    },
    async (request) =>
      campaigns.matchPatientList(authOf(request), request.params.practiceId, request.body.csv),
  );
  app.post(
    '/api/v1/practices/:practiceId/campaigns',
    {
      ...user,
      schema: {
        summary: 'Send or schedule a prevention campaign or practice news',
        tags: ['campaigns'],
        params: PracticeParamsSchema,
        body: CreateCampaignBodySchema,
        response: { 201: CampaignSchema, ...errors },
      },
    },
    async (request, reply) => {
      const campaign = await campaigns.create(
        authOf(request),
        request.params.practiceId,
        request.body,
        actorOf(request),
      );
      deps.onCreated();
      return reply.status(201).send(campaign);
    },
  );
  app.get(
    '/api/v1/practices/:practiceId/campaigns',
    {
      ...user,
      schema: {
        summary: "The practice's campaigns with delivery progress and statistics",
        tags: ['campaigns'],
        params: PracticeParamsSchema,
        response: { 200: CampaignListSchema, ...errors },
      },
    },
    async (request) => ({
      campaigns: await campaigns.list(authOf(request), request.params.practiceId),
    }),
  );
  app.get(
    '/api/v1/practices/:practiceId/campaigns/:campaignId',
    {
      ...user,
      schema: {
        summary: 'One campaign: its message, audience, progress and counts',
        tags: ['campaigns'],
        params: CampaignParamsSchema,
        response: { 200: CampaignDetailSchema, ...errors },
      },
    },
    async (request) =>
      campaigns.detail(authOf(request), request.params.practiceId, request.params.campaignId),
  );
  app.get(
    '/api/v1/practices/:practiceId/campaigns/:campaignId/timeline',
    {
      ...user,
      schema: {
        summary: 'Delivered, read and replied counts over time (hourly or daily, cumulative)',
        tags: ['campaigns'],
        params: CampaignParamsSchema,
        response: { 200: CampaignTimelineSchema, ...errors },
      },
    },
    async (request) =>
      campaigns.timeline(authOf(request), request.params.practiceId, request.params.campaignId),
  );
  app.post(
    '/api/v1/practices/:practiceId/campaigns/:campaignId/cancel',
    {
      ...user,
      schema: {
        summary: 'Cancel a scheduled campaign',
        tags: ['campaigns'],
        params: CampaignParamsSchema,
        response: { 200: CampaignSchema, ...errors },
      },
    },
    async (request) =>
      campaigns.cancel(
        authOf(request),
        request.params.practiceId,
        request.params.campaignId,
        actorOf(request),
      ),
  );
  app.get(
    '/api/v1/practices/:practiceId/campaigns/:campaignId/attachment',
    {
      ...user,
      schema: {
        summary: "Download a campaign's file (practice side)",
        tags: ['campaigns'],
        params: CampaignParamsSchema,
        response: { ...errors },
      },
    },
    async (request, reply) =>
      sendFile(
        reply,
        await campaigns.attachmentFile(authOf(request), request.params.practiceId, request.params.campaignId),
      ),
  );
  app.get(
    '/api/v1/conversations/:conversationId/campaign-attachment',
    {
      ...user,
      schema: {
        summary: 'The file of the campaign that opened this conversation, if any',
        tags: ['campaigns'],
        params: ConversationParamsSchema,
        response: { 200: ConversationCampaignAttachmentSchema, ...errors },
      },
    },
    async (request) => campaigns.conversationAttachment(authOf(request), request.params.conversationId),
  );
  app.get(
    '/api/v1/conversations/:conversationId/campaign-attachment/file',
    {
      ...user,
      schema: {
        summary: 'Download the file of the campaign that opened this conversation',
        tags: ['campaigns'],
        params: ConversationParamsSchema,
        response: { ...errors },
      },
    },
    async (request, reply) =>
      sendFile(
        reply,
        await campaigns.conversationAttachmentFile(
          authOf(request),
          request.params.conversationId,
          actorOf(request),
        ),
      ),
  );
  app.get(
    '/api/v1/campaign-optouts',
    {
      ...patient,
      schema: {
        summary: "The practices that may send campaigns to the patient's profiles, and their opt-outs",
        tags: ['campaigns'],
        response: { 200: CampaignOptOutListSchema, ...errors },
      },
    },
    async (request) => campaigns.optOuts(authOf(request)),
  );
  app.put(
    '/api/v1/practices/:practiceId/campaign-optout',
    {
      ...patient,
      schema: {
        summary: "Opt a profile out of (or back into) a practice's campaigns",
        tags: ['campaigns'],
        params: PracticeParamsSchema,
        body: OptOutBodySchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await campaigns.setOptOut(
        authOf(request),
        request.params.practiceId,
        request.body.patientProfileId,
        request.body.optedOut,
      );
      return reply.status(204).send(null);
    },
  );
}
