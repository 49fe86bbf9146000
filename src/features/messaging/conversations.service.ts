import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type {
  ConversationSummary,
  Eligibility,
  Message,
  SendMessageBody,
  StartConversationBody,
} from '../../contracts/messaging';
import { maySeeProfileItem } from '../../domain/care';
import {
  addWorkingDays,
  BOOKING_SUGGESTED,
  type Category,
  isAbsent,
  type MessagingSettings,
  mayReplyInCategory,
  refusalToReply,
  refusalToStart,
  statusAfterMessage,
} from '../../domain/messaging';
import { checkEmergency } from '../../domain/safety/detector';
import type { EventBus } from '../../platform/bus/bus';
import type { Clock } from '../../platform/clock/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import { executeTogether, isUniqueViolation } from '../../platform/db/dialect';
import type { Combine, GroupCommit } from '../../platform/db/group-commit';
import type { ConversationRow, Database, MessageRow } from '../../platform/db/schema';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, chainAuditEntries } from '../audit/audit.service';
import type { NotificationsService } from '../notifications/notifications.service';
import type { CareService } from '../patients/care.service';
import { type PatientsService, profileFacts } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';
import { bodyAad, type ConversationAccess, patientAccountsSeeing, subjectAad } from './conversation-access';
import * as repo from './messaging.repository';
import { type MessagingSettingsService, settingsFromStored } from './settings.service';

export interface ConversationsDeps {
  store: Store;
  /** Message writes share commits with concurrent ones (see platform/db/group-commit). */
  writes: GroupCommit;
  keys: Keyring;
  clock: Clock;
  bus: EventBus;
  practices: PracticesService;
  patients: PatientsService;
  care: CareService;
  settings: MessagingSettingsService;
  access: ConversationAccess;
  notifications: NotificationsService;
}

interface NewMessage {
  conversationId: string;
  senderUserId: string | null;
  side: MessageRow['sender_side'];
  kind: MessageRow['kind'];
  body: string;
  clientMessageId?: string | null;
  emergencyKind?: string | null;
  attachmentIds?: string[];
}

/** A message sent in an existing conversation, checked and ready to write. */
interface Send {
  append: Append;
  side: 'patient' | 'practice';
  /** The practitioner's settings and the practice's time zone: the absence auto-reply to a patient. */
  settings: MessagingSettings;
  timeZone: string;
  /** Patient accounts told of a practice message. */
  recipients: string[];
}

/** One message to append, with its audit trace and further changes to its conversation. */
interface Append {
  message: NewMessage;
  actor: Actor;
  audit: { practiceId: string; patientProfileId: string };
  /** Further changes to the conversation, decided from its state before this message, in the same update. */
  more?:
    | ((
        current: Pick<ConversationRow, 'status' | 'awaiting_reply_since'>,
        now: number,
      ) => Partial<ConversationRow>)
    | undefined;
}

export type ConversationsService = ReturnType<typeof createConversationsService>;

