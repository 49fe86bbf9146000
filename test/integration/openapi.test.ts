import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is a valid OpenAPI 3.1 document describing every API route with a summary and responses', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    await SwaggerParser.validate(structuredClone(document));

    const described = new Set<string>();
    for (const [path, operations] of Object.entries(
      document.paths as Record<string, Record<string, { summary?: string; responses?: object }>>,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        described.add(`${method.toUpperCase()} ${path}`);
        expect(operation.summary, `${method} ${path} has a summary`).toBeTruthy();
        expect(
          Object.keys(operation.responses ?? {}).length,
          `${method} ${path} has responses`,
        ).toBeGreaterThan(0);
      }
    }
    // The WebSocket endpoint has no OpenAPI operation: its frames are described in docs/api.md (and zod contracts).
    const routes = t.app.registeredRoutes
      .filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/ws')
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThan(60);
    const missing = routes.filter((route) => !described.has(route));
    expect(missing).toEqual([]);

    // The FHIR endpoint is described too, with its own media type and OperationOutcome errors.
    const fhirRoutes = t.app.registeredRoutes
      .filter((r) => r.url.startsWith('/fhir/R4/'))
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    expect(fhirRoutes.length).toBe(19);
    expect(fhirRoutes.filter((route) => !described.has(route))).toEqual([]);
    const search = document.paths['/fhir/R4/Communication'].get;
    expect(Object.keys(search.responses['200'].content)).toEqual(['application/fhir+json']);
    expect(Object.keys(search.responses['404'].content)).toEqual(['application/fhir+json']);
  });

  it('serves readable documentation', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger-ui');
  });
});
