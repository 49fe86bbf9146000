import type { Attachment } from '../../contracts/messaging';
import { cleanFileName, MAX_ATTACHMENT_BYTES, sniffAttachmentType } from '../../domain/attachments';
import type { Clock } from '../../platform/clock/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import { attachmentDataAad, attachmentNameAad, type ConversationAccess } from './conversation-access';
import * as repo from './messaging.repository';

export type AttachmentsService = ReturnType<typeof createAttachmentsService>;

/** Files joined to messages: uploaded first (type checked by content, encrypted), then referenced by a message. */
export function createAttachmentsService(deps: {
  store: Store;
  keys: Keyring;
  clock: Clock;
  access: ConversationAccess;
}) {
  const { store, keys, clock, access } = deps;
  const db = store.db;

  return {
    async upload(auth: AuthContext, data: Buffer, declaredName: string): Promise<Attachment> {
      if (data.length === 0) throw new AppError('MISSIVE_ATTACHMENT_REFUSED');
      if (data.length > MAX_ATTACHMENT_BYTES) throw new AppError('MISSIVE_ATTACHMENT_TOO_LARGE');
      // The name and the declared type are not trusted: only the first bytes decide.
      const type = sniffAttachmentType(data);
      if (!type) throw new AppError('MISSIVE_ATTACHMENT_REFUSED');
      const id = uuidv7();
      const name = cleanFileName(declaredName, type);
      await repo.insertAttachment(db, {
        id,
        owner_user_id: auth.user.id,
        conversation_id: null,
        message_id: null,
        content_type: type,
        size: data.length,
        name: keys.encrypt(name, attachmentNameAad(id)),
        data: keys.encrypt(data, attachmentDataAad(id)),
        created_at: clock.now(),
      });
      return { id, name, contentType: type, size: data.length };
    },

    /** A file of a message the caller may see (or their own upload not yet sent). */
    async download(auth: AuthContext, attachmentId: string, actor: Actor) {
      const row = await repo.findAttachment(db, attachmentId);
      if (!row) throw new AppError('MISSIVE_NOT_FOUND');
      if (row.conversation_id) {
        const { row: conversation } = await access.requireConversation(auth, row.conversation_id);
        await db.transaction().execute((trx) =>
          appendAudit(
            trx,
            store.dialect,
            actor,
            {
              action: 'attachment.downloaded',
              targetType: 'attachment',
              targetId: row.id,
              practiceId: conversation.practice_id,
              patientProfileId: conversation.patient_profile_id,
            },
            clock.now(),
          ),
        );
      } else if (row.owner_user_id !== auth.user.id) {
        throw new AppError('MISSIVE_NOT_FOUND');
      }
      return {
        contentType: row.content_type,
        name: await keys.decryptText(row.name, attachmentNameAad(row.id)),
        data: await keys.decrypt(row.data, attachmentDataAad(row.id)),
      };
    },
  };
}
