import type { Clock } from '../../platform/clock/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import { executeTogether } from '../../platform/db/dialect';
import type { GroupCommit } from '../../platform/db/group-commit';
import type { ConversationRow, MessageRow } from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { uuidv7 } from '../../platform/ids';
import { chainAuditEntries, SYSTEM_ACTOR } from '../audit/audit.service';
import { bodyAad as messageBodyAad, subjectAad } from '../messaging/conversation-access';
import * as repo from './campaigns.repository';

export const campaignTitleAad = (id: string) => `campaigns.title:${id}`;
export const campaignBodyAad = (id: string) => `campaigns.body:${id}`;

/** Another request opened the same delivery first: its conversation is the one to show. */
class OpenedElsewhere extends Error {}

export type CampaignDeliveries = ReturnType<typeof createCampaignDeliveries>;

/**
 * A campaign's message is stored once; delivering it writes one recipient row per profile (see the
 * fan-out in campaigns.service.ts). The conversation that shows it in the recipient's inbox, with the
 * message as its first one, is written when one of the recipient's accounts first lists what it sees
 * (inbox, unread badge, sync, data export): a few rows for that person then, instead of a conversation
 * for each of a campaign's hundred thousand recipients while it sends. Dated when it was delivered, it
 * reads and sorts as if written then; its audit entry is dated when it was written.
 */
export function createCampaignDeliveries(deps: {
  store: Store;
  keys: Keyring;
  clock: Clock;
  writes: GroupCommit;
}) {
  const { store, keys, clock, writes } = deps;

  return {
    /**
     * Writes the conversations of the campaign messages delivered to these profiles that have none yet.
     * Idempotent and safe to call from concurrent requests: each delivery gets one conversation.
     */
    async open(profileIds: readonly string[]): Promise<void> {
      if (profileIds.length === 0) return;
      const pending = await repo.unopenedDeliveries(store.db, profileIds);
      if (pending.length === 0) return;
      const texts = new Map<string, { title: string; body: string }>();
      for (const row of pending)
        if (!texts.has(row.campaign_id))
          texts.set(row.campaign_id, {
            title: await keys.decryptText(row.title, campaignTitleAad(row.campaign_id)),
            body: await keys.decryptText(row.body, campaignBodyAad(row.campaign_id)),
          });
      const items = pending.map((row) => {
        const text = texts.get(row.campaign_id)!;
        const conversationId = uuidv7();
        const messageId = uuidv7();
        return {
          row,
          deliveredAt: Number(row.delivered_at),
          conversationId,
          messageId,
          subject: keys.encrypt(text.title, subjectAad(conversationId)),
          body: keys.encrypt(text.body, messageBodyAad(messageId)),
        };
      });
      try {
        await writes.run(async (trx) => {
          const chain = await chainAuditEntries(
            trx,
            store.dialect,
            items.map((item) => ({
              actor: { ...SYSTEM_ACTOR, userId: item.row.author_user_id, role: 'staff' },
              entry: {
                action: 'message.text',
                targetType: 'message',
                targetId: item.messageId,
                practiceId: item.row.practice_id,
                patientProfileId: item.row.patient_profile_id,
                details: { conversationId: item.conversationId, seq: 1, campaignId: item.row.campaign_id },
              },
            })),
            clock.now(),
          );
          const conversations: ConversationRow[] = items.map((item, index) => {
            const mayReply = item.row.patients_may_reply === 1;
            return {
              id: item.conversationId,
              practice_id: item.row.practice_id,
              practitioner_user_id: item.row.author_user_id,
              patient_profile_id: item.row.patient_profile_id,
              created_by_user_id: item.row.author_user_id,
              origin: 'campaign',
              category: 'administrative',
              subject: item.subject,
              status: mayReply ? 'waiting_patient' : 'closed',
              assignee_user_id: null,
              patient_may_reply: item.row.patients_may_reply,
              emergency_flagged_at: null,
              last_seq: 1,
              last_message_at: item.deliveredAt,
              awaiting_reply_since: null,
              due_at: null,
              closed_at: mayReply ? null : item.deliveredAt,
              closed_reason: mayReply ? null : 'practice',
              change_cursor: chain.seqs[index]!,
              created_at: item.deliveredAt,
            };
          });
          const messages: MessageRow[] = items.map((item, index) => ({
            id: item.messageId,
            conversation_id: item.conversationId,
            seq: 1,
            client_message_id: null,
            sender_user_id: item.row.author_user_id,
            sender_side: 'practice',
            kind: 'text',
            body: item.body,
            emergency_kind: null,
            attachment_count: 0,
            change_cursor: chain.seqs[index]!,
            created_at: item.deliveredAt,
          }));
          await executeTogether(trx, store.dialect, [
            ...chain.statements,
            ...repo.openingInserts(store.dialect, conversations, messages),
          ]);
          for (const item of items) {
            const linked = await trx
              .updateTable('campaign_recipients')
              .set({ conversation_id: item.conversationId })
              .where('campaign_id', '=', item.row.campaign_id)
              .where('patient_profile_id', '=', item.row.patient_profile_id)
              .where('conversation_id', 'is', null)
              .executeTakeFirst();
            if (linked.numUpdatedRows !== 1n) throw new OpenedElsewhere();
          }
        });
      } catch (error) {
        // The other request's transaction has committed (PostgreSQL made this one wait for its row, SQLite
        // runs one writer at a time): everything is in place, and this attempt left nothing behind.
        if (!(error instanceof OpenedElsewhere)) throw error;
      }
    },
  };
}
