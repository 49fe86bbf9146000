import type { z } from 'zod';
import type { MyPractitioner, PracticePatient, Relative } from '../../../../src/contracts/care';
import type { Country, Locale } from '../../../../src/contracts/common';
import type {
  Attachment,
  Category,
  ConversationDetailSchema,
  ConversationStatusSchema,
  ConversationSummary,
  CreateTemplateBodySchema,
  Eligibility,
  Message,
  MessagingSettingsBody,
  PracticeStartConversationBodySchema,
  RenewalDecisionBodySchema,
  StartConversationBody,
  TemplateSchema,
} from '../../../../src/contracts/messaging';
import type { SafetyCheckResponse } from '../../../../src/contracts/safety';
import { ApiError, api, NETWORK_ERROR, request, UNEXPECTED_RESPONSE } from '../../api/client';

// Types only: `import type` keeps zod and the schemas out of the bundle.
export type ConversationDetail = z.infer<typeof ConversationDetailSchema>;
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;
export type Template = z.infer<typeof TemplateSchema>;
export type NewTemplate = z.input<typeof CreateTemplateBodySchema>;
export type PracticeStartBody = z.infer<typeof PracticeStartConversationBodySchema>;
export type RenewalDecision = z.input<typeof RenewalDecisionBodySchema>;
export type { Attachment, Category, ConversationSummary, Eligibility, Message, MessagingSettingsBody };

export type SendBody = {
  clientMessageId: string;
  body: string;
  attachmentIds: string[];
  emergencyAcknowledged: boolean;
};

export type InboxFilters = {
  status?: ConversationStatus | undefined;
  category?: Category | undefined;
  practitionerId?: string | undefined;
  assigneeId?: string | undefined;
  unread?: boolean | undefined;
  overdue?: boolean | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
};

const V1 = '/api/v1';
const segment = encodeURIComponent;

/** "?a=1&b=2" from the defined, non-empty values (none: ""). */
export function queryString(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '' && value !== false) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const practicePath = (practiceId: string) => `${V1}/practices/${segment(practiceId)}`;
const conversationPath = (conversationId: string) => `${V1}/conversations/${segment(conversationId)}`;

export const messagingApi = {
  // ----- Patient side -----
  myPractitioners: () => api.get<{ practitioners: MyPractitioner[] }>(`${V1}/my-practitioners`),
  profiles: () => api.get<{ profiles: Relative[] }>(`${V1}/relatives`),
  eligibility: (query: { practitionerId: string; practiceId: string; patientProfileId: string }) =>
    api.get<Eligibility>(`${V1}/messaging/eligibility${queryString(query)}`),
  start: (body: StartConversationBody) =>
    api.post<{ conversation: ConversationSummary; message: Message }>(`${V1}/conversations`, body),
  mine: () => api.get<{ conversations: ConversationSummary[]; total: number }>(`${V1}/conversations`),

  // ----- Both sides -----
  detail: (conversationId: string) => api.get<ConversationDetail>(conversationPath(conversationId)),
  messages: (conversationId: string, page: { after?: number; before?: number; limit?: number }) =>
    api.get<{ messages: Message[]; hasMore: boolean }>(
      `${conversationPath(conversationId)}/messages${queryString(page)}`,
    ),
  send: (conversationId: string, body: SendBody) =>
    api.post<Message>(`${conversationPath(conversationId)}/messages`, body),
  markRead: (conversationId: string, seq: number) =>
    api.post<{ readSeq: number; unreadTotal: number }>(`${conversationPath(conversationId)}/read`, { seq }),
  unread: () => api.get<{ total: number }>(`${V1}/unread`),
  attachmentUrl: (attachmentId: string) => `${V1}/attachments/${segment(attachmentId)}`,

  // ----- Practice side -----
  inbox: (practiceId: string, filters: InboxFilters) =>
    api.get<{ conversations: ConversationSummary[]; total: number }>(
      `${practicePath(practiceId)}/inbox${queryString(filters)}`,
    ),
  update: (conversationId: string, body: { status?: ConversationStatus; assigneeUserId?: string | null }) =>
    api.patch<ConversationSummary>(conversationPath(conversationId), body),
  decide: (renewalId: string, body: RenewalDecision) =>
    api.post<ConversationSummary>(`${V1}/renewals/${segment(renewalId)}/decision`, body),
  startByPractice: (practiceId: string, body: PracticeStartBody) =>
    api.post<{ conversation: ConversationSummary; message: Message }>(
      `${practicePath(practiceId)}/conversations`,
      body,
    ),
  practicePatients: (practiceId: string, q: string) =>
    api.get<{ patients: PracticePatient[]; total: number }>(
      `${practicePath(practiceId)}/patients${queryString({ q, offset: 0, limit: 20 })}`,
    ),
  settings: (practiceId: string, practitionerId: string) =>
    api.get<MessagingSettingsBody>(
      `${practicePath(practiceId)}/practitioners/${segment(practitionerId)}/messaging-settings`,
    ),
  saveSettings: (practiceId: string, practitionerId: string, body: MessagingSettingsBody) =>
    request<MessagingSettingsBody>(
      'PUT',
      `${practicePath(practiceId)}/practitioners/${segment(practitionerId)}/messaging-settings`,
      body,
    ),
  templates: (practiceId: string) =>
    api.get<{ templates: Template[] }>(`${practicePath(practiceId)}/templates`),
  createTemplate: (practiceId: string, body: NewTemplate) =>
    api.post<Template>(`${practicePath(practiceId)}/templates`, body),
  deleteTemplate: (practiceId: string, templateId: string) =>
    api.delete(`${practicePath(practiceId)}/templates/${segment(templateId)}`),

  // ----- Safety -----
  safetyCheck: (body: { text: string; lang: Locale; country: Country }, signal?: AbortSignal) =>
    api.post<SafetyCheckResponse>(`${V1}/safety/check`, body, signal ? { signal } : {}),
};

/** File types the server accepts (it decides by content; anything else is sent as octet-stream and refused). */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;

function errorFrom(status: number, payload: unknown): ApiError {
  const error =
    typeof payload === 'object' && payload !== null && 'error' in payload
      ? (payload as { error: { code?: unknown; message?: unknown; requestId?: unknown } }).error
      : undefined;
  if (error && typeof error.code === 'string')
    return new ApiError({
      code: error.code,
      status,
      message: typeof error.message === 'string' ? error.message : error.code,
      ...(typeof error.requestId === 'string' ? { requestId: error.requestId } : {}),
    });
  return new ApiError({ code: UNEXPECTED_RESPONSE, status, message: `HTTP ${status}` });
}

/**
 * Uploads one file as the raw request body (XMLHttpRequest, which reports upload progress). The server
 * checks the real type from the content; the name travels URI-encoded in a header.
 */
export function uploadAttachment(
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Attachment> {
  return new Promise<Attachment>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${V1}/attachments`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader(
      'Content-Type',
      (ATTACHMENT_TYPES as readonly string[]).includes(file.type) ? file.type : 'application/octet-stream',
    );
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () =>
      reject(new ApiError({ code: NETWORK_ERROR, status: 0, message: 'The server could not be reached.' }));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    xhr.onload = () => {
      let payload: unknown;
      try {
        payload = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        payload = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(payload as Attachment);
      else reject(errorFrom(xhr.status, payload));
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
