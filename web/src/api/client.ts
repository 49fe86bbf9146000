import type { ErrorResponse } from '../../../src/contracts/common';
import type { EmergencyAlert } from '../../../src/contracts/emergency';
import { currentLocale } from '../i18n/setup';

/** Codes the client itself produces, next to the server's MISSIVE_* codes. */
export const NETWORK_ERROR = 'NETWORK_ERROR';
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

export type ApiIssue = { path: string; reason: string };

/** An error answered by the API (or a network failure), carrying the server's stable error code. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly requestId: string | undefined;
  readonly issues: ApiIssue[];
  /** With MISSIVE_EMERGENCY_DETECTED: the alert the server recognised. */
  readonly emergency: EmergencyAlert | undefined;

  constructor(init: {
    code: string;
    status: number;
    message: string;
    requestId?: string;
    issues?: ApiIssue[];
    emergency?: EmergencyAlert;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.issues = init.issues ?? [];
    this.emergency = init.emergency;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Session-level signals the app reacts to: signed out, or a second factor is now needed. */
export type SessionSignal = 'unauthenticated' | 'mfa';
type SessionListener = (signal: SessionSignal) => void;

const listeners = new Set<SessionListener>();

export function onSessionSignal(listener: SessionListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function emit(signal: SessionSignal): void {
  for (const listener of listeners) listener(signal);
}

export type RequestOptions = {
  /** Do not broadcast "signed out" on 401 (the sign-in request and the start-up probe). */
  quietUnauthenticated?: boolean;
  signal?: AbortSignal;
};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function isErrorResponse(value: unknown): value is ErrorResponse {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
  );
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  // The screen's language: what the server words for this screen (an emergency refusal's numbers) follows
  // it, even when this device shows another language than the account's.
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale() };
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal ?? null };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ code: NETWORK_ERROR, status: 0, message: 'The server could not be reached.' });
  }

  const payload = await readJson(response);
  if (response.ok) return payload as T;

  throw toApiError(response.status, payload, options);
}

/** The error for a non-2xx answer; also broadcasts the session signals it implies. */
function toApiError(status: number, payload: unknown, options: RequestOptions = {}): ApiError {
  const error = isErrorResponse(payload)
    ? new ApiError({
        code: payload.error.code,
        status,
        message: payload.error.message,
        requestId: payload.error.requestId,
        ...(payload.error.issues ? { issues: payload.error.issues } : {}),
        ...(payload.error.emergency ? { emergency: payload.error.emergency } : {}),
      })
    : new ApiError({
        code: UNEXPECTED_RESPONSE,
        status,
        message: `HTTP ${status}`,
      });

  if (error.code === 'MISSIVE_UNAUTHENTICATED' && !options.quietUnauthenticated) emit('unauthenticated');
  if (error.code === 'MISSIVE_MFA_REQUIRED' || error.code === 'MISSIVE_MFA_ENROLMENT_REQUIRED') emit('mfa');
  return error;
}

export type UploadPhase = { phase: 'uploading'; loaded: number; total: number } | { phase: 'processing' };

/**
 * POSTs a text file as the raw body with XMLHttpRequest, which (unlike fetch) reports upload progress:
 * `onProgress` gets the bytes sent, then `processing` once the server has the whole file.
 */
export function uploadText<T>(
  path: string,
  text: string,
  contentType: string,
  onProgress: (phase: UploadPhase) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable) return;
      // Once every byte is sent the server is at work: from then on the wait is indeterminate.
      onProgress(
        event.loaded >= event.total
          ? { phase: 'processing' }
          : { phase: 'uploading', loaded: event.loaded, total: event.total },
      );
    };
    xhr.upload.onload = () => onProgress({ phase: 'processing' });
    xhr.onerror = () =>
      reject(new ApiError({ code: NETWORK_ERROR, status: 0, message: 'The server could not be reached.' }));
    xhr.onload = () => {
      let payload: unknown;
      try {
        payload = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        payload = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(payload as T);
      else reject(toApiError(xhr.status, payload));
    };
    onProgress({ phase: 'uploading', loaded: 0, total: text.length });
    xhr.send(text);
  });
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, body, options),
  delete: <T = void>(path: string, options?: RequestOptions) =>
    request<T>('DELETE', path, undefined, options),
};
