import type {
  NotificationPreferencesBody,
  NotificationPreferencesUpdate,
  PushSubscriptionBody,
} from '../../../../src/contracts/notifications';
import { api, request } from '../../api/client';

const V1 = '/api/v1';

export type NotificationPreferences = NotificationPreferencesBody;

export const notificationsApi = {
  preferences: () => api.get<NotificationPreferences>(`${V1}/me/notifications`),
  update: (body: NotificationPreferencesUpdate) =>
    api.put<NotificationPreferences>(`${V1}/me/notifications`, body),
  pushKey: () => api.get<{ publicKey: string }>(`${V1}/push/key`),
  subscribe: (body: PushSubscriptionBody) => api.post<void>(`${V1}/me/push-subscriptions`, body),
  unsubscribe: (endpoint: string) => request<void>('DELETE', `${V1}/me/push-subscriptions`, { endpoint }),
};
