import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TokenBodySchema } from '../../contracts/accounts';
import {
  AcceptInvitationBodySchema,
  AcceptInvitationResponseSchema,
  InvitationParamsSchema,
  InvitationPreviewSchema,
  InvitationSchema,
  InviteMemberBodySchema,
  MemberSchema,
  PracticeMemberParamsSchema,
  PracticeMembersResponseSchema,
  PracticeParamsSchema,
  UpdateMemberBodySchema,
} from '../../contracts/practices';
import { actorOf, authOf, requireAuth } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import type { PracticesService } from './practices.service';

const errors = errorResponses;

export async function registerPracticesRoutes(
  root: FastifyInstance,
  deps: { practices: PracticesService },
): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { practices } = deps;
  const member = { preHandler: requireAuth('user') };

  app.get(
    '/api/v1/practices/:practiceId/members',
    {
      ...member,
      schema: {
        summary: 'Practice team: members and pending invitations',
        tags: ['practices'],
        params: PracticeParamsSchema,
        response: { 200: PracticeMembersResponseSchema, ...errors },
      },
    },
    async (request) => practices.listTeam(authOf(request), request.params.practiceId),
  );

  app.post(
    '/api/v1/practices/:practiceId/invitations',
    {
      ...member,
      schema: {
        summary: 'Invite an assistant by e-mail',
        tags: ['practices'],
        params: PracticeParamsSchema,
        body: InviteMemberBodySchema,
        response: { 201: InvitationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const invitation = await practices.invite(
        authOf(request),
        request.params.practiceId,
        request.body,
        actorOf(request),
      );
      return reply.status(201).send(invitation);
    },
  );

  app.delete(
    '/api/v1/practices/:practiceId/invitations/:invitationId',
    {
      ...member,
      schema: {
        summary: 'Revoke a pending invitation',
        tags: ['practices'],
        params: InvitationParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await practices.revokeInvitation(
        authOf(request),
        request.params.practiceId,
        request.params.invitationId,
        actorOf(request),
      );
      return reply.status(204).send(null);
    },
  );

  app.patch(
    '/api/v1/practices/:practiceId/members/:userId',
    {
      ...member,
      schema: {
        summary: "Change a member's rights or admin status",
        tags: ['practices'],
        params: PracticeMemberParamsSchema,
        body: UpdateMemberBodySchema,
        response: { 200: MemberSchema, ...errors },
      },
    },
    async (request) =>
      practices.updateMember(
        authOf(request),
        request.params.practiceId,
        request.params.userId,
        request.body,
        actorOf(request),
      ),
  );

  app.delete(
    '/api/v1/practices/:practiceId/members/:userId',
    {
      ...member,
      schema: {
        summary: 'Remove a member from the practice',
        tags: ['practices'],
        params: PracticeMemberParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await practices.removeMember(
        authOf(request),
        request.params.practiceId,
        request.params.userId,
        actorOf(request),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/invitations/preview',
    {
      schema: {
        summary: 'What an invitation link offers',
        tags: ['practices'],
        body: TokenBodySchema,
        response: { 200: InvitationPreviewSchema, ...errors },
      },
    },
    async (request) => practices.previewInvitation(request.body.token),
  );

  app.post(
    '/api/v1/invitations/accept',
    {
      schema: {
        summary: 'Accept an invitation to join a practice',
        tags: ['practices'],
        body: AcceptInvitationBodySchema,
        response: { 200: AcceptInvitationResponseSchema, ...errors },
      },
    },
    async (request) => {
      // An existing account accepts while signed in, with its second factor satisfied.
      const auth =
        request.auth && (request.auth.mfa === 'verified' || request.auth.mfa === 'not_required')
          ? request.auth
          : null;
      return { membership: await practices.acceptInvitation(request.body, auth, actorOf(request)) };
    },
  );
}
