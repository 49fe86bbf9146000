import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storesUnderTest } from '../helpers/stores';
import { createTestApp, signUpPatient, type TestApp } from '../helpers/test-app';

describe.each(storesUnderTest())('presence leases on %s', (kind) => {
  let t: TestApp;
  let userId: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await signUpPatient(t, 'presence@example.org');
    userId = (
      await t.runtime.store.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'presence@example.org')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    t.services.presence.stop();
    await t?.close();
  });

  it('counts a connection while its lease is renewed, and forgets it once its instance stops renewing', async () => {
    const presence = t.services.presence;
    const many = await Promise.all(Array.from({ length: 20 }, () => presence.open(userId, 60_000)));
    expect(new Set(many).size).toBe(20);
    expect(await presence.isConnected(userId)).toBe(true);
    // Renewed by this instance: still present after the first lease would have run out.
    t.clock.advance(50_000);
    await presence.renewAll();
    t.clock.advance(50_000);
    expect(await presence.isConnected(userId)).toBe(true);
    // An instance that died renews nothing: its leases run out.
    presence.stop();
    t.clock.advance(61_000);
    expect(await presence.isConnected(userId)).toBe(false);
    for (const id of many) await presence.close(id);
    await presence.renewAll();
    const left = await t.runtime.store.db.selectFrom('live_connections').select('id').execute();
    expect(left).toEqual([]);
  });
});
