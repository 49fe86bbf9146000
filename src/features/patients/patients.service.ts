import { DateTime } from 'luxon';
import type { Config } from '../../config';
import type { Relative } from '../../contracts/care';
import { mayActForProfile, mayHoldOwnAccount } from '../../domain/care';
import type { Clock } from '../../platform/clock/clock';
import { hashPassword } from '../../platform/crypto/passwords';
import { hashToken, newToken } from '../../platform/crypto/tokens';
import type { PatientProfileRow } from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import { type AccountsService, enforcePasswordPolicy } from '../accounts/accounts.service';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import * as repo from './patients.repository';

const CLAIM_TTL = 7 * 24 * 3_600_000;

export interface PatientsDeps {
  store: Store;
  clock: Clock;
  config: Config;
  accounts: AccountsService;
}

export const profileFacts = (
  row: Pick<PatientProfileRow, 'owner_user_id' | 'user_id' | 'own_account_since'>,
) => ({
  ownerUserId: row.owner_user_id,
  userId: row.user_id,
  ownAccountSince: row.own_account_since,
});

export type PatientsService = ReturnType<typeof createPatientsService>;

interface NewRelative {
  relationship: 'child' | 'dependent';
  firstName: string;
  lastName: string;
  birthDate: string;
  sex?: 'female' | 'male' | 'other' | null | undefined;
}

