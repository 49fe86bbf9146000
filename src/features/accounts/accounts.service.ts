import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { SignupBody, UpdateMeBody, User } from '../../contracts/accounts';
import type { Locale } from '../../contracts/common';
import { checkPassword } from '../../domain/password-policy';
import type { Clock } from '../../platform/clock/clock';
import { isCommonPassword } from '../../platform/crypto/common-passwords';
import { hashPassword, verifyPassword } from '../../platform/crypto/passwords';
import { hashToken, newToken } from '../../platform/crypto/tokens';
import { isUniqueViolation } from '../../platform/db/dialect';
import type { Database, UserRow } from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { Mailer } from '../../platform/mail/mailer';
import { type MailTemplate, renderMail } from '../../platform/mail/templates';
import type { Outbox } from '../../platform/outbox/outbox';
import type { QueuedMail } from '../../platform/runtime';
import { type Actor, appendAudit } from '../audit/audit.service';
import * as repo from './accounts.repository';
import { createMailRateLimiter, type MailRateLimiter } from './mail-rate-limit';

const HOUR = 3_600_000;
const VERIFY_TTL = 48 * HOUR;
const RESET_TTL = 1 * HOUR;
const ACTIVATION_TTL = 7 * 24 * HOUR;

export interface AccountsDeps {
  store: Store;
  outbox: Outbox;
  mailer: Mailer;
  clock: Clock;
  config: Config;
  logger: Logger;
}

export function toUser(row: UserRow, birthDate: string | null): User {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    kind: row.kind,
    locale: row.locale,
    country: row.country,
    birthDate,
  };
}

