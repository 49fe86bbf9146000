/**
 * Access-control matrix: every route the app registers, called by every kind of person, on every store.
 *
 * The matrix itself is data, in access-matrix.ts beside this file. Its format, in short:
 *
 *   row('GET /api/v1/practices/:practiceId/inbox', 'anon:401 *:404 asstMsg:ok pract:ok', (w) => get(…))
 *
 * - the route exactly as registered (METHOD and Fastify path);
 * - one outcome per actor: `ok` (2xx) or a status (401 signed out, 403 refused, 404 hidden, or the status of
 *   a later business rule such as 409), with `*` for every actor not named and presets for common cases;
 * - a builder of the request with real ids from the fixture world (test/helpers/access-world.ts).
 *   `variant(route, label, …)` adds another resource for the same route (a child's or a teenager's …).
 *
 * A route registered in the app without a row fails the first test: adding a route means adding its row.
 * The web app's fallback (any other GET asking for HTML gets index.html) is not a registered route and
 * is checked separately below.
 */
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ACTORS, type ActorName, buildWorld, makeWebRoot, type World } from '../helpers/access-world';
import { storesUnderTest } from '../helpers/stores';
import { createTestApp, GOOD_PASSWORD, PUBLIC_URL, type TestApp } from '../helpers/test-app';
import { type Expected, expectations, MATRIX, type MatrixReq } from './access-matrix';

