import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

/** The user-facing text of an error: `errors.<CODE>` when the app knows the code, a generic message otherwise. */
export function errorText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) return t(`errors.${error.code}`, { defaultValue: t('errors.generic') });
  return t('errors.generic');
}

/** The error code of an API error, or undefined for anything else. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof ApiError ? error.code : undefined;
}

/**
 * Field messages from a validation error's issues (`{ path: "newPractice.name", reason: "too_small" }`),
 * keyed by path, so each message can be shown next to its field.
 */
export function issuesByField(t: TFunction, error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    fields[issue.path] ??= t(`validation.${issue.reason}`, { defaultValue: t('validation.invalid') });
  }
  return fields;
}
