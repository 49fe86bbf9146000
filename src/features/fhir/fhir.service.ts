import type { FhirSearchParams, FhirSearchType } from '../../contracts/fhir';
import type { FhirResource } from '../../domain/fhir/resources';
import {
  collectionBundle,
  decodeCursor,
  encodeCursor,
  type FhirBundle,
  type PagePosition,
  parseDateParams,
  searchsetBundle,
} from '../../domain/fhir/search';
import type { Clock } from '../../platform/clock/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import type { ConversationAccess } from '../messaging/conversation-access';
import type { PatientsService } from '../patients/patients.service';
import type { PracticesService } from '../practices/practices.service';
import { createFhirFinders, type Found, type Query } from './fhir.finders';
import { createFhirScopes } from './fhir.scopes';

export const DEFAULT_PAGE_SIZE = 50;
/** Page size when a whole set is gathered for a Bundle (export, patient record). */
const GATHER_PAGE_SIZE = 500;

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
  /** Writes the conversations of campaign messages delivered to these profiles (see campaign-deliveries). */
  openDeliveries: (profileIds: readonly string[]) => Promise<void>;
}) {
  const { store, clock, baseUrl, access, openDeliveries } = deps;
  const db = store.db;
  const scopes = createFhirScopes(deps);
  const { finders, findPatients, findRelatedPersons, findPractitioners } = createFhirFinders({
    ...deps,
    scopes,
  });

  const more = <T>(rows: T[], limit: number) => ({
    rows: rows.slice(0, limit),
    hasMore: rows.length > limit,
  });

  /** Records the reads of patients' data: one entry per patient (and practice) whose data was returned. */
  async function recordReads(
    actor: Actor,
    type: FhirSearchType,
    interaction: 'read' | 'search',
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
      // The campaign messages delivered to them are part of the record, as conversations.
      await openDeliveries([profileId]);
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
