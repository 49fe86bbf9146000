import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Config } from '../../config';
import type { MfaState, TotpSetupResponse } from '../../contracts/accounts';
import type { Locale } from '../../contracts/common';
import { isLocked, registerFailure, type ThrottleState } from '../../domain/login-throttle';
import { sessionExpiry, shouldTouchSession } from '../../domain/sessions';
import type { Clock } from '../../platform/clock/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import { verifyDecoyPassword, verifyPassword } from '../../platform/crypto/passwords';
import { hashToken, newToken } from '../../platform/crypto/tokens';
import { compiledOnce } from '../../platform/db/compiled';
import type { SessionRow, UserRow } from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { type Actor, appendAudit } from '../audit/audit.service';
import * as repo from './accounts.repository';
import type { AccountsService } from './accounts.service';

export interface SessionsDeps {
  store: Store;
  keys: Keyring;
  clock: Clock;
  config: Config;
  accounts: AccountsService;
}

/** The signed-in user as seen by every route: built from the session cookie on each request. */
export interface AuthContext {
  sessionId: string;
  user: UserRow;
  mfa: MfaState;
  /**
   * The language of the screen making the request (its Accept-Language, when Missive speaks it), which may
   * differ from the account's (e-mails) when another language was chosen on that device.
   */
  screenLocale?: Locale;
}

/** Sessions with their users, by session id (the hash of the cookie token). */
function sessionsWithUsers(db: Store['db']) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.id as s_id',
      'sessions.created_at as s_created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.idle_timeout_ms',
      'sessions.mfa_verified_at',
    ]);
}

function sessionRows(db: Store['db'], ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return sessionsWithUsers(db)
    .where('sessions.id', 'in', [...ids])
    .execute();
}

/** The session of one request: read on every request, so compiled once. */
const sessionRow = compiledOnce((db, args: { id: string }) =>
  sessionsWithUsers(db).where('sessions.id', '=', args.id),
);

type SessionWithUser = Awaited<ReturnType<typeof sessionRows>>[number];

/** Whether a session is still live, and whether its last activity is worth writing down. */
function sessionState(row: SessionWithUser, now: number): 'expired' | 'touch' | 'live' {
  const times = {
    createdAt: row.s_created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    idleTimeoutMs: row.idle_timeout_ms,
  };
  if (sessionExpiry(times, now) !== 'active') return 'expired';
  return shouldTouchSession(times, now) ? 'touch' : 'live';
}

function contextOf(row: SessionWithUser): AuthContext {
  const { s_id, s_created_at, last_seen_at, expires_at, idle_timeout_ms, mfa_verified_at, ...user } = row;
  return { sessionId: s_id, user, mfa: mfaState(user, { mfa_verified_at }) };
}

export function mfaState(
  user: Pick<UserRow, 'kind' | 'totp_enrolled_at'>,
  session: Pick<SessionRow, 'mfa_verified_at'>,
): MfaState {
  if (user.kind === 'patient') return 'not_required';
  if (user.totp_enrolled_at === null) return 'enrolment_required';
  return session.mfa_verified_at === null ? 'required' : 'verified';
}

const totpAad = (userId: string) => `users.totp_secret:${userId}`;

/** Spends the same time whether or not the account exists, so timing does not reveal registered addresses. */
async function passwordMatches(user: UserRow | undefined, password: string): Promise<boolean> {
  if (user?.password_hash) return verifyPassword(user.password_hash, password);
  await verifyDecoyPassword(password);
  return false;
}

function toThrottleState(
  row: { failures: number; window_started_at: number; locked_until: number | null } | undefined,
): ThrottleState | undefined {
  return row
    ? { failures: row.failures, windowStartedAt: row.window_started_at, lockedUntil: row.locked_until }
    : undefined;
}

export type SessionsService = ReturnType<typeof createSessionsService>;

