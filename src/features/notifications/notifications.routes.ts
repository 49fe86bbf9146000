import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { NotificationPreferencesSchema } from '../../contracts/notifications';
import { authOf, requireAuth } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import type { NotificationsService } from './notifications.service';

export async function registerNotificationsRoutes(
  root: FastifyInstance,
  deps: { notifications: NotificationsService },
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
        body: NotificationPreferencesSchema,
        response: { 200: NotificationPreferencesSchema, ...errors },
      },
    },
    async (request) => deps.notifications.updatePreferences(authOf(request), request.body),
  );
}
