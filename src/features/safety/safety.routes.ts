import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorResponseSchema } from '../../contracts/common';
import {
  SafetyCheckBodySchema,
  SafetyCheckResponseSchema,
  SafetyNumbersQuerySchema,
  SafetyNumbersResponseSchema,
} from '../../contracts/safety';
import { checkEmergency, emergencyNumbers } from '../../domain/safety/detector';
import { requireAuth } from '../../platform/http/auth';

/** The red-flag check while a patient types. Stores nothing and logs nothing of the text. */
export async function registerSafetyRoutes(root: FastifyInstance): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/v1/safety/check',
    {
      preHandler: requireAuth('user'),
      schema: {
        summary: 'Does this draft describe an emergency? (stores nothing)',
        tags: ['safety'],
        body: SafetyCheckBodySchema,
        response: {
          200: SafetyCheckResponseSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          403: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const result = checkEmergency(request.body.text, request.body.lang, request.body.country);
      return {
        emergency: result.emergency,
        kind: result.kind,
        numbers: result.numbers.map(({ number, label, kind }) => ({ number, label, kind })),
      };
    },
  );
  app.get(
    '/api/v1/safety/numbers',
    {
      schema: {
        summary: 'Emergency numbers of a country, for the notice shown before writing',
        tags: ['safety'],
        querystring: SafetyNumbersQuerySchema,
        response: { 200: SafetyNumbersResponseSchema, 400: ErrorResponseSchema },
      },
    },
    async (request) => ({
      numbers: emergencyNumbers(request.query.country, request.query.lang).map(({ number, label, kind }) => ({
        number,
        label,
        kind,
      })),
    }),
  );
}
