import type { Kysely } from 'kysely';
import type { Membership, PracticeRight } from '../../contracts/accounts';
import type {
  AcceptInvitationBody,
  CreatePracticeBody,
  Invitation,
  InvitationPreview,
  InviteMemberBody,
  Member,
  Practice,
  PracticeMembersResponse,
  UpdateMemberBody,
} from '../../contracts/practices';
import { canManageTeam, normaliseRights, wouldLeaveNoAdmin } from '../../domain/permissions';
import type { Clock } from '../../platform/clock/clock';
import { hashPassword } from '../../platform/crypto/passwords';
import { hashToken, newToken } from '../../platform/crypto/tokens';
import { isUniqueViolation } from '../../platform/db/dialect';
import type {
  Database,
  PracticeInvitationRow,
  PracticeMemberRow,
  PracticeRow,
} from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { AccountsService } from '../accounts/accounts.service';
import { enforcePasswordPolicy } from '../accounts/accounts.service';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import * as repo from './practices.repository';

const INVITATION_TTL = 7 * 24 * 3_600_000;

export interface PracticesDeps {
  store: Store;
  clock: Clock;
  accounts: AccountsService;
}

export function toPractice(row: PracticeRow): Practice {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    postcode: row.postcode,
    city: row.city,
    country: row.country,
    timeZone: row.time_zone,
    phone: row.phone,
    isDemo: row.is_demo === 1,
    cancellationDeadlineHours: row.cancellation_deadline_hours,
  };
}

const parseRights = (json: string): PracticeRight[] => normaliseRights(JSON.parse(json) as string[]);

function toInvitation(row: PracticeInvitationRow): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    rights: parseRights(row.rights),
    isAdmin: row.is_admin === 1,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export type PracticesService = ReturnType<typeof createPracticesService>;

