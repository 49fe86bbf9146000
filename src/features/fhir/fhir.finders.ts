import type { FhirSearchType } from '../../contracts/fhir';
import {
  type FhirResource,
  type Party,
  toFhirAppointment,
  toFhirAuditEvent,
  toFhirCommunicationRequest,
  toFhirMedicationRequest,
  toFhirMessage,
  toFhirPatient,
  toFhirPractitioner,
  toFhirRelatedPerson,
  toFhirThread,
} from '../../domain/fhir/resources';
import { comparePositions, type PagePosition, type TimeRange } from '../../domain/fhir/search';
import type { Keyring } from '../../platform/crypto/keyring';
import type { Store } from '../../platform/db/store';
import type { AuthContext } from '../accounts/sessions.service';
import { campaignBodyAad, campaignTitleAad } from '../campaigns/campaign-deliveries';
import { type ConversationAccess, subjectAad } from '../messaging/conversation-access';
import * as repo from './fhir.repository';
import type { FhirScopes } from './fhir.scopes';

/** One resource found, with where it sorts and whose data it is (for the audit trail). */
export interface Found {
  resource: FhirResource;
  position: PagePosition;
  practiceId: string | null;
  profileId: string | null;
}

/** One page of a search: after a position, at most `limit` entries (finders return one more when there are). */
export interface Query {
  after: PagePosition | null;
  limit: number;
  ids?: string[] | undefined;
  patientProfileId?: string | undefined;
  range?: TimeRange | undefined;
  partOf?: string | undefined;
}

export type FhirFinders = ReturnType<typeof createFhirFinders>;

