import { randomUUID } from 'node:crypto';
import { startServer } from '../test/e2e/helpers/server';
import { BENCH_PASSWORD, createFixture } from './lib/fixture';

const fixture = await createFixture('sqlite', 64);
const server = await startServer(fixture.env);
const base = server.url;
const senders: { cookie: string; id: string }[] = [];
for (const p of fixture.patients) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: p.email, password: BENCH_PASSWORD }),
  });
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const c = await fetch(`${base}/api/v1/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({
      practitionerId: fixture.practitionerId,
      practiceId: fixture.practiceId,
      patientProfileId: p.profileId,
      category: 'administrative',
      subject: 'M',
      clientMessageId: randomUUID().replace(/-/g, ''),
      body: 'x',
    }),
  });
  senders.push({ cookie, id: ((await c.json()) as { conversation: { id: string } }).conversation.id });
}
let n = 0;
const lat: number[] = [];
const deadline = performance.now() + 10000;
await Promise.all(
  senders.map(async (s) => {
    while (performance.now() < deadline) {
      const t = performance.now();
      const r = await fetch(`${base}/api/v1/conversations/${s.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: s.cookie },
        body: JSON.stringify({
          clientMessageId: randomUUID().replace(/-/g, ''),
          body: 'Bonjour docteur '.repeat(60),
        }),
      });
      await r.arrayBuffer();
      if (r.status === 201) {
        n++;
        lat.push(performance.now() - t);
      } else console.log(r.status, await r.text());
    }
  }),
);
lat.sort((a, b) => a - b);
console.log(
  'sends/s',
  n / 10,
  'p50',
  lat[Math.floor(lat.length / 2)],
  'p99',
  lat[Math.floor(lat.length * 0.99)],
);
await server.stop();
await fixture.cleanup();