export function createPracticesService(deps: PracticesDeps) {
  const { store, clock, accounts } = deps;
  const db = store.db;

  /** The caller's membership of the practice; "not found" for anyone else, so practices cannot be probed. */
  async function requireMember(auth: AuthContext, practiceId: string): Promise<PracticeMemberRow> {
    const member = await repo.findMember(db, practiceId, auth.user.id);
    if (!member) throw new AppError('MISSIVE_NOT_FOUND');
    return member;
  }

  async function requireTeamManager(auth: AuthContext, practiceId: string): Promise<PracticeMemberRow> {
    const member = await requireMember(auth, practiceId);
    if (
      !canManageTeam({
        role: member.role,
        isAdmin: member.is_admin === 1,
        rights: parseRights(member.rights),
      })
    ) {
      throw new AppError('MISSIVE_NOT_FOUND');
    }
    return member;
  }

  async function toMember(practiceId: string, userId: string): Promise<Member> {
    const rows = await repo.listMembers(db, practiceId);
    const row = rows.find((r) => r.user_id === userId);
    if (!row) throw new AppError('MISSIVE_NOT_FOUND');
    return memberFromRow(row);
  }

  function memberFromRow(row: Awaited<ReturnType<typeof repo.listMembers>>[number]): Member {
    return {
      userId: row.user_id,
      firstName: row.first_name,
      lastName: row.last_name,
      email: row.email,
      role: row.role,
      isAdmin: row.is_admin === 1,
      rights: parseRights(row.rights),
      mfaEnrolled: row.totp_enrolled_at !== null,
      since: row.created_at,
    };
  }

  async function addMember(
    trx: Kysely<Database>,
    input: {
      practiceId: string;
      userId: string;
      role: 'practitioner' | 'assistant';
      isAdmin: boolean;
      rights: readonly PracticeRight[];
    },
  ) {
    const now = clock.now();
    try {
      await repo.insertMember(trx, {
        practice_id: input.practiceId,
        user_id: input.userId,
        role: input.role,
        is_admin: input.isAdmin ? 1 : 0,
        rights: JSON.stringify(normaliseRights(input.rights)),
        created_at: now,
        updated_at: now,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('MISSIVE_ALREADY_MEMBER');
      throw error;
    }
  }

  /**
   * The caller's membership, required to hold a right in the practice. Anyone else, including members
   * without the right, gets "not found": the practice's data is not theirs to probe.
   */
  async function requireRight(
    auth: AuthContext,
    practiceId: string,
    right: PracticeRight,
  ): Promise<PracticeMemberRow> {
    const member = await requireMember(auth, practiceId);
    if (!parseRights(member.rights).includes(right)) throw new AppError('MISSIVE_NOT_FOUND');
    return member;
  }

  return {
    requireRight,
    requireMember,
    findMember: (practiceId: string, userId: string) => repo.findMember(db, practiceId, userId),

    async membershipsOf(userId: string): Promise<Membership[]> {
      const rows = await repo.membershipsOfUser(db, userId);
      return rows.map((row) => ({
        practiceId: row.practice_id,
        practiceName: row.practice_name,
        role: row.role,
        isAdmin: row.is_admin === 1,
        rights: parseRights(row.rights),
      }));
    },

    async createPractice(
      trx: Kysely<Database>,
      body: CreatePracticeBody,
      actor: Actor,
      options: { isDemo?: boolean } = {},
    ): Promise<Practice> {
      const now = clock.now();
      const row: PracticeRow = {
        id: uuidv7(),
        name: body.name,
        address: body.address,
        postcode: body.postcode,
        city: body.city,
        country: body.country,
        time_zone: body.timeZone ?? (body.country === 'IT' ? 'Europe/Rome' : 'Europe/Paris'),
        phone: body.phone ?? null,
        is_demo: options.isDemo ? 1 : 0,
        created_at: now,
        cancellation_deadline_hours: 24,
      };
      await repo.insertPractice(trx, row);
      await appendAudit(
        trx,
        store.dialect,
        actor,
        { action: 'practice.created', targetType: 'practice', targetId: row.id, practiceId: row.id },
        now,
      );
      return toPractice(row);
    },

    async updateSettings(
      auth: AuthContext,
      practiceId: string,
      body: { cancellationDeadlineHours: number },
      actor: Actor,
    ): Promise<Practice> {
      await requireTeamManager(auth, practiceId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.updatePractice(trx, practiceId, {
          cancellation_deadline_hours: body.cancellationDeadlineHours,
        });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'practice.settings_updated',
            targetType: 'practice',
            targetId: practiceId,
            practiceId,
            details: { cancellationDeadlineHours: body.cancellationDeadlineHours },
          },
          now,
        );
      });
      return toPractice((await repo.findPractice(db, practiceId))!);
    },

    async listPractices(): Promise<Practice[]> {
      return (await repo.listPractices(db)).map(toPractice);
    },

    async findPractice(practiceId: string, trx: Kysely<Database> = db) {
      return repo.findPractice(trx, practiceId);
    },

    addMember,

    async listTeam(auth: AuthContext, practiceId: string): Promise<PracticeMembersResponse> {
      const member = await requireMember(auth, practiceId);
      const practice = await repo.findPractice(db, practiceId);
      if (!practice) throw new AppError('MISSIVE_NOT_FOUND');
      const members = (await repo.listMembers(db, practiceId)).map(memberFromRow);
      // Pending invitations carry e-mail addresses: only the team's managers see them.
      const invitations =
        member.is_admin === 1
          ? (await repo.listPendingInvitations(db, practiceId, clock.now())).map(toInvitation)
          : [];
      return { practice: toPractice(practice), members, invitations };
    },

    async invite(
      auth: AuthContext,
      practiceId: string,
      body: InviteMemberBody,
      actor: Actor,
    ): Promise<Invitation> {
      await requireTeamManager(auth, practiceId);
      const practice = await repo.findPractice(db, practiceId);
      if (!practice) throw new AppError('MISSIVE_NOT_FOUND');
      const existingUser = await accounts.findUserByEmail(body.email);
      if (existingUser && (await repo.findMember(db, practiceId, existingUser.id)))
        throw new AppError('MISSIVE_ALREADY_MEMBER');
      const token = newToken();
      const now = clock.now();
      const row: PracticeInvitationRow = {
        id: uuidv7(),
        practice_id: practiceId,
        email: body.email,
        role: body.role,
        is_admin: body.isAdmin ? 1 : 0,
        rights: JSON.stringify(normaliseRights(body.rights)),
        token_hash: hashToken(token),
        invited_by: auth.user.id,
        created_at: now,
        expires_at: now + INVITATION_TTL,
        accepted_at: null,
        revoked_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insertInvitation(trx, row);
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'practice.invitation_created', targetType: 'invitation', targetId: row.id, practiceId },
          now,
        );
      });
      await accounts.sendMail(body.email, existingUser?.locale ?? auth.user.locale, {
        kind: 'practice_invitation',
        practiceName: practice.name,
        role: body.role,
        link: accounts.link('/invitation', token),
      });
      return toInvitation(row);
    },

    async revokeInvitation(
      auth: AuthContext,
      practiceId: string,
      invitationId: string,
      actor: Actor,
    ): Promise<void> {
      await requireTeamManager(auth, practiceId);
      const invitation = await repo.findInvitation(db, practiceId, invitationId);
      if (!invitation || invitation.accepted_at !== null || invitation.revoked_at !== null)
        throw new AppError('MISSIVE_NOT_FOUND');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.updateInvitation(trx, invitationId, { revoked_at: now });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'practice.invitation_revoked',
            targetType: 'invitation',
            targetId: invitationId,
            practiceId,
          },
          now,
        );
      });
    },

    async updateMember(
      auth: AuthContext,
      practiceId: string,
      userId: string,
      body: UpdateMemberBody,
      actor: Actor,
    ): Promise<Member> {
      await requireTeamManager(auth, practiceId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const target = await repo.findMember(trx, practiceId, userId);
        if (!target) throw new AppError('MISSIVE_NOT_FOUND');
        const keepsAdmin = body.isAdmin ?? target.is_admin === 1;
        if (wouldLeaveNoAdmin(await repo.countAdmins(trx, practiceId), target.is_admin === 1, keepsAdmin)) {
          throw new AppError('MISSIVE_LAST_ADMIN');
        }
        const rights = body.rights ? normaliseRights(body.rights) : parseRights(target.rights);
        await repo.updateMember(trx, practiceId, userId, {
          rights: JSON.stringify(rights),
          is_admin: keepsAdmin ? 1 : 0,
          updated_at: now,
        });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'practice.member_updated',
            targetType: 'user',
            targetId: userId,
            practiceId,
            details: { rights: rights.join(','), isAdmin: keepsAdmin },
          },
          now,
        );
      });
      return toMember(practiceId, userId);
    },

    async removeMember(auth: AuthContext, practiceId: string, userId: string, actor: Actor): Promise<void> {
      // Members may leave on their own; removing someone else takes a team manager.
      if (userId === auth.user.id) await requireMember(auth, practiceId);
      else await requireTeamManager(auth, practiceId);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const target = await repo.findMember(trx, practiceId, userId);
        if (!target) throw new AppError('MISSIVE_NOT_FOUND');
        if (wouldLeaveNoAdmin(await repo.countAdmins(trx, practiceId), target.is_admin === 1, false)) {
          throw new AppError('MISSIVE_LAST_ADMIN');
        }
        await repo.deleteMember(trx, practiceId, userId);
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'practice.member_removed', targetType: 'user', targetId: userId, practiceId },
          now,
        );
      });
    },

    async previewInvitation(token: string): Promise<InvitationPreview> {
      const invitation = await repo.findLiveInvitationByToken(db, hashToken(token), clock.now());
      if (!invitation) throw new AppError('MISSIVE_INVALID_TOKEN');
      const user = await accounts.findUserByEmail(invitation.email);
      return {
        practiceName: invitation.practice_name,
        email: invitation.email,
        role: invitation.role,
        accountExists: user !== undefined,
      };
    },

    /**
     * Accepts an invitation. An existing account must be signed in (as the invited address); otherwise a
     * staff account is created with the chosen password, its e-mail proven by the link itself.
     */
    async acceptInvitation(
      body: AcceptInvitationBody,
      auth: AuthContext | null,
      actor: Actor,
    ): Promise<Membership> {
      const now = clock.now();
      const tokenHash = hashToken(body.token);
      const invitation = await repo.findLiveInvitationByToken(db, tokenHash, now);
      if (!invitation) throw new AppError('MISSIVE_INVALID_TOKEN');
      const existing = await accounts.findUserByEmail(invitation.email);
      let passwordHash: string | null = null;
      if (existing) {
        if (!auth || auth.user.id !== existing.id) throw new AppError('MISSIVE_UNAUTHENTICATED');
        if (existing.kind === 'patient')
          throw new AppError('MISSIVE_CONFLICT', [{ path: 'email', reason: 'patient_account' }]);
      } else {
        const missing = (['firstName', 'lastName', 'password'] as const).filter((field) => !body[field]);
        if (missing.length > 0)
          throw new AppError(
            'MISSIVE_VALIDATION',
            missing.map((path) => ({ path, reason: 'required' })),
          );
        enforcePasswordPolicy(body.password!, [
          body.firstName!,
          body.lastName!,
          invitation.email.split('@')[0] ?? '',
        ]);
        passwordHash = await hashPassword(body.password!);
      }
      const practice = (await repo.findPractice(db, invitation.practice_id))!;
      await db.transaction().execute(async (trx) => {
        const claimed = await repo.updateInvitation(trx, invitation.id, { accepted_at: now });
        if (claimed.numUpdatedRows !== 1n) throw new AppError('MISSIVE_INVALID_TOKEN');
        const userId =
          existing?.id ??
          (await accounts.createStaffUser(trx, {
            email: invitation.email,
            firstName: body.firstName!,
            lastName: body.lastName!,
            kind: 'staff',
            locale: practice.country === 'IT' ? 'it' : 'fr',
            country: practice.country,
            passwordHash,
            emailVerified: true,
          }));
        await addMember(trx, {
          practiceId: invitation.practice_id,
          userId,
          role: invitation.role,
          isAdmin: invitation.is_admin === 1,
          rights: parseRights(invitation.rights),
        });
        await appendAudit(
          trx,
          store.dialect,
          { ...actor, userId },
          {
            action: 'practice.invitation_accepted',
            targetType: 'invitation',
            targetId: invitation.id,
            practiceId: invitation.practice_id,
          },
          now,
        );
      });
      return {
        practiceId: invitation.practice_id,
        practiceName: invitation.practice_name,
        role: invitation.role,
        isAdmin: invitation.is_admin === 1,
        rights: parseRights(invitation.rights),
      };
    },
  };
}
