import { FHIR_SEARCH_PARAMS, FHIR_SEARCH_TYPES } from '../../contracts/fhir';
import type { FhirResource } from './resources';

/** What the FHIR endpoint supports, exactly: read and search of eight types, two operations, JSON only. */
export function capabilityStatement(input: { baseUrl: string; version: string; date: string }): FhirResource {
  return {
    resourceType: 'CapabilityStatement',
    id: 'missive',
    status: 'active',
    date: input.date,
    publisher: 'Missive',
    kind: 'instance',
    software: { name: 'Missive', version: input.version },
    implementation: { description: 'Missive read-only FHIR R4 export', url: input.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Read-only. The same access rules as the Missive API: practice members see their practices’ data for the rights they hold, patients their own and their relatives’. Every read of patient data is recorded in the audit trail.',
        security: {
          cors: false,
          description:
            'Sign in through the Missive API (session cookie); staff accounts need their second factor.',
        },
        resource: FHIR_SEARCH_TYPES.map((type) => ({
          type,
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          versioning: 'no-version',
          readHistory: false,
          updateCreate: false,
          searchParam: [
            ...FHIR_SEARCH_PARAMS[type].map((p) => ({
              name: p.name,
              type: p.type,
              documentation: p.documentation,
            })),
            { name: '_count', type: 'number', documentation: 'Page size, 1 to 200 (default 50)' },
          ],
          ...(type === 'Communication'
            ? {
                operation: [
                  {
                    name: 'export',
                    definition: `${input.baseUrl}/OperationDefinition/Communication-export`,
                    documentation:
                      'GET Communication/[conversation id]/$export: a collection Bundle with the conversation, its messages, renewal request, patient and practitioners',
                  },
                ],
              }
            : {}),
          ...(type === 'Patient'
            ? {
                operation: [
                  {
                    name: 'everything',
                    definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
                    documentation:
                      'GET Patient/[id]/$everything: a collection Bundle with everything about the patient that the caller may see',
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
}
