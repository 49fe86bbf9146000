import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NETWORK_ERROR, onSessionSignal, request, uploadText } from '../../../web/src/api/client';

function respond(status: number, body?: unknown) {
  return vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('API client', () => {
  it('sends JSON with same-origin credentials and returns the parsed body', async () => {
    const fetchMock = respond(200, { ok: true });
    vi.stubGlobal('fetch', fetchMock);
    await expect(request('POST', '/api/v1/things', { name: 'x' })).resolves.toEqual({ ok: true });
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.credentials).toBe('same-origin');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(init.body).toBe('{"name":"x"}');
  });

  it('sends no body and no content type when there is nothing to send', async () => {
    const fetchMock = respond(204);
    vi.stubGlobal('fetch', fetchMock);
    await expect(request('POST', '/api/v1/auth/logout')).resolves.toBeUndefined();
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.body).toBeUndefined();
    expect((init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
  });

  it("throws an ApiError carrying the server's error code", async () => {
    vi.stubGlobal(
      'fetch',
      respond(400, {
        error: {
          code: 'MISSIVE_INVALID_RPPS',
          message: 'bad',
          requestId: 'req-1',
          issues: [{ path: 'rpps', reason: 'custom' }],
        },
      }),
    );
    const error = await request('POST', '/api/v1/admin/practitioners', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'MISSIVE_INVALID_RPPS',
      status: 400,
      requestId: 'req-1',
      issues: [{ path: 'rpps', reason: 'custom' }],
    });
  });

  it('reports a network failure with its own code', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(request('GET', '/api/v1/me')).rejects.toMatchObject({ code: NETWORK_ERROR, status: 0 });
  });

  it('signals "signed out" on MISSIVE_UNAUTHENTICATED, but not for wrong credentials or quiet requests', async () => {
    const signals: string[] = [];
    const stop = onSessionSignal((signal) => signals.push(signal));
    vi.stubGlobal(
      'fetch',
      respond(401, { error: { code: 'MISSIVE_UNAUTHENTICATED', message: '', requestId: 'r' } }),
    );
    await request('GET', '/api/v1/practices/x/members').catch(() => undefined);
    await request('GET', '/api/v1/me', undefined, { quietUnauthenticated: true }).catch(() => undefined);
    vi.stubGlobal(
      'fetch',
      respond(401, { error: { code: 'MISSIVE_INVALID_CREDENTIALS', message: '', requestId: 'r' } }),
    );
    await request('POST', '/api/v1/auth/login', {}).catch(() => undefined);
    stop();
    expect(signals).toEqual(['unauthenticated']);
  });
});

describe('file upload with progress', () => {
  type Listener = ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null;

  /** Just enough of XMLHttpRequest: the test drives the upload events and the answer. */
  class FakeXhr {
    static last: FakeXhr | undefined;
    upload: { onprogress: Listener; onload: (() => void) | null } = { onprogress: null, onload: null };
    headers: Record<string, string> = {};
    method = '';
    url = '';
    body: unknown;
    status = 0;
    responseText = '';
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    constructor() {
      FakeXhr.last = this;
    }
    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    send(body: unknown) {
      this.body = body;
    }
    answer(status: number, body: unknown) {
      this.status = status;
      this.responseText = JSON.stringify(body);
      this.onload?.();
    }
  }

  it('reports the bytes sent, then an indeterminate wait, then resolves with the answer', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const phases: unknown[] = [];
    const done = uploadText<{ imported: number }>('/api/v1/x', 'a,b\n1,2\n', 'text/csv', (phase) =>
      phases.push(phase),
    );
    const xhr = FakeXhr.last as FakeXhr;
    expect(xhr.method).toBe('POST');
    expect(xhr.headers['Content-Type']).toBe('text/csv');
    expect(xhr.body).toBe('a,b\n1,2\n');
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 4, total: 8 });
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 8, total: 8 });
    xhr.answer(200, { imported: 1 });
    await expect(done).resolves.toEqual({ imported: 1 });
    expect(phases).toEqual([
      { phase: 'uploading', loaded: 0, total: 8 },
      { phase: 'uploading', loaded: 4, total: 8 },
      { phase: 'processing' },
    ]);
  });

  it("rejects with the server's error code and issues", async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const done = uploadText('/api/v1/x', 'x', 'text/csv', () => {});
    (FakeXhr.last as FakeXhr).answer(400, {
      error: {
        code: 'MISSIVE_IMPORT_INVALID',
        message: 'bad',
        requestId: 'r',
        issues: [{ path: 'line 2.birthDate', reason: 'invalid_date' }],
      },
    });
    await expect(done).rejects.toMatchObject({
      code: 'MISSIVE_IMPORT_INVALID',
      status: 400,
      issues: [{ path: 'line 2.birthDate', reason: 'invalid_date' }],
    });
  });
});
