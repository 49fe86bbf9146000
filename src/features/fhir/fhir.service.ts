import type { PracticeRight } from '../../contracts/accounts';
import type { FhirSearchParams, FhirSearchType } from '../../contracts/fhir';
import { maySeeProfileItem } from '../../domain/care';
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
import {
  collectionBundle,
  comparePositions,
  decodeCursor,
  encodeCursor,
  type FhirBundle,
  type PagePosition,
  parseDateParams,
  searchsetBundle,
  type TimeRange,
} from '../../domain/fhir/search';
import type { Clock } from '../../platform/clock/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import { campaignBodyAad, campaignTitleAad } from '../campaigns/campaigns.service';
import { type ConversationAccess, subjectAad } from '../messaging/conversation-access';
import { type PatientsService, profileFacts } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';
import * as repo from './fhir.repository';

export const DEFAULT_PAGE_SIZE = 50;
/** Page size when a whole set is gathered for a Bundle (export, patient record). */
const GATHER_PAGE_SIZE = 500;

/** One resource found, with where it sorts and whose data it is (for the audit trail). */
interface Found {
  resource: FhirResource;
  position: PagePosition;
  practiceId: string | null;
  profileId: string | null;
}

interface Query {
  after: PagePosition | null;
  limit: number;
  ids?: string[] | undefined;
  patientProfileId?: string | undefined;
  range?: TimeRange | undefined;
  partOf?: string | undefined;
}

/** Resource types whose reads are recorded: everything that is health or identity data of a patient. */
const AUDITED = new Set<FhirSearchType>([
  'Patient',
  'RelatedPerson',
  'Appointment',
  'Communication',
  'MedicationRequest',
  'CommunicationRequest',
]);

export type FhirService = ReturnType<typeof createFhirService>;

/**
 * The read-only FHIR R4 view of Missive's data. Every search is bounded by the same rules as the API:
 * practice members see their practices' data for the rights they hold (messaging, agenda, patients,
 * campaigns; administrators the access history), patients see their own and their relatives' data as the
 * API shows it (a teenager's confidential conversations excepted). Reads are recorded in the audit trail.
 */
