import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  NotificationPreferencesSchema,
  NotificationPreferencesUpdateSchema,
  PushKeyResponseSchema,
  PushSubscriptionSchema,
  PushUnsubscribeSchema,
} from '../../contracts/notifications';
import { authOf, requireAuth } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import type { NotificationsService } from './notifications.service';
import type { PushService } from './push.service';

export async function registerNotificationsRoutes(
  root: FastifyInstance,
  deps: { notifications: NotificationsService; push: PushService },
): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const errors = errorResponses;
  app.get(
    '/api/v1/me/notifications',
    {
      preHandler: requireAuth('user'),
      schema: {
        summary: 'Your notification channels',
        tags: ['account'],
        response: { 200: NotificationPreferencesSchema, ...errors },
      },
    },
    async (request) => deps.notifications.getPreferences(authOf(request)),
  );
  app.put(
    '/api/v1/me/notifications',
    {
      preHandler: requireAuth('user'),
      schema: {
        summary: 'Choose your notification channels',
        tags: ['account'],
        body: NotificationPreferencesUpdateSchema,
        response: { 200: NotificationPreferencesSchema, ...errors },
      },
    },
    async (request) => deps.notifications.updatePreferences(authOf(request), request.body),
  );

  app.get(
    '/api/v1/push/key',
    {
      schema: {
        summary: 'The server’s VAPID public key (Web Push applicationServerKey)',
        tags: ['account'],
        response: { 200: PushKeyResponseSchema, ...errors },
      },
    },
    async () => ({ publicKey: await deps.push.publicKey() }),
  );
  app.post(
    '/api/v1/me/push-subscriptions',
    {
      preHandler: requireAuth('user'),
      schema: {
        summary: 'Register this browser’s push subscription',
        tags: ['account'],
        body: PushSubscriptionSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deps.push.subscribe(authOf(request), request.body);
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/api/v1/me/push-subscriptions',
    {
      preHandler: requireAuth('user'),
      schema: {
        summary: 'Remove this browser’s push subscription',
        tags: ['account'],
        body: PushUnsubscribeSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deps.push.unsubscribe(authOf(request), request.body.endpoint);
      return reply.status(204).send(null);
    },
  );
}
