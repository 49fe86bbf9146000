import type {} from '@fastify/cookie';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import { ErrorResponseSchema } from '../../contracts/common';
import {
  ClientFrameSchema,
  type ServerFrame,
  SyncQuerySchema,
  SyncResponseSchema,
} from '../../contracts/realtime';
import { type BusEvent, type EventBus, practiceTopic, userTopic } from '../../platform/bus/bus';
import { authOf, requireAuth } from '../../platform/http/auth';
import { AppError } from '../../platform/http/errors';
import type { AuthContext, SessionsService } from '../accounts/sessions.service';
import type { ConversationAccess } from '../messaging/conversation-access';
import type { PracticesService } from '../practices/practices.service';
import type { Presence } from './presence';
import type { SyncService } from './sync.service';

export interface RealtimeDeps {
  bus: EventBus;
  sessions: SessionsService;
  practices: PracticesService;
  access: ConversationAccess;
  sync: SyncService;
  presence: Presence;
  publicOrigin: string;
  cookieName: string;
  heartbeatMs?: number;
}

/** How often each socket is pinged and its session checked again, unless the app is built with another period. */
export const DEFAULT_HEARTBEAT_MS = 30_000;
const MAX_FRAME_BYTES = 4_096;
const CLOSE_POLICY = 1008;
const CLOSE_GOING_AWAY = 1001;
const CLOSE_SESSION_ENDED = 4401;

/**
 * One WebSocket per signed-in browser tab. Authenticated by the session cookie at upgrade (with an Origin
 * check); every event is checked against the user's current access before it is pushed; heartbeats detect
 * dead peers and re-check the session.
 */