export function createFhirService(deps: {
  store: Store;
  keys: Keyring;
  clock: Clock;
  baseUrl: string;
  publicOrigin: string;
  practices: PracticesService;
  patients: PatientsService;
  access: ConversationAccess;
}) {
  const { store, keys, clock, baseUrl, publicOrigin, practices, patients, access } = deps;
  const db = store.db;

  // ----- Scopes: what the caller may see, per kind of data -----

  async function practicesWith(auth: AuthContext, right: PracticeRight | 'admin'): Promise<string[]> {
    const memberships = await practices.membershipsOf(auth.user.id);
    return memberships
      .filter((m) => (right === 'admin' ? m.isAdmin : m.rights.includes(right)))
      .map((m) => m.practiceId);
  }

  async function ownProfiles(auth: AuthContext) {
    return patients.profilesOf(auth.user.id);
  }

  async function profileScope(auth: AuthContext): Promise<repo.ProfileScope> {
    if (auth.user.kind === 'patient') return { profileIds: (await ownProfiles(auth)).map((p) => p.id) };
    return { practiceIds: await practicesWith(auth, 'patients') };
  }

  async function conversationScope(auth: AuthContext): Promise<repo.ConversationScope> {
    if (auth.user.kind !== 'patient') return { practiceIds: await practicesWith(auth, 'messaging') };
    const profiles = await ownProfiles(auth);
    const rows = await repo.conversationsOfProfiles(
      db,
      profiles.map((p) => p.id),
    );
    return {
      conversationIds: rows
        .filter((row) =>
          maySeeProfileItem(auth.user.id, profileFacts(row), {
            createdByUserId: row.created_by_user_id,
            createdAt: row.created_at,
          }),
        )
        .map((row) => row.id),
    };
  }

  async function appointmentScope(
    auth: AuthContext,
  ): Promise<{ practiceIds: string[] } | { appointmentIds: string[] }> {
    if (auth.user.kind !== 'patient') return { practiceIds: await practicesWith(auth, 'agenda') };
    const profiles = await ownProfiles(auth);
    const rows = await repo.appointmentsOfProfiles(
      db,
      profiles.map((p) => p.id),
    );
    return {
      appointmentIds: rows
        .filter((row) =>
          maySeeProfileItem(auth.user.id, profileFacts(row), {
            createdByUserId: row.booked_by_user_id,
            createdAt: row.created_at,
          }),
        )
        .map((row) => row.id),
    };
  }

  async function practitionerScope(auth: AuthContext): Promise<{ userIds: string[] }> {
    if (auth.user.kind === 'patient') {
      const profiles = await ownProfiles(auth);
      return {
        userIds: await repo.practitionersOfProfiles(
          db,
          profiles.map((p) => p.id),
        ),
      };
    }
    const memberships = await practices.membershipsOf(auth.user.id);
    const rows = await repo.membersOfPractices(
      db,
      memberships.map((m) => m.practiceId),
    );
    return { userIds: [...new Set(rows.map((r) => r.user_id))] };
  }

  /**
   * Access history: a patient sees the entries about the profiles whose history is theirs (their own, and
   * relatives who do not hold their own account); a practice's administrators see their practice's entries.
   */
  async function auditScope(
    auth: AuthContext,
  ): Promise<{ profileIds: string[] } | { practiceIds: string[] }> {
    if (auth.user.kind !== 'patient') return { practiceIds: await practicesWith(auth, 'admin') };
    const profiles = await ownProfiles(auth);
    return {
      profileIds: profiles
        .filter((p) => p.user_id === auth.user.id || (p.owner_user_id === auth.user.id && p.user_id === null))
        .map((p) => p.id),
    };
  }

  // ----- Searches, one per resource type -----

  const more = <T>(rows: T[], limit: number) => ({
    rows: rows.slice(0, limit),
    hasMore: rows.length > limit,
  });

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

  /** Records the reads of patients' data: one entry per patient (and practice) whose data was returned. */
  async function recordReads(
    actor: Actor,
    type: FhirSearchType,
    interaction: 'read' | 'search' | 'export',
    found: Found[],
    targetId: string | null,
  ) {
    if (!AUDITED.has(type) || found.length === 0) return;
    const groups = new Map<string, { practiceId: string | null; profileId: string | null; count: number }>();
    for (const f of found) {
      const key = `${f.practiceId}|${f.profileId}`;
      const group = groups.get(key) ?? { practiceId: f.practiceId, profileId: f.profileId, count: 0 };
      group.count++;
      groups.set(key, group);
    }
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      for (const group of groups.values()) {
        await appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: interaction === 'read' ? 'fhir.read' : 'fhir.searched',
            targetType: type,
            targetId,
            practiceId: group.practiceId,
            patientProfileId: group.profileId,
            details: { resourceType: type, count: group.count },
          },
          now,
        );
      }
    });
  }

  function queryOf(type: FhirSearchType, params: FhirSearchParams): Query {
    const after = params._cursor === undefined ? null : decodeCursor(params._cursor);
    if (params._cursor !== undefined && !after)
      throw new AppError('MISSIVE_VALIDATION', [{ path: 'query._cursor', reason: 'invalid' }]);
    const dateValues = [params.date, params.sent, params.authoredon, params.authored]
      .flat()
      .filter((v): v is string => typeof v === 'string');
    const range = parseDateParams(dateValues);
    if (!range) throw new AppError('MISSIVE_VALIDATION', [{ path: 'query.date', reason: 'invalid_date' }]);
    return {
      after,
      limit: params._count ?? DEFAULT_PAGE_SIZE,
      ids: params._id === undefined ? undefined : [params._id],
      patientProfileId: params.patient,
      range,
      partOf: type === 'Communication' ? params['part-of'] : undefined,
    };
  }

  /** Walks every page of a search (for Bundles that gather a whole set). */
  async function gather(auth: AuthContext, type: FhirSearchType, q: Omit<Query, 'after' | 'limit'>) {
    const all: Found[] = [];
    let after: PagePosition | null = null;
    for (;;) {
      const found = await finders[type](auth, { ...q, after, limit: GATHER_PAGE_SIZE });
      const { rows, hasMore } = more(found, GATHER_PAGE_SIZE);
      all.push(...rows);
      if (!hasMore) return all;
      after = rows.at(-1)!.position;
    }
  }

  /**
   * Practitioners, patients and relatives the resources refer to. Those resources were already checked:
   * whoever may see a conversation sees who takes part in it, as the API's conversation view shows them.
   */
  async function referenced(auth: AuthContext, resources: FhirResource[]): Promise<Found[]> {
    const ids = {
      Practitioner: new Set<string>(),
      Patient: new Set<string>(),
      RelatedPerson: new Set<string>(),
    };
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        const reference = (value as { reference?: unknown }).reference;
        if (typeof reference === 'string') {
          const [type, id] = reference.split('/');
          if (type && id && type in ids) ids[type as keyof typeof ids].add(id);
        }
        Object.values(value).forEach(walk);
      }
    };
    walk(resources);
    const whole = { after: null, limit: GATHER_PAGE_SIZE };
    const profileIds = [...ids.Patient, ...ids.RelatedPerson];
    const [patientsFound, relatives, practitioners] = await Promise.all([
      ids.Patient.size > 0 ? findPatients(auth, whole, { profileIds: [...ids.Patient] }) : [],
      ids.RelatedPerson.size > 0 ? findRelatedPersons(auth, whole, { profileIds }) : [],
      ids.Practitioner.size > 0 ? findPractitioners(auth, whole, { userIds: [...ids.Practitioner] }) : [],
    ]);
    return [
      ...patientsFound,
      ...relatives.filter((r) => ids.RelatedPerson.has(r.resource.id)),
      ...practitioners,
    ];
  }

  return {
    /** A searchset page of one resource type, with `self` and `next` links. */
    async search(
      auth: AuthContext,
      type: FhirSearchType,
      params: FhirSearchParams,
      links: { self: string; next: (cursor: string) => string },
      actor: Actor,
    ): Promise<FhirBundle> {
      const q = queryOf(type, params);
      const { rows, hasMore } = more(await finders[type](auth, q), q.limit);
      await recordReads(actor, type, 'search', rows, null);
      return searchsetBundle({
        selfUrl: links.self,
        nextUrl: hasMore ? links.next(encodeCursor(rows.at(-1)!.position)) : null,
        baseUrl,
        resources: rows.map((r) => r.resource),
        now: clock.now(),
      });
    },

    /** One resource by id, or "not found" when it does not exist or is not the caller's to see. */
    async read(auth: AuthContext, type: FhirSearchType, id: string, actor: Actor): Promise<FhirResource> {
      const found = (await finders[type](auth, { after: null, limit: 1, ids: [id] })).slice(0, 1);
      if (found.length === 0) throw new AppError('MISSIVE_NOT_FOUND');
      await recordReads(actor, type, 'read', found, id);
      return found[0]!.resource;
    },

    /**
     * A conversation for filing in the patient's record: a `collection` Bundle with the thread, its
     * messages, the renewal request, the campaign it came from, the patient and the practitioners.
     */
    async exportConversation(auth: AuthContext, conversationId: string, actor: Actor) {
      const { row } = await access.requireConversation(auth, conversationId);
      const scope = { ids: [row.id] };
      const [threads, messages, renewals] = await Promise.all([
        gather(auth, 'Communication', scope),
        gather(auth, 'Communication', { partOf: row.id }),
        gather(auth, 'MedicationRequest', { patientProfileId: row.patient_profile_id }),
      ]);
      const ownRenewals = renewals.filter(
        (r) =>
          (r.resource.supportingInformation as { reference: string }[])[0]?.reference ===
          `Communication/${row.id}`,
      );
      const campaignIds = threads.flatMap((t) =>
        ((t.resource.basedOn as { reference: string }[] | undefined) ?? []).map(
          (b) => b.reference.split('/')[1]!,
        ),
      );
      const campaigns =
        campaignIds.length > 0 ? await gather(auth, 'CommunicationRequest', { ids: campaignIds }) : [];
      const content = [...threads, ...messages, ...ownRenewals, ...campaigns];
      const people = await referenced(
        auth,
        content.map((f) => f.resource),
      );
      const all = [...people, ...content];
      const now = clock.now();
      await db.transaction().execute((trx) =>
        appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'conversation.exported',
            targetType: 'conversation',
            targetId: row.id,
            practiceId: row.practice_id,
            patientProfileId: row.patient_profile_id,
            details: { format: 'fhir_r4', count: all.length },
          },
          now,
        ),
      );
      return collectionBundle({ baseUrl, resources: all.map((f) => f.resource), now });
    },

    /**
     * Everything about one patient that the caller may see, as one `collection` Bundle: the Patient, who
     * manages their profile, their practitioners, appointments, conversations and messages, renewal
     * requests, campaigns received and access history. Called for a patient's own profile, this is their
     * complete record (the data export a patient can ask for).
     */
    async buildPatientRecordBundle(auth: AuthContext, profileId: string, actor: Actor) {
      const patient = await gather(auth, 'Patient', { ids: [profileId] });
      if (patient.length === 0) throw new AppError('MISSIVE_NOT_FOUND');
      const byPatient = { patientProfileId: profileId };
      const sets = await Promise.all(
        (
          [
            'RelatedPerson',
            'Appointment',
            'Communication',
            'MedicationRequest',
            'CommunicationRequest',
            'AuditEvent',
          ] as const
        ).map((type) => gather(auth, type, byPatient)),
      );
      const content = [...patient, ...sets.flat()];
      const people = await referenced(
        auth,
        content.map((f) => f.resource),
      );
      const all = [...content, ...people];
      const now = clock.now();
      await db.transaction().execute((trx) =>
        appendAudit(
          trx,
          store.dialect,
          actor,
          {
            action: 'patient_record.exported',
            targetType: 'patient_profile',
            targetId: profileId,
            patientProfileId: profileId,
            details: { format: 'fhir_r4', count: all.length },
          },
          now,
        ),
      );
      return collectionBundle({ baseUrl, resources: all.map((f) => f.resource), now });
    },
  };
}
