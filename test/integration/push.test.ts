import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_SETTINGS } from '../../src/domain/messaging';
import { createPushService } from '../../src/features/notifications/push.service';
import { retryDelay } from '../../src/platform/outbox/outbox';
import { loadVapidKeys } from '../../src/platform/push/web-push';
import {
  type BrowserPushKeys,
  browserKeys,
  decryptPush,
  type PushServiceSink,
  startPushService,
  verifyVapid,
} from '../helpers/push-service';
import { storesUnderTest } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  PARIS_PRACTICE,
  PUBLIC_URL,
  recordConsultation,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
} from '../helpers/test-app';

const cid = () => randomUUID().replace(/-/g, '');
const SECRETS = ['Coversyl', 'Tension', 'tension', '15/9', 'traitement', 'Vertiges', 'vertiges'];

describe.each(storesUnderTest())('Web Push on %s', (kind) => {
  let t: TestApp;
  let baseUrl: string;
  let push: PushServiceSink;
  let serverKey: string;
  let doctor: TestClient;
  let doctorId: string;
  let practiceId: string;
  let jeanne: TestClient;
  let jeanneId: string;
  let jeanneProfile: string;
  let paul: TestClient;

  const subscription = (path: string, keys: BrowserPushKeys, endpoint = `${push.url}${path}`) => ({
    endpoint,
    expirationTime: null,
    keys: { p256dh: keys.p256dh, auth: keys.auth },
  });
  const subscriptionsOf = (userId: string) =>
    t.runtime.store.db.selectFrom('push_subscriptions').selectAll().where('user_id', '=', userId).execute();
  const newConversationWithReply = async (subject: string, answer: string) => {
    const created = await jeanne.post('/api/v1/conversations', {
      practitionerId: doctorId,
      practiceId,
      patientProfileId: jeanneProfile,
      category: 'health_question',
      subject,
      clientMessageId: cid(),
      body: 'Ma tension est à 15/9 depuis trois jours, dois-je augmenter le traitement ?',
    });
    expect(created.statusCode).toBe(201);
    const conversationId = created.json().conversation.id as string;
    const reply = await doctor.post(`/api/v1/conversations/${conversationId}/messages`, {
      clientMessageId: cid(),
      body: answer,
    });
    expect(reply.statusCode).toBe(201);
    return conversationId;
  };
  /** Lets the notification delay pass and delivers what is due (notices, then each browser's push). */
  const passDelay = async () => {
    t.clock.advance(t.config.notifications.delayMs + 1_000);
    await t.runtime.outbox.drainOnce();
    await t.runtime.outbox.drainOnce();
  };
  const pushesTo = (path: string) => push.received.filter((r) => r.path === path);

  beforeAll(async () => {
    push = await startPushService();
    t = await createTestApp(kind);
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { client: admin } = await signInAdmin(t);
    ({ userId: doctorId, practiceId } = await registerPractitioner(admin, {
      email: 'doctor@example.org',
      rppsPayload: '1000000061',
      practice: { newPractice: PARIS_PRACTICE },
    }));
    ({ client: doctor } = await activateStaff(t, 'doctor@example.org'));
    await doctor.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/messaging-settings`,
      { ...DEFAULT_SETTINGS, open: true, maxOpenConversations: 20, dailyMessageCap: 100 },
    );
    jeanne = await signUpPatient(t, 'jeanne@example.org');
    jeanneId = (await jeanne.get('/api/v1/me')).json().user.id;
    jeanneProfile = (await jeanne.get('/api/v1/relatives')).json().profiles[0].id;
    await recordConsultation(t, {
      profileId: jeanneProfile,
      practiceId,
      practitionerId: doctorId,
      at: t.clock.now() - 86_400_000,
    });
    paul = await signUpPatient(t, 'paul@example.org', { firstName: 'Paul', locale: 'en' });
    serverKey = (await t.client().get('/api/v1/push/key')).json().publicKey;
  });
  afterAll(async () => {
    await t?.close();
    await push?.close();
  });

  it('publishes one VAPID key pair, generated once, kept in the store with the private key encrypted', async () => {
    const response = await t.client().get('/api/v1/push/key');
    expect(response.statusCode).toBe(200);
    expect(serverKey).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    // Another instance on the same store (or a restart) reads the same pair back.
    const again = await loadVapidKeys(t.runtime.store, t.runtime.keys, t.clock);
    expect(again.publicKey).toBe(serverKey);
    const rows = await t.runtime.store.db.selectFrom('web_push_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]!.private_key).toString('latin1')).not.toContain(again.privateKey);
  });

  it('registers, replaces and removes a browser subscription, and refuses bad ones with a clear error', async () => {
    const keys = browserKeys();
    expect(
      (await t.client().post('/api/v1/me/push-subscriptions', subscription('/crud', keys))).statusCode,
    ).toBe(401);
    const notHttps = await jeanne.post(
      '/api/v1/me/push-subscriptions',
      subscription('/x', keys, 'http://push.example.org/x'),
    );
    expect(notHttps.statusCode).toBe(400);
    expect(notHttps.json().error).toMatchObject({
      code: 'MISSIVE_VALIDATION',
      issues: [{ path: 'endpoint', reason: 'must_be_https' }],
    });
    const badKey = await jeanne.post('/api/v1/me/push-subscriptions', {
      ...subscription('/crud', keys),
      keys: { p256dh: keys.auth, auth: keys.auth },
    });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error.code).toBe('MISSIVE_VALIDATION');
    expect(await subscriptionsOf(jeanneId)).toHaveLength(0);

    expect((await jeanne.post('/api/v1/me/push-subscriptions', subscription('/crud', keys))).statusCode).toBe(
      204,
    );
    expect((await jeanne.post('/api/v1/me/push-subscriptions', subscription('/crud', keys))).statusCode).toBe(
      204,
    );
    const stored = await subscriptionsOf(jeanneId);
    expect(stored).toHaveLength(1);
    // The browser's keys are encrypted at rest.
    expect(Buffer.from(stored[0]!.keys).toString('latin1')).not.toContain(keys.auth);

    // Someone else cannot remove Jeanne's browser.
    expect(
      (await paul.request('DELETE', '/api/v1/me/push-subscriptions', { endpoint: `${push.url}/crud` }))
        .statusCode,
    ).toBe(204);
    expect(await subscriptionsOf(jeanneId)).toHaveLength(1);
    expect(
      (await jeanne.request('DELETE', '/api/v1/me/push-subscriptions', { endpoint: `${push.url}/crud` }))
        .statusCode,
    ).toBe(204);
    expect(await subscriptionsOf(jeanneId)).toHaveLength(0);
  });

  it('refuses plain http push endpoints in production, even on 127.0.0.1', async () => {
    const production = createPushService({
      ...t.runtime,
      clock: t.clock,
      config: { ...t.config, env: 'production' },
      outbox: { ...t.runtime.outbox, register: () => undefined },
      presence: t.services.presence,
    });
    const auth = { user: { id: jeanneId } } as Parameters<typeof production.subscribe>[0];
    await expect(production.subscribe(auth, subscription('/prod', browserKeys()))).rejects.toMatchObject({
      code: 'MISSIVE_VALIDATION',
    });
    expect(await subscriptionsOf(jeanneId)).toHaveLength(0);
  });

  it('pushes an encrypted, VAPID-signed "new message from the practice" with no health content, once per period', async () => {
    const keys = browserKeys();
    expect(
      (await jeanne.post('/api/v1/me/push-subscriptions', subscription('/jeanne', keys))).statusCode,
    ).toBe(204);
    // Push is a choice: nothing is pushed before it is turned on.
    const first = await newConversationWithReply('Vertiges', 'Augmentez le Coversyl à 10 mg.');
    await passDelay();
    expect(pushesTo('/jeanne')).toHaveLength(0);

    const prefs = await jeanne.request('PUT', '/api/v1/me/notifications', {
      email: true,
      digest: false,
      push: true,
    });
    expect(prefs.json()).toEqual({ email: true, digest: false, push: true });
    // Leaving `push` out keeps the current choice.
    expect(
      (await jeanne.request('PUT', '/api/v1/me/notifications', { email: true, digest: false })).json(),
    ).toEqual({ email: true, digest: false, push: true });

    await doctor.post(`/api/v1/conversations/${first}/messages`, {
      clientMessageId: cid(),
      body: 'Et prenez votre tension matin et soir.',
    });
    await passDelay();
    const [received] = await push.waitFor('/jeanne', 1);
    expect(received!.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(received!.headers.ttl)).toBeGreaterThan(0);
    const claims = verifyVapid(received!.headers.authorization, serverKey, push.url);
    expect(claims.sub).toMatch(/^mailto:/);
    expect(claims.exp * 1000).toBeGreaterThan(Date.now());
    const text = decryptPush(received!.body, keys);
    expect(JSON.parse(text)).toEqual({
      title: 'Nouveau message de Cabinet des Lilas',
      body: 'Connectez-vous à Missive pour le lire.',
      url: '/messages',
      tag: 'missive-new-message',
    });
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect((await subscriptionsOf(jeanneId))[0]!.last_success_at).not.toBeNull();

    // Another reply within the batching period is not pushed again.
    await doctor.post(`/api/v1/conversations/${first}/messages`, {
      clientMessageId: cid(),
      body: 'Autre chose.',
    });
    await passDelay();
    expect(pushesTo('/jeanne')).toHaveLength(1);
  });

  it('pushes nothing to someone connected on the WebSocket, and again once they have left', async () => {
    const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/v1/ws`, {
      headers: { origin: PUBLIC_URL, cookie: jeanne.cookieHeader! },
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'ready') resolve();
      });
      socket.on('error', reject);
    });
    expect(await t.services.presence.isConnected(jeanneId)).toBe(true);
    const before = pushesTo('/jeanne').length;
    await newConversationWithReply('Pendant la connexion', 'Réponse vue en direct.');
    await passDelay();
    expect(pushesTo('/jeanne')).toHaveLength(before);

    socket.close();
    await expect.poll(() => t.services.presence.isConnected(jeanneId)).toBe(false);
    await newConversationWithReply('Après la connexion', 'Réponse à lire plus tard.');
    await passDelay();
    await push.waitFor('/jeanne', before + 1);
  });

  it('retries a failing push service with backoff, and forgets a subscription the service says is gone', async () => {
    push.answer('/jeanne', [503, 201]);
    const before = pushesTo('/jeanne').length;
    await newConversationWithReply('Réessai', 'Réponse après une panne.');
    await passDelay();
    await push.waitFor('/jeanne', before + 1);
    const failed = await t.runtime.store.db
      .selectFrom('outbox')
      .selectAll()
      .where('topic', '=', 'push.deliver')
      .where('done_at', 'is', null)
      .execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ attempts: 1, last_error: 'push service answered HTTP 503' });
    t.clock.advance(retryDelay(1));
    await t.runtime.outbox.drainOnce();
    await push.waitFor('/jeanne', before + 2);
    expect(await subscriptionsOf(jeanneId)).toHaveLength(1);

    push.answer('/jeanne', 410);
    await newConversationWithReply('Abonnement expiré', 'Réponse à un navigateur oublié.');
    await passDelay();
    await push.waitFor('/jeanne', before + 3);
    await expect.poll(async () => (await subscriptionsOf(jeanneId)).length).toBe(0);
  });

  it('makes instances starting together on an empty store agree on one key pair', async () => {
    // Runs last: it replaces the pair the running app published.
    await t.runtime.store.db.deleteFrom('web_push_keys').execute();
    const [a, b] = await Promise.all([
      loadVapidKeys(t.runtime.store, t.runtime.keys, t.clock),
      loadVapidKeys(t.runtime.store, t.runtime.keys, t.clock),
    ]);
    expect(a).toEqual(b);
    expect(await t.runtime.store.db.selectFrom('web_push_keys').selectAll().execute()).toHaveLength(1);
  });
});
