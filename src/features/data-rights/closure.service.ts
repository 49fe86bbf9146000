import type { Logger } from 'pino';
import type { CloseAccountResponse } from '../../contracts/data-rights';
import type { Clock } from '../../platform/clock/clock';
import type { Store } from '../../platform/db/store';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit, SYSTEM_ACTOR } from '../audit/audit.service';
import * as repo from './data-rights.repository';
import { reauthenticate } from './export.service';

export interface ClosureDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** How long the practice keeps a closed account's records, counted from the last care. */
  retentionMs: number;
  /** Tells connected practice screens that a conversation changed (closed for the account). */
  publish: (
    row: { id: string; practice_id: string; patient_profile_id: string },
    type: string,
    cursor: number,
  ) => Promise<void>;
}

export type ClosureService = ReturnType<typeof createClosureService>;

/**
 * Account closure (GDPR right to erasure) and the expiry of what practices must keep.
 *
 * Closing erases what identifies and reaches the person (e-mail, password, name on the account, sessions,
 * tokens, notification choices, terms acceptances, exports, unsent files). Conversations and past
 * appointments are part of the practices' medical records: they are detached from the account (the
 * account row becomes a nameless tombstone, so messages show no author name) and closed with the reason
 * `account_closed`, and kept until `retain_until` (last care + retention). Profiles with nothing to keep
 * are deleted at once.
 */
export function createClosureService(deps: ClosureDeps) {
  const { store, clock, logger, retentionMs } = deps;
  const db = store.db;

  return {
    async close(auth: AuthContext, password: string, actor: Actor): Promise<CloseAccountResponse> {
      await reauthenticate(store, auth.user.id, password);
      const userId = auth.user.id;
      const now = clock.now();
      const closedConversations: {
        row: { id: string; practice_id: string; patient_profile_id: string };
        cursor: number;
      }[] = [];
      let retainedConversations = 0;
      let retainedUntil: number | null = null;
      await db.transaction().execute(async (trx) => {
        await repo.handOverOwnAccounts(trx, userId, now);
        for (const profile of await repo.heldProfiles(trx, userId)) {
          await repo.cancelFutureAppointments(trx, profile.id, userId, now);
          const [conversations, appointments, lastConsultation] = await Promise.all([
            repo.conversationsOfProfile(trx, profile.id),
            repo.appointmentsOfProfile(trx, profile.id),
            repo.lastConsultationOf(trx, profile.id),
          ]);
          const caredAppointments = appointments.filter((a) => a.status !== 'cancelled');
          if (conversations.length === 0 && caredAppointments.length === 0) {
            await repo.deleteProfile(trx, profile.id);
            continue;
          }
          const lastCare = Math.max(
            lastConsultation ?? 0,
            ...conversations.map((c) => c.last_message_at),
            ...caredAppointments.map((a) => Math.min(a.starts_at, now)),
          );
          const retainUntil = lastCare + retentionMs;
          await repo.markProfileClosed(trx, profile.id, now, retainUntil);
          retainedUntil = Math.max(retainedUntil ?? 0, retainUntil);
          retainedConversations += conversations.length;
          for (const conversation of conversations) {
            const cursor = await appendAudit(
              trx,
              store.dialect,
              actor,
              {
                action: 'conversation.account_closed',
                targetType: 'conversation',
                targetId: conversation.id,
                practiceId: conversation.practice_id,
                patientProfileId: profile.id,
              },
              now,
            );
            await repo.closeConversationForAccount(trx, conversation.id, now, cursor);
            closedConversations.push({
              row: {
                id: conversation.id,
                practice_id: conversation.practice_id,
                patient_profile_id: profile.id,
              },
              cursor,
            });
          }
        }
        await repo.eraseAccountData(trx, userId);
        await repo.updateUser(trx, userId, {
          email: `closed-${userId}@closed.invalid`,
          password_hash: null,
          first_name: '',
          last_name: '',
          email_verified_at: null,
          totp_secret: null,
          totp_enrolled_at: null,
          totp_last_step: null,
          failed_logins: 0,
          locked_until: null,
          closed_at: now,
          updated_at: now,
        });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'account.closed',
            targetType: 'user',
            targetId: userId,
            details: { retainedConversations },
          },
          now,
        );
      });
      for (const { row, cursor } of closedConversations) {
        // The database is the source of truth: a missed event is caught up through /api/v1/sync.
        await deps
          .publish(row, 'conversation.updated', cursor)
          .catch((err) =>
            logger.warn(
              { err: { message: (err as Error).message } },
              'could not announce a closed conversation',
            ),
          );
      }
      return { retainedConversations, retainedUntil };
    },

    /**
     * Erases records of closed accounts whose retention has expired, then the tombstones that no longer
     * hold anything. Runs in small batches, each profile in its own transaction.
     */
    async purgeExpiredRetention(batch = 100): Promise<number> {
      const now = clock.now();
      let erased = 0;
      for (const profile of await repo.expiredProfiles(db, now, batch)) {
        await db.transaction().execute(async (trx) => {
          await repo.deleteProfile(trx, profile.id);
          await appendAudit(
            trx,
            store.dialect,
            SYSTEM_ACTOR,
            { action: 'retention.expired', targetType: 'patient_profile', targetId: profile.id },
            now,
          );
        });
        erased += 1;
      }
      for (const tombstone of await repo.emptyTombstones(db, batch)) {
        try {
          await repo.deleteUser(db, tombstone.id);
        } catch (err) {
          // Still referenced (a message it wrote in a relative's conversation kept by a practice): kept for now.
          logger.debug({ err: { message: (err as Error).message } }, 'closed account still referenced');
        }
      }
      return erased;
    },
  };
}
