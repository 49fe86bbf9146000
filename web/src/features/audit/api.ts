import type { z } from 'zod';
import type { AccessLogSchema } from '../../../../src/contracts/messaging';
import type { KeyRotationStatus } from '../../../../src/contracts/security';
import { api } from '../../api/client';

// Types only: `import type` keeps zod and the schemas out of the bundle.
export type AccessLog = z.infer<typeof AccessLogSchema>;
export type AccessLogEntry = AccessLog['entries'][number];
export type { KeyRotationStatus };

const V1 = '/api/v1';
const segment = encodeURIComponent;

export const auditApi = {
  keyRotation: () => api.get<KeyRotationStatus>(`${V1}/admin/key-rotation`),
  accessLog: (conversationId: string) =>
    api.get<AccessLog>(`${V1}/conversations/${segment(conversationId)}/access-log`),
  /** A plain link: the browser downloads the CSV as the server streams it. */
  practiceCsvUrl: (practiceId: string, from: string, to: string) =>
    `${V1}/practices/${segment(practiceId)}/audit.csv?${new URLSearchParams({ from, to })}`,
};
