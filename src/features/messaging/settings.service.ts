import type { MessagingSettingsBody } from '../../contracts/messaging';
import { DEFAULT_SETTINGS, type MessagingSettings } from '../../domain/messaging';
import type { Clock } from '../../platform/clock/clock';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import type { PracticesService } from '../practices/practices.service';
import type { TermsService } from '../terms/terms.service';
import * as repo from './messaging.repository';

export interface MessagingSettingsDeps {
  store: Store;
  clock: Clock;
  practices: PracticesService;
  terms: TermsService;
}

/** A practitioner's settings as stored (absent: the defaults, messaging closed). */
export function settingsFromStored(stored: string | null): MessagingSettings {
  return stored
    ? { ...DEFAULT_SETTINGS, ...(JSON.parse(stored) as Partial<MessagingSettings>) }
    : DEFAULT_SETTINGS;
}

export type MessagingSettingsService = ReturnType<typeof createMessagingSettingsService>;

/** Each practitioner's messaging controls (closed by default), and reply templates. */
export function createMessagingSettingsService(deps: MessagingSettingsDeps) {
  const { store, clock, practices, terms } = deps;
  const db = store.db;

  async function settingsOf(practitionerId: string, practiceId: string): Promise<MessagingSettings> {
    const row = await repo.findSettings(db, practitionerId, practiceId);
    return settingsFromStored(row?.settings ?? null);
  }

  /** Practitioners set their own controls; practice admins may set them for the practice's practitioners. */
  async function requireSettingsAccess(auth: AuthContext, practiceId: string, practitionerId: string) {
    const member = await practices.requireMember(auth, practiceId);
    if (auth.user.id !== practitionerId && member.is_admin !== 1) throw new AppError('MISSIVE_NOT_FOUND');
    const target = await practices.findMember(practiceId, practitionerId);
    if (target?.role !== 'practitioner') throw new AppError('MISSIVE_NOT_FOUND');
  }

  return {
    settingsOf,

    async get(auth: AuthContext, practiceId: string, practitionerId: string): Promise<MessagingSettings> {
      await requireSettingsAccess(auth, practiceId, practitionerId);
      return settingsOf(practitionerId, practiceId);
    },

    async update(
      auth: AuthContext,
      practiceId: string,
      practitionerId: string,
      body: MessagingSettingsBody,
      actor: Actor,
    ): Promise<MessagingSettings> {
      await requireSettingsAccess(auth, practiceId, practitionerId);
      // Opening messaging binds the practitioner to the practitioner terms: they must have accepted the
      // version in force (a practice admin opening it for a colleague needs the colleague's acceptance).
      if (body.open && !(await settingsOf(practitionerId, practiceId)).open)
        await terms.requireAccepted(practitionerId, 'practitioner');
      if (body.absence) {
        if (body.absence.until < body.absence.from)
          throw new AppError('MISSIVE_VALIDATION', [{ path: 'absence.until', reason: 'before_start' }]);
        const covering = body.absence.coveringPractitionerId;
        if (covering) {
          const colleague = await practices.findMember(practiceId, covering);
          if (colleague?.role !== 'practitioner' || covering === practitionerId) {
            throw new AppError('MISSIVE_VALIDATION', [
              { path: 'absence.coveringPractitionerId', reason: 'not_a_colleague' },
            ]);
          }
        }
      }
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.saveSettings(trx, practitionerId, practiceId, JSON.stringify(body), now);
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'messaging.settings_updated',
            targetType: 'practitioner',
            targetId: practitionerId,
            practiceId,
            details: { open: body.open },
          },
          now,
        );
      });
      return settingsOf(practitionerId, practiceId);
    },

    async listTemplates(auth: AuthContext, practiceId: string) {
      await practices.requireRight(auth, practiceId, 'messaging');
      const rows = await repo.listTemplates(db, practiceId, auth.user.id);
      return rows.map((r) => ({ id: r.id, title: r.title, body: r.body, shared: r.owner_user_id === null }));
    },

    async createTemplate(
      auth: AuthContext,
      practiceId: string,
      body: { title: string; body: string; shared: boolean },
    ) {
      const member = await practices.requireRight(auth, practiceId, 'messaging');
      // Practice-wide templates are the practice admins' to write.
      if (body.shared && member.is_admin !== 1) throw new AppError('MISSIVE_NOT_FOUND');
      const row = {
        id: uuidv7(),
        practice_id: practiceId,
        owner_user_id: body.shared ? null : auth.user.id,
        title: body.title,
        body: body.body,
        created_at: clock.now(),
      };
      await repo.insertTemplate(db, row);
      return { id: row.id, title: row.title, body: row.body, shared: body.shared };
    },

    async deleteTemplate(auth: AuthContext, practiceId: string, templateId: string) {
      const member = await practices.requireRight(auth, practiceId, 'messaging');
      const template = await repo.findTemplate(db, practiceId, templateId);
      const allowed =
        template &&
        (template.owner_user_id === auth.user.id ||
          (template.owner_user_id === null && member.is_admin === 1));
      if (!allowed) throw new AppError('MISSIVE_NOT_FOUND');
      await repo.deleteTemplate(db, templateId);
    },
  };
}
