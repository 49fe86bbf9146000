import type { Logger } from 'pino';
import type { Config } from './config';
import { createAccountsService } from './features/accounts/accounts.service';
import { createSessionsService } from './features/accounts/sessions.service';
import { createAppointmentsService } from './features/appointments/appointments.service';
import { createSchedulesService } from './features/appointments/schedules.service';
import { createAuditExportService } from './features/audit/audit-export.service';
import { createCampaignDeliveries } from './features/campaigns/campaign-deliveries';
import { createCampaignsService } from './features/campaigns/campaigns.service';
import { createClosureService } from './features/data-rights/closure.service';
import { createExportService } from './features/data-rights/export.service';
import { createFhirService } from './features/fhir/fhir.service';
import { createAttachmentsService } from './features/messaging/attachments.service';
import { createConversationAccess } from './features/messaging/conversation-access';
import { createConversationsService } from './features/messaging/conversations.service';
import { createInboxService } from './features/messaging/inbox.service';
import { createMessagingSettingsService } from './features/messaging/settings.service';
import { createTriageService } from './features/messaging/triage.service';
import { createNotificationsService } from './features/notifications/notifications.service';
import { createPushService } from './features/notifications/push.service';
import { createCareService } from './features/patients/care.service';
import { createPatientsService } from './features/patients/patients.service';
import { createPracticesService } from './features/practices/practices.service';
import { createPractitionersService } from './features/practitioners/practitioners.service';
import { createPresence } from './features/realtime/presence';
import { createSyncService } from './features/realtime/sync.service';
import { createTermsService } from './features/terms/terms.service';
import type { EventBus } from './platform/bus/bus';
import type { Clock } from './platform/clock/clock';
import type { Keyring } from './platform/crypto/keyring';
import { createGroupCommit } from './platform/db/group-commit';
import type { Store } from './platform/db/store';
import type { Mailer } from './platform/mail/mailer';
import type { Outbox } from './platform/outbox/outbox';

export interface ServiceDeps {
  config: Config;
  store: Store;
  keys: Keyring;
  outbox: Outbox;
  mailer: Mailer;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
}

/** Wires the feature services together once; the HTTP app and the CLI use the same graph. */
export function createServices(deps: ServiceDeps) {
  const { config, store, keys, outbox, mailer, bus, clock, logger } = deps;
  const accounts = createAccountsService({ store, outbox, mailer, clock, config, logger });
  const sessions = createSessionsService({ store, keys, clock, config, accounts });
  const practices = createPracticesService({ store, clock, accounts });
  const practitioners = createPractitionersService({ store, clock, accounts, practices });
  // Writers that may come in bursts share commits (see platform/db/group-commit).
  // On SQLite every write transaction takes the writer lock already (in the driver).
  const writes = createGroupCommit(store.db, store.dialect === 'postgres' ? { turn: store.writerLock } : {});
  const presence = createPresence({ store, clock, writes });
  const push = createPushService({ store, keys, clock, config, outbox, presence });
  const notifications = createNotificationsService({
    store,
    clock,
    config,
    outbox,
    accounts,
    practices,
    push,
  });
  const patients = createPatientsService({ store, clock, config, accounts });
  const care = createCareService({ store, clock, outbox, accounts, practices, patients });
  const schedules = createSchedulesService({ store, clock, practices });
  const appointments = createAppointmentsService({
    store,
    clock,
    accounts,
    practices,
    patients,
    care,
    schedules,
  });
  const terms = createTermsService({ store, clock });
  const messagingSettings = createMessagingSettingsService({ store, clock, practices, terms });
  const access = createConversationAccess({ store, keys, practices, clock });
  const conversations = createConversationsService({
    store,
    writes,
    keys,
    clock,
    bus,
    practices,
    patients,
    care,
    settings: messagingSettings,
    access,
    notifications,
  });
  const deliveries = createCampaignDeliveries({ store, keys, clock, writes });
  const inbox = createInboxService({
    store,
    writes,
    clock,
    practices,
    patients,
    access,
    openDeliveries: deliveries.open,
    publish: conversations.publish,
  });
  const triage = createTriageService({
    store,
    keys,
    clock,
    practices,
    patients,
    care,
    access,
    conversations,
  });
  const attachments = createAttachmentsService({ store, keys, clock, access });
  const sync = createSyncService({ store, practices, patients, access, openDeliveries: deliveries.open });
  const campaigns = createCampaignsService({
    store,
    keys,
    clock,
    practices,
    patients,
    notifications,
    bus,
    access,
  });
  const fhir = createFhirService({
    store,
    keys,
    clock,
    baseUrl: `${config.publicOrigin}/fhir/R4`,
    publicOrigin: config.publicOrigin,
    practices,
    patients,
    access,
    openDeliveries: deliveries.open,
  });
  const auditExport = createAuditExportService({ store, clock, practices });
  const exports = createExportService({
    store,
    keys,
    clock,
    logger,
    exportTtlMs: config.dataExportTtlMs,
    accounts,
    patients,
    appointments,
    inbox,
    attachments,
    notifications,
    fhirBundle: (auth, profileId, actor) => fhir.buildPatientRecordBundle(auth, profileId, actor),
  });
  const closure = createClosureService({
    store,
    clock,
    logger,
    retentionMs: config.retention.medicalRecordMs,
    publish: conversations.publish,
  });
  return {
    writes,
    accounts,
    sessions,
    practices,
    practitioners,
    patients,
    care,
    schedules,
    appointments,
    messagingSettings,
    conversations,
    inbox,
    triage,
    attachments,
    access,
    sync,
    notifications,
    push,
    presence,
    campaigns,
    fhir,
    auditExport,
    terms,
    exports,
    closure,
  };
}

export type Services = ReturnType<typeof createServices>;
