export const MIN_PASSWORD_LENGTH = 12;

export type PasswordProblem = 'too_short' | 'too_common';

/**
 * Length first (NIST SP 800-63B style: long passphrases, no composition rules), then a check against the
 * most common passwords. The list is passed in so the rule stays pure and testable.
 */
export function checkPassword(
  password: string,
  isCommon: (candidate: string) => boolean,
  personal: readonly string[] = [],
): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  const lowered = password.toLowerCase();
  if (isCommon(lowered)) return 'too_common';
  // A common password padded with digits or symbols ("password1234!") is no stronger than the word itself.
  const core = lowered.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (core.length >= 4 && core !== lowered && isCommon(core)) return 'too_common';
  // One character or a short pattern repeated ("aaaaaaaaaaaa", "abcabcabcabc").
  if (/^(.{1,3})\1+$/u.test(lowered)) return 'too_common';
  for (const part of personal) {
    const value = part.trim().toLowerCase();
    if (value.length >= 4 && core === value) return 'too_common';
  }
  return null;
}
