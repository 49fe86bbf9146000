import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type AcceptableTermsKind,
  AcceptTermsBodySchema,
  PublishTermsBodySchema,
  TermsDocumentSchema,
  TermsKindSchema,
  TermsParamsSchema,
  TermsQuerySchema,
  TermsStatusSchema,
  TermsVersionListSchema,
} from '../../contracts/terms';
import { actorOf, authOf, requireAuth } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import type { TermsService } from './terms.service';

const errors = errorResponses;

/** Route guard for patient sends: the current messaging terms must have been accepted. */
export function requireTermsAccepted(terms: TermsService, kind: AcceptableTermsKind) {
  return async (request: FastifyRequest) => {
    const auth = request.auth;
    if (auth?.user.kind === 'patient' && kind === 'patient') await terms.requireAccepted(auth.user.id, kind);
  };
}

export async function registerTermsRoutes(
  root: FastifyInstance,
  deps: { terms: TermsService },
): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { terms } = deps;

  app.get(
    '/api/v1/terms/:kind',
    {
      schema: {
        summary: 'The terms of use or privacy notice in force (public)',
        tags: ['terms'],
        params: TermsParamsSchema,
        querystring: TermsQuerySchema,
        response: { 200: TermsDocumentSchema, ...errors },
      },
    },
    async (request) => terms.current(request.params.kind, request.query.locale),
  );

  app.get(
    '/api/v1/me/terms',
    {
      preHandler: requireAuth('user'),
      schema: {
        summary: 'Which terms you accepted, and whether a new version awaits your acceptance',
        tags: ['terms'],
        response: { 200: TermsStatusSchema, ...errors },
      },
    },
    async (request) => terms.status(authOf(request)),
  );

  app.post(
    '/api/v1/me/terms/accept',
    {
      preHandler: requireAuth('user'),
      schema: {
        summary: 'Accept the version of the terms you read',
        tags: ['terms'],
        body: AcceptTermsBodySchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await terms.accept(authOf(request), request.body.kind, request.body.version, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/admin/terms',
    {
      preHandler: requireAuth('admin'),
      schema: {
        summary: 'Published versions of the terms, and versions ready to publish',
        tags: ['admin'],
        response: { 200: TermsVersionListSchema, ...errors },
      },
    },
    async () => terms.versions(),
  );

  app.post(
    '/api/v1/admin/terms',
    {
      preHandler: requireAuth('admin'),
      schema: {
        summary: 'Publish a new version of the terms (its texts must exist in every language)',
        tags: ['admin'],
        body: PublishTermsBodySchema,
        response: { 201: z.object({ kind: TermsKindSchema, version: z.number().int() }), ...errors },
      },
    },
    async (request, reply) => {
      const published = await terms.publish(request.body.kind, request.body.version, actorOf(request));
      return reply.status(201).send(published);
    },
  );
}
