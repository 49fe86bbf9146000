import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/features/audit/audit.service';
import { DecryptionError } from '../../src/platform/crypto/keyring';
import { compiledOnce } from '../../src/platform/db/compiled';
import { storesUnderTest } from '../helpers/stores';
import { createTestApp, PUBLIC_URL, patientInput, signUpPatient, type TestApp } from '../helpers/test-app';

describe.each(storesUnderTest())('HTTP hardening, audit chain and encryption on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses state-changing requests from another origin', async () => {
    const crossOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      headers: { origin: 'https://evil.example' },
      payload: patientInput('csrf@example.org'),
    });
    expect(crossOrigin.statusCode).toBe(403);
    expect(crossOrigin.json().error.code).toBe('MISSIVE_CROSS_ORIGIN');
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'sec-fetch-site': 'cross-site' },
      payload: { email: 'a@b.co', password: 'x' },
    });
    expect(crossSite.statusCode).toBe(403);
    const sameOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      headers: { origin: PUBLIC_URL, 'sec-fetch-site': 'same-origin' },
      payload: patientInput('same-origin@example.org'),
    });
    expect(sameOrigin.statusCode).toBe(202);
  });

  it('sends security headers, a request id and no caching of API answers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // Plain HTTP deployments (development) must not pin HSTS.
    expect(response.headers['strict-transport-security']).toBeUndefined();
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(api.statusCode).toBe(401);
    expect(api.headers['cache-control']).toBe('no-store');
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('MISSIVE_NOT_FOUND');
  });

  it('reports readiness from the store', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });

  it('chains every audit entry and detects an edited or deleted entry', async () => {
    await signUpPatient(t, 'audited@example.org');
    const db = t.runtime.store.db;
    const intact = await verifyAuditChain(db);
    expect(intact.ok).toBe(true);
    expect(intact.entries).toBeGreaterThanOrEqual(3);
    const actions = (await db.selectFrom('audit_log').select('action').orderBy('seq').execute()).map(
      (r) => r.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['account.created', 'account.email_verified', 'session.created']),
    );

    const victim = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'account.email_verified')
      .executeTakeFirstOrThrow();
    await db.updateTable('audit_log').set({ actor_role: 'admin' }).where('seq', '=', victim.seq).execute();
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      brokenAtSeq: victim.seq,
      reason: 'hash_mismatch',
    });
    await db
      .updateTable('audit_log')
      .set({ actor_role: victim.actor_role })
      .where('seq', '=', victim.seq)
      .execute();
    expect((await verifyAuditChain(db)).ok).toBe(true);

    await db.deleteFrom('audit_log').where('seq', '=', victim.seq).execute();
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      brokenAtSeq: victim.seq,
      reason: 'missing_entries',
    });
    await db.insertInto('audit_log').values(victim).execute();

    const last = await db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('audit_log').where('seq', '=', last.seq).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, reason: 'missing_entries' });
    await db.insertInto('audit_log').values(last).execute();
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('keeps audit sequence numbers gapless under concurrent writes', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => signUpPatient(t, `parallel${i}@example.org`)));
    const seqs = (
      await t.runtime.store.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()
    ).map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect((await verifyAuditChain(t.runtime.store.db)).ok).toBe(true);
  });

  it('encrypts with the row bound as associated data: moved ciphertext does not decrypt', async () => {
    const keys = t.runtime.keys;
    const record = keys.encrypt('Renouvellement de Lévothyrox 75 µg', 'messages.body:row-1');
    expect(Buffer.from(record).toString('latin1')).not.toContain('Lévothyrox');
    expect(await keys.decryptText(record, 'messages.body:row-1')).toBe('Renouvellement de Lévothyrox 75 µg');
    await expect(keys.decryptText(record, 'messages.body:row-2')).rejects.toBeInstanceOf(DecryptionError);
    const tampered = Buffer.from(record);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
    await expect(keys.decryptText(tampered, 'messages.body:row-1')).rejects.toBeInstanceOf(DecryptionError);
    // Two encryptions of the same text differ (random nonce).
    expect(Buffer.from(keys.encrypt('same', 'a')).equals(Buffer.from(keys.encrypt('same', 'a')))).toBe(false);
  });

  it('retries mail after an SMTP failure, with backoff, and delivers it exactly once', async () => {
    await signUpPatient(t, 'retry@example.org');
    await t.runtime.outbox.drainOnce();
    const before = t.smtp.messages.filter((m) => m.to === 'retry@example.org').length;
    t.smtp.failNext(1);
    await t.client().post('/api/v1/auth/password-reset/request', { email: 'retry@example.org' });
    await t.runtime.outbox.drainOnce();
    const row = await t.runtime.store.db
      .selectFrom('outbox')
      .selectAll()
      .where('done_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/451|Temporary/);
    expect(row.available_at).toBe(t.clock.now() + 30_000);
    // The stored payload is encrypted: the reset link's token is not readable in the table.
    expect(Buffer.from(row.payload).toString('latin1')).not.toContain('reset-password');
    expect(await t.runtime.outbox.drainOnce()).toBe(0);
    t.clock.advance(30_000);
    await t.runtime.outbox.drainOnce();
    const mail = await t.smtp.waitFor('retry@example.org', (m) => m.text.includes('/reset-password#token='));
    expect(mail.subject).toContain('Réinitialisation');
    await t.runtime.outbox.drainOnce();
    expect(t.smtp.messages.filter((m) => m.to === 'retry@example.org').length).toBe(before + 1);
  });

  it('runs migrations once: a second start finds nothing to apply', async () => {
    const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(t.runtime.store.db);
    expect(rows.rows.map((r) => r.name)).toEqual([
      '0001-foundation',
      '0002-care',
      '0003-messaging',
      '0004-notifications',
      '0005-message-indexes',
      '0006-campaigns',
      '0007-web-push',
      '0008-key-rotation',
      '0009-terms-and-rights',
      '0011-inbox-order',
      '0012-campaign-attachments',
      '0013-campaign-pending',
      '0014-campaign-references',
      '0015-inbox-waiting-patient',
    ]);
  });

  it("runs a query compiled once with each call's values, inside and outside a transaction", async () => {
    const db = t.runtime.store.db;
    await signUpPatient(t, 'compiled-once@example.org'); // signed up, verified, signed in: audit entries
    const entries = compiledOnce((q, args: { after: number; limit: number }) =>
      q.selectFrom('audit_log').select('seq').where('seq', '>', args.after).orderBy('seq').limit(args.limit),
    );
    const built = (after: number, limit: number) =>
      db.selectFrom('audit_log').select('seq').where('seq', '>', after).orderBy('seq').limit(limit).execute();
    const first = await entries(db, { after: 0, limit: 3 });
    expect(first).toHaveLength(3);
    expect(first).toEqual(await built(0, 3));
    const next = await entries(db, { after: first[1]!.seq, limit: 2 });
    expect(next).toEqual(await built(first[1]!.seq, 2));
    expect(next[0]).toEqual(first[2]);
    const inside = await db.transaction().execute((trx) => entries(trx, { after: first[0]!.seq, limit: 1 }));
    expect(inside).toEqual([first[1]]);
    await expect(entries(db, { after: 0 } as { after: number; limit: number })).rejects.toThrow(
      'No value for limit',
    );
  });
});

