import type { Logger } from 'pino';
import type { DataExport } from '../../contracts/data-rights';
import type { Clock } from '../../platform/clock/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import { verifyDecoyPassword, verifyPassword } from '../../platform/crypto/passwords';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { AccountsService } from '../accounts/accounts.service';
import type { AuthContext } from '../accounts/sessions.service';
import type { AppointmentsService } from '../appointments/appointments.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import type { AttachmentsService } from '../messaging/attachments.service';
import type { InboxService } from '../messaging/inbox.service';
import type { NotificationsService } from '../notifications/notifications.service';
import type { PatientsService } from '../patients/patients.service';
import * as repo from './data-rights.repository';
import { type ArchiveEntry, buildArchive, jsonEntry, safeFileName } from './export-archive';

export interface ExportDeps {
  store: Store;
  keys: Keyring;
  clock: Clock;
  logger: Logger;
  exportTtlMs: number;
  accounts: AccountsService;
  patients: PatientsService;
  appointments: AppointmentsService;
  inbox: InboxService;
  attachments: AttachmentsService;
  notifications: NotificationsService;
  /** Builds a profile's FHIR R4 Bundle (the FHIR service's), added to the archive beside the JSON. */
  fhirBundle: (auth: AuthContext, profileId: string, actor: Actor) => Promise<unknown>;
}

const archiveAad = (id: string) => `data_exports.archive:${id}`;
const PAGE = 200;

/** Checks the account's password again before a sensitive action (export, closure). */
export async function reauthenticate(store: Store, userId: string, password: string): Promise<void> {
  const user = await repo.findUser(store.db, userId);
  let valid = false;
  if (user?.password_hash) valid = await verifyPassword(user.password_hash, password);
  else await verifyDecoyPassword(password);
  if (!valid) throw new AppError('MISSIVE_INVALID_CREDENTIALS', [{ path: 'password', reason: 'incorrect' }]);
}

type ExportRow = NonNullable<Awaited<ReturnType<typeof repo.findExport>>>;

function toDataExport(row: Omit<ExportRow, 'user_id' | 'session_id'>): DataExport {
  return {
    id: row.id,
    status: row.status,
    progress: row.progress,
    total: row.total,
    size: row.size,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    expiresAt: row.expires_at,
  };
}

export type ExportService = ReturnType<typeof createExportService>;

/**
 * A patient's copy of all their data (GDPR right of access and portability), built in the background into
 * an encrypted ZIP of JSON files and attachments, downloadable once by the session that re-authenticated.
 */