export async function registerRealtimeRoutes(root: FastifyInstance, deps: RealtimeDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { bus, sessions, practices, access, sync, presence } = deps;
  const heartbeatMs = deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  // A live connection counts as present (no push) until two heartbeats are missed.
  const leaseMs = Math.max(heartbeatMs * 2 + 5_000, 30_000);
  const sockets = new Set<WebSocket>();

  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });

  // Every socket's session is checked again at each of its heartbeats: the checks of a short while go
  // together in one query (20,000 sockets make about 670 checks a second).
  const checkSession = batchedSessionCheck(sessions);

  app.addHook('onClose', async () => {
    checkSession.stop();
    presence.stop();
    for (const socket of sockets) socket.close(CLOSE_GOING_AWAY, 'server shutting down');
  });

  app.get(
    '/api/v1/sync',
    {
      preHandler: requireAuth('user'),
      schema: {
        summary: 'Everything you may see that changed after a cursor (paged)',
        tags: ['realtime'],
        querystring: SyncQuerySchema,
        response: {
          200: SyncResponseSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          403: ErrorResponseSchema,
        },
      },
    },
    async (request) => sync.since(authOf(request), request.query.since, request.query.limit),
  );

  app.get(
    '/api/v1/ws',
    {
      websocket: true,
      schema: {
        summary: 'Live events (WebSocket): new messages, read markers, status and renewal changes',
        tags: ['realtime'],
      },
      preValidation: async (request) => {
        // Browsers always send Origin on WebSocket upgrades: a foreign one is a cross-site attempt.
        if (request.headers.origin !== deps.publicOrigin) throw new AppError('MISSIVE_CROSS_ORIGIN');
        await requireAuth('user')(request);
      },
    },
    (socket, request) => {
      let auth: AuthContext = authOf(request);
      const token = request.cookies[deps.cookieName] ?? '';
      const send = (frame: ServerFrame) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
      };
      const unsubscribers: (() => void)[] = [];
      const delivered = new Map<string, number>();
      let alive = true;
      const presenceId = presence.open(auth.user.id, leaseMs).catch(() => null);

      const onEvent = (event: BusEvent) => {
        // Published to the topics of the accounts that see the recipient profile, checked at delivery.
        if (event.type === 'campaign.delivered' && event.campaignId) {
          send({
            type: 'event',
            event: { type: 'campaign.delivered', campaignId: event.campaignId, cursor: event.cursor },
          });
          return;
        }
        if (!event.conversationId) return;
        const conversationId = event.conversationId;
        // One event may arrive through the user topic and a practice topic: push it once.
        if ((delivered.get(conversationId) ?? -1) >= event.cursor && event.type !== 'read.updated') return;
        // Access is checked now, not only at connect: a removed right or a teenager's confidential
        // conversation stops here.
        access
          .requireConversation(auth, conversationId)
          .then(() => {
            delivered.set(conversationId, Math.max(delivered.get(conversationId) ?? -1, event.cursor));
            if (delivered.size > 1_000) delivered.delete(delivered.keys().next().value as string);
            send({
              type: 'event',
              event: { type: event.type as 'message.created', conversationId, cursor: event.cursor },
            });
          })
          .catch(() => undefined);
      };

      const subscribe = async () => {
        unsubscribers.push(bus.subscribe(userTopic(auth.user.id), onEvent));
        if (auth.user.kind !== 'patient') {
          for (const m of await practices.membershipsOf(auth.user.id))
            unsubscribers.push(bus.subscribe(practiceTopic(m.practiceId), onEvent));
        }
      };

      const heartbeat = setInterval(async () => {
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
        const current = await checkSession(token);
        if (current === null) socket.close(CLOSE_SESSION_ENDED, 'session ended');
        else if (current) auth = current;
      }, heartbeatMs);
      heartbeat.unref();

      socket.on('pong', () => {
        alive = true;
      });
      socket.on('message', (data, isBinary) => {
        alive = true;
        let frame: unknown;
        try {
          frame = isBinary ? undefined : JSON.parse(String(data));
        } catch {
          frame = undefined;
        }
        const parsed = ClientFrameSchema.safeParse(frame);
        if (!parsed.success) {
          socket.close(CLOSE_POLICY, 'invalid frame');
          return;
        }
        if (parsed.data.type === 'ping') send({ type: 'pong' });
      });
      socket.on('error', () => socket.terminate());
      socket.on('close', () => {
        clearInterval(heartbeat);
        void presenceId.then((id) => (id ? presence.close(id) : undefined)).catch(() => undefined);
        for (const stop of unsubscribers) stop();
        sockets.delete(socket);
      });

      sockets.add(socket);
      // Ready once present too: from then on, no push is sent to this user.
      presenceId
        .then(() => subscribe())
        .then(() => sync.currentCursor())
        .then((cursor) => send({ type: 'ready', cursor }))
        .catch(() => socket.close(1011, 'unavailable'));
    },
  );
}

/** How long heartbeat session checks wait for others to go with them. */
const SESSION_CHECK_GATHER_MS = 100;

/**
 * Session checks gathered for SESSION_CHECK_GATHER_MS and made together. Resolves with the session's
 * context, null once it has ended, or undefined when the store could not tell (checked again next time).
 */
function batchedSessionCheck(sessions: SessionsService) {
  let pending = new Map<string, ((context: AuthContext | null | undefined) => void)[]>();
  let timer: NodeJS.Timeout | undefined;
  const flush = async () => {
    timer = undefined;
    const batch = pending;
    pending = new Map();
    const found = await sessions.authenticateMany([...batch.keys()]).catch(() => undefined);
    for (const [token, waiters] of batch)
      for (const resolve of waiters) resolve(found ? found.get(token) : undefined);
  };
  const check = (token: string) =>
    new Promise<AuthContext | null | undefined>((resolve) => {
      const waiters = pending.get(token);
      if (waiters) waiters.push(resolve);
      else pending.set(token, [resolve]);
      if (!timer) {
        timer = setTimeout(() => void flush(), SESSION_CHECK_GATHER_MS);
        timer.unref();
      }
    });
  check.stop = () => clearTimeout(timer);
  return check;
}
