import { z } from 'zod';
import { IdSchema } from './common';

/** The resource types the FHIR R4 endpoint reads and searches. */
export const FHIR_SEARCH_TYPES = [
  'Patient',
  'RelatedPerson',
  'Practitioner',
  'Appointment',
  'Communication',
  'MedicationRequest',
  'CommunicationRequest',
  'AuditEvent',
] as const;
export type FhirSearchType = (typeof FHIR_SEARCH_TYPES)[number];

/** Search parameters each type accepts besides `_count` and the page cursor; anything else is refused. */
export const FHIR_SEARCH_PARAMS: Record<
  FhirSearchType,
  readonly { name: string; type: 'token' | 'reference' | 'date'; documentation: string }[]
> = {
  Patient: [{ name: '_id', type: 'token', documentation: 'The patient profile id' }],
  RelatedPerson: [
    { name: '_id', type: 'token', documentation: 'The relative’s profile id' },
    { name: 'patient', type: 'reference', documentation: 'The patient managed by this person' },
  ],
  Practitioner: [{ name: '_id', type: 'token', documentation: 'The practitioner’s id' }],
  Appointment: [
    { name: '_id', type: 'token', documentation: 'The appointment id' },
    { name: 'patient', type: 'reference', documentation: 'The patient' },
    { name: 'date', type: 'date', documentation: 'Start of the appointment (eq, ge, gt, le, lt)' },
  ],
  Communication: [
    { name: '_id', type: 'token', documentation: 'A conversation or message id' },
    { name: 'patient', type: 'reference', documentation: 'The patient the conversation is about' },
    { name: 'sent', type: 'date', documentation: 'When the conversation started or the message was sent' },
    { name: 'part-of', type: 'reference', documentation: 'The conversation (thread) of the messages' },
  ],
  MedicationRequest: [
    { name: '_id', type: 'token', documentation: 'The renewal request id' },
    { name: 'patient', type: 'reference', documentation: 'The patient' },
    { name: 'authoredon', type: 'date', documentation: 'When the renewal was requested' },
  ],
  CommunicationRequest: [
    { name: '_id', type: 'token', documentation: 'The campaign id' },
    { name: 'patient', type: 'reference', documentation: 'A patient the campaign was sent to' },
    { name: 'authored', type: 'date', documentation: 'When the campaign was created' },
  ],
  AuditEvent: [
    { name: '_id', type: 'token', documentation: 'The audit entry id' },
    { name: 'patient', type: 'reference', documentation: 'The patient whose data was accessed' },
    { name: 'date', type: 'date', documentation: 'When the access happened' },
  ],
};

/** `Patient/<id>` or a bare id. */
const referenceTo = (type: string) =>
  z
    .string()
    .transform((value) => (value.startsWith(`${type}/`) ? value.slice(type.length + 1) : value))
    .pipe(IdSchema);
const dateParam = z.union([z.string().max(40), z.array(z.string().max(40)).max(4)]);

export const FhirSearchQuerySchema = z.strictObject({
  _count: z.coerce.number().int().min(1).max(200).optional(),
  /** Opaque page cursor from a `next` link. */
  _cursor: z.string().max(200).optional(),
  /** Accepted for compatibility: every answer is JSON. */
  _format: z.enum(['json', 'application/json', 'application/fhir+json']).optional(),
  _id: IdSchema.optional(),
  patient: referenceTo('Patient').optional(),
  date: dateParam.optional(),
  sent: dateParam.optional(),
  authoredon: dateParam.optional(),
  authored: dateParam.optional(),
  'part-of': referenceTo('Communication').optional(),
});
export type FhirSearchParams = z.infer<typeof FhirSearchQuerySchema>;

export const FhirIdParamsSchema = z.object({ id: IdSchema });

/**
 * Responses are FHIR resources. Their shape is the FHIR R4 specification's (tests validate every one
 * against the official JSON schema); here only their common fields are described.
 */
export const FhirResourceSchema = z.looseObject({
  resourceType: z.string(),
  id: z.string().optional(),
});
export const FhirBundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.enum(['searchset', 'collection']),
  link: z.array(z.object({ relation: z.string(), url: z.string() })).optional(),
  entry: z.array(z.looseObject({ fullUrl: z.string(), resource: FhirResourceSchema })),
});
export const OperationOutcomeSchema = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(
    z.looseObject({ severity: z.string(), code: z.string(), diagnostics: z.string().optional() }),
  ),
});

/** The error answers of FHIR routes: OperationOutcome with the status of the error code. */
export const fhirErrorResponses = {
  400: OperationOutcomeSchema,
  401: OperationOutcomeSchema,
  403: OperationOutcomeSchema,
  404: OperationOutcomeSchema,
  429: OperationOutcomeSchema,
} as const;