export function enforcePasswordPolicy(password: string, personal: string[]): void {
  const problem = checkPassword(password, isCommonPassword, personal);
  if (problem === 'too_short')
    throw new AppError('MISSIVE_WEAK_PASSWORD', [{ path: 'password', reason: 'too_short' }]);
  if (problem === 'too_common') {
    throw new AppError('MISSIVE_COMMON_PASSWORD', [{ path: 'password', reason: 'too_common' }]);
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>;

export function createAccountsService(deps: AccountsDeps) {
  const { store, outbox, mailer, clock, config } = deps;
  const db = store.db;
  const mailLimiter: MailRateLimiter = createMailRateLimiter(store, clock);

  const link = (path: string, token?: string) =>
    `${config.publicUrl}${path}${token ? `#token=${token}` : ''}`;

  /** Queues a mail in the caller's transaction: it leaves only if the change it announces commits. */
  async function queueMail(
    trx: Kysely<Database>,
    to: string,
    locale: Locale,
    template: MailTemplate,
  ): Promise<void> {
    const mail: QueuedMail = { to, locale, template };
    await outbox.enqueue(trx, 'mail', mail);
  }

  /**
   * Queues a mail on its own and wakes the outbox worker. Delivery problems are retried by the outbox and
   * never surface in the response, which therefore reveals nothing about the address.
   */
  async function sendMail(to: string, locale: Locale, template: MailTemplate): Promise<void> {
    await queueMail(db, to, locale, template);
    outbox.wake();
  }

  async function issueEmailToken(
    userId: string,
    purpose: 'verify_email' | 'reset_password' | 'activate',
    ttl: number,
  ) {
    const token = newToken();
    const now = clock.now();
    await repo.invalidateEmailTokens(db, userId, purpose, now);
    await repo.insertEmailToken(db, {
      token_hash: hashToken(token),
      user_id: userId,
      purpose,
      created_at: now,
      expires_at: now + ttl,
      used_at: null,
    });
    return token;
  }

  /** Inserts a patient account with its own care profile, inside the caller's transaction. */
  async function createPatient(
    trx: Kysely<Database>,
    input: Omit<SignupBody, 'password'>,
    passwordHash: string,
    actor: Actor,
    options: { emailVerified?: boolean; isDemo?: boolean } = {},
  ): Promise<string> {
    const now = clock.now();
    const userId = uuidv7();
    await repo.insertUser(trx, {
      id: userId,
      email: input.email,
      password_hash: passwordHash,
      first_name: input.firstName,
      last_name: input.lastName,
      kind: 'patient',
      locale: input.locale,
      country: input.country,
      email_verified_at: options.emailVerified ? now : null,
      totp_secret: null,
      totp_enrolled_at: null,
      totp_last_step: null,
      failed_logins: 0,
      locked_until: null,
      is_demo: options.isDemo ? 1 : 0,
      created_at: now,
      updated_at: now,
    });
    const profileId = uuidv7();
    await repo.insertPatientProfile(trx, {
      id: profileId,
      owner_user_id: userId,
      user_id: userId,
      relationship: 'self',
      first_name: input.firstName,
      last_name: input.lastName,
      birth_date: input.birthDate,
      sex: null,
      created_at: now,
      updated_at: now,
    });
    await appendAudit(
      trx,
      store.dialect,
      { ...actor, userId: actor.userId ?? userId },
      { action: 'account.created', targetType: 'user', targetId: userId, patientProfileId: profileId },
      now,
    );
    return userId;
  }

  return {
    /** Creates a patient account and its own care profile. Always "accepted": no hint whether the e-mail exists. */
    async signup(body: SignupBody, actor: Actor): Promise<void> {
      enforcePasswordPolicy(body.password, [body.firstName, body.lastName, body.email.split('@')[0] ?? '']);
      const existing = await repo.findUserByEmail(db, body.email);
      // Hash in both cases: the answer's timing must not tell a registered address from a new one.
      const passwordHash = await hashPassword(body.password);
      if (existing) {
        if (await mailLimiter.allow(body.email)) {
          await sendMail(existing.email, existing.locale, { kind: 'account_exists', link: link('/signin') });
        }
        return;
      }
      let userId: string;
      try {
        userId = await db.transaction().execute((trx) => createPatient(trx, body, passwordHash, actor));
      } catch (error) {
        // Two sign-ups racing on one address: the loser behaves like "already exists".
        if (isUniqueViolation(error)) return;
        throw error;
      }
      const token = await issueEmailToken(userId, 'verify_email', VERIFY_TTL);
      await mailLimiter.allow(body.email);
      await sendMail(body.email, body.locale, { kind: 'verify_email', link: link('/verify-email', token) });
    },

    async verifyEmail(token: string, actor: Actor): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const row = await repo.consumeEmailToken(trx, hashToken(token), ['verify_email'], now);
        if (!row) throw new AppError('MISSIVE_INVALID_TOKEN');
        await repo.updateUser(trx, row.user_id, { email_verified_at: now, updated_at: now });
        await appendAudit(
          trx,
          store.dialect,
          { ...actor, userId: row.user_id },
          { action: 'account.email_verified', targetType: 'user', targetId: row.user_id },
          now,
        );
      });
    },

    async resendVerification(email: string): Promise<void> {
      const user = await repo.findUserByEmail(db, email);
      if (!user || user.email_verified_at !== null || !(await mailLimiter.allow(email))) return;
      const token = await issueEmailToken(user.id, 'verify_email', VERIFY_TTL);
      await sendMail(user.email, user.locale, { kind: 'verify_email', link: link('/verify-email', token) });
    },

    async requestPasswordReset(email: string): Promise<void> {
      const user = await repo.findUserByEmail(db, email);
      if (!user || !(await mailLimiter.allow(email))) return;
      const token = await issueEmailToken(user.id, 'reset_password', RESET_TTL);
      await sendMail(user.email, user.locale, {
        kind: 'reset_password',
        link: link('/reset-password', token),
      });
    },

    /** Sets a new password from an e-mailed link (reset, or first activation of an account an admin created). */
    async confirmPasswordReset(token: string, password: string, actor: Actor): Promise<void> {
      const now = clock.now();
      const tokenHash = hashToken(token);
      // Check the policy before consuming the link, so that a refused password does not burn it.
      const pending = await db
        .selectFrom('email_tokens')
        .innerJoin('users', 'users.id', 'email_tokens.user_id')
        .select(['users.first_name', 'users.last_name', 'users.email'])
        .where('email_tokens.token_hash', '=', tokenHash)
        .where('email_tokens.used_at', 'is', null)
        .where('email_tokens.expires_at', '>', now)
        .executeTakeFirst();
      if (!pending) throw new AppError('MISSIVE_INVALID_TOKEN');
      enforcePasswordPolicy(password, [
        pending.first_name,
        pending.last_name,
        pending.email.split('@')[0] ?? '',
      ]);
      const passwordHash = await hashPassword(password);
      await db.transaction().execute(async (trx) => {
        const row = await repo.consumeEmailToken(trx, tokenHash, ['reset_password', 'activate'], now);
        if (!row) throw new AppError('MISSIVE_INVALID_TOKEN');
        const user = await repo.findUserById(trx, row.user_id);
        await repo.updateUser(trx, row.user_id, {
          password_hash: passwordHash,
          // Opening the link proves control of the mailbox.
          email_verified_at: user?.email_verified_at ?? now,
          locked_until: null,
          failed_logins: 0,
          updated_at: now,
        });
        await repo.deleteUserSessions(trx, row.user_id);
        await appendAudit(
          trx,
          store.dialect,
          { ...actor, userId: row.user_id },
          {
            action: row.purpose === 'activate' ? 'account.activated' : 'account.password_reset',
            targetType: 'user',
            targetId: row.user_id,
          },
          now,
        );
      });
    },

    async changePassword(userId: string, sessionId: string, current: string, next: string, actor: Actor) {
      const user = await repo.findUserById(db, userId);
      if (!user?.password_hash || !(await verifyPassword(user.password_hash, current))) {
        throw new AppError('MISSIVE_INVALID_CREDENTIALS', [{ path: 'currentPassword', reason: 'incorrect' }]);
      }
      enforcePasswordPolicy(next, [user.first_name, user.last_name, user.email.split('@')[0] ?? '']);
      const passwordHash = await hashPassword(next);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, userId, { password_hash: passwordHash, updated_at: now });
        // Other devices are signed out: a changed password often means a suspected compromise.
        await repo.deleteUserSessions(trx, userId, sessionId);
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'account.password_changed', targetType: 'user', targetId: userId },
          now,
        );
      });
    },

    async updateProfile(userId: string, body: UpdateMeBody): Promise<void> {
      const changes: Partial<UserRow> = { updated_at: clock.now() };
      if (body.locale) changes.locale = body.locale;
      if (body.firstName) changes.first_name = body.firstName;
      if (body.lastName) changes.last_name = body.lastName;
      await db.transaction().execute(async (trx) => {
        await repo.updateUser(trx, userId, changes);
        if (body.firstName || body.lastName) {
          const profile = await repo.findSelfProfile(trx, userId);
          if (profile) {
            await trx
              .updateTable('patient_profiles')
              .set({
                first_name: body.firstName ?? profile.first_name,
                last_name: body.lastName ?? profile.last_name,
                updated_at: changes.updated_at!,
              })
              .where('id', '=', profile.id)
              .execute();
          }
        }
      });
    },

    async getUser(userId: string): Promise<User> {
      const row = await repo.findUserById(db, userId);
      if (!row) throw new AppError('MISSIVE_NOT_FOUND');
      const profile = row.kind === 'patient' ? await repo.findSelfProfile(db, userId) : undefined;
      return toUser(row, profile?.birth_date ?? null);
    },

    /**
     * Creates a staff or admin account without a password: the person receives an activation link.
     * Runs inside the caller's transaction (admin creating a practitioner, invitation acceptance).
     */
    async createStaffUser(
      trx: typeof db,
      input: {
        email: string;
        firstName: string;
        lastName: string;
        kind: 'staff' | 'admin';
        locale: Locale;
        country: 'FR' | 'IT';
        passwordHash?: string | null;
        emailVerified?: boolean;
        isDemo?: boolean;
      },
    ): Promise<string> {
      const now = clock.now();
      const id = uuidv7();
      try {
        await repo.insertUser(trx, {
          id,
          email: input.email,
          password_hash: input.passwordHash ?? null,
          first_name: input.firstName,
          last_name: input.lastName,
          kind: input.kind,
          locale: input.locale,
          country: input.country,
          email_verified_at: input.emailVerified ? now : null,
          totp_secret: null,
          totp_enrolled_at: null,
          totp_last_step: null,
          failed_logins: 0,
          locked_until: null,
          is_demo: input.isDemo ? 1 : 0,
          created_at: now,
          updated_at: now,
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError('MISSIVE_EMAIL_TAKEN', [{ path: 'email', reason: 'taken' }]);
        throw error;
      }
      return id;
    },

    /** Sends the link to choose a first password; returns it for the operator's CLI. */
    /** A patient account for an existing profile (a teenager taking over theirs); the e-mail is proven by the link. */
    async createUserForProfile(
      trx: Kysely<Database>,
      input: {
        email: string;
        firstName: string;
        lastName: string;
        locale: Locale;
        country: 'FR' | 'IT';
        passwordHash: string;
        /** The profile belongs to the demo: so does the account made for it, and a demo reload removes both. */
        isDemo?: boolean;
      },
    ): Promise<string> {
      const now = clock.now();
      const id = uuidv7();
      try {
        await repo.insertUser(trx, {
          id,
          email: input.email,
          password_hash: input.passwordHash,
          first_name: input.firstName,
          last_name: input.lastName,
          kind: 'patient',
          locale: input.locale,
          country: input.country,
          email_verified_at: now,
          totp_secret: null,
          totp_enrolled_at: null,
          totp_last_step: null,
          failed_logins: 0,
          locked_until: null,
          is_demo: input.isDemo ? 1 : 0,
          created_at: now,
          updated_at: now,
        });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError('MISSIVE_EMAIL_TAKEN', [{ path: 'email', reason: 'taken' }]);
        throw error;
      }
      return id;
    },

    async sendActivation(userId: string): Promise<string> {
      const user = await repo.findUserById(db, userId);
      if (!user) throw new AppError('MISSIVE_NOT_FOUND');
      const token = await issueEmailToken(userId, 'activate', ACTIVATION_TTL);
      await sendMail(user.email, user.locale, {
        kind: 'activate_account',
        name: `${user.first_name} ${user.last_name}`,
        link: link('/activate', token),
      });
      return link('/activate', token);
    },

    createPatient,
    queueMail,
    /** Sends at once, for outbox handlers that are themselves the retrying delivery. */
    sendMailNow: (to: string, locale: Locale, template: MailTemplate) =>
      mailer.send({ to, ...renderMail(locale, template) }),
    sendMail,
    wakeOutbox: () => outbox.wake(),
    link,
    findUserByEmail: (email: string) => repo.findUserByEmail(db, email),
  };
}
