export interface ThrottleState {
  failures: number;
  windowStartedAt: number;
  lockedUntil: number | null;
}

export interface ThrottlePolicy {
  maxFailures: number;
  lockoutMs: number;
}

export function isLocked(state: ThrottleState | undefined, now: number): boolean {
  return state?.lockedUntil != null && state.lockedUntil > now;
}

/**
 * Records a failed attempt. Failures count within a window as long as the lockout; reaching the maximum
 * locks the key for the lockout duration. Returns the new state and whether this failure caused a lock.
 */
export function registerFailure(
  state: ThrottleState | undefined,
  now: number,
  policy: ThrottlePolicy,
): { state: ThrottleState; lockedNow: boolean } {
  if (state && isLocked(state, now)) return { state, lockedNow: false };
  const expired = !state || state.lockedUntil != null || now - state.windowStartedAt >= policy.lockoutMs;
  const base: ThrottleState =
    !state || expired ? { failures: 0, windowStartedAt: now, lockedUntil: null } : state;
  const failures = base.failures + 1;
  if (failures >= policy.maxFailures) {
    return {
      state: { failures: 0, windowStartedAt: now, lockedUntil: now + policy.lockoutMs },
      lockedNow: true,
    };
  }
  return { state: { ...base, failures }, lockedNow: false };
}
