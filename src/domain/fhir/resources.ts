/**
 * Pure mappings from Missive's records (already decrypted) to FHIR R4 resources. No I/O: the FHIR
 * feature loads and checks access, these functions only shape. Every resource they return is validated
 * in tests against the official FHIR R4 JSON schema.
 */

export const RPPS_SYSTEM = 'https://rpps.esante.gouv.fr';
/** Codes that are Missive's own (categories, actions, decisions) are namespaced by these URNs. */
export const MISSIVE_CODES = {
  conversationCategory: 'urn:missive:conversation-category',
  messageKind: 'urn:missive:message-kind',
  renewalDecision: 'urn:missive:renewal-decision',
  campaignKind: 'urn:missive:campaign-kind',
  auditAction: 'urn:missive:audit-action',
} as const;

export interface FhirResource {
  resourceType: string;
  id: string;
  [field: string]: unknown;
}

export interface Reference {
  reference?: string;
  display?: string;
}

export const instant = (ms: number) => new Date(ms).toISOString();
const ref = (type: string, id: string, display?: string): Reference =>
  display ? { reference: `${type}/${id}`, display } : { reference: `${type}/${id}` };
const humanName = (firstName: string, lastName: string) => [
  { use: 'official', family: lastName, given: [firstName], text: `${firstName} ${lastName}` },
];

export interface PatientInput {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  sex: 'female' | 'male' | 'other' | null;
  updatedAt: number;
}

export function toFhirPatient(p: PatientInput): FhirResource {
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: { lastUpdated: instant(p.updatedAt) },
    active: true,
    name: humanName(p.firstName, p.lastName),
    gender: p.sex ?? 'unknown',
    birthDate: p.birthDate,
  };
}

export interface RelatedPersonInput {
  /** The relative's profile: the related person is the account holder who manages it. */
  profileId: string;
  relationship: 'child' | 'dependent';
  holderFirstName: string;
  holderLastName: string;
  updatedAt: number;
}

/** The account holder who manages a child's or dependent adult's profile (parent, or guardian). */
export function toFhirRelatedPerson(r: RelatedPersonInput): FhirResource {
  const role =
    r.relationship === 'child' ? { code: 'PRN', display: 'parent' } : { code: 'GUARD', display: 'guardian' };
  return {
    resourceType: 'RelatedPerson',
    id: r.profileId,
    meta: { lastUpdated: instant(r.updatedAt) },
    active: true,
    patient: ref('Patient', r.profileId),
    relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', ...role }] }],
    name: humanName(r.holderFirstName, r.holderLastName),
  };
}

export interface PractitionerInput {
  id: string;
  firstName: string;
  lastName: string;
  rpps: string;
  specialty: string;
  verified: boolean;
}

export function toFhirPractitioner(p: PractitionerInput): FhirResource {
  return {
    resourceType: 'Practitioner',
    id: p.id,
    identifier: [{ use: 'official', system: RPPS_SYSTEM, value: p.rpps }],
    active: p.verified,
    name: humanName(p.firstName, p.lastName),
    qualification: [{ code: { text: p.specialty } }],
  };
}

export interface AppointmentInput {
  id: string;
  patientProfileId: string;
  patientName: string;
  practitionerId: string;
  practitionerName: string;
  practiceName: string;
  startsAt: number;
  endsAt: number;
  status: 'booked' | 'attended' | 'no_show' | 'cancelled';
  cancelReason: string | null;
  createdAt: number;
}

const APPOINTMENT_STATUS = {
  booked: 'booked',
  attended: 'fulfilled',
  no_show: 'noshow',
  cancelled: 'cancelled',
} as const;

export function toFhirAppointment(a: AppointmentInput): FhirResource {
  return {
    resourceType: 'Appointment',
    id: a.id,
    status: APPOINTMENT_STATUS[a.status],
    ...(a.status === 'cancelled' && a.cancelReason ? { cancelationReason: { text: a.cancelReason } } : {}),
    description: a.practiceName,
    start: instant(a.startsAt),
    end: instant(a.endsAt),
    minutesDuration: Math.max(1, Math.round((a.endsAt - a.startsAt) / 60_000)),
    created: instant(a.createdAt),
    participant: [
      { actor: ref('Patient', a.patientProfileId, a.patientName), required: 'required', status: 'accepted' },
      {
        actor: ref('Practitioner', a.practitionerId, a.practitionerName),
        required: 'required',
        status: 'accepted',
      },
    ],
  };
}

