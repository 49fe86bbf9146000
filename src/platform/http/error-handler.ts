import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ERROR_CODES, type ErrorCode } from '../../contracts/errors';
import { AppError, type ErrorIssue } from './errors';

function send(
  reply: import('fastify').FastifyReply,
  code: ErrorCode,
  requestId: string,
  issues?: ErrorIssue[],
) {
  return reply.status(ERROR_CODES[code].status).send({
    error: {
      code,
      message: ERROR_CODES[code].message,
      requestId,
      ...(issues && issues.length > 0 ? { issues } : {}),
    },
  });
}

/**
 * One translator from anything thrown to the API's error shape. Known errors keep their code; everything
 * else becomes a generic 500 whose details go to the log only (without request bodies).
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return send(reply, error.code, request.id, error.issues);
    if (hasZodFastifySchemaValidationErrors(error)) {
      // Paths and reasons only: echoing input values could leak health data into client logs.
      const issues = error.validation.map((v) => ({
        path: [
          error.validationContext,
          ...String(v.instancePath ?? '')
            .split('/')
            .filter(Boolean),
        ].join('.'),
        reason: String(
          v.params?.issue && typeof v.params.issue === 'object' && 'code' in v.params.issue
            ? v.params.issue.code
            : v.keyword,
        ),
      }));
      return send(reply, 'MISSIVE_VALIDATION', request.id, issues);
    }
    if (isResponseSerializationError(error)) {
      request.log.error(
        { err: { message: 'response does not match its schema', method: error.method, url: error.url } },
        'response validation failed',
      );
      return send(reply, 'MISSIVE_INTERNAL', request.id);
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, 'MISSIVE_PAYLOAD_TOO_LARGE', request.id);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, 'MISSIVE_UNSUPPORTED_MEDIA_TYPE', request.id);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(reply, 'MISSIVE_VALIDATION', request.id, [{ path: 'body', reason: 'invalid' }]);
    }
    if (error.statusCode === 400 && (error instanceof SyntaxError || error.code === undefined)) {
      return send(reply, 'MISSIVE_VALIDATION', request.id, [{ path: 'body', reason: 'malformed_json' }]);
    }
    if (error.statusCode === 429) return send(reply, 'MISSIVE_RATE_LIMITED', request.id);
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 'MISSIVE_INTERNAL', request.id);
  });

  app.setNotFoundHandler((request, reply) => send(reply, 'MISSIVE_NOT_FOUND', request.id));
}