describe.runIf(storesUnderTest().includes('postgres'))('statements kept prepared on postgres', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres');
    await sql`create table prep_probe (id text primary key, n integer not null)`.execute(t.runtime.store.db);
    await sql`insert into prep_probe (id, n) values ('a', 1), ('b', 2)`.execute(t.runtime.store.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  const byId = (db: TestApp['runtime']['store']['db'], id: string) =>
    db
      .selectFrom('prep_probe' as never)
      .selectAll()
      .where(sql<boolean>`id = ${id}`)
      .execute();

  it('prepares a statement with parameters once per connection and runs it again by name', async () => {
    await t.runtime.store.db.connection().execute(async (db) => {
      expect(await byId(db, 'a')).toEqual([{ id: 'a', n: 1 }]);
      expect(await byId(db, 'b')).toEqual([{ id: 'b', n: 2 }]);
      const kept = await sql<{
        name: string;
      }>`select name from pg_prepared_statements where statement like ${'%prep_probe%'}`.execute(db);
      expect(kept.rows).toHaveLength(1);
      expect(kept.rows[0]!.name).toMatch(/^missive_/);
    });
  });

  it('prepares a statement again when a migration changed its columns: outside a transaction the caller sees nothing', async () => {
    await t.runtime.store.db.connection().execute(async (db) => {
      expect(await byId(db, 'a')).toEqual([{ id: 'a', n: 1 }]);
      await sql`alter table prep_probe add column note text`.execute(db);
      expect(await byId(db, 'a')).toEqual([{ id: 'a', n: 1, note: null }]);
      // Inside a transaction the refusal ends the transaction: that caller fails, the next one succeeds.
      await sql`alter table prep_probe add column extra integer`.execute(db);
      await expect(db.transaction().execute((trx) => byId(trx, 'b'))).rejects.toMatchObject({
        code: '0A000',
      });
      expect(await byId(db, 'b')).toEqual([{ id: 'b', n: 2, note: null, extra: null }]);
    });
  });
});
