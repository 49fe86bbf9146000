import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/schema';
import { storesUnderTest } from '../helpers/stores';
import {
  createTestApp,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
} from '../helpers/test-app';

const TABLES = [
  'users',
  'practitioners',
  'practices',
  'practice_members',
  'practice_invitations',
  'patient_profiles',
  'email_tokens',
  'data_keys',
  'audit_log',
] as const;

async function snapshot(db: Kysely<Database>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

const FAKE_ID = '01234567-89ab-7def-8123-456789abcdef';
const concrete = (url: string, id: string) => url.replace(/:[A-Za-z]+/g, id);

// Bodies that no route accepts: wrong shapes, wrong types, absurd sizes.
const BAD_BODIES: { label: string; payload: string; contentType: string }[] = [
  { label: 'empty object', payload: '{}', contentType: 'application/json' },
  { label: 'array', payload: '[1,2,3]', contentType: 'application/json' },
  { label: 'string', payload: '"hello"', contentType: 'application/json' },
  { label: 'null', payload: 'null', contentType: 'application/json' },
  { label: 'malformed JSON', payload: '{"email": "a@b.c",', contentType: 'application/json' },
  {
    label: 'wrong types',
    payload: JSON.stringify({
      email: 42,
      password: [],
      token: {},
      code: 123456,
      rights: 'all',
      locale: 'de',
      country: 'DE',
      rpps: 1,
    }),
    contentType: 'application/json',
  },
  {
    label: 'long strings',
    payload: JSON.stringify({
      email: `${'a'.repeat(300)}@example.org`,
      token: 'x'.repeat(5000),
      firstName: 'y'.repeat(5000),
      code: '1'.repeat(50),
    }),
    contentType: 'application/json',
  },
  { label: 'form encoding', payload: 'email=a%40b.c', contentType: 'application/x-www-form-urlencoded' },
  {
    label: 'oversized',
    payload: JSON.stringify({ email: 'a@b.c', padding: 'z'.repeat(1_200_000) }),
    contentType: 'application/json',
  },
];

describe.each(storesUnderTest())('bad input on every route (%s)', (kind) => {
  let t: TestApp;
  let actors: { name: string; client: TestClient }[];
  beforeAll(async () => {
    t = await createTestApp(kind);
    const patient = await signUpPatient(t, 'robust@example.org');
    const { client: admin } = await signInAdmin(t);
    actors = [
      { name: 'anonymous', client: t.client() },
      { name: 'patient', client: patient },
      { name: 'admin', client: admin },
    ];
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 4xx with a clear error code, writes nothing and leaks no internals', async () => {
    const routes = t.app.registeredRoutes.filter((r) => r.url.startsWith('/api/') && r.hasBody);
    expect(routes.length).toBeGreaterThan(10);
    const before = await snapshot(t.runtime.store.db);
    for (const route of routes) {
      for (const actor of actors) {
        for (const body of BAD_BODIES) {
          const response = await actor.client.request(
            route.method as 'POST',
            concrete(route.url, FAKE_ID),
            undefined,
            { 'content-type': body.contentType },
          );
          // The helper sends no payload with undefined; inject the raw one here.
          const raw = await t.app.inject({
            method: route.method as 'POST',
            url: concrete(route.url, FAKE_ID),
            payload: body.payload,
            headers: { 'content-type': body.contentType },
          });
          for (const r of [response, raw]) {
            const context = `${route.method} ${route.url} as ${actor.name} with ${body.label}: ${r.statusCode} ${r.body.slice(0, 200)}`;
            expect(r.statusCode, context).toBeGreaterThanOrEqual(400);
            expect(r.statusCode, context).toBeLessThan(500);
            const json = r.json();
            expect(json.error.code, context).toMatch(/^MISSIVE_/);
            expect(r.body, context).not.toMatch(/\bat \w+ \(|node_modules|stack/i);
          }
        }
      }
    }
    expect(await snapshot(t.runtime.store.db)).toEqual(before);
  });

  it('rejects ids that are not UUIDs in paths with a validation error', async () => {
    const { client } = actors.find((a) => a.name === 'admin')!;
    const response = await client.get('/api/v1/practices/not-an-id/members');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'MISSIVE_VALIDATION',
      issues: [{ path: 'params.practiceId' }],
    });
  });

  it('validation errors name the fields without echoing their values', async () => {
    const response = await t.client().post('/api/v1/auth/signup', {
      email: 'not-an-email',
      password: 'x',
      firstName: '',
      lastName: 'Secretname',
      birthDate: '1990-02-31',
      country: 'FR',
      locale: 'fr',
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'firstName', 'birthDate']));
    expect(response.body).not.toContain('not-an-email');
    expect(response.body).not.toContain('Secretname');
  });
});
