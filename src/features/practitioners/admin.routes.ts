import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  AdminPracticeListSchema,
  AdminPractitionerListSchema,
  AdminPractitionerSchema,
  CreatePractitionerBodySchema,
  UserParamsSchema,
} from '../../contracts/admin';
import { CreatePracticeBodySchema, PracticeSchema } from '../../contracts/practices';
import type { Store } from '../../platform/db/store';
import { actorOf, requireAuth } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import type { PracticesService } from '../practices/practices.service';
import type { PractitionersService } from './practitioners.service';

const errors = errorResponses;

export async function registerAdminRoutes(
  root: FastifyInstance,
  deps: { store: Store; practices: PracticesService; practitioners: PractitionersService },
): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { store, practices, practitioners } = deps;
  const admin = { preHandler: requireAuth('admin') };

  app.get(
    '/api/v1/admin/practices',
    {
      ...admin,
      schema: {
        summary: 'All practices',
        tags: ['admin'],
        response: { 200: AdminPracticeListSchema, ...errors },
      },
    },
    async () => ({
      practices: await practices.listPractices(),
    }),
  );

  app.post(
    '/api/v1/admin/practices',
    {
      ...admin,
      schema: {
        summary: 'Create a practice',
        tags: ['admin'],
        body: CreatePracticeBodySchema,
        response: { 201: PracticeSchema, ...errors },
      },
    },
    async (request, reply) => {
      const practice = await store.db
        .transaction()
        .execute((trx) => practices.createPractice(trx, request.body, actorOf(request)));
      return reply.status(201).send(practice);
    },
  );

  app.get(
    '/api/v1/admin/practitioners',
    {
      ...admin,
      schema: {
        summary: 'All practitioners',
        tags: ['admin'],
        response: { 200: AdminPractitionerListSchema, ...errors },
      },
    },
    async () => ({
      practitioners: await practitioners.list(),
    }),
  );

  app.post(
    '/api/v1/admin/practitioners',
    {
      ...admin,
      schema: {
        summary: 'Register a practitioner (RPPS checked)',
        tags: ['admin'],
        body: CreatePractitionerBodySchema,
        response: { 201: AdminPractitionerSchema, ...errors },
      },
    },
    async (request, reply) => {
      const practitioner = await practitioners.create(request.body, actorOf(request));
      return reply.status(201).send(practitioner);
    },
  );

  app.post(
    '/api/v1/admin/practitioners/:userId/verify',
    {
      ...admin,
      schema: {
        summary: "Mark a practitioner's credentials as verified",
        tags: ['admin'],
        params: UserParamsSchema,
        response: { 200: AdminPractitionerSchema, ...errors },
      },
    },
    async (request) => practitioners.verify(request.params.userId, actorOf(request)),
  );
}
