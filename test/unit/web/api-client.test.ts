import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NETWORK_ERROR, onSessionSignal, request } from '../../../web/src/api/client';

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