export function createSessionsService(deps: SessionsDeps) {
  const { store, keys, clock, config, accounts } = deps;
  const db = store.db;
  // Per-IP limits are looser than per-account ones: several people may share a practice's address.
  const ipPolicy = { maxFailures: config.login.maxFailures * 4, lockoutMs: config.login.lockoutMs };

  async function failAttempt(key: string, policy: { maxFailures: number; lockoutMs: number }) {
    const now = clock.now();
    const next = registerFailure(toThrottleState(await repo.findThrottle(db, key)), now, policy);
    await repo.saveThrottle(db, key, next.state);
    return next.lockedNow;
  }

  async function checkTotp(user: UserRow, code: string): Promise<number> {
    if (!user.totp_secret) throw new AppError('MISSIVE_INVALID_TOTP');
    const throttleKey = hashToken(`totp:${user.id}`);
    if (isLocked(toThrottleState(await repo.findThrottle(db, throttleKey)), clock.now())) {
      throw new AppError('MISSIVE_ACCOUNT_LOCKED');
    }
    const secret = await keys.decryptText(user.totp_secret, totpAad(user.id));
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(clock.now() / 1000),
      epochTolerance: 30,
      ...(user.totp_last_step !== null ? { afterTimeStep: user.totp_last_step } : {}),
    });
    if (!result.valid) {
      await failAttempt(throttleKey, config.login);
      throw new AppError('MISSIVE_INVALID_TOTP');
    }
    await repo.clearThrottle(db, throttleKey);
    // verify() types also cover HOTP results; a TOTP check always reports its time step.
    return 'timeStep' in result ? result.timeStep : Math.floor(clock.now() / 30_000);
  }

  return {
    async login(email: string, password: string, actor: Actor, userAgent: string | null) {
      const accountKey = hashToken(`login:${email}`);
      const ipKey = actor.ip ? hashToken(`login-ip:${actor.ip}`) : null;
      const now = clock.now();
      const [accountThrottle, ipThrottle] = await Promise.all([
        repo.findThrottle(db, accountKey),
        ipKey ? repo.findThrottle(db, ipKey) : undefined,
      ]);
      if (isLocked(toThrottleState(accountThrottle), now) || isLocked(toThrottleState(ipThrottle), now)) {
        throw new AppError('MISSIVE_ACCOUNT_LOCKED');
      }
      const user = await repo.findUserByEmail(db, email);
      const valid = await passwordMatches(user, password);
      if (!user || !valid) {
        const lockedNow = await failAttempt(accountKey, config.login);
        if (ipKey) await failAttempt(ipKey, ipPolicy);
        if (lockedNow && user) {
          await accounts.sendMail(user.email, user.locale, {
            kind: 'account_locked',
            minutes: Math.round(config.login.lockoutMs / 60_000),
            link: accounts.link('/forgot-password'),
          });
          await db
            .transaction()
            .execute((trx) =>
              appendAudit(
                trx,
                store.dialect,
                { ...actor, userId: user.id },
                { action: 'account.locked', targetType: 'user', targetId: user.id },
                now,
              ),
            );
        }
        throw new AppError(lockedNow ? 'MISSIVE_ACCOUNT_LOCKED' : 'MISSIVE_INVALID_CREDENTIALS');
      }
      if (user.email_verified_at === null) throw new AppError('MISSIVE_EMAIL_NOT_VERIFIED');
      await repo.clearThrottle(db, accountKey);

      const token = newToken();
      const session: SessionRow = {
        id: hashToken(token),
        user_id: user.id,
        created_at: now,
        last_seen_at: now,
        expires_at: now + config.session.absoluteTimeoutMs,
        idle_timeout_ms:
          user.kind === 'patient' ? config.session.patientIdleTimeoutMs : config.session.staffIdleTimeoutMs,
        mfa_verified_at: null,
        user_agent: userAgent?.slice(0, 300) ?? null,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insertSession(trx, session);
        await appendAudit(
          trx,
          store.dialect,
          { ...actor, userId: user.id, role: user.kind },
          { action: 'session.created', targetType: 'session', targetId: null },
          now,
        );
      });
      return {
        token,
        context: { sessionId: session.id, user, mfa: mfaState(user, session) } satisfies AuthContext,
      };
    },

    /** Resolves a cookie token to a live session, expiring idle or old ones. */
    async authenticate(token: string): Promise<AuthContext | null> {
      const id = hashToken(token);
      const [row] = await sessionRow(db, { id });
      if (!row) return null;
      const now = clock.now();
      const state = sessionState(row, now);
      if (state === 'expired') {
        await repo.deleteSession(db, id);
        return null;
      }
      if (state === 'touch') await repo.updateSession(db, id, { last_seen_at: now });
      return contextOf(row);
    },

    /**
     * authenticate for many tokens at once (the heartbeats of live connections): per thousand sessions,
     * one query to read them, one to delete the expired, one to touch the active. Returns each token's
     * context, or null.
     */
    async authenticateMany(tokens: readonly string[]): Promise<Map<string, AuthContext | null>> {
      const ids = new Map(tokens.map((token) => [hashToken(token), token]));
      const now = clock.now();
      const found = new Map<string, AuthContext>();
      const expired: string[] = [];
      const touched: string[] = [];
      const all = [...ids.keys()];
      // One bound parameter a session: far below both stores' limits.
      for (let i = 0; i < all.length; i += 1_000)
        for (const row of await sessionRows(db, all.slice(i, i + 1_000))) {
          const state = sessionState(row, now);
          if (state === 'expired') {
            expired.push(row.s_id);
            continue;
          }
          if (state === 'touch') touched.push(row.s_id);
          found.set(row.s_id, contextOf(row));
        }
      for (let i = 0; i < expired.length; i += 1_000)
        await repo.deleteSessions(db, expired.slice(i, i + 1_000));
      for (let i = 0; i < touched.length; i += 1_000)
        await repo.touchSessions(db, touched.slice(i, i + 1_000), now);
      return new Map([...ids].map(([id, token]) => [token, found.get(id) ?? null]));
    },

    async logout(sessionId: string, actor: Actor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await repo.deleteSession(trx, sessionId);
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'session.ended', targetType: 'session' },
          clock.now(),
        );
      });
    },

    /** Starts (or restarts, while not yet confirmed) TOTP enrolment: a new secret, stored encrypted. */
    async setupTotp(auth: AuthContext): Promise<TotpSetupResponse> {
      if (auth.user.totp_enrolled_at !== null) throw new AppError('MISSIVE_TOTP_ALREADY_ENROLLED');
      const secret = generateSecret();
      await repo.updateUser(db, auth.user.id, {
        totp_secret: keys.encrypt(secret, totpAad(auth.user.id)),
        updated_at: clock.now(),
      });
      const otpauthUri = generateURI({ issuer: 'Missive', label: auth.user.email, secret });
      const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { otpauthUri, qrSvg, manualKey: secret };
    },

    async enableTotp(auth: AuthContext, code: string, actor: Actor): Promise<AuthContext> {
      const user = await repo.findUserById(db, auth.user.id);
      if (!user) throw new AppError('MISSIVE_UNAUTHENTICATED');
      if (user.totp_enrolled_at !== null) throw new AppError('MISSIVE_TOTP_ALREADY_ENROLLED');
      const step = await checkTotp(user, code);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, user.id, { totp_enrolled_at: now, totp_last_step: step, updated_at: now });
        await repo.updateSession(trx, auth.sessionId, { mfa_verified_at: now });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'account.totp_enrolled', targetType: 'user', targetId: user.id },
          now,
        );
      });
      const updated = { ...user, totp_enrolled_at: now, totp_last_step: step };
      return { sessionId: auth.sessionId, user: updated, mfa: 'verified' };
    },

    async verifyTotp(auth: AuthContext, code: string, actor: Actor): Promise<AuthContext> {
      const user = await repo.findUserById(db, auth.user.id);
      if (!user || user.totp_enrolled_at === null) throw new AppError('MISSIVE_MFA_ENROLMENT_REQUIRED');
      const step = await checkTotp(user, code);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, user.id, { totp_last_step: step });
        await repo.updateSession(trx, auth.sessionId, { mfa_verified_at: now });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'session.mfa_verified', targetType: 'session' },
          now,
        );
      });
      return { sessionId: auth.sessionId, user: { ...user, totp_last_step: step }, mfa: 'verified' };
    },

    async purgeExpired(): Promise<void> {
      await repo.deleteExpiredSessions(db, clock.now());
    },
  };
}
