import { ApiError } from '../../../api/client';
import type { RedFlag } from './use-safety';

/** The server refused an unacknowledged emergency (422): the situation it recognised, if it said. */
export function emergencyRefusal(error: unknown): { kind: string | null } | null {
  if (!(error instanceof ApiError) || error.code !== 'MISSIVE_EMERGENCY_DETECTED') return null;
  const issue = error.issues.find((candidate) => candidate.path === 'body');
  return { kind: issue && issue.reason !== 'emergency' ? issue.reason : null };
}

/**
 * The alert for a server refusal: the numbers come from a fresh check of the same text when possible,
 * otherwise the alert falls back to the country's usual numbers.
 */
export async function flagForRefusal(
  refusal: { kind: string | null },
  check: (text: string) => Promise<RedFlag | null>,
  text: string,
): Promise<RedFlag> {
  try {
    const found = await check(text);
    if (found) return { kind: found.kind ?? refusal.kind, numbers: found.numbers };
  } catch {
    // Unreachable: the alert shows the usual numbers.
  }
  return { kind: refusal.kind, numbers: [] };
}

/** Ctrl+Enter or Cmd+Enter: the only keys that send (Enter alone starts a new line). */
export function isSendShortcut(event: { key: string; ctrlKey: boolean; metaKey: boolean }): boolean {
  return event.key === 'Enter' && (event.ctrlKey || event.metaKey);
}
