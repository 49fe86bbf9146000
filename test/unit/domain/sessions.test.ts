import { describe, expect, it } from 'vitest';
import { isLocked, registerFailure } from '../../../src/domain/login-throttle';
import { SESSION_TOUCH_INTERVAL_MS, sessionExpiry, shouldTouchSession } from '../../../src/domain/sessions';
import { ManualClock } from '../../../src/platform/clock/clock';

const MINUTE = 60_000;

describe('session expiry', () => {
  const clock = new ManualClock(1_000_000);
  const session = {
    createdAt: clock.now(),
    lastSeenAt: clock.now(),
    expiresAt: clock.now() + 12 * 60 * MINUTE,
    idleTimeoutMs: 30 * MINUTE,
  };

  it('stays active while used within the idle timeout', () => {
    expect(sessionExpiry(session, clock.now() + 29 * MINUTE)).toBe('active');
  });

  it('expires after the idle timeout without activity', () => {
    expect(sessionExpiry(session, clock.now() + 30 * MINUTE)).toBe('idle');
  });

  it('expires at the absolute timeout even when in use', () => {
    const active = { ...session, lastSeenAt: session.expiresAt - MINUTE };
    expect(sessionExpiry(active, session.expiresAt)).toBe('absolute');
  });

  it('refreshes last activity at most once a minute', () => {
    expect(shouldTouchSession(session, session.lastSeenAt + SESSION_TOUCH_INTERVAL_MS - 1)).toBe(false);
    expect(shouldTouchSession(session, session.lastSeenAt + SESSION_TOUCH_INTERVAL_MS)).toBe(true);
  });
});

describe('login throttle', () => {
  const policy = { maxFailures: 3, lockoutMs: 15 * MINUTE };

  it('locks on the last allowed failure and unlocks after the lockout', () => {
    let state = registerFailure(undefined, 0, policy);
    expect(state.lockedNow).toBe(false);
    state = registerFailure(state.state, MINUTE, policy);
    expect(state.lockedNow).toBe(false);
    state = registerFailure(state.state, 2 * MINUTE, policy);
    expect(state.lockedNow).toBe(true);
    expect(isLocked(state.state, 2 * MINUTE + policy.lockoutMs - 1)).toBe(true);
    expect(isLocked(state.state, 2 * MINUTE + policy.lockoutMs)).toBe(false);
  });

  it('forgets failures older than the window', () => {
    let state = registerFailure(undefined, 0, policy);
    state = registerFailure(state.state, MINUTE, policy);
    state = registerFailure(state.state, MINUTE + policy.lockoutMs, policy);
    expect(state.lockedNow).toBe(false);
    expect(state.state.failures).toBe(1);
  });

  it('starts counting afresh after a lockout ends', () => {
    const after = registerFailure({ failures: 0, windowStartedAt: 0, lockedUntil: 100 }, 200, policy);
    expect(after.state).toEqual({ failures: 1, windowStartedAt: 200, lockedUntil: null });
  });
});
