import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CloseAccountBodySchema,
  CloseAccountResponseSchema,
  DataExportParamsSchema,
  DataExportSchema,
  ReauthBodySchema,
} from '../../contracts/data-rights';
import { actorOf, authOf, requireAuth, type SessionCookie } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import type { ClosureService } from './closure.service';
import type { ExportService } from './export.service';

const errors = errorResponses;

export async function registerDataRightsRoutes(
  root: FastifyInstance,
  deps: { exports: ExportService; closure: ClosureService; cookie: SessionCookie },
): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { exports, closure, cookie } = deps;
  const patient = { preHandler: requireAuth('patient') };

  app.post(
    '/api/v1/me/exports',
    {
      ...patient,
      schema: {
        summary: 'Ask for a copy of all your data (password required); it is built in the background',
        tags: ['data rights'],
        body: ReauthBodySchema,
        response: { 202: DataExportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const started = await exports.request(authOf(request), request.body.password, actorOf(request));
      return reply.status(202).send(started);
    },
  );

  app.get(
    '/api/v1/me/exports',
    {
      ...patient,
      schema: {
        summary: 'Your recent data exports and their progress',
        tags: ['data rights'],
        response: { 200: z.object({ exports: z.array(DataExportSchema) }), ...errors },
      },
    },
    async (request) => ({ exports: await exports.list(authOf(request)) }),
  );

  app.get(
    '/api/v1/me/exports/:exportId',
    {
      ...patient,
      schema: {
        summary: 'Progress of a data export',
        tags: ['data rights'],
        params: DataExportParamsSchema,
        response: { 200: DataExportSchema, ...errors },
      },
    },
    async (request) => exports.get(authOf(request), request.params.exportId),
  );

  app.get(
    '/api/v1/me/exports/:exportId/download',
    {
      ...patient,
      schema: {
        summary: 'Download the ZIP archive (only from the session that asked for it)',
        tags: ['data rights'],
        params: DataExportParamsSchema,
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const archive = await exports.download(authOf(request), request.params.exportId, actorOf(request));
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', 'attachment; filename="missive-data.zip"')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "sandbox; default-src 'none'")
        .send(Buffer.from(archive) as never);
    },
  );

  app.post(
    '/api/v1/me/close',
    {
      ...patient,
      schema: {
        summary: 'Close your account (password required); practices keep their medical records',
        tags: ['data rights'],
        body: CloseAccountBodySchema,
        response: { 200: CloseAccountResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await closure.close(authOf(request), request.body.password, actorOf(request));
      cookie.clear(reply);
      return result;
    },
  );
}
