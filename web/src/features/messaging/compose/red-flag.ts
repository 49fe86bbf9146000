import { ApiError } from '../../../api/client';
import type { RedFlag } from './use-safety';

/**
 * The server refused an unacknowledged emergency (422): the situation it recognised and the numbers to
 * call, as the refusal carries them (an older server only names the situation in `issues`).
 */
export function emergencyRefusal(error: unknown): RedFlag | null {
  if (!(error instanceof ApiError) || error.code !== 'MISSIVE_EMERGENCY_DETECTED') return null;
  if (error.emergency) {
    const { kind, numbers } = error.emergency;
    return { kind: kind !== 'emergency' ? kind : null, numbers };
  }
  const issue = error.issues.find((candidate) => candidate.path === 'body');
  return { kind: issue && issue.reason !== 'emergency' ? issue.reason : null, numbers: [] };
}

/**
 * The alert for a server refusal: the numbers the refusal carries; without them, a fresh check of the
 * same text when possible, otherwise the country's usual numbers.
 */
export async function flagForRefusal(
  refusal: RedFlag,
  check: (text: string) => Promise<RedFlag | null>,
  text: string,
): Promise<RedFlag> {
  if (refusal.numbers.length > 0) return refusal;
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
