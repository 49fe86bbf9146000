import type { Kysely } from 'kysely';
import type { AdminPractitioner, CreatePractitionerBody } from '../../contracts/admin';
import { ALL_RIGHTS } from '../../domain/permissions';
import { isValidRpps, normaliseRpps } from '../../domain/rpps';
import type { Clock } from '../../platform/clock/clock';
import { isUniqueViolation } from '../../platform/db/dialect';
import type { Database } from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import type { AccountsService } from '../accounts/accounts.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import type { PracticesService } from '../practices/practices.service';
import * as repo from './practitioners.repository';

export interface PractitionersDeps {
  store: Store;
  clock: Clock;
  accounts: AccountsService;
  practices: PracticesService;
}

export type PractitionersService = ReturnType<typeof createPractitionersService>;

export function createPractitionersService(deps: PractitionersDeps) {
  const { store, clock, accounts, practices } = deps;
  const db = store.db;

  async function list(): Promise<AdminPractitioner[]> {
    const rows = await repo.listPractitionersWithPractices(db);
    const byUser = new Map<string, AdminPractitioner>();
    for (const row of rows) {
      let item = byUser.get(row.user_id);
      if (!item) {
        item = {
          userId: row.user_id,
          email: row.email,
          firstName: row.first_name,
          lastName: row.last_name,
          specialty: row.specialty,
          rpps: row.rpps,
          verified: row.verified_at !== null,
          verifiedAt: row.verified_at,
          practices: [],
          activated: row.password_hash !== null,
          mfaEnrolled: row.totp_enrolled_at !== null,
        };
        byUser.set(row.user_id, item);
      }
      if (row.practice_id && row.practice_name)
        item.practices.push({ id: row.practice_id, name: row.practice_name });
    }
    return [...byUser.values()];
  }

  async function get(userId: string): Promise<AdminPractitioner> {
    const item = (await list()).find((p) => p.userId === userId);
    if (!item) throw new AppError('MISSIVE_NOT_FOUND');
    return item;
  }

  /** Records the practitioner's professional identity; the RPPS number must be valid and unique. */
  async function insertProfile(
    trx: Kysely<Database>,
    input: { userId: string; rpps: string; specialty: string; verified: boolean },
  ) {
    const rpps = normaliseRpps(input.rpps);
    if (!isValidRpps(rpps)) throw new AppError('MISSIVE_INVALID_RPPS', [{ path: 'rpps', reason: 'invalid' }]);
    const now = clock.now();
    try {
      await repo.insertPractitioner(trx, {
        user_id: input.userId,
        rpps,
        specialty: input.specialty,
        verified_at: input.verified ? now : null,
        verified_by: null,
        created_at: now,
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('MISSIVE_CONFLICT', [{ path: 'rpps', reason: 'taken' }]);
      throw error;
    }
  }

  return {
    list,
    get,
    insertProfile,

    /**
     * An administrator registers a practitioner: identity, specialty, RPPS (checked), practice. The account
     * is not verified until an administrator has checked the practitioner's credentials.
     */
    async create(body: CreatePractitionerBody, actor: Actor): Promise<AdminPractitioner> {
      const rpps = normaliseRpps(body.rpps);
      if (!isValidRpps(rpps))
        throw new AppError('MISSIVE_INVALID_RPPS', [{ path: 'rpps', reason: 'invalid' }]);
      if (Boolean(body.practiceId) === Boolean(body.newPractice)) {
        throw new AppError('MISSIVE_VALIDATION', [
          { path: 'practiceId', reason: 'exactly_one_of_practiceId_newPractice' },
        ]);
      }
      const now = clock.now();
      const userId = await db.transaction().execute(async (trx) => {
        let practiceId = body.practiceId;
        let country: 'FR' | 'IT';
        if (body.newPractice) {
          const practice = await practices.createPractice(trx, body.newPractice, actor);
          practiceId = practice.id;
          country = practice.country;
        } else {
          const practice = await practices.findPractice(body.practiceId!, trx);
          if (!practice)
            throw new AppError('MISSIVE_VALIDATION', [{ path: 'practiceId', reason: 'unknown' }]);
          country = practice.country;
        }
        const id = await accounts.createStaffUser(trx, {
          email: body.email,
          firstName: body.firstName,
          lastName: body.lastName,
          kind: 'staff',
          locale: country === 'IT' ? 'it' : 'fr',
          country,
        });
        await insertProfile(trx, { userId: id, rpps, specialty: body.specialty, verified: false });
        await practices.addMember(trx, {
          practiceId: practiceId!,
          userId: id,
          role: 'practitioner',
          isAdmin: body.isPracticeAdmin,
          rights: ALL_RIGHTS,
        });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'practitioner.created', targetType: 'user', targetId: id, practiceId: practiceId! },
          now,
        );
        return id;
      });
      await accounts.sendActivation(userId);
      return get(userId);
    },

    async verify(userId: string, actor: Actor): Promise<AdminPractitioner> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const practitioner = await repo.findPractitioner(trx, userId);
        if (!practitioner) throw new AppError('MISSIVE_NOT_FOUND');
        if (practitioner.verified_at !== null) return;
        await repo.markVerified(trx, userId, actor.userId, now);
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'practitioner.verified', targetType: 'user', targetId: userId },
          now,
        );
      });
      return get(userId);
    },

    async profileOf(userId: string) {
      const row = await repo.findPractitioner(db, userId);
      return row ? { rpps: row.rpps, specialty: row.specialty, verified: row.verified_at !== null } : null;
    },
  };
}
