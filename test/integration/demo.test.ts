import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/features/audit/audit.service';
import { DEMO_PASSWORD, hasAnyUser, loadDemo, removeDemo } from '../../src/features/demo/demo.service';
import { storesUnderTest } from '../helpers/stores';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe.each(storesUnderTest())('demo practice on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  const load = () => loadDemo({ store: t.runtime.store, clock: t.clock, ...t.services });

  it('loads a labelled demo practice whose accounts work, and reloads it without duplicates', async () => {
    expect(await hasAnyUser(t.runtime.store)).toBe(false);
    const logins = await load();
    expect(logins.map((l) => l.email)).toContain('claire.martin@demo.missive.test');
    await removeDemo(t.runtime.store);
    expect(await hasAnyUser(t.runtime.store)).toBe(false);
    await load();

    const lucas = t.client();
    expect(
      (
        await lucas.post('/api/v1/auth/login', {
          email: 'lucas.moreau@demo.missive.test',
          password: DEMO_PASSWORD,
        })
      ).statusCode,
    ).toBe(200);
    const mine = (await lucas.get('/api/v1/my-practitioners')).json().practitioners;
    expect(mine.map((p: { patientName: string }) => p.patientName).sort()).toEqual(
      ['Emma Moreau', 'Léo Moreau', 'Lucas Moreau'].sort(),
    );
    expect(mine.every((p: { practiceName: string }) => p.practiceName.includes('démo'))).toBe(true);
    const directory = (await lucas.get('/api/v1/directory/practitioners?city=lyon')).json().practitioners;
    expect(directory.filter((p: { bookable: boolean }) => p.bookable)).toHaveLength(2);

    const staff = t.client();
    expect(
      (
        await staff.post('/api/v1/auth/login', {
          email: 'sophie.bernard@demo.missive.test',
          password: DEMO_PASSWORD,
        })
      ).json().mfa,
    ).toBe('enrolment_required');
    const practices = await t.runtime.store.db.selectFrom('practices').select(['name', 'is_demo']).execute();
    expect(practices).toEqual([{ name: 'Cabinet des Tilleuls (démo)', is_demo: 1 }]);
    expect((await verifyAuditChain(t.runtime.store.db)).ok).toBe(true);
  });
});
