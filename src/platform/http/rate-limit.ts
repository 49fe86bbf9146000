import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { Clock } from '../clock/clock';
import { hashToken } from '../crypto/tokens';
import { AppError } from './errors';

/**
 * Counts requests per key in fixed windows. In memory for one instance; in Redis when several instances
 * share the load, so that a script cannot multiply its budget by the number of instances.
 */
export interface RateCounter {
  /** Adds one hit to `key` in the window that contains `now`; returns the count so far in that window. */
  hit(key: string, windowMs: number, now: number): Promise<number>;
  close(): Promise<void>;
}

export function createMemoryCounter(): RateCounter {
  const counts = new Map<string, { window: number; count: number; endsAt: number }>();
  let lastSweep = 0;
  return {
    async hit(key, windowMs, now) {
      const window = Math.floor(now / windowMs);
      // Forget finished windows now and then, so memory stays bounded by the active keys.
      if (now - lastSweep > 60_000) {
        lastSweep = now;
        for (const [k, v] of counts) if (v.endsAt <= now) counts.delete(k);
      }
      const entry = counts.get(key);
      if (!entry || entry.window !== window) {
        counts.set(key, { window, count: 1, endsAt: (window + 1) * windowMs });
        return 1;
      }
      entry.count += 1;
      return entry.count;
    },
    async close() {
      counts.clear();
    },
  };
}

const REDIS_PREFIX = 'missive:rate:';

export function createRedisCounter(url: string, logger: Logger, prefix = REDIS_PREFIX): RateCounter {
  // Commands wait for the connection (at start-up), but never long: past the timeout the request goes through.
  const client = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1_000 });
  client.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis connection problem'));
  return {
    async hit(key, windowMs, now) {
      const window = Math.floor(now / windowMs);
      const redisKey = `${prefix}${key}:${window}`;
      const results = await client
        .multi()
        .incr(redisKey)
        .pexpire(redisKey, windowMs * 2)
        .exec();
      const count = results?.[0]?.[1];
      return typeof count === 'number' ? count : 0;
    },
    async close() {
      client.disconnect();
    },
  };
}

export interface RateRule {
  /** Names the counter; also what the log says when a limit is reached. */
  name: string;
  limit: number;
  windowMs: number;
  /** The key counted: the client's IP, the account (e-mail or user id), or null to skip this rule. */
  keyOf(request: FastifyRequest): string | null;
}

const MINUTE = 60_000;

const ip = (request: FastifyRequest) => request.ip ?? null;
const bodyEmail = (request: FastifyRequest) => {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.toLowerCase() : null;
};
const userId = (request: FastifyRequest) => request.auth?.user.id ?? null;

/** The limits of each sensitive route, from configuration. */
export function rateRules(config: Config): Map<string, RateRule[]> {
  const { auth, sends, safety } = config.rateLimits;
  const authWindow = 15 * MINUTE;
  const authRules = (name: string, account: (request: FastifyRequest) => string | null): RateRule[] => [
    { name: `${name}:ip`, limit: auth.perIp, windowMs: authWindow, keyOf: ip },
    { name: `${name}:account`, limit: auth.perAccount, windowMs: authWindow, keyOf: account },
  ];
  const sendRules: RateRule[] = [
    { name: 'send:ip', limit: sends.perIp, windowMs: MINUTE, keyOf: ip },
    { name: 'send:account', limit: sends.perAccount, windowMs: MINUTE, keyOf: userId },
  ];
  return new Map([
    ['POST /api/v1/auth/login', authRules('signin', bodyEmail)],
    ['POST /api/v1/auth/signup', authRules('signup', bodyEmail)],
    ['POST /api/v1/auth/password-reset/request', authRules('reset', bodyEmail)],
    ['POST /api/v1/auth/resend-verification', authRules('resend', bodyEmail)],
    // Password typed again before an export or an account closure: as guessable as a sign-in.
    ['POST /api/v1/me/exports', authRules('reauth', userId)],
    ['POST /api/v1/me/close', authRules('reauth', userId)],
    [
      'POST /api/v1/safety/check',
      [
        { name: 'safety:ip', limit: safety.perIp, windowMs: MINUTE, keyOf: ip },
        { name: 'safety:account', limit: safety.perAccount, windowMs: MINUTE, keyOf: userId },
      ],
    ],
    ['POST /api/v1/conversations', sendRules],
    ['POST /api/v1/conversations/:conversationId/messages', sendRules],
  ]);
}

/**
 * Applies the rules of each route before its handler (after validation, so that the e-mail is normalised).
 * Over the limit: 429 MISSIVE_RATE_LIMITED with Retry-After. If the shared counter is unreachable, requests
 * go through: the login lockout and per-patient message caps still hold.
 */
export function installRateLimits(
  app: FastifyInstance,
  options: { counter: RateCounter; clock: Clock; rules: Map<string, RateRule[]> },
): void {
  const { counter, clock, rules } = options;
  app.addHook('preHandler', async (request, reply) => {
    const routeRules = rules.get(`${request.method} ${request.routeOptions.url}`);
    if (!routeRules) return;
    const now = clock.now();
    for (const rule of routeRules) {
      const key = rule.keyOf(request);
      if (!key) continue;
      let count: number;
      try {
        count = await counter.hit(hashToken(`${rule.name}:${key}`), rule.windowMs, now);
      } catch (err) {
        request.log.warn({ err: { message: (err as Error).message } }, 'rate counter unavailable');
        return;
      }
      if (count > rule.limit) {
        const windowEnd = (Math.floor(now / rule.windowMs) + 1) * rule.windowMs;
        reply.header('retry-after', String(Math.max(1, Math.ceil((windowEnd - now) / 1000))));
        request.log.info({ rule: rule.name }, 'rate limit reached');
        throw new AppError('MISSIVE_RATE_LIMITED');
      }
    }
  });
}
