export interface SessionTimes {
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  idleTimeoutMs: number;
}

export type SessionExpiry = 'active' | 'idle' | 'absolute';

/** A session ends after its idle timeout without activity, or at its absolute expiry, whichever comes first. */
export function sessionExpiry(session: SessionTimes, now: number): SessionExpiry {
  if (now >= session.expiresAt) return 'absolute';
  if (now - session.lastSeenAt >= session.idleTimeoutMs) return 'idle';
  return 'active';
}

/**
 * Writing last_seen_at on every request would turn every read into a write; refreshing it once a minute
 * keeps the idle timeout accurate to within a minute.
 */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

export function shouldTouchSession(session: SessionTimes, now: number): boolean {
  return now - session.lastSeenAt >= SESSION_TOUCH_INTERVAL_MS;
}
