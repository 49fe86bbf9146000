import type { PracticeRight } from '../../contracts/accounts';
import {
  type ConversationSummary,
  type Message,
  PREVIEW_LENGTH,
  type Renewal,
} from '../../contracts/messaging';
import { accountsSeeingProfileItem, maySeeProfileItem } from '../../domain/care';
import type { Keyring } from '../../platform/crypto/keyring';
import type { RenewalRow } from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import type { AuthContext } from '../accounts/sessions.service';
import { profileFacts } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';
import * as repo from './messaging.repository';

/** Who is looking at a conversation, and from which side. */
export type Viewer =
  | { side: 'patient'; userId: string }
  | { side: 'practice'; userId: string; role: 'practitioner' | 'assistant'; isAdmin: boolean };

export const subjectAad = (id: string) => `conversations.subject:${id}`;
export const bodyAad = (id: string) => `messages.body:${id}`;

/** Messages a person wrote, whose text a list may show the start of. */
const PREVIEWED_KINDS = new Set(['text', 'renewal_request']);

/** The start of a message on one line, cut at a word where it can be. */
export function previewOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= PREVIEW_LENGTH) return line;
  const cut = line.slice(0, PREVIEW_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > PREVIEW_LENGTH * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
export const attachmentNameAad = (id: string) => `attachments.name:${id}`;
export const attachmentDataAad = (id: string) => `attachments.data:${id}`;

type Row = repo.ConversationDetails;

const factsOf = (row: Row) =>
  profileFacts({
    owner_user_id: row.profile_owner_user_id,
    user_id: row.profile_user_id,
    own_account_since: row.profile_own_account_since,
  });
const itemOf = (row: Row) => ({ createdByUserId: row.created_by_user_id, createdAt: row.created_at });

/** Whether a patient account sees this conversation: their own or a managed relative's, minus a teenager's confidential ones. */
export function patientMaySee(userId: string, row: Row): boolean {
  return maySeeProfileItem(userId, factsOf(row), itemOf(row));
}

/** The patient accounts that see this conversation (see patientMaySee). */
export function patientAccountsSeeing(row: Row): string[] {
  return accountsSeeingProfileItem(factsOf(row), itemOf(row));
}

export function createConversationAccess(deps: {
  store: Store;
  keys: Keyring;
  practices: PracticesService;
  clock: { now(): number };
}) {
  const { store, keys, practices, clock } = deps;
  const db = store.db;

  /**
   * The conversation as the caller may see it, or "not found": a patient sees their own (and their
   * relatives'); practice members need the messaging right, checked on every request so that a removed
   * right takes effect at once.
   */
  async function requireConversation(
    auth: AuthContext,
    conversationId: string,
    right: PracticeRight = 'messaging',
  ): Promise<{ row: Row; viewer: Viewer }> {
    const row = await repo.findConversation(db, conversationId);
    if (!row) throw new AppError('MISSIVE_NOT_FOUND');
    if (auth.user.kind === 'patient') {
      if (!patientMaySee(auth.user.id, row)) throw new AppError('MISSIVE_NOT_FOUND');
      return { row, viewer: { side: 'patient', userId: auth.user.id } };
    }
    const member = await practices.findMember(row.practice_id, auth.user.id).catch(() => undefined);
    if (!member || !(JSON.parse(member.rights) as string[]).includes(right))
      throw new AppError('MISSIVE_NOT_FOUND');
    return {
      row,
      viewer: { side: 'practice', userId: auth.user.id, role: member.role, isAdmin: member.is_admin === 1 },
    };
  }

  /**
   * Summaries for a list: unread counts for the reader, and the start of each conversation's last message.
   * The texts are decrypted for the reader's own screen only.
   */
  async function toSummaries(
    rows: Row[],
    readerId: string,
    side: 'patient' | 'practice',
  ): Promise<ConversationSummary[]> {
    const ids = rows.map((r) => r.id);
    const [unread, last] = await Promise.all([
      repo.unreadCounts(db, ids, readerId, side),
      repo.lastMessages(db, ids),
    ]);
    const previews = new Map(
      await Promise.all(
        last.map(
          async (m) =>
            [
              m.conversation_id,
              {
                side: m.sender_side,
                preview: PREVIEWED_KINDS.has(m.kind)
                  ? previewOf(await keys.decryptText(m.body, bodyAad(m.id)))
                  : null,
              },
            ] as const,
        ),
      ),
    );
    return Promise.all(
      rows.map(async (row) => ({
        ...(await toSummary(row, unread.get(row.id) ?? 0)),
        lastMessage: previews.get(row.id) ?? { side: 'system' as const, preview: null },
      })),
    );
  }

  async function toSummary(row: Row, unread: number): Promise<ConversationSummary> {
    const now = clock.now();
    return {
      id: row.id,
      practiceId: row.practice_id,
      practiceName: row.practice_name,
      practitionerId: row.practitioner_user_id,
      practitionerName: `${row.practitioner_first_name} ${row.practitioner_last_name}`,
      patientProfileId: row.patient_profile_id,
      patientName: `${row.patient_first_name} ${row.patient_last_name}`,
      patientBirthDate: row.patient_birth_date,
      category: row.category,
      subject: await keys.decryptText(row.subject, subjectAad(row.id)),
      status: row.status,
      origin: row.origin,
      assignee: row.assignee_user_id
        ? { userId: row.assignee_user_id, name: `${row.assignee_first_name} ${row.assignee_last_name}` }
        : null,
      patientMayReply: row.patient_may_reply === 1,
      emergencyFlagged: row.emergency_flagged_at !== null,
      lastSeq: row.last_seq,
      lastMessageAt: row.last_message_at,
      awaitingReplySince: row.awaiting_reply_since,
      dueAt: row.due_at,
      overdue:
        row.status !== 'closed' &&
        row.due_at !== null &&
        row.awaiting_reply_since !== null &&
        row.due_at < now,
      unread,
      closedReason: row.closed_reason,
      changeCursor: row.change_cursor,
    };
  }

  /** `written`: the text of a message just written, by id, which need not be decrypted again. */
  async function toMessages(
    rows: repo.MessageWithSender[],
    written?: { id: string; body: string },
  ): Promise<Message[]> {
    const attachments = await repo.attachmentsOfMessages(
      db,
      rows.filter((r) => r.attachment_count > 0).map((r) => r.id),
    );
    return Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        conversationId: row.conversation_id,
        seq: row.seq,
        clientMessageId: row.client_message_id,
        sender: {
          side: row.sender_side,
          userId: row.sender_user_id,
          name: row.sender_first_name ? `${row.sender_first_name} ${row.sender_last_name}` : null,
          role: row.sender_kind,
        },
        kind: row.kind,
        body: row.id === written?.id ? written.body : await keys.decryptText(row.body, bodyAad(row.id)),
        emergencyKind: row.emergency_kind,
        attachments: await Promise.all(
          attachments
            .filter((a) => a.message_id === row.id)
            .map(async (a) => ({
              id: a.id,
              name: await keys.decryptText(a.name, attachmentNameAad(a.id)),
              contentType: a.content_type,
              size: a.size,
            })),
        ),
        createdAt: row.created_at,
      })),
    );
  }

  async function toRenewal(row: RenewalRow): Promise<Renewal> {
    const photo = row.photo_attachment_id
      ? await repo.findAttachment(db, row.photo_attachment_id)
      : undefined;
    return {
      id: row.id,
      details: JSON.parse(
        await keys.decryptText(row.details, `renewals.details:${row.id}`),
      ) as Renewal['details'],
      photo: photo
        ? {
            id: photo.id,
            name: await keys.decryptText(photo.name, attachmentNameAad(photo.id)),
            contentType: photo.content_type,
            size: photo.size,
          }
        : null,
      status: row.status,
      decisionReason: row.decision_reason
        ? await keys.decryptText(row.decision_reason, `renewals.decision_reason:${row.id}`)
        : null,
      pickup: row.pickup,
      decidedAt: row.decided_at,
    };
  }

  return { requireConversation, toSummary, toSummaries, toMessages, toRenewal };
}

export type ConversationAccess = ReturnType<typeof createConversationAccess>;
