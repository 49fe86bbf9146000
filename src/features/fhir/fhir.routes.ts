import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ERROR_CODES, type ErrorCode } from '../../contracts/errors';
import {
  FHIR_SEARCH_PARAMS,
  FHIR_SEARCH_TYPES,
  FhirBundleSchema,
  FhirIdParamsSchema,
  FhirResourceSchema,
  type FhirSearchParams,
  FhirSearchQuerySchema,
  fhirErrorResponses,
} from '../../contracts/fhir';
import { capabilityStatement } from '../../domain/fhir/capability';
import { operationOutcome } from '../../domain/fhir/search';
import { actorOf, authOf, requireAuth } from '../../platform/http/auth';
import { classifyError } from '../../platform/http/error-handler';
import type { ErrorIssue } from '../../platform/http/errors';
import { AppError } from '../../platform/http/errors';
import type { FhirService } from './fhir.service';

export const FHIR_PREFIX = '/fhir/R4';
export const FHIR_MEDIA_TYPE = 'application/fhir+json';
export const FHIR_CONTENT_TYPE = `${FHIR_MEDIA_TYPE}; charset=utf-8`;
/** Parameters every search accepts, whatever the type. */
const COMMON_PARAMS = new Set(['_count', '_cursor', '_format']);

function sendOutcome(reply: FastifyReply, code: ErrorCode, requestId: string, issues?: ErrorIssue[]) {
  const { status, message } = ERROR_CODES[code];
  return reply
    .status(status)
    .type(FHIR_CONTENT_TYPE)
    .send(operationOutcome({ status, code, message, requestId, issues }));
}

/** The read-only FHIR R4 endpoint: its own error shape (OperationOutcome) and content type. */
export async function registerFhirRoutes(
  root: FastifyInstance,
  deps: { fhir: FhirService; baseUrl: string; version: string; startedAt: number },
): Promise<void> {
  const { fhir, baseUrl } = deps;
  await root.register(
    async (scope) => {
      scope.setErrorHandler((error: FastifyError, request, reply) => {
        const { code, issues } = classifyError(error, request);
        return sendOutcome(reply, code, request.id, issues);
      });
      scope.setNotFoundHandler((request, reply) => sendOutcome(reply, 'MISSIVE_NOT_FOUND', request.id));
      scope.addHook('onSend', async (_request, reply, payload) => {
        reply.header('content-type', FHIR_CONTENT_TYPE);
        return payload;
      });
      const app = scope.withTypeProvider<ZodTypeProvider>();
      const user = { preHandler: requireAuth('user') };
      const security = [{ session: [] }];

      app.get(
        '/metadata',
        {
          schema: {
            summary: 'FHIR CapabilityStatement: what this endpoint supports',
            tags: ['fhir'],
            produces: [FHIR_MEDIA_TYPE],
            response: { 200: FhirResourceSchema, ...fhirErrorResponses },
          },
        },
        async () =>
          capabilityStatement({
            baseUrl,
            version: deps.version,
            date: new Date(deps.startedAt).toISOString(),
          }),
      );

      for (const type of FHIR_SEARCH_TYPES) {
        const allowed = new Set([...COMMON_PARAMS, ...FHIR_SEARCH_PARAMS[type].map((p) => p.name)]);
        app.get(
          `/${type}`,
          {
            ...user,
            schema: {
              summary: `Search ${type} resources (searchset Bundle, paged)`,
              tags: ['fhir'],
              produces: [FHIR_MEDIA_TYPE],
              security,
              querystring: FhirSearchQuerySchema,
              response: { 200: FhirBundleSchema, ...fhirErrorResponses },
            },
          },
          async (request) => {
            const params: FhirSearchParams = request.query;
            const unsupported = Object.keys(params).filter((name) => !allowed.has(name));
            if (unsupported.length > 0)
              throw new AppError(
                'MISSIVE_VALIDATION',
                unsupported.map((name) => ({ path: `query.${name}`, reason: 'unsupported' })),
              );
            const query = new URLSearchParams(request.url.split('?')[1] ?? '');
            const self = `${baseUrl}/${type}${query.size > 0 ? `?${query}` : ''}`;
            const next = (cursor: string) => {
              const nextQuery = new URLSearchParams(query);
              nextQuery.set('_cursor', cursor);
              return `${baseUrl}/${type}?${nextQuery}`;
            };
            return fhir.search(authOf(request), type, params, { self, next }, actorOf(request));
          },
        );
        app.get(
          `/${type}/:id`,
          {
            ...user,
            schema: {
              summary: `Read one ${type}`,
              tags: ['fhir'],
              produces: [FHIR_MEDIA_TYPE],
              security,
              params: FhirIdParamsSchema,
              response: { 200: FhirResourceSchema, ...fhirErrorResponses },
            },
          },
          async (request) => fhir.read(authOf(request), type, request.params.id, actorOf(request)),
        );
      }

      app.get(
        '/Communication/:id/$export',
        {
          ...user,
          schema: {
            summary: 'Export a conversation as a FHIR collection Bundle, for filing in the patient’s record',
            tags: ['fhir'],
            produces: [FHIR_MEDIA_TYPE],
            security,
            params: FhirIdParamsSchema,
            response: { 200: FhirBundleSchema, ...fhirErrorResponses },
          },
        },
        async (request, reply) => {
          const bundle = await fhir.exportConversation(authOf(request), request.params.id, actorOf(request));
          reply.header(
            'content-disposition',
            `attachment; filename="conversation-${request.params.id}.fhir.json"`,
          );
          return bundle;
        },
      );
      app.get(
        '/Patient/:id/$everything',
        {
          ...user,
          schema: {
            summary: 'Everything about a patient that the caller may see, as a FHIR collection Bundle',
            tags: ['fhir'],
            produces: [FHIR_MEDIA_TYPE],
            security,
            params: FhirIdParamsSchema,
            response: { 200: FhirBundleSchema, ...fhirErrorResponses },
          },
        },
        async (request) =>
          fhir.buildPatientRecordBundle(authOf(request), request.params.id, actorOf(request)),
      );
    },
    { prefix: FHIR_PREFIX },
  );
}
