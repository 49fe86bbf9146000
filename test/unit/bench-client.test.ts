import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuMeter, cpuMsOf } from '../../bench/lib/cpu';
import { request } from '../../bench/lib/http';

describe('benchmark HTTP client', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        res.statusCode = req.url === '/missing' ? 404 : 201;
        res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            method: req.method,
            type: req.headers['content-type'] ?? null,
            cookie: req.headers.cookie ?? null,
            body,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends a JSON body with the given headers and reads status, body and cookies', async () => {
    const response = await request(`${base}/echo`, {
      method: 'POST',
      headers: { cookie: 'session=x' },
      json: { text: 'Bonjour é' },
    });
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body)).toEqual({
      method: 'POST',
      type: 'application/json',
      cookie: 'session=x',
      body: JSON.stringify({ text: 'Bonjour é' }),
    });
    expect(response.cookies).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it('reports an error status as it came, and a GET without a body', async () => {
    const response = await request(`${base}/missing`);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ method: 'GET', type: null, body: '' });
  });

  it('rejects when the request is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(request(`${base}/echo`, { signal: controller.signal })).rejects.toThrow();
  });
});

describe('benchmark CPU meter', () => {
  it('divides the CPU time of a window among its operations', () => {
    // This process stands for the server, without a PostgreSQL server to count.
    const meter = new CpuMeter(process.pid, false);
    const thread = `/proc/${process.pid}/task/${process.pid}/stat`;
    meter.start();
    // Spins until this thread has had 150 ms of CPU, however busy the machine is (wall-clock time would
    // give less CPU on a loaded machine).
    const from = cpuMsOf(thread);
    let spin = 0;
    while (cpuMsOf(thread) - from < 150) for (let i = 0; i < 100_000; i++) spin++;
    const cpu = meter.stop(10);
    expect(spin).toBeGreaterThan(0);
    expect(cpu).not.toBeNull();
    // The kernel counts in clock ticks (10 ms here): 150 ms of CPU over 10 operations is ~15 ms each.
    expect(cpu!.server).toBeGreaterThan(5);
    expect(cpu!.requestThread).toBeGreaterThan(5);
    expect(cpu!.requestThread).toBeLessThanOrEqual(cpu!.server);
    expect(cpu!.loadGenerator).toBeGreaterThan(5);
    expect(cpu!.database).toBe(0);
    expect(cpu!.total).toBeCloseTo(cpu!.server + cpu!.loadGenerator, 2);
    const ceiling = (availableParallelism() * 1_000) / cpu!.total;
    expect(Math.abs(cpu!.ceilingPerSecond - ceiling) / ceiling).toBeLessThan(0.01);
  });

  it('has nothing to say before it starts or without operations', () => {
    const meter = new CpuMeter(process.pid, false);
    expect(meter.stop(10)).toBeNull();
    meter.start();
    expect(meter.stop(0)).toBeNull();
  });
});