export function createConversationsService(deps: ConversationsDeps) {
  const { store, writes, keys, clock, bus, practices, patients, care, settings, access, notifications } =
    deps;
  const db = store.db;

  // The local day of each practice's time zone, computed once a day rather than on every patient message.
  const days = new Map<string, { start: number; end: number }>();
  const startOfDay = (timeZone: string) => {
    const now = clock.now();
    const known = days.get(timeZone);
    if (known && now >= known.start && now < known.end) return known.start;
    const day = DateTime.fromMillis(now, { zone: timeZone }).startOf('day');
    days.set(timeZone, { start: day.toMillis(), end: day.plus({ days: 1 }).toMillis() });
    return day.toMillis();
  };

  /**
   * Appends messages inside the caller's transaction, with the same statements for one or many: next
   * gap-free sequence number in each conversation (the rows are locked), encrypted bodies, attachments
   * claimed, the audit entries whose sequences become the change cursors, the senders' read markers.
   * `beforeChain` writes what needs only the new sequence numbers (notices): everything that does not
   * carry a change cursor is written before the audit chain's head is taken, which is then held from
   * one statement to the commit (see chainAuditEntries).
   */
  async function appendMessages(
    trx: Kysely<Database>,
    appends: readonly Append[],
    beforeChain?: (planned: readonly { conversationId: string; seq: number }[]) => Promise<void>,
  ): Promise<MessageRow[]> {
    if (appends.length === 0) return [];
    // Each row is locked (PostgreSQL) and read once: sequence and state come from the same version.
    const states = await repo.lockConversationStates(
      trx,
      [...new Set(appends.map((a) => a.message.conversationId))],
      store.dialect,
    );
    const now = clock.now();
    const planned = appends.map(({ message: m, more }) => {
      const current = states.get(m.conversationId);
      if (!current) throw new Error('conversation vanished before its message was written');
      // Further changes are decided from the state before this message, which includes earlier ones of the batch.
      const changes = more ? more(current, now) : {};
      const seq = current.last_seq + 1;
      Object.assign(current, changes, { last_seq: seq });
      const id = uuidv7();
      return { id, seq, changes, body: keys.encrypt(m.body, bodyAad(id)) };
    });
    const markers: repo.MarkerUpdate[] = [];
    appends.forEach(({ message: m }, index) => {
      if (m.senderUserId && m.side !== 'system')
        markers.push({
          conversationId: m.conversationId,
          userId: m.senderUserId,
          side: m.side,
          seq: planned[index]!.seq,
        });
    });
    await repo.upsertMarkers(trx, markers, now, store.dialect);
    await beforeChain?.(
      appends.map(({ message: m }, index) => ({
        conversationId: m.conversationId,
        seq: planned[index]!.seq,
      })),
    );
    const chain = await chainAuditEntries(
      trx,
      store.dialect,
      appends.map(({ message: m, actor, audit }, index) => ({
        actor,
        entry: {
          action: `message.${m.kind}`,
          targetType: 'message',
          targetId: planned[index]!.id,
          practiceId: audit.practiceId,
          patientProfileId: audit.patientProfileId,
          details: { conversationId: m.conversationId, seq: planned[index]!.seq },
        },
      })),
      now,
    );
    const rows = appends.map(({ message: m }, index): MessageRow => {
      const { id, seq, body } = planned[index]!;
      return {
        id,
        conversation_id: m.conversationId,
        seq,
        client_message_id: m.clientMessageId ?? null,
        sender_user_id: m.senderUserId,
        sender_side: m.side,
        kind: m.kind,
        body,
        emergency_kind: m.emergencyKind ?? null,
        attachment_count: m.attachmentIds?.length ?? 0,
        change_cursor: chain.seqs[index]!,
        created_at: now,
      };
    });
    const updates = new Map<string, Partial<ConversationRow>>();
    appends.forEach(({ message: m }, index) => {
      const row = rows[index]!;
      updates.set(m.conversationId, {
        ...updates.get(m.conversationId),
        ...planned[index]!.changes,
        last_seq: row.seq,
        last_message_at: now,
        change_cursor: row.change_cursor,
      });
    });
    await executeTogether(trx, store.dialect, [
      ...chain.statements,
      ...repo.messageInserts(store.dialect, rows),
      ...repo.conversationUpdates(trx, updates),
    ]);
    // Attachments point at their message: claimed once it is written.
    for (const [index, { message: m }] of appends.entries())
      if (m.attachmentIds?.length)
        await repo.attachToMessage(trx, m.attachmentIds, m.conversationId, rows[index]!.id);
    return rows;
  }

  async function appendMessage(
    trx: Kysely<Database>,
    message: NewMessage,
    actor: Actor,
    audit: Append['audit'],
    more?: Append['more'],
  ): Promise<MessageRow> {
    const [row] = await appendMessages(trx, [{ message, actor, audit, more }]);
    return row!;
  }

  async function checkAttachments(userId: string, ids: string[]) {
    const unique = [...new Set(ids)];
    const found = await repo.unattachedOf(db, userId, unique);
    if (found.length !== unique.length)
      throw new AppError('MISSIVE_VALIDATION', [{ path: 'attachmentIds', reason: 'unknown_or_used' }]);
    return unique;
  }

  /** The red-flag check on send: an emergency the patient has not explicitly dismissed stops the message. */
  function emergencyOf(auth: AuthContext, text: string, acknowledged: boolean): string | null {
    // Worded for the screen the patient is reading (see AuthContext.screenLocale).
    const result = checkEmergency(text, auth.screenLocale ?? auth.user.locale, auth.user.country);
    if (!result.emergency) return null;
    // The refusal carries the alert itself (situation and numbers), so the client needs no second call.
    if (!acknowledged)
      throw new AppError(
        'MISSIVE_EMERGENCY_DETECTED',
        [{ path: 'body', reason: result.kind ?? 'emergency' }],
        { emergency: { kind: result.kind ?? 'emergency', numbers: result.numbers } },
      );
    return result.kind;
  }

  /** While the practitioner is away, a patient's new message gets one automatic reply per conversation and absence. */
  async function autoReplyIfAbsent(
    trx: Kysely<Database>,
    conversationId: string,
    s: MessagingSettings,
    timeZone: string,
    audit: { practiceId: string; patientProfileId: string },
  ) {
    if (!isAbsent(s, clock.now(), timeZone) || !s.absence) return;
    const absenceStart = DateTime.fromISO(s.absence.from, { zone: timeZone }).startOf('day').toMillis();
    const already = await trx
      .selectFrom('messages')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('kind', '=', 'auto_reply')
      .where('created_at', '>=', absenceStart)
      .executeTakeFirst();
    if (already) return;
    let covering: string | null = null;
    if (s.absence.coveringPractitionerId) {
      const colleague = await trx
        .selectFrom('users')
        .select(['first_name', 'last_name'])
        .where('id', '=', s.absence.coveringPractitionerId)
        .executeTakeFirst();
      covering = colleague ? `${colleague.first_name} ${colleague.last_name}` : null;
    }
    const body = JSON.stringify({ until: s.absence.until, message: s.absence.message, covering });
    await appendMessage(
      trx,
      { conversationId, senderUserId: null, side: 'system', kind: 'auto_reply', body },
      { userId: null, role: 'system', ip: null, userAgent: null },
      audit,
    );
  }

  /** A practice message: notify the patient side (by mail after a delay, unless read meanwhile). */
  async function noticePatients(trx: Kysely<Database>, conversationId: string, seq: number): Promise<void> {
    const row = await repo.findConversation(trx, conversationId);
    if (row)
      await notifications.queueMessageNotices(trx, [
        { conversationId, seq, userIds: patientAccountsSeeing(row) },
      ]);
  }

  /**
   * Messages sent by their authors in existing conversations, many at once (see platform/db/group-commit):
   * the messages with, for the practice, the patients' notices, then for patients the absence auto-reply. (Two
   * messages of one patient in one conversation and one batch during an absence get the auto-reply after
   * both rather than between them.)
   */
  const sendMany: Combine<Send, MessageRow> = async (trx, sends) => {
    const rows = await appendMessages(
      trx,
      sends.map((send) => send.append),
      (planned) =>
        notifications.queueMessageNotices(
          trx,
          sends.flatMap((send, index) =>
            send.side === 'practice' ? [{ ...planned[index]!, userIds: send.recipients }] : [],
          ),
        ),
    );
    for (const send of sends)
      if (send.side === 'patient')
        await autoReplyIfAbsent(
          trx,
          send.append.message.conversationId,
          send.settings,
          send.timeZone,
          send.append.audit,
        );
    return rows;
  };

  async function publish(
    row: {
      id: string;
      practice_id: string;
      patient_profile_id: string;
      /** Known when the row comes with its profile (conversation summaries): saves a lookup. */
      profile_owner_user_id?: string | null;
      profile_user_id?: string | null;
    },
    type: string,
    cursor: number,
  ) {
    const profile =
      row.profile_owner_user_id !== undefined
        ? { owner_user_id: row.profile_owner_user_id, user_id: row.profile_user_id ?? null }
        : await patients.findProfile(row.patient_profile_id);
    const userIds = [profile?.owner_user_id, profile?.user_id].filter((id): id is string => Boolean(id));
    await bus.publish({
      type,
      conversationId: row.id,
      practiceIds: [row.practice_id],
      userIds: [...new Set(userIds)],
      cursor,
    });
  }

  async function eligibility(
    auth: AuthContext,
    practitionerId: string,
    practiceId: string,
    patientProfileId: string,
    category: Category | null,
  ) {
    const profile = await patients.requireProfile(auth.user.id, patientProfileId);
    const practice = await practices.findPractice(practiceId);
    if (!practice) throw new AppError('MISSIVE_NOT_FOUND');
    const s = await settings.settingsOf(practitionerId, practiceId);
    const [lastConsultation, openConversations, messagesToday] = await Promise.all([
      care.lastConsultation(profile.id, practitionerId, practiceId),
      repo.countOpenConversations(db, [profile.id], practitionerId),
      repo.countMessagesSince(db, auth.user.id, startOfDay(practice.time_zone)),
    ]);
    // Confidential mode: a parent cannot lean on a consultation their teenager had after taking their own
    // account (nor learn of it through this answer).
    const lastConsultationAt =
      lastConsultation !== null &&
      maySeeProfileItem(auth.user.id, profileFacts(profile), {
        createdByUserId: practitionerId,
        createdAt: lastConsultation,
      })
        ? lastConsultation
        : null;
    const reason = refusalToStart({
      settings: s,
      lastConsultationAt,
      forRelative: profile.user_id !== auth.user.id,
      category,
      openConversations,
      messagesToday,
      now: clock.now(),
    });
    return { profile, practice, settings: s, reason };
  }

  /** The answer to a retried start: the conversation and message created by the first attempt. */
  async function replayOf(auth: AuthContext, message: MessageRow) {
    const { row } = await access.requireConversation(auth, message.conversation_id);
    const [mapped] = await access.toMessages([await repo.findMessage(db, message.id)]);
    return { conversation: await access.toSummary(row, 0), message: mapped!, created: false };
  }

  return {
    /** What the patient sees before writing: may they write, which categories, expected response times, absence. */
    async checkEligibility(
      auth: AuthContext,
      query: { practitionerId: string; practiceId: string; patientProfileId: string },
    ): Promise<Eligibility> {
      const { settings: s, reason } = await eligibility(
        auth,
        query.practitionerId,
        query.practiceId,
        query.patientProfileId,
        null,
      );
      let absence: Eligibility['absence'] = null;
      const practice = (await practices.findPractice(query.practiceId))!;
      if (s.absence && isAbsent(s, clock.now(), practice.time_zone)) {
        const covering = s.absence.coveringPractitionerId
          ? await practices.findMember(query.practiceId, s.absence.coveringPractitionerId)
          : undefined;
        const coveringUser = covering
          ? await db
              .selectFrom('users')
              .select(['first_name', 'last_name'])
              .where('id', '=', covering.user_id)
              .executeTakeFirst()
          : undefined;
        absence = {
          until: s.absence.until,
          message: s.absence.message,
          coveringPractitionerName: coveringUser
            ? `${coveringUser.first_name} ${coveringUser.last_name}`
            : null,
        };
      }
      return {
        eligible: reason === null,
        reason,
        bookingPath:
          reason && BOOKING_SUGGESTED.has(reason)
            ? `/book/${query.practiceId}/${query.practitionerId}`
            : null,
        categories: (Object.entries(s.categories) as [Category, { enabled: boolean; responseDays: number }][])
          .filter(([, c]) => c.enabled)
          .map(([category, c]) => ({ category, responseDays: c.responseDays })),
        absence,
      };
    },

    /** A patient starts a conversation with one of their practitioners; every rule is checked here, on the server. */
    async start(
      auth: AuthContext,
      body: StartConversationBody,
      actor: Actor,
    ): Promise<{ conversation: ConversationSummary; message: Message; created: boolean }> {
      if (auth.user.kind !== 'patient') throw new AppError('MISSIVE_NOT_FOUND');
      const replay = await repo.findMessageByClientId(db, auth.user.id, body.clientMessageId);
      if (replay) return replayOf(auth, replay);
      const {
        profile,
        practice,
        settings: s,
        reason,
      } = await eligibility(auth, body.practitionerId, body.practiceId, body.patientProfileId, body.category);
      if (reason) throw new AppError(reason);
      if ((body.category === 'renewal') !== Boolean(body.renewal))
        throw new AppError('MISSIVE_RENEWAL_DETAILS_REQUIRED', [
          { path: 'renewal', reason: body.category === 'renewal' ? 'required' : 'only_for_renewals' },
        ]);
      const emergencyKind = emergencyOf(auth, `${body.subject}\n${body.body}`, body.emergencyAcknowledged);
      const photo = body.renewal?.photoAttachmentId ? [body.renewal.photoAttachmentId] : [];
      const attachmentIds = await checkAttachments(auth.user.id, [...body.attachmentIds, ...photo]);
      const now = clock.now();
      const id = uuidv7();
      const audit = { practiceId: body.practiceId, patientProfileId: profile.id };
      let cursor = 0;
      let messageId = '';
      try {
        await writes.run(async (trx) => {
          const conversation: ConversationRow = {
            id,
            practice_id: body.practiceId,
            practitioner_user_id: body.practitionerId,
            patient_profile_id: profile.id,
            created_by_user_id: auth.user.id,
            origin: 'patient',
            category: body.category,
            subject: keys.encrypt(body.subject, subjectAad(id)),
            status: 'open',
            assignee_user_id: null,
            patient_may_reply: 1,
            emergency_flagged_at: emergencyKind ? now : null,
            last_seq: 0,
            last_message_at: now,
            awaiting_reply_since: now,
            due_at: addWorkingDays(now, s.categories[body.category].responseDays, practice.time_zone),
            closed_at: null,
            closed_reason: null,
            change_cursor: 0,
            created_at: now,
          };
          await repo.insertConversation(trx, conversation);
          const message = await appendMessage(
            trx,
            {
              conversationId: id,
              senderUserId: auth.user.id,
              side: 'patient',
              kind: body.renewal ? 'renewal_request' : 'text',
              body: body.body,
              clientMessageId: body.clientMessageId,
              emergencyKind,
              attachmentIds,
            },
            actor,
            audit,
          );
          cursor = message.change_cursor;
          messageId = message.id;
          if (body.renewal) {
            const { photoAttachmentId, ...details } = body.renewal;
            const renewalId = uuidv7();
            await repo.insertRenewal(trx, {
              id: renewalId,
              conversation_id: id,
              patient_profile_id: profile.id,
              practitioner_user_id: body.practitionerId,
              details: keys.encrypt(JSON.stringify(details), `renewals.details:${renewalId}`),
              photo_attachment_id: photoAttachmentId ?? null,
              status: 'pending',
              decision_reason: null,
              pickup: null,
              decided_by_user_id: null,
              decided_at: null,
              created_at: now,
            });
          }
          await autoReplyIfAbsent(trx, id, s, practice.time_zone, audit);
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          const raced = await repo.findMessageByClientId(db, auth.user.id, body.clientMessageId);
          if (raced) return replayOf(auth, raced);
        }
        throw error;
      }
      const row = (await repo.findConversation(db, id))!;
      await publish(row, 'conversation.created', cursor);
      const [message] = await access.toMessages([await repo.findMessage(db, messageId)]);
      return { conversation: await access.toSummary(row, 0), message: message!, created: true };
    },

    /** Sends a message in an existing conversation, idempotently: a retry with the same client id returns the original. */
    async send(
      auth: AuthContext,
      conversationId: string,
      body: SendMessageBody,
      actor: Actor,
    ): Promise<{ message: Message; created: boolean }> {
      const { row, viewer } = await access.requireConversation(auth, conversationId);
      const context = await repo.sendContext(db, {
        senderUserId: auth.user.id,
        clientMessageId: body.clientMessageId,
        practitionerId: row.practitioner_user_id,
        practiceId: row.practice_id,
        countSince: viewer.side === 'patient' ? startOfDay(row.time_zone) : null,
      });
      if (context.replayId) {
        const replay = await repo.findMessage(db, context.replayId);
        if (replay.conversation_id !== conversationId) throw new AppError('MISSIVE_CLIENT_ID_REUSED');
        return { message: (await access.toMessages([replay]))[0]!, created: false };
      }
      const s = settingsFromStored(context.settings);
      let emergencyKind: string | null = null;
      if (viewer.side === 'patient') {
        const messagesToday = context.sentToday;
        const refusal = refusalToReply({
          status: row.status,
          patientMayReply: row.patient_may_reply === 1,
          settings: s,
          messagesToday,
        });
        if (refusal) throw new AppError(refusal);
        emergencyKind = emergencyOf(auth, body.body, body.emergencyAcknowledged);
      } else {
        if (row.closed_reason === 'account_closed') throw new AppError('MISSIVE_PATIENT_ACCOUNT_CLOSED');
        if (row.status === 'closed') throw new AppError('MISSIVE_CONVERSATION_CLOSED');
        if (!mayReplyInCategory(viewer.role, row.category)) throw new AppError('MISSIVE_PRACTITIONERS_ONLY');
      }
      const attachmentIds = await checkAttachments(auth.user.id, body.attachmentIds);
      let message: MessageRow;
      try {
        message = await writes.runCombined(sendMany, {
          append: {
            message: {
              conversationId,
              senderUserId: auth.user.id,
              side: viewer.side,
              kind: 'text',
              body: body.body,
              clientMessageId: body.clientMessageId,
              emergencyKind,
              attachmentIds,
            },
            actor,
            audit: { practiceId: row.practice_id, patientProfileId: row.patient_profile_id },
            more: (fresh, now) => {
              const changes: Partial<ConversationRow> = {
                status: statusAfterMessage(fresh.status, viewer.side),
              };
              if (viewer.side === 'patient') {
                if (fresh.awaiting_reply_since === null) {
                  changes.awaiting_reply_since = now;
                  changes.due_at = addWorkingDays(
                    now,
                    s.categories[row.category].responseDays,
                    row.time_zone,
                  );
                }
                if (emergencyKind) changes.emergency_flagged_at = now;
              } else {
                changes.awaiting_reply_since = null;
                changes.due_at = null;
              }
              return changes;
            },
          },
          side: viewer.side,
          settings: s,
          timeZone: row.time_zone,
          recipients: viewer.side === 'practice' ? patientAccountsSeeing(row) : [],
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          const raced = await repo.findMessageByClientId(db, auth.user.id, body.clientMessageId);
          if (raced?.conversation_id === conversationId)
            return {
              message: (await access.toMessages([await repo.findMessage(db, raced.id)]))[0]!,
              created: false,
            };
        }
        throw error;
      }
      await publish(row, 'message.created', message.change_cursor);
      // The answer is made from what was just written and who wrote it, without reading it back.
      const written: repo.MessageWithSender = {
        ...message,
        sender_first_name: auth.user.first_name,
        sender_last_name: auth.user.last_name,
        sender_kind: viewer.side === 'practice' ? viewer.role : auth.user.kind,
      };
      return {
        message: (await access.toMessages([written], { id: message.id, body: body.body }))[0]!,
        created: true,
      };
    },

    appendMessage,
    publish,
    noticePatients,
  };
}
