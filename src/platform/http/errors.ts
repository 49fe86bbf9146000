import { ERROR_CODES, type ErrorCode } from '../../contracts/errors';

export interface ErrorIssue {
  path: string;
  reason: string;
}

/** Thrown by services; turned into `{ error: { code, message, requestId } }` with the code's status. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly issues?: ErrorIssue[],
    options?: { cause?: unknown },
  ) {
    super(ERROR_CODES[code].message, options);
    this.status = ERROR_CODES[code].status;
    this.name = 'AppError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
