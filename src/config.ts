import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The only module that reads process.env. Everything else receives a typed Config.
 * Every variable here is documented in README.md's configuration table.
 */
const booleanFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Missive <no-reply@missive.localhost>'),
  MISSIVE_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  MISSIVE_PREVIOUS_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64 (the master key being replaced)')
    .optional(),
  MISSIVE_DEMO: booleanFlag.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: booleanFlag.default(false),
  PATIENT_IDLE_TIMEOUT_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
  SESSION_ABSOLUTE_TIMEOUT_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(3).max(50).default(5),
  LOGIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  NOTIFY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
  NOTIFY_BATCH_MINUTES: z.coerce.number().int().min(1).max(1_440).default(30),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  AUDIT_RETENTION_MONTHS: z.coerce.number().int().min(24).max(600).default(24),
  TEEN_OWN_ACCOUNT_AGE: z.coerce.number().int().min(12).max(18).default(15),
  RATE_LIMIT_AUTH_PER_ACCOUNT: z.coerce.number().int().min(3).max(10_000).default(10),
  RATE_LIMIT_AUTH_PER_IP: z.coerce.number().int().min(10).max(10_000_000).default(100),
  RATE_LIMIT_SENDS_PER_ACCOUNT: z.coerce.number().int().min(5).max(1_000_000).default(30),
  RATE_LIMIT_SENDS_PER_IP: z.coerce.number().int().min(5).max(10_000_000).default(150),
  RATE_LIMIT_SAFETY_PER_ACCOUNT: z.coerce.number().int().min(10).max(10_000).default(60),
  RATE_LIMIT_SAFETY_PER_IP: z.coerce.number().int().min(10).max(100_000).default(300),
  MEDICAL_RECORD_RETENTION_YEARS: z.coerce.number().int().min(1).max(100).default(20),
  DATA_EXPORT_HOURS: z.coerce.number().int().min(1).max(168).default(24),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Origin users reach the app at; links in e-mails and the same-origin check use it. */
  publicUrl: string;
  publicOrigin: string;
  /** Cookies get the Secure flag when the public URL is https. */
  secureCookies: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  redisUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  masterKey: string | undefined;
  /** The master key being replaced, while a key rotation is under way (MISSIVE_MASTER_KEY holds the new one). */
  previousMasterKey: string | undefined;
  demo: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  trustProxy: boolean;
  session: {
    staffIdleTimeoutMs: number;
    patientIdleTimeoutMs: number;
    absoluteTimeoutMs: number;
  };
  login: { maxFailures: number; lockoutMs: number };
  notifications: { delayMs: number; batchMs: number; digestHour: number };
  /** Audit entries older than this are removed by the retention job (a checkpoint keeps the chain verifiable). */
  auditRetentionMonths: number;
  /** Age from which a relative may hold their own account (confidential mode). */
  teenOwnAccountAge: number;
  /** Requests allowed per window: auth routes per 15 minutes, sends and safety checks per minute. */
  rateLimits: {
    auth: { perAccount: number; perIp: number };
    sends: { perAccount: number; perIp: number };
    safety: { perAccount: number; perIp: number };
  };
  /** What the practice keeps of a closed account's conversations, counted from the last care. */
  retention: { medicalRecordMs: number };
  /** How long a ready data export may be downloaded. */
  dataExportTtlMs: number;
}

export class ConfigError extends Error {}

const MINUTE = 60_000;
/** Practitioners and staff reach many patients' data: their idle timeout is fixed at 30 minutes. */
const STAFF_IDLE_TIMEOUT_MS = 30 * MINUTE;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  if (production && !e.PUBLIC_URL)
    throw new ConfigError('Invalid configuration:\n  PUBLIC_URL: required in production');
  if (production && !e.MISSIVE_MASTER_KEY) {
    throw new ConfigError('Invalid configuration:\n  MISSIVE_MASTER_KEY: required in production');
  }
  if (e.MISSIVE_PREVIOUS_MASTER_KEY && !e.MISSIVE_MASTER_KEY) {
    throw new ConfigError(
      'Invalid configuration:\n  MISSIVE_PREVIOUS_MASTER_KEY: only meaningful with MISSIVE_MASTER_KEY (the new key)',
    );
  }
  if (e.MISSIVE_PREVIOUS_MASTER_KEY && e.MISSIVE_PREVIOUS_MASTER_KEY === e.MISSIVE_MASTER_KEY) {
    throw new ConfigError(
      'Invalid configuration:\n  MISSIVE_PREVIOUS_MASTER_KEY: must differ from MISSIVE_MASTER_KEY',
    );
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    publicOrigin: new URL(publicUrl).origin,
    secureCookies: publicUrl.startsWith('https://'),
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    masterKey: e.MISSIVE_MASTER_KEY,
    previousMasterKey: e.MISSIVE_PREVIOUS_MASTER_KEY,
    // The demo practice loads on an empty embedded store, never in production.
    demo: !production && (e.MISSIVE_DEMO ?? true),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    session: {
      staffIdleTimeoutMs: STAFF_IDLE_TIMEOUT_MS,
      patientIdleTimeoutMs: e.PATIENT_IDLE_TIMEOUT_MINUTES * MINUTE,
      absoluteTimeoutMs: e.SESSION_ABSOLUTE_TIMEOUT_HOURS * 60 * MINUTE,
    },
    login: { maxFailures: e.LOGIN_MAX_FAILURES, lockoutMs: e.LOGIN_LOCKOUT_MINUTES * MINUTE },
    teenOwnAccountAge: e.TEEN_OWN_ACCOUNT_AGE,
    auditRetentionMonths: e.AUDIT_RETENTION_MONTHS,
    rateLimits: {
      auth: { perAccount: e.RATE_LIMIT_AUTH_PER_ACCOUNT, perIp: e.RATE_LIMIT_AUTH_PER_IP },
      sends: { perAccount: e.RATE_LIMIT_SENDS_PER_ACCOUNT, perIp: e.RATE_LIMIT_SENDS_PER_IP },
      safety: { perAccount: e.RATE_LIMIT_SAFETY_PER_ACCOUNT, perIp: e.RATE_LIMIT_SAFETY_PER_IP },
    },
    // Calendar years approximated as 365.25 days: a day more or less over twenty years does not matter here.
    retention: { medicalRecordMs: Math.round(e.MEDICAL_RECORD_RETENTION_YEARS * 365.25 * 24 * 60 * MINUTE) },
    dataExportTtlMs: e.DATA_EXPORT_HOURS * 60 * MINUTE,
    notifications: {
      delayMs: e.NOTIFY_DELAY_SECONDS * 1_000,
      batchMs: e.NOTIFY_BATCH_MINUTES * MINUTE,
      digestHour: e.DIGEST_HOUR,
    },
  };
}
