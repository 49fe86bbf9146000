import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { tokenFrom } from '../helpers/smtp-sink';
import { storesUnderTest } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  GOOD_PASSWORD,
  PARIS_PRACTICE,
  PUBLIC_URL,
  recordConsultation,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
  totpCode,
} from '../helpers/test-app';

const cid = () => randomUUID().replace(/-/g, '');

interface Live {
  socket: WebSocket;
  frames: {
    type: string;
    event?: { type: string; conversationId: string; cursor: number };
    cursor?: number;
  }[];
  next(
    predicate: (frame: Live['frames'][number]) => boolean,
    timeoutMs?: number,
  ): Promise<Live['frames'][number]>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A WebSocket connected as a browser tab of `client` would, once its `ready` frame arrived. */
function openLive(baseUrl: string, client: TestClient | null, origin = PUBLIC_URL): Promise<Live> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/v1/ws`, {
      headers: { origin, ...(client?.cookieHeader ? { cookie: client.cookieHeader } : {}) },
    });
    const frames: Live['frames'] = [];
    const waiters = new Set<() => void>();
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      socket.on('close', (code, reason) => r({ code, reason: String(reason) })),
    );
    socket.on('message', (data) => {
      frames.push(JSON.parse(String(data)));
      for (const wake of waiters) wake();
    });
    socket.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.on('error', reject);
    const live: Live = {
      socket,
      frames,
      closed,
      next(predicate, timeoutMs = 3_000) {
        return new Promise((res, rej) => {
          const check = () => {
            const found = frames.find(predicate);
            if (found) {
              waiters.delete(check);
              clearTimeout(timer);
              res(found);
            }
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            rej(new Error('no matching frame in time'));
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      },
    };
    socket.on('open', () => live.next((f) => f.type === 'ready').then(() => resolve(live), reject));
  });
}

describe.each(storesUnderTest())('real-time delivery and sync on %s', (kind) => {
  let t: TestApp;
  let baseUrl: string;
  let doctor: TestClient;
  let doctorId: string;
  let practiceId: string;
  let assistant: TestClient;
  let assistantId: string;
  let jeanne: TestClient;
  let jeanneProfile: string;
  let conversationId: string;

  const connect = (client: TestClient | null, origin = PUBLIC_URL) => openLive(baseUrl, client, origin);

  beforeAll(async () => {
    t = await createTestApp(kind);
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { client: admin } = await signInAdmin(t);
    ({ userId: doctorId, practiceId } = await registerPractitioner(admin, {
      email: 'doctor@example.org',
      rppsPayload: '1000000031',
      practice: { newPractice: PARIS_PRACTICE },
    }));
    ({ client: doctor } = await activateStaff(t, 'doctor@example.org'));
    await doctor.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/messaging-settings`,
      { ...DEFAULT_SETTINGS, open: true, maxOpenConversations: 20, dailyMessageCap: 100 },
    );
    await doctor.post(`/api/v1/practices/${practiceId}/invitations`, {
      email: 'assistant@example.org',
      role: 'assistant',
      rights: ['messaging'],
      isAdmin: false,
    });
    await t.client().post('/api/v1/invitations/accept', {
      token: tokenFrom(await t.smtp.waitFor('assistant@example.org')),
      firstName: 'Sophie',
      lastName: 'Bernard',
      password: GOOD_PASSWORD,
    });
    assistant = t.client();
    await assistant.post('/api/v1/auth/login', { email: 'assistant@example.org', password: GOOD_PASSWORD });
    const secret = (await assistant.post('/api/v1/auth/totp/setup')).json().manualKey;
    assistantId = (
      await assistant.post('/api/v1/auth/totp/enable', { code: await totpCode(t, secret) })
    ).json().user.id;
    jeanne = await signUpPatient(t, 'jeanne@example.org');
    jeanneProfile = (await jeanne.get('/api/v1/relatives')).json().profiles[0].id;
    await recordConsultation(t, {
      profileId: jeanneProfile,
      practiceId,
      practitionerId: doctorId,
      at: t.clock.now() - 86_400_000,
    });
    const started = await jeanne.post('/api/v1/conversations', {
      practitionerId: doctorId,
      practiceId,
      patientProfileId: jeanneProfile,
      category: 'administrative',
      subject: 'Certificat',
      clientMessageId: cid(),
      body: 'Bonjour, il me faudrait un certificat.',
    });
    conversationId = started.json().conversation.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses upgrades without a session or from another origin', async () => {
    await expect(connect(null)).rejects.toThrow('HTTP 401');
    await expect(connect(jeanne, 'https://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('pushes a reply to the patient at once, and answers pings', async () => {
    const live = await connect(jeanne);
    live.socket.send(JSON.stringify({ type: 'ping' }));
    await live.next((f) => f.type === 'pong');
    const reply = await doctor.post(`/api/v1/conversations/${conversationId}/messages`, {
      clientMessageId: cid(),
      body: 'Il sera prêt demain.',
    });
    expect(reply.statusCode).toBe(201);
    const frame = await live.next((f) => f.type === 'event' && f.event?.type === 'message.created');
    expect(frame.event).toMatchObject({ conversationId });
    expect(JSON.stringify(frame)).not.toContain('prêt');
    // The read marker reaches the practice live too.
    const practiceLive = await connect(doctor);
    await jeanne.post(`/api/v1/conversations/${conversationId}/read`, { seq: 2 });
    await practiceLive.next((f) => f.event?.type === 'read.updated');
    live.socket.close();
    practiceLive.socket.close();
  });

  it('closes the socket on a malformed frame', async () => {
    const live = await connect(jeanne);
    live.socket.send('{"type":"subscribe","everything":true}');
    expect((await live.closed).code).toBe(1008);
  });

  it('stops pushing to a member at once when their right is removed mid-connection', async () => {
    const assistantLive = await connect(assistant);
    const doctorLive = await connect(doctor);
    await jeanne.post(`/api/v1/conversations/${conversationId}/messages`, {
      clientMessageId: cid(),
      body: 'Merci !',
    });
    await assistantLive.next((f) => f.event?.type === 'message.created');
    await doctorLive.next((f) => f.event?.type === 'message.created');
    await doctor.patch(`/api/v1/practices/${practiceId}/members/${assistantId}`, { rights: ['agenda'] });
    const before = assistantLive.frames.length;
    const doctorBefore = doctorLive.frames.length;
    await jeanne.post(`/api/v1/conversations/${conversationId}/messages`, {
      clientMessageId: cid(),
      body: 'Une dernière chose',
    });
    await doctorLive.next(
      (f) => f.event?.type === 'message.created' && doctorLive.frames.indexOf(f) >= doctorBefore,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(assistantLive.frames.slice(before).filter((f) => f.type === 'event')).toEqual([]);
    await doctor.patch(`/api/v1/practices/${practiceId}/members/${assistantId}`, { rights: ['messaging'] });
    assistantLive.socket.close();
    doctorLive.socket.close();
  });

  it('lets a client that was offline catch up through sync, with no gap and no duplicate', async () => {
    const first = (await jeanne.get('/api/v1/sync?since=0')).json();
    expect(first.conversations.map((c: { id: string }) => c.id)).toEqual([conversationId]);
    const cursor = first.cursor;
    const lastSeenSeq = first.conversations[0].lastSeq;
    expect((await jeanne.get(`/api/v1/sync?since=${cursor}`)).json().conversations).toEqual([]);

    // While the patient is offline, the practice writes three times.
    for (const text of ['Un', 'Deux', 'Trois'])
      await doctor.post(`/api/v1/conversations/${conversationId}/messages`, {
        clientMessageId: cid(),
        body: text,
      });
    const after = (await jeanne.get(`/api/v1/sync?since=${cursor}`)).json();
    expect(after.conversations).toHaveLength(1);
    expect(after.conversations[0].lastSeq).toBe(lastSeenSeq + 3);
    expect(after.cursor).toBeGreaterThan(cursor);
    const missed = (
      await jeanne.get(`/api/v1/conversations/${conversationId}/messages?after=${lastSeenSeq}`)
    ).json().messages;
    expect(missed.map((m: { body: string }) => m.body)).toEqual(['Un', 'Deux', 'Trois']);
    // Practice side: same feed, scoped to practices where the member has the messaging right.
    expect(
      (await doctor.get('/api/v1/sync?since=0')).json().conversations.map((c: { id: string }) => c.id),
    ).toEqual([conversationId]);
    const stranger = await signUpPatient(t, 'stranger@example.org', { firstName: 'Max' });
    expect((await stranger.get('/api/v1/sync?since=0')).json().conversations).toEqual([]);
  });

  it('pushes concurrent replies in several conversations to each patient for their own conversation only', async () => {
    const paul = await signUpPatient(t, 'paul.realtime@example.org', {
      firstName: 'Paul',
      lastName: 'Durand',
    });
    const paulProfile = (await paul.get('/api/v1/relatives')).json().profiles[0].id;
    await recordConsultation(t, {
      profileId: paulProfile,
      practiceId,
      practitionerId: doctorId,
      at: t.clock.now() - 86_400_000,
    });
    const paulConversation = (
      await paul.post('/api/v1/conversations', {
        practitionerId: doctorId,
        practiceId,
        patientProfileId: paulProfile,
        category: 'administrative',
        subject: 'Attestation',
        clientMessageId: cid(),
        body: 'Bonjour, il me faudrait une attestation.',
      })
    ).json().conversation.id as string;
    const jeanneLive = await connect(jeanne);
    const paulLive = await connect(paul);
    const doctorLive = await connect(doctor);
    const replies = await Promise.all(
      [conversationId, paulConversation, conversationId, paulConversation].map((id, i) =>
        doctor.post(`/api/v1/conversations/${id}/messages`, { clientMessageId: cid(), body: `Réponse ${i}` }),
      ),
    );
    expect(replies.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    await jeanneLive.next(
      (f) => f.event?.type === 'message.created' && f.event.conversationId === conversationId,
    );
    await paulLive.next(
      (f) => f.event?.type === 'message.created' && f.event.conversationId === paulConversation,
    );
    for (const id of [conversationId, paulConversation])
      await doctorLive.next((f) => f.event?.type === 'message.created' && f.event.conversationId === id);
    await new Promise((r) => setTimeout(r, 300));
    const told = (live: typeof jeanneLive) =>
      new Set(live.frames.filter((f) => f.type === 'event').map((f) => f.event!.conversationId));
    expect(told(jeanneLive)).toEqual(new Set([conversationId]));
    expect(told(paulLive)).toEqual(new Set([paulConversation]));
    for (const live of [jeanneLive, paulLive, doctorLive]) live.socket.close();
  });
});

