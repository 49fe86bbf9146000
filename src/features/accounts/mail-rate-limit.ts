import { registerFailure } from '../../domain/login-throttle';
import type { Clock } from '../../platform/clock/clock';
import { hashToken } from '../../platform/crypto/tokens';
import type { Store } from '../../platform/db/store';
import { findThrottle, saveThrottle } from './accounts.repository';

export interface MailRateLimiter {
  /** True when another mail may go to this address now (at most 5 account mails per address per hour). */
  allow(email: string): Promise<boolean>;
}

const POLICY = { maxFailures: 6, lockoutMs: 3_600_000 };

export function createMailRateLimiter(store: Store, clock: Clock): MailRateLimiter {
  return {
    async allow(email) {
      const key = hashToken(`mail:${email}`);
      const now = clock.now();
      const current = await findThrottle(store.db, key);
      const state = current
        ? {
            failures: current.failures,
            windowStartedAt: current.window_started_at,
            lockedUntil: current.locked_until,
          }
        : undefined;
      if (state?.lockedUntil && state.lockedUntil > now) return false;
      const next = registerFailure(state, now, POLICY);
      await saveThrottle(store.db, key, next.state);
      return !next.lockedNow;
    },
  };
}
