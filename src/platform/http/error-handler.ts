import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { EmergencyAlert } from '../../contracts/emergency';
import { ERROR_CODES, type ErrorCode } from '../../contracts/errors';
import { AppError, type ErrorIssue } from './errors';

function send(
  reply: import('fastify').FastifyReply,
  code: ErrorCode,
  requestId: string,
  issues?: ErrorIssue[],
  emergency?: EmergencyAlert,
) {
  return reply.status(ERROR_CODES[code].status).send({
    error: {
      code,
      message: ERROR_CODES[code].message,
      requestId,
      ...(issues && issues.length > 0 ? { issues } : {}),
      ...(emergency ? { emergency } : {}),
    },
  });
}

/** What an error means for the client: a registered code and, for validation errors, field paths. */
export interface ClassifiedError {
  code: ErrorCode;
  issues?: ErrorIssue[] | undefined;
}

/**
 * One translator from anything thrown to an error code. Known errors keep their code; everything else
 * becomes a generic 500 whose details go to the log only (without request bodies).
 */
export function classifyError(error: FastifyError, request: FastifyRequest): ClassifiedError {
  if (error instanceof AppError) return { code: error.code, issues: error.issues };
  if (hasZodFastifySchemaValidationErrors(error)) {
    // Paths and reasons only: echoing input values could leak health data into client logs.
    const issues = error.validation.map((v) => ({
      // Body fields are named as in the body (`newPractice.name`); params and query keep their prefix.
      path:
        [
          error.validationContext === 'body' ? '' : error.validationContext,
          ...String(v.instancePath ?? '').split('/'),
        ]
          .filter(Boolean)
          .join('.') || 'body',
      reason: String(
        v.params?.issue && typeof v.params.issue === 'object' && 'code' in v.params.issue
          ? v.params.issue.code
          : v.keyword,
      ),
    }));
    return { code: 'MISSIVE_VALIDATION', issues };
  }
  if (isResponseSerializationError(error)) {
    request.log.error(
      { err: { message: 'response does not match its schema', method: error.method, url: error.url } },
      'response validation failed',
    );
    return { code: 'MISSIVE_INTERNAL' };
  }
  // Errors Fastify raises before a handler runs (body parsing, content type, size) carry a 4xx status.
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code: ErrorCode =
      status === 413
        ? 'MISSIVE_PAYLOAD_TOO_LARGE'
        : status === 415
          ? 'MISSIVE_UNSUPPORTED_MEDIA_TYPE'
          : status === 429
            ? 'MISSIVE_RATE_LIMITED'
            : status === 404
              ? 'MISSIVE_NOT_FOUND'
              : 'MISSIVE_VALIDATION';
    return {
      code,
      issues: code === 'MISSIVE_VALIDATION' ? [{ path: 'body', reason: 'malformed' }] : undefined,
    };
  }
  request.log.error({ err: error }, 'unhandled error');
  return { code: 'MISSIVE_INTERNAL' };
}

/** The API's error answers: `{ error: { code, message, requestId, issues? } }` with the code's status. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return send(reply, error.code, request.id, error.issues, error.emergency);
    const { code, issues } = classifyError(error, request);
    return send(reply, code, request.id, issues);
  });
}

/** Unknown routes answer like any "not found": the same JSON error shape. */
export function sendNotFound(request: FastifyRequest, reply: FastifyReply) {
  return send(reply, 'MISSIVE_NOT_FOUND', request.id);
}