/** Patient profiles: the account holder's own, and the relatives they manage (children, dependent adults). */
export function createPatientsService(deps: PatientsDeps) {
  const { store, clock, config, accounts } = deps;
  const db = store.db;
  const today = () => DateTime.fromMillis(clock.now(), { zone: 'Europe/Paris' }).toISODate()!;

  function toRelative(row: PatientProfileRow, viewerId: string): Relative {
    return {
      id: row.id,
      isYou: row.user_id === viewerId,
      relationship: row.relationship,
      firstName: row.first_name,
      lastName: row.last_name,
      birthDate: row.birth_date,
      sex: row.sex,
      ownAccount: row.relationship !== 'self' && row.user_id !== null,
      mayHoldOwnAccount:
        row.relationship === 'child' && mayHoldOwnAccount(row.birth_date, today(), config.teenOwnAccountAge),
    };
  }

  /** A profile the user may act for (book, write); "not found" otherwise. */
  async function requireProfile(userId: string, profileId: string): Promise<PatientProfileRow> {
    const profile = await repo.findProfile(db, profileId);
    if (!profile || !mayActForProfile(userId, profileFacts(profile))) throw new AppError('MISSIVE_NOT_FOUND');
    return profile;
  }

  /** A relative the user manages (not their own profile, not one a teenager took over). */
  async function requireManagedRelative(userId: string, profileId: string): Promise<PatientProfileRow> {
    const profile = await requireProfile(userId, profileId);
    if (profile.relationship === 'self' || profile.owner_user_id !== userId)
      throw new AppError('MISSIVE_NOT_FOUND');
    return profile;
  }

  /** Adds a relative managed by the account holder (the route's caller, or the demo loader). */
  async function addRelative(ownerUserId: string, body: NewRelative, actor: Actor): Promise<Relative> {
    if (body.birthDate > today())
      throw new AppError('MISSIVE_VALIDATION', [{ path: 'birthDate', reason: 'future_date' }]);
    const now = clock.now();
    const row: PatientProfileRow = {
      id: uuidv7(),
      owner_user_id: ownerUserId,
      user_id: null,
      relationship: body.relationship,
      first_name: body.firstName,
      last_name: body.lastName,
      birth_date: body.birthDate,
      sex: body.sex ?? null,
      own_account_since: null,
      created_at: now,
      updated_at: now,
      closed_at: null,
      retain_until: null,
    };
    await db.transaction().execute(async (trx) => {
      await repo.insertProfile(trx, row);
      await appendAudit(
        trx,
        store.dialect,
        actor,
        {
          action: 'relative.created',
          targetType: 'patient_profile',
          targetId: row.id,
          patientProfileId: row.id,
        },
        now,
      );
    });
    return toRelative(row, ownerUserId);
  }

  return {
    requireProfile,
    profilesOf: (userId: string) => repo.profilesOfUser(db, userId),
    findProfile: (profileId: string) => repo.findProfile(db, profileId),

    async list(auth: AuthContext): Promise<Relative[]> {
      return (await repo.profilesOfUser(db, auth.user.id)).map((row) => toRelative(row, auth.user.id));
    },

    createRelative: (auth: AuthContext, body: NewRelative, actor: Actor) =>
      addRelative(auth.user.id, body, actor),
    addRelative,

    async updateRelative(
      auth: AuthContext,
      profileId: string,
      body: Partial<{
        relationship: 'child' | 'dependent';
        firstName: string;
        lastName: string;
        birthDate: string;
        sex: 'female' | 'male' | 'other' | null;
      }>,
      actor: Actor,
    ): Promise<Relative> {
      const profile = await requireManagedRelative(auth.user.id, profileId);
      if (profile.user_id !== null) throw new AppError('MISSIVE_INVALID_TRANSITION');
      if (body.birthDate && body.birthDate > today())
        throw new AppError('MISSIVE_VALIDATION', [{ path: 'birthDate', reason: 'future_date' }]);
      const now = clock.now();
      const changes = {
        relationship: body.relationship ?? profile.relationship,
        first_name: body.firstName ?? profile.first_name,
        last_name: body.lastName ?? profile.last_name,
        birth_date: body.birthDate ?? profile.birth_date,
        sex: body.sex === undefined ? profile.sex : body.sex,
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        await repo.updateProfile(trx, profileId, changes);
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'relative.updated',
            targetType: 'patient_profile',
            targetId: profileId,
            patientProfileId: profileId,
          },
          now,
        );
      });
      return toRelative({ ...profile, ...changes }, auth.user.id);
    },

    async removeRelative(auth: AuthContext, profileId: string, actor: Actor): Promise<void> {
      const profile = await requireManagedRelative(auth.user.id, profileId);
      if (profile.user_id !== null || (await repo.profileHasRecords(db, profileId)))
        throw new AppError('MISSIVE_PROFILE_IN_USE');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.deleteProfile(trx, profileId);
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'relative.removed',
            targetType: 'patient_profile',
            targetId: profileId,
            patientProfileId: profileId,
          },
          now,
        );
      });
    },

    /** Sends a teenager a link to take over their profile with their own account. */
    async offerOwnAccount(auth: AuthContext, profileId: string, email: string, actor: Actor): Promise<void> {
      const profile = await requireManagedRelative(auth.user.id, profileId);
      if (profile.user_id !== null) throw new AppError('MISSIVE_INVALID_TRANSITION');
      if (
        profile.relationship !== 'child' ||
        !mayHoldOwnAccount(profile.birth_date, today(), config.teenOwnAccountAge)
      ) {
        throw new AppError('MISSIVE_TOO_YOUNG_FOR_ACCOUNT');
      }
      if (await accounts.findUserByEmail(email))
        throw new AppError('MISSIVE_EMAIL_TAKEN', [{ path: 'email', reason: 'taken' }]);
      const token = newToken();
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.insertClaim(trx, {
          token_hash: hashToken(token),
          patient_profile_id: profileId,
          email,
          created_at: now,
          expires_at: now + CLAIM_TTL,
          used_at: null,
        });
        await accounts.queueMail(trx, email, auth.user.locale, {
          kind: 'own_account_offer',
          link: accounts.link('/own-account', token),
        });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'relative.own_account_offered',
            targetType: 'patient_profile',
            targetId: profileId,
            patientProfileId: profileId,
          },
          now,
        );
      });
      accounts.wakeOutbox();
    },

    async previewClaim(token: string) {
      const claim = await repo.findLiveClaim(db, hashToken(token), clock.now());
      if (!claim || claim.user_id !== null) throw new AppError('MISSIVE_INVALID_TOKEN');
      return { firstName: claim.first_name, lastName: claim.last_name, email: claim.email };
    },

    /**
     * The teenager creates their account from the mailed link: the relative profile becomes theirs, and
     * from now on the parent no longer sees what they do themselves (confidential mode).
     */
    async acceptClaim(
      body: { token: string; password: string; locale: 'fr' | 'it' | 'en'; country: 'FR' | 'IT' },
      actor: Actor,
    ): Promise<void> {
      const tokenHash = hashToken(body.token);
      const claim = await repo.findLiveClaim(db, tokenHash, clock.now());
      if (!claim || claim.user_id !== null) throw new AppError('MISSIVE_INVALID_TOKEN');
      enforcePasswordPolicy(body.password, [
        claim.first_name,
        claim.last_name,
        claim.email.split('@')[0] ?? '',
      ]);
      const passwordHash = await hashPassword(body.password);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        if (!(await repo.useClaim(trx, tokenHash, now))) throw new AppError('MISSIVE_INVALID_TOKEN');
        const userId = await accounts.createUserForProfile(trx, {
          email: claim.email,
          firstName: claim.first_name,
          lastName: claim.last_name,
          locale: body.locale,
          country: body.country,
          passwordHash,
          isDemo: await repo.ownerIsDemo(trx, claim.patient_profile_id),
        });
        await repo.updateProfile(trx, claim.patient_profile_id, {
          user_id: userId,
          own_account_since: now,
          updated_at: now,
        });
        await appendAudit(
          trx,
          store.dialect,
          { ...actor, userId },
          {
            action: 'relative.own_account_created',
            targetType: 'patient_profile',
            targetId: claim.patient_profile_id,
            patientProfileId: claim.patient_profile_id,
          },
          now,
        );
      });
    },
  };
}