export function createExportService(deps: ExportDeps) {
  const { store, keys, clock, logger } = deps;
  const db = store.db;
  const running = new Set<Promise<void>>();

  /** Gathers every entry of the archive, reporting progress as it goes. */
  async function collectEntries(
    auth: AuthContext,
    actor: Actor,
    report: (done: number, total: number) => Promise<void>,
  ): Promise<ArchiveEntry[]> {
    const userId = auth.user.id;
    const [user, relatives, appointments, conversations, preferences, terms, events] = await Promise.all([
      deps.accounts.getUser(userId),
      deps.patients.list(auth),
      deps.appointments.mine(auth),
      deps.inbox.listForPatient(auth),
      deps.notifications.getPreferences(auth),
      repo.termsAcceptances(db, userId),
      repo.accountEvents(db, userId),
    ]);
    const total = conversations.length + 1;
    let done = 0;
    await report(done, total);
    const entries: ArchiveEntry[] = [
      jsonEntry('profile.json', {
        account: { ...user, createdAt: auth.user.created_at },
        notificationPreferences: preferences,
        termsAccepted: terms.map((t) => ({ kind: t.kind, version: t.version, acceptedAt: t.accepted_at })),
      }),
      jsonEntry('relatives.json', relatives),
      jsonEntry('appointments.json', appointments),
    ];
    const accessHistory: unknown[] = [];
    const attachmentIndex: unknown[] = [];
    for (const summary of conversations) {
      const detail = await deps.inbox.detail(auth, summary.id, actor);
      const messages = [];
      let after = 0;
      for (;;) {
        const page = await deps.inbox.messages(auth, summary.id, { after, limit: PAGE }, actor);
        messages.push(...page.messages);
        const last = page.messages.at(-1);
        if (!page.hasMore || !last) break;
        after = last.seq;
      }
      for (const message of messages) {
        for (const attachment of message.attachments) {
          const file = await deps.attachments.download(auth, attachment.id, actor);
          const path = `attachments/${attachment.id}-${safeFileName(file.name)}`;
          entries.push({ path, content: new Uint8Array(file.data) });
          attachmentIndex.push({
            id: attachment.id,
            conversationId: summary.id,
            messageSeq: message.seq,
            name: file.name,
            contentType: file.contentType,
            size: attachment.size,
            path,
          });
        }
      }
      entries.push(
        jsonEntry(`conversations/${summary.id}.json`, {
          conversation: detail.conversation,
          renewal: detail.renewal,
          messages,
        }),
      );
      const access = await deps.inbox.accessLog(auth, summary.id);
      accessHistory.push({ conversationId: summary.id, entries: access.entries });
      done += 1;
      await report(done, total);
    }
    entries.push(jsonEntry('attachments.json', attachmentIndex));
    entries.push(
      jsonEntry('access-history.json', {
        conversations: accessHistory,
        account: events.map((e) => ({
          at: e.at,
          action: e.action,
          role: e.actor_role,
          ip: e.ip,
          userAgent: e.user_agent,
        })),
      }),
    );
    // The same record as FHIR R4 Bundles (Patient, RelatedPerson, Appointment, Communication…), one per
    // profile the account holds or manages, for importing into another system.
    const profiles = await db
      .selectFrom('patient_profiles')
      .select('id')
      .where((eb) => eb.or([eb('owner_user_id', '=', userId), eb('user_id', '=', userId)]))
      .orderBy('id')
      .execute();
    for (const profile of profiles) {
      try {
        entries.push(jsonEntry(`fhir/${profile.id}.json`, await deps.fhirBundle(auth, profile.id, actor)));
      } catch (error) {
        // A profile this account may no longer see (a teenager's, since they took their own account).
        if (!(error instanceof AppError && error.code === 'MISSIVE_NOT_FOUND')) throw error;
      }
    }
    entries.push({
      path: 'README.txt',
      content: [
        'Missive: a copy of your data',
        '',
        'profile.json          your account, notification choices and accepted terms',
        'relatives.json        the relatives whose care you manage',
        'appointments.json     your and your relatives’ appointments',
        'conversations/*.json  each conversation with its messages, in clear',
        'attachments/          the files sent in those conversations',
        'attachments.json      which file belongs to which message',
        'access-history.json   who at the practice opened each conversation, and your account’s sign-ins',
        'fhir/*.json           the same record as FHIR R4 Bundles, one per person, for other health software',
        '',
        'Times are milliseconds since 1 January 1970 (UTC).',
        '',
      ].join('\n'),
    });
    return entries;
  }

  async function build(exportId: string, auth: AuthContext, actor: Actor): Promise<void> {
    try {
      let steps = 0;
      const entries = await collectEntries(auth, actor, (progress, total) => {
        steps = total;
        return repo.updateExport(db, exportId, { progress, total });
      });
      const archive = buildArchive(entries);
      const now = clock.now();
      await repo.updateExport(db, exportId, {
        status: 'ready',
        // The last step is packing the archive itself.
        progress: steps,
        archive: keys.encrypt(archive, archiveAad(exportId)),
        size: archive.length,
        completed_at: now,
      });
    } catch (err) {
      // The error's message may name a file; only its kind is logged.
      logger.warn({ err: { name: (err as Error)?.name } }, 'data export failed');
      await repo
        .updateExport(db, exportId, { status: 'failed', completed_at: clock.now() })
        .catch(() => undefined);
    }
  }

  return {
    /** Starts an export after checking the password again; returns at once with its progress. */
    async request(auth: AuthContext, password: string, actor: Actor): Promise<DataExport> {
      await reauthenticate(store, auth.user.id, password);
      const now = clock.now();
      const row = {
        id: uuidv7(),
        user_id: auth.user.id,
        session_id: auth.sessionId,
        status: 'building' as const,
        progress: 0,
        total: 0,
        archive: null,
        size: null,
        created_at: now,
        completed_at: null,
        expires_at: now + deps.exportTtlMs,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insertExport(trx, row);
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'data_export.requested', targetType: 'data_export', targetId: row.id },
          now,
        );
      });
      const job = build(row.id, auth, actor);
      running.add(job);
      void job.finally(() => running.delete(job));
      return toDataExport(row);
    },

    async list(auth: AuthContext): Promise<DataExport[]> {
      return (await repo.listExports(db, auth.user.id)).map(toDataExport);
    },

    async get(auth: AuthContext, exportId: string): Promise<DataExport> {
      const row = await repo.findExport(db, exportId, auth.user.id);
      if (!row) throw new AppError('MISSIVE_NOT_FOUND');
      return toDataExport(row);
    },

    /** The archive, for the session that re-authenticated to ask for it, while it has not expired. */
    async download(auth: AuthContext, exportId: string, actor: Actor): Promise<Uint8Array> {
      const row = await repo.findExport(db, exportId, auth.user.id);
      const now = clock.now();
      if (!row || row.expires_at <= now) throw new AppError('MISSIVE_NOT_FOUND');
      if (row.session_id !== auth.sessionId) throw new AppError('MISSIVE_REAUTHENTICATION_REQUIRED');
      if (row.status !== 'ready') throw new AppError('MISSIVE_EXPORT_NOT_READY');
      const stored = await repo.readArchive(db, exportId);
      if (!stored?.archive) throw new AppError('MISSIVE_EXPORT_NOT_READY');
      const archive = await keys.decrypt(stored.archive, archiveAad(exportId));
      await db.transaction().execute((trx) =>
        appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'data_export.downloaded',
            targetType: 'data_export',
            targetId: exportId,
            details: { size: archive.length },
          },
          now,
        ),
      );
      return archive;
    },

    async purgeExpired(): Promise<void> {
      await repo.deleteExpiredExports(db, clock.now());
    },

    /** Resolves when every export started so far is finished (tests, shutdown). */
    async settled(): Promise<void> {
      await Promise.all([...running]);
    },

    collectEntries,
  };
}
