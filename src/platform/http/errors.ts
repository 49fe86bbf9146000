import type { EmergencyAlert } from '../../contracts/emergency';
import { ERROR_CODES, type ErrorCode } from '../../contracts/errors';

export interface ErrorIssue {
  path: string;
  reason: string;
}

/** Thrown by services; turned into `{ error: { code, message, requestId } }` with the code's status. */
export class AppError extends Error {
  readonly status: number;
  /** The alert to show with MISSIVE_EMERGENCY_DETECTED (situation and numbers, never the text). */
  readonly emergency: EmergencyAlert | undefined;
  constructor(
    readonly code: ErrorCode,
    readonly issues?: ErrorIssue[],
    options?: { cause?: unknown; emergency?: EmergencyAlert },
  ) {
    super(ERROR_CODES[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = ERROR_CODES[code].status;
    this.name = 'AppError';
    this.emergency = options?.emergency;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
