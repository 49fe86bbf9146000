import { Agent, request as httpRequest } from 'node:http';

/**
 * The load generator's HTTP client: `node:http` over kept-alive connections. The server shares the two
 * cores with the generator, so what the generator spends per request is taken from the server being
 * measured; the built-in `fetch` cost about twice as much per request (docs/performance.md, `send`).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 1_024, scheduling: 'lifo' });

export interface BenchResponse {
  status: number;
  body: string;
  /** The `set-cookie` headers of the answer. */
  cookies: string[];
}

export interface BenchRequest {
  method?: string;
  headers?: Record<string, string>;
  /** A body is sent as JSON. */
  json?: unknown;
  signal?: AbortSignal;
}

export function request(url: string, options: BenchRequest = {}): Promise<BenchResponse> {
  const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string | number> = { ...options.headers };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers,
        agent,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'];
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            cookies: setCookie ?? [],
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