describe.each(storesUnderTest())('live connections whose session ends on %s', (kind) => {
  let t: TestApp;
  let baseUrl: string;
  const HEARTBEAT_MS = 150;

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { heartbeatMs: HEARTBEAT_MS });
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('closes a socket at its next heartbeat once its session is signed out or idle, and keeps the others', async () => {
    const ana = await signUpPatient(t, 'ana@example.org', { firstName: 'Ana' });
    const ben = await signUpPatient(t, 'ben@example.org', { firstName: 'Ben' });
    const cleo = await signUpPatient(t, 'cleo@example.org', { firstName: 'Cléo' });
    const anaLive = await openLive(baseUrl, ana);
    const benLive = await openLive(baseUrl, ben);
    const cleoLive = await openLive(baseUrl, cleo);
    const benClosed = { value: false };
    void benLive.closed.then(() => {
      benClosed.value = true;
    });

    // Signed out elsewhere (another tab): the socket of that session ends with the session-ended code.
    expect((await ana.post('/api/v1/auth/logout', {})).statusCode).toBeLessThan(300);
    const anaEnd = await anaLive.closed;
    expect(anaEnd.code).toBe(4401);
    // The others went through the same heartbeats and stay open.
    await new Promise((r) => setTimeout(r, 3 * HEARTBEAT_MS));
    expect(benClosed.value).toBe(false);
    expect(cleoLive.socket.readyState).toBe(cleoLive.socket.OPEN);

    // Idle past the patient timeout: every such socket is closed at its next heartbeat.
    t.clock.advance(t.config.session.patientIdleTimeoutMs + 1_000);
    const ends = await Promise.all([benLive.closed, cleoLive.closed]);
    expect(ends.map((end) => end.code)).toEqual([4401, 4401]);
    expect((await ben.get('/api/v1/me')).statusCode).toBe(401);
  });
});
