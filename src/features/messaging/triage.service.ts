import type { Category } from '../../contracts/messaging';
import { type ConversationStatus, canChangeStatus, isIdle } from '../../domain/messaging';
import { canDecideRenewal } from '../../domain/permissions';
import type { Clock } from '../../platform/clock/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import type { ConversationRow } from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import type { CareService } from '../patients/care.service';
import type { PatientsService } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';
import { type ConversationAccess, subjectAad } from './conversation-access';
import type { ConversationsService } from './conversations.service';
import * as repo from './messaging.repository';

export interface TriageDeps {
  store: Store;
  keys: Keyring;
  clock: Clock;
  practices: PracticesService;
  patients: PatientsService;
  care: CareService;
  access: ConversationAccess;
  conversations: ConversationsService;
}

export type TriageService = ReturnType<typeof createTriageService>;

/** Practice-side work on conversations: status, assignment, conversations started by the practice, renewal decisions, idle closing. */
export function createTriageService(deps: TriageDeps) {
  const { store, keys, clock, practices, patients, care, access, conversations } = deps;
  const db = store.db;

  return {
    async update(
      auth: AuthContext,
      conversationId: string,
      body: { status?: ConversationStatus | undefined; assigneeUserId?: string | null | undefined },
      actor: Actor,
    ) {
      const { row, viewer } = await access.requireConversation(auth, conversationId);
      if (viewer.side !== 'practice') throw new AppError('MISSIVE_NOT_FOUND');
      if (row.closed_reason === 'account_closed' && body.status !== undefined && body.status !== 'closed')
        throw new AppError('MISSIVE_PATIENT_ACCOUNT_CLOSED');
      if (body.status !== undefined && !canChangeStatus(row.status, body.status))
        throw new AppError('MISSIVE_INVALID_TRANSITION');
      if (body.assigneeUserId) {
        const assignee = await practices.findMember(row.practice_id, body.assigneeUserId);
        if (!assignee || !(JSON.parse(assignee.rights) as string[]).includes('messaging'))
          throw new AppError('MISSIVE_VALIDATION', [
            { path: 'assigneeUserId', reason: 'not_a_messaging_member' },
          ]);
      }
      const audit = { practiceId: row.practice_id, patientProfileId: row.patient_profile_id };
      const cursor = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const changes: Partial<ConversationRow> = {};
        let notice: string | null = null;
        if (body.status !== undefined) {
          changes.status = body.status;
          if (body.status === 'closed') {
            Object.assign(changes, {
              closed_at: now,
              closed_reason: 'practice',
              awaiting_reply_since: null,
              due_at: null,
            });
            notice = 'closed_by_practice';
          } else if (row.status === 'closed') {
            Object.assign(changes, { closed_at: null, closed_reason: null });
            notice = 'reopened';
          }
        }
        if (body.assigneeUserId !== undefined) changes.assignee_user_id = body.assigneeUserId;
        let changeCursor: number;
        if (notice) {
          const message = await conversations.appendMessage(
            trx,
            { conversationId, senderUserId: null, side: 'system', kind: 'notice', body: notice },
            actor,
            audit,
          );
          changeCursor = message.change_cursor;
        } else {
          changeCursor = await appendAudit(
            trx,
            store.dialect,
            actor,
            {
              action: 'conversation.updated',
              targetType: 'conversation',
              targetId: conversationId,
              ...audit,
              details: { status: body.status ?? null, assignee: body.assigneeUserId ?? null },
            },
            now,
          );
        }
        await repo.updateConversation(trx, conversationId, { ...changes, change_cursor: changeCursor });
        return changeCursor;
      });
      await conversations.publish(row, 'conversation.updated', cursor);
      return access.toSummary((await repo.findConversation(db, conversationId))!, 0);
    },

    /** A practitioner (or a member with the messaging right, on their behalf) writes first to one of the practitioner's patients. */
    async startByPractice(
      auth: AuthContext,
      practiceId: string,
      body: {
        practitionerId: string;
        patientProfileId: string;
        category: Category;
        subject: string;
        clientMessageId: string;
        body: string;
        attachmentIds: string[];
        patientMayReply: boolean;
      },
      actor: Actor,
    ) {
      const member = await practices.requireRight(auth, practiceId, 'messaging');
      const practitioner = await practices.findMember(practiceId, body.practitionerId);
      if (practitioner?.role !== 'practitioner')
        throw new AppError('MISSIVE_VALIDATION', [
          { path: 'practitionerId', reason: 'not_a_practitioner_of_this_practice' },
        ]);
      if (member.role !== 'practitioner' && body.category !== 'administrative')
        throw new AppError('MISSIVE_PRACTITIONERS_ONLY');
      const replay = await repo.findMessageByClientId(db, auth.user.id, body.clientMessageId);
      if (replay) {
        const { row } = await access.requireConversation(auth, replay.conversation_id);
        return {
          conversation: await access.toSummary(row, 0),
          message: (await access.toMessages([await repo.findMessage(db, replay.id)]))[0]!,
          created: false,
        };
      }
      // Only the practitioner's own patients: an established care relationship, at any date.
      const last = await care.lastConsultation(body.patientProfileId, body.practitionerId, practiceId);
      if (last === null) throw new AppError('MISSIVE_NO_CARE_RELATIONSHIP');
      const profile = (await patients.findProfile(body.patientProfileId))!;
      if (profile.closed_at !== null) throw new AppError('MISSIVE_PATIENT_ACCOUNT_CLOSED');
      const unique = [...new Set(body.attachmentIds)];
      if ((await repo.unattachedOf(db, auth.user.id, unique)).length !== unique.length)
        throw new AppError('MISSIVE_VALIDATION', [{ path: 'attachmentIds', reason: 'unknown_or_used' }]);
      const id = uuidv7();
      const now = clock.now();
      const audit = { practiceId, patientProfileId: profile.id };
      const message = await db.transaction().execute(async (trx) => {
        await repo.insertConversation(trx, {
          id,
          practice_id: practiceId,
          practitioner_user_id: body.practitionerId,
          patient_profile_id: profile.id,
          created_by_user_id: auth.user.id,
          origin: 'practice',
          category: body.category,
          subject: keys.encrypt(body.subject, subjectAad(id)),
          // Nothing is left for the practice to do in an information message patients cannot answer.
          status: body.patientMayReply ? 'waiting_patient' : 'closed',
          assignee_user_id: null,
          patient_may_reply: body.patientMayReply ? 1 : 0,
          emergency_flagged_at: null,
          last_seq: 0,
          last_message_at: now,
          awaiting_reply_since: null,
          due_at: null,
          closed_at: body.patientMayReply ? null : now,
          closed_reason: body.patientMayReply ? null : 'practice',
          change_cursor: 0,
          created_at: now,
        });
        const appended = await conversations.appendMessage(
          trx,
          {
            conversationId: id,
            senderUserId: auth.user.id,
            side: 'practice',
            kind: 'text',
            body: body.body,
            clientMessageId: body.clientMessageId,
            attachmentIds: unique,
          },
          actor,
          audit,
        );
        await conversations.noticePatients(trx, id, appended.seq);
        return appended;
      });
      const row = (await repo.findConversation(db, id))!;
      await conversations.publish(row, 'conversation.created', message.change_cursor);
      return {
        conversation: await access.toSummary(row, 0),
        message: (await access.toMessages([await repo.findMessage(db, message.id)]))[0]!,
        created: true,
      };
    },

    /** Approves or refuses a renewal request in one step; only practitioners decide. The prescription itself is never sent here. */
    async decideRenewal(
      auth: AuthContext,
      renewalId: string,
      body: {
        decision: 'approved' | 'refused';
        reason?: string | undefined;
        pickup?: 'practice' | 'pharmacy' | undefined;
      },
      actor: Actor,
    ) {
      const renewal = await repo.findRenewal(db, renewalId);
      if (!renewal) throw new AppError('MISSIVE_NOT_FOUND');
      const { row, viewer } = await access.requireConversation(auth, renewal.conversation_id);
      if (viewer.side !== 'practice') throw new AppError('MISSIVE_NOT_FOUND');
      const member = await practices.findMember(row.practice_id, auth.user.id);
      if (
        !canDecideRenewal(
          member
            ? { role: member.role, isAdmin: member.is_admin === 1, rights: JSON.parse(member.rights) }
            : undefined,
        )
      )
        throw new AppError('MISSIVE_PRACTITIONERS_ONLY');
      if (body.decision === 'refused' && !body.reason)
        throw new AppError('MISSIVE_VALIDATION', [{ path: 'reason', reason: 'required' }]);
      if (body.decision === 'approved' && !body.pickup)
        throw new AppError('MISSIVE_VALIDATION', [{ path: 'pickup', reason: 'required' }]);
      const audit = { practiceId: row.practice_id, patientProfileId: row.patient_profile_id };
      const now = clock.now();
      const message = await db.transaction().execute(async (trx) => {
        const decided = await repo.decideRenewal(trx, renewalId, {
          status: body.decision,
          decision_reason: body.reason
            ? keys.encrypt(body.reason, `renewals.decision_reason:${renewalId}`)
            : null,
          pickup: body.decision === 'approved' ? (body.pickup ?? null) : null,
          decided_by_user_id: auth.user.id,
          decided_at: now,
        });
        if (!decided) throw new AppError('MISSIVE_INVALID_TRANSITION');
        const appended = await conversations.appendMessage(
          trx,
          {
            conversationId: row.id,
            senderUserId: auth.user.id,
            side: 'practice',
            kind: 'renewal_decision',
            body: JSON.stringify({
              decision: body.decision,
              pickup: body.pickup ?? null,
              reason: body.reason ?? null,
            }),
          },
          actor,
          audit,
        );
        await repo.updateConversation(trx, row.id, {
          status: row.status === 'closed' ? 'closed' : 'waiting_patient',
          awaiting_reply_since: null,
          due_at: null,
        });
        await conversations.noticePatients(trx, row.id, appended.seq);
        return appended;
      });
      await conversations.publish(row, 'renewal.decided', message.change_cursor);
      return access.toSummary((await repo.findConversation(db, row.id))!, 0);
    },

    /** Closes conversations idle for longer than their practitioner's setting, with a notice in each. Returns how many. */
    async closeIdle(
      settingsOf: (practitionerId: string, practiceId: string) => Promise<{ autoCloseDays: number }>,
    ): Promise<number> {
      const now = clock.now();
      // The shortest allowed delay is one day: anything more recent than that cannot be idle.
      const candidates = await repo.idleConversations(db, now - 86_400_000, 500);
      let closed = 0;
      for (const candidate of candidates) {
        const { autoCloseDays } = await settingsOf(candidate.practitioner_user_id, candidate.practice_id);
        if (!isIdle(candidate.last_message_at, now, autoCloseDays)) continue;
        const row = (await repo.findConversation(db, candidate.id))!;
        const audit = { practiceId: row.practice_id, patientProfileId: row.patient_profile_id };
        const message = await db.transaction().execute(async (trx) => {
          const appended = await conversations.appendMessage(
            trx,
            {
              conversationId: row.id,
              senderUserId: null,
              side: 'system',
              kind: 'notice',
              body: 'closed_idle',
            },
            SYSTEM_ACTOR,
            audit,
          );
          await repo.updateConversation(trx, row.id, {
            status: 'closed',
            closed_at: now,
            closed_reason: 'idle',
            awaiting_reply_since: null,
            due_at: null,
          });
          return appended;
        });
        await conversations.publish(row, 'conversation.updated', message.change_cursor);
        closed++;
      }
      return closed;
    },
  };
}
