import type { ConversationSummary, Message } from '../../contracts/messaging';
import type { Clock } from '../../platform/clock/clock';
import type { GroupCommit } from '../../platform/db/group-commit';
import type { Store } from '../../platform/db/store';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import type { PatientsService } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';
import { type ConversationAccess, patientMaySee } from './conversation-access';
import * as repo from './messaging.repository';

export interface InboxDeps {
  store: Store;
  /** The audit entries of reads share commits with concurrent writers (see platform/db/group-commit). */
  writes: GroupCommit;
  clock: Clock;
  practices: PracticesService;
  patients: PatientsService;
  access: ConversationAccess;
  /** Writes the conversations of campaign messages delivered to these profiles, before they are listed. */
  openDeliveries: (profileIds: readonly string[]) => Promise<void>;
  /** Rings the bell after a change (the conversations service's publisher). */
  publish: (
    row: { id: string; practice_id: string; patient_profile_id: string },
    type: string,
    cursor: number,
  ) => Promise<void>;
}

export type InboxService = ReturnType<typeof createInboxService>;

/** Reading: the patient's conversations, the practice inbox, a thread and its messages, read markers. */
export function createInboxService(deps: InboxDeps) {
  const { store, writes, clock, practices, patients, access, openDeliveries, publish } = deps;
  const db = store.db;

  async function patientConversations(userId: string) {
    const profileIds = (await patients.profilesOf(userId)).map((p) => p.id);
    await openDeliveries(profileIds);
    const rows = await repo.conversationsOfProfiles(db, profileIds);
    return rows.filter((row) => patientMaySee(userId, row));
  }

  /** Unread messages across everything the user sees (the badge). */
  async function unreadTotal(auth: AuthContext): Promise<number> {
    if (auth.user.kind === 'patient') {
      const rows = await patientConversations(auth.user.id);
      const counts = await repo.unreadCounts(
        db,
        rows.map((r) => r.id),
        auth.user.id,
        'patient',
      );
      return [...counts.values()].reduce((a, b) => a + b, 0);
    }
    let total = 0;
    for (const membership of await practices.membershipsOf(auth.user.id)) {
      if (!membership.rights.includes('messaging')) continue;
      const { rows } = await repo.practiceInbox(
        db,
        membership.practiceId,
        { unreadFor: auth.user.id },
        0,
        500,
      );
      const counts = await repo.unreadCounts(
        db,
        rows.map((r) => r.id),
        auth.user.id,
        'practice',
      );
      total += [...counts.values()].reduce((a, b) => a + b, 0);
    }
    return total;
  }

  return {
    /** Who at the practice opened this conversation and when (names and roles), for the patient to see. */
    async accessLog(auth: AuthContext, conversationId: string) {
      const { row } = await access.requireConversation(auth, conversationId);
      const rows = await repo.practiceAccesses(db, row.id, row.practice_id);
      const actions = {
        'conversation.opened': 'opened',
        'conversation.messages_read': 'read_messages',
        'attachment.downloaded': 'downloaded_attachment',
      } as const;
      return {
        entries: rows.map((r) => ({
          at: r.at,
          name: `${r.first_name} ${r.last_name}`,
          role: r.role ?? ('former_member' as const),
          action: actions[r.action as keyof typeof actions],
        })),
      };
    },

    async listForPatient(auth: AuthContext): Promise<ConversationSummary[]> {
      return access.toSummaries(await patientConversations(auth.user.id), auth.user.id, 'patient');
    },

    async practiceInbox(
      auth: AuthContext,
      practiceId: string,
      query: {
        status?: string | undefined;
        category?: string | undefined;
        practitionerId?: string | undefined;
        assigneeId?: string | undefined;
        unread?: string | undefined;
        overdue?: string | undefined;
        offset: number;
        limit: number;
      },
    ) {
      await practices.requireRight(auth, practiceId, 'messaging');
      const { total, rows } = await repo.practiceInbox(
        db,
        practiceId,
        {
          status: query.status,
          category: query.category,
          practitionerId: query.practitionerId,
          assigneeId: query.assigneeId,
          overdueAt: query.overdue === 'true' ? clock.now() : undefined,
          unreadFor: query.unread === 'true' ? auth.user.id : undefined,
        },
        query.offset,
        query.limit,
      );
      return { total, conversations: await access.toSummaries(rows, auth.user.id, 'practice') };
    },

    /** Opens a conversation: every opening by practice staff is in the audit trail the patient can read. */
    async detail(auth: AuthContext, conversationId: string, actor: Actor) {
      const { row, viewer } = await access.requireConversation(auth, conversationId);
      const otherSide = viewer.side === 'patient' ? 'practice' : 'patient';
      const [unread, markers, renewal] = await Promise.all([
        repo.unreadCounts(db, [row.id], auth.user.id, viewer.side),
        repo.otherSideMarkers(db, row.id, otherSide),
        repo.renewalOfConversation(db, row.id),
      ]);
      await writes.run((trx) =>
        appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'conversation.opened',
            targetType: 'conversation',
            targetId: row.id,
            practiceId: row.practice_id,
            patientProfileId: row.patient_profile_id,
          },
          clock.now(),
        ),
      );
      return {
        conversation: await access.toSummary(row, unread.get(row.id) ?? 0),
        renewal: renewal ? await access.toRenewal(renewal) : null,
        otherSide: markers,
      };
    },

    /** A page of messages by sequence; receiving them marks them delivered for the reader. */
    async messages(
      auth: AuthContext,
      conversationId: string,
      page: { after?: number | undefined; before?: number | undefined; limit: number },
      actor: Actor,
    ): Promise<{ messages: Message[]; hasMore: boolean }> {
      const { row, viewer } = await access.requireConversation(auth, conversationId);
      const rows = await repo.messagePage(db, conversationId, page);
      const hasMore = rows.length > page.limit;
      const slice = rows.slice(0, page.limit).sort((a, b) => a.seq - b.seq);
      const now = clock.now();
      await writes.run(async (trx) => {
        const highest = slice.at(-1)?.seq;
        if (highest !== undefined) {
          await trx
            .insertInto('read_markers')
            .values({
              conversation_id: row.id,
              user_id: auth.user.id,
              side: viewer.side,
              delivered_seq: highest,
              read_seq: 0,
              updated_at: now,
            })
            .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
            .execute();
          await trx
            .updateTable('read_markers')
            .set({ delivered_seq: highest, updated_at: now })
            .where('conversation_id', '=', row.id)
            .where('user_id', '=', auth.user.id)
            .where('delivered_seq', '<', highest)
            .execute();
        }
        // An empty page (nothing new since the last poll) discloses nothing: it is not an access to record.
        if (slice.length === 0) return;
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'conversation.messages_read',
            targetType: 'conversation',
            targetId: row.id,
            practiceId: row.practice_id,
            patientProfileId: row.patient_profile_id,
            details: { count: slice.length, fromSeq: slice[0]?.seq ?? null },
          },
          now,
        );
      });
      return { messages: await access.toMessages(slice), hasMore };
    },

    async markRead(auth: AuthContext, conversationId: string, seq: number) {
      const { row, viewer } = await access.requireConversation(auth, conversationId);
      const upTo = Math.min(seq, row.last_seq);
      await repo.upsertMarkers(
        db,
        [{ conversationId: row.id, userId: auth.user.id, side: viewer.side, seq: upTo }],
        clock.now(),
        store.dialect,
      );
      // The other side's "read" tick updates live.
      await publish(row, 'read.updated', row.change_cursor);
      return { readSeq: upTo, unreadTotal: await unreadTotal(auth) };
    },

    unreadTotal,
  };
}