/** Someone on either side of a conversation, as a reference. */
export type Party =
  | { type: 'patient'; profileId: string; name: string }
  | { type: 'relative'; profileId: string; name: string }
  | { type: 'practitioner'; userId: string; name: string }
  | { type: 'staff'; name: string }
  | { type: 'system' };

export function partyReference(party: Party): Reference | undefined {
  switch (party.type) {
    case 'patient':
      return ref('Patient', party.profileId, party.name);
    case 'relative':
      return ref('RelatedPerson', party.profileId, party.name);
    case 'practitioner':
      return ref('Practitioner', party.userId, party.name);
    case 'staff':
      return { display: party.name };
    case 'system':
      return undefined;
  }
}

export interface ThreadInput {
  id: string;
  patientProfileId: string;
  patientName: string;
  practitionerId: string;
  practitionerName: string;
  category: string;
  subject: string;
  status: 'open' | 'in_progress' | 'waiting_patient' | 'closed';
  createdAt: number;
  closedAt: number | null;
  campaignId: string | null;
}

/** A conversation: a Communication without payload, that its messages are `partOf`. */
export function toFhirThread(t: ThreadInput): FhirResource {
  return {
    resourceType: 'Communication',
    id: t.id,
    ...(t.campaignId ? { basedOn: [ref('CommunicationRequest', t.campaignId)] } : {}),
    status: t.status === 'closed' ? 'completed' : 'in-progress',
    category: [{ coding: [{ system: MISSIVE_CODES.conversationCategory, code: t.category }] }],
    subject: ref('Patient', t.patientProfileId, t.patientName),
    topic: { text: t.subject },
    sent: instant(t.createdAt),
    ...(t.closedAt !== null ? { received: instant(t.closedAt) } : {}),
    recipient: [
      ref('Patient', t.patientProfileId, t.patientName),
      ref('Practitioner', t.practitionerId, t.practitionerName),
    ],
  };
}

export interface MessageInput {
  id: string;
  threadId: string;
  patientProfileId: string;
  patientName: string;
  seq: number;
  kind: string;
  body: string;
  sender: Party;
  recipient: Party;
  createdAt: number;
  /** The renewal request a renewal message belongs to. */
  renewalId: string | null;
  attachments: { id: string; name: string; contentType: string; size: number; url: string }[];
}

/** A message: a Communication `partOf` its conversation; files are links to the authenticated download route. */
export function toFhirMessage(m: MessageInput): FhirResource {
  const sender = partyReference(m.sender);
  const recipient = partyReference(m.recipient);
  const payload: Record<string, unknown>[] = [];
  if (m.body.length > 0) payload.push({ contentString: m.body });
  for (const a of m.attachments) {
    payload.push({
      contentAttachment: { contentType: a.contentType, url: a.url, size: a.size, title: a.name },
    });
  }
  return {
    resourceType: 'Communication',
    id: m.id,
    identifier: [{ system: `urn:missive:conversation:${m.threadId}`, value: String(m.seq) }],
    partOf: [ref('Communication', m.threadId)],
    status: 'completed',
    category: [{ coding: [{ system: MISSIVE_CODES.messageKind, code: m.kind }] }],
    subject: ref('Patient', m.patientProfileId, m.patientName),
    ...(m.renewalId ? { about: [ref('MedicationRequest', m.renewalId)] } : {}),
    sent: instant(m.createdAt),
    ...(recipient ? { recipient: [recipient] } : {}),
    ...(sender ? { sender } : {}),
    ...(payload.length > 0 ? { payload } : {}),
  };
}

export interface RenewalInput {
  id: string;
  threadId: string;
  patientProfileId: string;
  patientName: string;
  practitionerId: string;
  practitionerName: string;
  medication: string;
  dosage: string;
  takenFor: string;
  lastPrescriptionOn: string;
  status: 'pending' | 'approved' | 'refused';
  decisionReason: string | null;
  pickup: 'practice' | 'pharmacy' | null;
  decidedAt: number | null;
  createdAt: number;
}

const RENEWAL_STATUS = { pending: 'active', approved: 'completed', refused: 'cancelled' } as const;

