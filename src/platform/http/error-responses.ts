import { ErrorResponseSchema } from '../../contracts/common';

/**
 * The error answers every API route may give, for route response schemas (and so for OpenAPI).
 * Statuses come from the error-code registry; each route adds its success responses.
 */
export const errorResponses = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  409: ErrorResponseSchema,
  413: ErrorResponseSchema,
  415: ErrorResponseSchema,
  422: ErrorResponseSchema,
  429: ErrorResponseSchema,
} as const;
