import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorResponseSchema } from '../../contracts/common';
import { NotificationPreferencesSchema } from '../../contracts/notifications';
import { authOf, requireAuth } from '../../platform/http/auth';
import type { NotificationsService } from './notifications.service';

export async function registerNotificationsRoutes(
  root: FastifyInstance,
  deps: { notifications: NotificationsService },
): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema };
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
        body: NotificationPreferencesSchema,
        response: { 200: NotificationPreferencesSchema, ...errors },
      },
    },
    async (request) => deps.notifications.updatePreferences(authOf(request), request.body),
  );
}