/** A renewal request: the patient's proposal; the practitioner's decision is its status and statusReason. */
export function toFhirMedicationRequest(r: RenewalInput): FhirResource {
  const notes = [
    { text: `Taken for: ${r.takenFor}` },
    { text: `Last prescription: ${r.lastPrescriptionOn}` },
  ];
  if (r.pickup) notes.push({ text: `Pickup: ${r.pickup}` });
  return {
    resourceType: 'MedicationRequest',
    id: r.id,
    status: RENEWAL_STATUS[r.status],
    ...(r.status === 'pending'
      ? {}
      : {
          statusReason: {
            coding: [{ system: MISSIVE_CODES.renewalDecision, code: r.status }],
            ...(r.decisionReason ? { text: r.decisionReason } : {}),
          },
        }),
    intent: 'proposal',
    medicationCodeableConcept: { text: r.medication },
    subject: ref('Patient', r.patientProfileId, r.patientName),
    authoredOn: instant(r.createdAt),
    requester: ref('Patient', r.patientProfileId, r.patientName),
    performer: ref('Practitioner', r.practitionerId, r.practitionerName),
    supportingInformation: [ref('Communication', r.threadId)],
    note: notes,
    dosageInstruction: [{ text: r.dosage }],
  };
}

export interface CampaignInput {
  id: string;
  kind: 'prevention' | 'practice_info';
  title: string;
  body: string;
  status: 'scheduled' | 'sending' | 'sent' | 'cancelled';
  author: Party;
  scheduledAt: number | null;
  createdAt: number;
}

const CAMPAIGN_STATUS = {
  scheduled: 'active',
  sending: 'active',
  sent: 'completed',
  cancelled: 'revoked',
} as const;

/** A campaign: each patient's delivery is a Communication `basedOn` it. */
export function toFhirCommunicationRequest(c: CampaignInput): FhirResource {
  const author = partyReference(c.author);
  return {
    resourceType: 'CommunicationRequest',
    id: c.id,
    status: CAMPAIGN_STATUS[c.status],
    category: [{ coding: [{ system: MISSIVE_CODES.campaignKind, code: c.kind }] }],
    payload: [{ contentString: c.title }, { contentString: c.body }],
    occurrenceDateTime: instant(c.scheduledAt ?? c.createdAt),
    authoredOn: instant(c.createdAt),
    ...(author ? { requester: author, sender: author } : {}),
  };
}

export interface AuditInput {
  id: string;
  at: number;
  action: string;
  actor: Party | { type: 'anonymous' };
  actorRole: string;
  patientProfileId: string | null;
  target: { type: string; id: string | null };
}

const READ_ACTIONS = /\.(opened|messages_read|downloaded|listed|viewed|read|exported)$/;
const CREATE_ACTIONS = /\.(created|started|sent|booked|uploaded|added|invited|imported)$/;
const TARGET_TYPES: Record<string, string> = {
  conversation: 'Communication',
  message: 'Communication',
  appointment: 'Appointment',
  renewal: 'MedicationRequest',
  campaign: 'CommunicationRequest',
  patient_profile: 'Patient',
  // Reads through the FHIR endpoint name their target by its resource type.
  Patient: 'Patient',
  RelatedPerson: 'RelatedPerson',
  Appointment: 'Appointment',
  Communication: 'Communication',
  MedicationRequest: 'MedicationRequest',
  CommunicationRequest: 'CommunicationRequest',
};

/** An entry of the audit trail: who did what to whose data, and when. IP addresses are not exported. */
export function toFhirAuditEvent(e: AuditInput): FhirResource {
  const who = e.actor.type === 'anonymous' ? { display: 'anonymous' } : partyReference(e.actor);
  const action = READ_ACTIONS.test(e.action) ? 'R' : CREATE_ACTIONS.test(e.action) ? 'C' : 'U';
  const entity: Record<string, unknown>[] = [];
  if (e.patientProfileId) entity.push({ what: ref('Patient', e.patientProfileId), role: { code: '1' } });
  const targetType = TARGET_TYPES[e.target.type];
  if (e.target.id && targetType && !(targetType === 'Patient' && e.target.id === e.patientProfileId)) {
    entity.push({ what: ref(targetType, e.target.id), role: { code: '4' } });
  } else if (e.target.id && !targetType) {
    entity.push({ what: { display: `${e.target.type}/${e.target.id}` }, role: { code: '4' } });
  }
  return {
    resourceType: 'AuditEvent',
    id: e.id,
    type: {
      system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
      code: 'rest',
      display: 'RESTful Operation',
    },
    subtype: [{ system: MISSIVE_CODES.auditAction, code: e.action }],
    action,
    recorded: instant(e.at),
    outcome: '0',
    agent: [
      {
        type: { text: e.actorRole },
        who: who ?? { display: 'Missive' },
        requestor: e.actor.type !== 'system',
      },
    ],
    source: { observer: { display: 'Missive' } },
    ...(entity.length > 0 ? { entity } : {}),
  };
}