/** One search per resource type: the caller's scope, the query, then the mapping to FHIR. */
export function createFhirFinders(deps: {
  store: Store;
  keys: Keyring;
  publicOrigin: string;
  access: ConversationAccess;
  scopes: FhirScopes;
}) {
  const { store, keys, publicOrigin, access, scopes } = deps;
  const db = store.db;
  const { practicesWith, profileScope, conversationScope, appointmentScope, practitionerScope, auditScope } =
    scopes;

  async function findPatients(
    auth: AuthContext,
    q: Query,
    scope?: { profileIds: string[] },
  ): Promise<Found[]> {
    const rows = await repo.searchProfiles(db, scope ?? (await profileScope(auth)), q);
    return rows.map((row) => ({
      resource: toFhirPatient({
        id: row.id,
        firstName: row.first_name,
        lastName: row.last_name,
        birthDate: row.birth_date,
        sex: row.sex,
        updatedAt: row.updated_at,
      }),
      position: { key: row.created_at, id: row.id },
      practiceId: null,
      profileId: row.id,
    }));
  }

  async function findRelatedPersons(
    auth: AuthContext,
    q: Query,
    scope?: { profileIds: string[] },
  ): Promise<Found[]> {
    const rows = await repo.searchProfiles(db, scope ?? (await profileScope(auth)), q, true);
    return rows.map((row) => ({
      resource: toFhirRelatedPerson({
        profileId: row.id,
        relationship: row.relationship === 'child' ? 'child' : 'dependent',
        holderFirstName: row.holder_first_name,
        holderLastName: row.holder_last_name,
        updatedAt: row.updated_at,
      }),
      position: { key: row.created_at, id: row.id },
      practiceId: null,
      profileId: row.id,
    }));
  }

  async function findPractitioners(
    auth: AuthContext,
    q: Query,
    scope?: { userIds: string[] },
  ): Promise<Found[]> {
    const rows = await repo.searchPractitioners(db, scope ?? (await practitionerScope(auth)), q);
    return rows.map((row) => ({
      resource: toFhirPractitioner({
        id: row.id,
        firstName: row.first_name,
        lastName: row.last_name,
        rpps: row.rpps,
        specialty: row.specialty,
        verified: row.verified_at !== null,
      }),
      position: { key: row.created_at, id: row.id },
      practiceId: null,
      profileId: null,
    }));
  }

  async function findAppointments(auth: AuthContext, q: Query): Promise<Found[]> {
    const rows = await repo.searchAppointments(db, await appointmentScope(auth), q);
    return rows.map((row) => ({
      resource: toFhirAppointment({
        id: row.id,
        patientProfileId: row.patient_profile_id,
        patientName: `${row.patient_first_name} ${row.patient_last_name}`,
        practitionerId: row.practitioner_user_id,
        practitionerName: `${row.practitioner_first_name} ${row.practitioner_last_name}`,
        practiceName: row.practice_name,
        startsAt: row.starts_at,
        endsAt: row.ends_at,
        status: row.status,
        cancelReason: row.cancel_reason,
        createdAt: row.created_at,
      }),
      position: { key: row.starts_at, id: row.id },
      practiceId: row.practice_id,
      profileId: row.patient_profile_id,
    }));
  }

  async function threadToFound(row: repo.ThreadRow): Promise<Found> {
    return {
      resource: toFhirThread({
        id: row.id,
        patientProfileId: row.patient_profile_id,
        patientName: `${row.patient_first_name} ${row.patient_last_name}`,
        practitionerId: row.practitioner_user_id,
        practitionerName: `${row.practitioner_first_name} ${row.practitioner_last_name}`,
        category: row.category,
        subject: await keys.decryptText(row.subject, subjectAad(row.id)),
        status: row.status,
        createdAt: row.created_at,
        closedAt: row.closed_at,
        campaignId: row.campaign_id,
      }),
      position: { key: row.created_at, id: row.id },
      practiceId: row.practice_id,
      profileId: row.patient_profile_id,
    };
  }

  async function messagesToFound(rows: repo.MessageRow[]): Promise<Found[]> {
    // Decryption and attachments go through the messaging feature, exactly as the API shows messages.
    const messages = await access.toMessages(rows);
    return rows.map((row, index) => {
      const message = messages[index]!;
      const patientName = `${row.patient_first_name} ${row.patient_last_name}`;
      const patient: Party = { type: 'patient', profileId: row.patient_profile_id, name: patientName };
      const practitioner: Party = {
        type: 'practitioner',
        userId: row.practitioner_user_id,
        name: `${row.practitioner_first_name} ${row.practitioner_last_name}`,
      };
      const senderName = message.sender.name ?? '';
      let sender: Party;
      if (message.sender.side === 'system') sender = { type: 'system' };
      else if (message.sender.side === 'patient')
        sender =
          message.sender.userId === row.profile_user_id
            ? patient
            : { type: 'relative', profileId: row.patient_profile_id, name: senderName };
      else if (message.sender.role === 'practitioner' && message.sender.userId)
        sender = { type: 'practitioner', userId: message.sender.userId, name: senderName };
      else sender = { type: 'staff', name: senderName };
      return {
        resource: toFhirMessage({
          id: row.id,
          threadId: row.conversation_id,
          patientProfileId: row.patient_profile_id,
          patientName,
          seq: row.seq,
          kind: row.kind,
          body: message.body,
          sender,
          recipient: message.sender.side === 'patient' ? practitioner : patient,
          createdAt: row.created_at,
          renewalId: row.kind.startsWith('renewal_') ? row.renewal_id : null,
          attachments: message.attachments.map((a) => ({
            ...a,
            url: `${publicOrigin}/api/v1/attachments/${a.id}`,
          })),
        }),
        position: { key: row.created_at, id: row.id },
        practiceId: row.practice_id,
        profileId: row.patient_profile_id,
      };
    });
  }

  async function findCommunications(auth: AuthContext, q: Query): Promise<Found[]> {
    const scope = await conversationScope(auth);
    const [threadRows, messageRows] = await Promise.all([
      repo.searchThreads(db, scope, q),
      repo.searchMessages(db, scope, q),
    ]);
    const found = [
      ...(await Promise.all(threadRows.map(threadToFound))),
      ...(await messagesToFound(messageRows)),
    ];
    // Both lists start after the same position: merged, their first `limit + 1` are the next entries overall.
    return found.sort((a, b) => comparePositions(a.position, b.position)).slice(0, q.limit + 1);
  }

  async function findMedicationRequests(auth: AuthContext, q: Query): Promise<Found[]> {
    const rows = await repo.searchRenewals(db, await conversationScope(auth), q);
    return Promise.all(
      rows.map(async (row) => {
        const renewal = await access.toRenewal(row);
        return {
          resource: toFhirMedicationRequest({
            id: row.id,
            threadId: row.conversation_id,
            patientProfileId: row.patient_profile_id,
            patientName: `${row.patient_first_name} ${row.patient_last_name}`,
            practitionerId: row.practitioner_user_id,
            practitionerName: `${row.practitioner_first_name} ${row.practitioner_last_name}`,
            ...renewal.details,
            status: renewal.status,
            decisionReason: renewal.decisionReason,
            pickup: renewal.pickup,
            decidedAt: renewal.decidedAt,
            createdAt: row.created_at,
          }),
          position: { key: row.created_at, id: row.id },
          practiceId: row.practice_id,
          profileId: row.patient_profile_id,
        };
      }),
    );
  }

  async function findCommunicationRequests(auth: AuthContext, q: Query): Promise<Found[]> {
    const scope =
      auth.user.kind === 'patient'
        ? await conversationScope(auth)
        : { practiceIds: await practicesWith(auth, 'campaigns') };
    const rows = await repo.searchCampaigns(db, scope, q);
    return Promise.all(
      rows.map(async (row) => {
        const name = `${row.author_first_name} ${row.author_last_name}`;
        return {
          resource: toFhirCommunicationRequest({
            id: row.id,
            kind: row.kind,
            title: await keys.decryptText(row.title, campaignTitleAad(row.id)),
            body: await keys.decryptText(row.body, campaignBodyAad(row.id)),
            status: row.status,
            author: row.author_practitioner_id
              ? { type: 'practitioner', userId: row.author_practitioner_id, name }
              : { type: 'staff', name },
            scheduledAt: row.scheduled_at,
            createdAt: row.created_at,
          }),
          position: { key: row.created_at, id: row.id },
          practiceId: row.practice_id,
          profileId: null,
        };
      }),
    );
  }

  async function findAuditEvents(auth: AuthContext, q: Query): Promise<Found[]> {
    const rows = await repo.searchAuditEntries(db, await auditScope(auth), q);
    return rows.map((row) => {
      const name = row.actor_first_name ? `${row.actor_first_name} ${row.actor_last_name}` : '';
      const actor: Party | { type: 'anonymous' } =
        row.actor_role === 'system'
          ? { type: 'system' }
          : !row.actor_user_id
            ? { type: 'anonymous' }
            : row.actor_practitioner_id
              ? { type: 'practitioner', userId: row.actor_practitioner_id, name }
              : { type: 'staff', name };
      return {
        resource: toFhirAuditEvent({
          id: row.id,
          at: row.at,
          action: row.action,
          actor,
          actorRole: row.actor_role,
          patientProfileId: row.patient_profile_id,
          target: { type: row.target_type, id: row.target_id },
        }),
        position: { key: row.seq, id: row.id },
        practiceId: row.practice_id,
        profileId: row.patient_profile_id,
      };
    });
  }

  const finders: Record<FhirSearchType, (auth: AuthContext, q: Query) => Promise<Found[]>> = {
    Patient: findPatients,
    RelatedPerson: findRelatedPersons,
    Practitioner: findPractitioners,
    Appointment: findAppointments,
    Communication: findCommunications,
    MedicationRequest: findMedicationRequests,
    CommunicationRequest: findCommunicationRequests,
    AuditEvent: findAuditEvents,
  };

  return { finders, findPatients, findRelatedPersons, findPractitioners };
}