/** Opens the WebSocket as the actor: 'ok' once the server says ready, else the HTTP status of the refusal. */
function upgrade(baseUrl: string, cookie: string, origin = PUBLIC_URL): Promise<number | 'ok'> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/v1/ws`, {
      headers: { origin, ...(cookie ? { cookie } : {}) },
    });
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'ready') {
        socket.close();
        resolve('ok');
      }
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.on('error', reject);
  });
}

/** The error code of an API error, or of a FHIR OperationOutcome (the FHIR routes' error shape). */
function errorCodeOf(body: {
  error?: { code: string };
  issue?: { details?: { coding?: { code: string }[] } }[];
}): string | undefined {
  return body.error?.code ?? body.issue?.[0]?.details?.coding?.[0]?.code;
}

const outcomeOf = (status: number | 'ok'): Expected | number =>
  status === 'ok' || (status >= 200 && status < 300) ? 'ok' : status;

describe.each(storesUnderTest())('access-control matrix on %s', (kind) => {
  let t: TestApp;
  let w: World;
  let webRoot: string;
  let baseUrl: string;

  beforeAll(async () => {
    webRoot = await makeWebRoot();
    t = await createTestApp(kind, {}, { webRoot });
    w = await buildWorld(t);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
    if (webRoot) await rm(webRoot, { recursive: true, force: true });
  });

  it('has a row for every registered route, and no row for a route that is gone', () => {
    const registered = new Set(t.app.registeredRoutes.map((r) => `${r.method} ${r.url}`));
    const inMatrix = new Set(MATRIX.map((r) => r.route));
    expect([...registered].filter((route) => !inMatrix.has(route)).sort(), 'routes without a row').toEqual(
      [],
    );
    expect([...inMatrix].filter((route) => !registered.has(route)).sort(), 'rows without a route').toEqual(
      [],
    );
    for (const row of MATRIX) expectations(row.expect, ACTORS);
  });

  // Before the matrix runs (it starts more conversations): what each actor's lists show.
  it('lists to each actor only the conversations and appointments the actor may see', async () => {
    const c = w.conversations;
    const mine: Record<ActorName, string[]> = {
      anon: [],
      owner: [c.jeanne, c.renewal],
      other: [],
      parent: [c.child],
      teen: [c.teen, c.otherPractice],
      asstMsg: [c.jeanne, c.child, c.teen, c.renewal],
      asstNo: [],
      pract: [c.jeanne, c.child, c.teen, c.renewal],
      otherPract: [c.otherPractice],
      admin: [],
    };
    const ids = (list: { id: string }[]) => list.map((item) => item.id).sort();
    for (const actor of ACTORS.filter((a) => a !== 'anon')) {
      const sync = await w.send(actor, { method: 'GET', url: '/api/v1/sync?since=0' });
      expect(ids(sync.json().conversations), `sync of ${actor}`).toEqual([...mine[actor]].sort());
      const kind = (await w.send(actor, { method: 'GET', url: '/api/v1/me' })).json().user.kind;
      if (kind === 'patient') {
        const list = await w.send(actor, { method: 'GET', url: '/api/v1/conversations' });
        expect(ids(list.json().conversations), `conversations of ${actor}`).toEqual([...mine[actor]].sort());
        const appointments = await w.send(actor, { method: 'GET', url: '/api/v1/appointments' });
        expect(ids(appointments.json().appointments), `appointments of ${actor}`).toEqual(
          actor === 'owner' ? [w.appointmentId] : [],
        );
      }
    }
    // Tom's consultations were recorded after he took his own account: his mother does not learn of them.
    const practitionersOf = async (actor: ActorName) =>
      (await w.send(actor, { method: 'GET', url: '/api/v1/my-practitioners' }))
        .json()
        .practitioners.map((p: { patientProfileId: string }) => p.patientProfileId)
        .sort();
    expect(await practitionersOf('owner')).toEqual([w.profiles.jeanne]);
    expect(await practitionersOf('parent')).toEqual([w.profiles.leo]);
    expect(await practitionersOf('teen')).toEqual([w.profiles.tom, w.profiles.tom]);
    expect(await practitionersOf('other')).toEqual([]);
    const eligibility = async (actor: ActorName) =>
      (
        await w.send(actor, {
          method: 'GET',
          url: `/api/v1/messaging/eligibility?practitionerId=${w.doctorId}&practiceId=${w.practiceId}&patientProfileId=${w.profiles.tom}`,
        })
      ).json();
    expect(await eligibility('teen')).toMatchObject({ eligible: true });
    expect(await eligibility('parent')).toMatchObject({
      eligible: false,
      reason: 'MISSIVE_NO_CARE_RELATIONSHIP',
    });
    for (const actor of ['asstMsg', 'pract'] as const) {
      const inbox = await w.send(actor, { method: 'GET', url: `/api/v1/practices/${w.practiceId}/inbox` });
      expect(ids(inbox.json().conversations), `inbox of ${actor}`).toEqual([...mine[actor]].sort());
    }
  });

  // Hundreds of requests: a few seconds on an idle machine, more when CI shares its two cores.
  it('answers every actor on every route as the matrix says', { timeout: 120_000 }, async () => {
    const mismatches: string[] = [];
    for (const row of MATRIX) {
      const expected = expectations(row.expect, ACTORS);
      for (const actor of ACTORS) {
        const allowed = expected[actor] === 'ok';
        const req: MatrixReq = await row.request(w, { actor, allowed });
        let got: Expected | number;
        let detail = '';
        if (req.ws) {
          got = outcomeOf(await upgrade(baseUrl, w.cookies[actor]));
        } else {
          const response = await w.send(actor, req);
          got = outcomeOf(response.statusCode);
          detail = response.statusCode >= 400 ? response.body.slice(0, 160) : '';
        }
        if (got !== expected[actor]) {
          const label = row.variant ? `${row.route} [${row.variant}]` : row.route;
          mismatches.push(`${label} as ${actor}: expected ${expected[actor]}, got ${got} ${detail}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('keeps a staff session without its second factor away from every route that needs it', async () => {
    // Dr Martin signed in with his password only: what he may do is sign out, see who he is, enter his code.
    const login = await w.send('anon', {
      method: 'POST',
      url: '/api/v1/auth/login',
      body: { email: w.emails.pract, password: GOOD_PASSWORD },
    });
    expect(login.json().mfa).toBe('required');
    const cookie = ([login.headers['set-cookie']].flat()[0] ?? '').split(';')[0]!;
    const sessionLevel = new Set([
      'GET /api/v1/me',
      'POST /api/v1/auth/logout',
      'POST /api/v1/auth/totp/setup',
      'POST /api/v1/auth/totp/enable',
      'POST /api/v1/auth/totp/verify',
    ]);
    const wrong: string[] = [];
    let checked = 0;
    for (const row of MATRIX) {
      const expected = expectations(row.expect, ACTORS);
      if (expected.anon !== 401 || sessionLevel.has(row.route)) continue;
      const req = await row.request(w, { actor: 'pract', allowed: false });
      checked++;
      if (req.ws) {
        const status = await upgrade(baseUrl, cookie);
        if (status !== 403) wrong.push(`${row.route}: ${status}`);
        continue;
      }
      const response = await w.send('anon', { ...req, headers: { ...req.headers, cookie } });
      if (response.statusCode !== 403 || errorCodeOf(response.json()) !== 'MISSIVE_MFA_REQUIRED')
        wrong.push(
          `${row.route} [${row.variant ?? ''}]: ${response.statusCode} ${response.body.slice(0, 100)}`,
        );
    }
    expect(checked).toBeGreaterThan(60);
    expect(wrong).toEqual([]);
    expect(
      (await w.send('anon', { method: 'GET', url: '/api/v1/me', headers: { cookie } })).json(),
    ).toMatchObject({
      mfa: 'required',
      memberships: [],
    });
  });

  it('refuses the WebSocket and state changes from another origin, whoever asks', async () => {
    for (const actor of ['owner', 'pract', 'admin'] as const) {
      expect(await upgrade(baseUrl, w.cookies[actor], 'https://evil.example'), actor).toBe(403);
      const write = await w.send(actor, {
        method: 'PATCH',
        url: '/api/v1/me',
        body: { locale: 'en' },
        headers: { origin: 'https://evil.example' },
      });
      expect(write.json().error.code, actor).toBe('MISSIVE_CROSS_ORIGIN');
    }
  });

  it("finds nothing through another practice's filters", async () => {
    const otherPractice = `/api/v1/practices/${w.otherPracticeId}`;
    const agenda = await w.send('otherPract', {
      method: 'GET',
      url: `${otherPractice}/agenda?from=2026-12-01&days=31&practitionerId=${w.doctorId}`,
    });
    expect(agenda.json().appointments).toEqual([]);
    const inbox = await w.send('otherPract', {
      method: 'GET',
      url: `${otherPractice}/inbox?practitionerId=${w.doctorId}`,
    });
    expect(inbox.json()).toMatchObject({ conversations: [], total: 0 });
    // The same filters on the right practice do find Dr Martin's appointments and conversations.
    const own = await w.send('pract', {
      method: 'GET',
      url: `/api/v1/practices/${w.practiceId}/agenda?from=2026-12-01&days=31&practitionerId=${w.doctorId}`,
    });
    expect(own.json().appointments.length).toBeGreaterThan(0);
    const slots = await w.send('owner', {
      method: 'GET',
      url: `/api/v1/directory/practitioners/${w.doctorId}/slots?practiceId=${w.otherPracticeId}&from=2026-12-01&days=7`,
    });
    expect(slots.json().slots).toEqual([]);
  });

  it('serves the build’s compressed copies to browsers that accept them, keeps its assets, and has the shell revalidated', async () => {
    const script = 'document.title = "Missive";';
    const asset = (encoding?: string) =>
      w.send('anon', {
        method: 'GET',
        url: '/assets/app.js',
        headers: encoding ? { 'accept-encoding': encoding } : {},
      });
    const br = await asset('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    // Named after their content by the build: kept by the browser without asking again.
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script);
    const gz = await asset('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script);
    const plain = await asset();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);

    const shell = await w.send('anon', { method: 'GET', url: '/inbox', headers: { accept: 'text/html' } });
    expect(shell.headers['cache-control']).toBe('no-cache');
    // The same page asked for by name.
    for (const url of ['/index.html', '/index.html?v=2']) {
      const byName = await w.send('anon', { method: 'GET', url, headers: { accept: 'text/html' } });
      expect(byName.statusCode, url).toBe(200);
      expect(byName.body, url).toContain('<div id="root">');
      expect(byName.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('serves the web app shell for client-side routes to everyone, and JSON 404 under /api', async () => {
    for (const actor of ACTORS satisfies readonly ActorName[]) {
      const page = await w.send(actor, { method: 'GET', url: '/inbox', headers: { accept: 'text/html' } });
      expect(page.statusCode, actor).toBe(200);
      expect(page.body).toContain('<div id="root">');
      const api = await w.send(actor, {
        method: 'GET',
        url: '/api/v1/nowhere',
        headers: { accept: 'text/html' },
      });
      expect(api.statusCode, actor).toBe(404);
      expect(api.json().error.code).toBe('MISSIVE_NOT_FOUND');
    }
  });
});
