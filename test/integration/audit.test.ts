import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/features/audit/audit.service';
import { applyAuditRetention, retentionCutoff } from '../../src/features/audit/audit-retention';
import { storesUnderTest } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  PARIS_PRACTICE,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
} from '../helpers/test-app';

/** Parses the export (quoted cells, CRLF lines) back into rows. */
function parseCsv(text: string): string[][] {
  return text
    .split('\r\n')
    .filter((line) => line.length > 0)
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"')));
}

describe.each(storesUnderTest())('practice audit export on %s', (kind) => {
  let t: TestApp;
  let doctor: TestClient;
  let colleague: TestClient;
  let otherDoctor: TestClient;
  let jeanne: TestClient;
  let practiceId: string;
  let otherPracticeId: string;
  const today = () => DateTime.fromMillis(t.clock.now(), { zone: 'Europe/Paris' }).toISODate()!;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const { client: admin } = await signInAdmin(t);
    ({ practiceId } = await registerPractitioner(admin, {
      email: 'doctor@example.org',
      rppsPayload: '1000000071',
      practice: { newPractice: PARIS_PRACTICE },
    }));
    doctor = (await activateStaff(t, 'doctor@example.org')).client;
    await registerPractitioner(admin, {
      email: 'colleague@example.org',
      rppsPayload: '1000000081',
      practice: { practiceId, isPracticeAdmin: false },
    });
    colleague = (await activateStaff(t, 'colleague@example.org')).client;
    ({ practiceId: otherPracticeId } = await registerPractitioner(admin, {
      email: 'other@example.org',
      rppsPayload: '1000000091',
      practice: { newPractice: { ...PARIS_PRACTICE, name: 'Cabinet des Roses' } },
    }));
    otherDoctor = (await activateStaff(t, 'other@example.org')).client;
    jeanne = await signUpPatient(t, 'jeanne@example.org');
  });
  afterAll(async () => {
    await t?.close();
  });

  const exportUrl = (id: string, from: string, to: string) =>
    `/api/v1/practices/${id}/audit.csv?from=${from}&to=${to}`;

  it('gives a practice administrator the practice entries of the range, safe to open in a spreadsheet', async () => {
    // The export itself is recorded, with a user agent a spreadsheet would run as a formula.
    const response = await doctor.request('GET', exportUrl(practiceId, today(), today()), undefined, {
      'user-agent': '=HYPERLINK("http://evil.example","x")',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toContain('attachment');
    const [header, ...rows] = parseCsv(response.body);
    expect(header).toEqual(['time', 'actor_name', 'role', 'action', 'patient', 'ip', 'user_agent']);

    const entries = await t.runtime.store.db
      .selectFrom('audit_log')
      .select(['action', 'at'])
      .where('practice_id', '=', practiceId)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r[3])).toEqual(entries.map((e) => e.action));
    expect(rows.map((r) => DateTime.fromISO(r[0]!).toMillis())).toEqual(
      entries.map((e) => Math.floor(e.at / 1000) * 1000),
    );
    const exported = rows.at(-1)!;
    expect(exported).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/),
      'Claire doctor',
      'practitioner',
      'audit.exported',
      '',
      '127.0.0.1',
      `'=HYPERLINK("http://evil.example","x")`,
    ]);
    // Nothing of the other practice.
    expect(response.body).not.toContain('Cabinet des Roses');
    expect(rows.some((r) => r[1] === 'Claire other')).toBe(false);
  });

  it('keeps to the range of days', async () => {
    const response = await doctor.get(exportUrl(practiceId, '2026-01-01', '2026-01-31'));
    expect(response.statusCode).toBe(200);
    expect(parseCsv(response.body)).toHaveLength(1);
    expect((await doctor.get(exportUrl(practiceId, '2026-02-01', '2026-01-31'))).statusCode).toBe(400);
    expect((await doctor.get(`/api/v1/practices/${practiceId}/audit.csv`)).statusCode).toBe(400);
  });

  it('refuses members who are not administrators, other practices and patients', async () => {
    const url = exportUrl(practiceId, today(), today());
    const refused = await colleague.get(url);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('MISSIVE_PRACTICE_ADMIN_ONLY');
    expect((await otherDoctor.get(url)).statusCode).toBe(403);
    expect((await jeanne.get(url)).statusCode).toBe(403);
    expect((await t.client().get(url)).statusCode).toBe(401);
    // The other practice's administrator exports only their own.
    expect((await otherDoctor.get(exportUrl(otherPracticeId, today(), today()))).statusCode).toBe(200);
  });
});

describe.each(storesUnderTest())('audit retention on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await signInAdmin(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const count = async () =>
    Number(
      (
        await t.runtime.store.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('removes entries older than the retention period and the chain still verifies', async () => {
    const db = t.runtime.store.db;
    const before = await count();
    expect(before).toBeGreaterThan(2);
    // Within 24 months nothing goes.
    t.clock.advance(23 * 31 * 86_400_000);
    expect(await applyAuditRetention(t.runtime.store, t.clock, 24)).toBe(0);
    await signUpPatient(t, 'recent@example.org');
    const recent = await count();
    t.clock.advance(60 * 86_400_000);
    const cutoff = retentionCutoff(t.clock.now(), 24);

    expect(await applyAuditRetention(t.runtime.store, t.clock, 24)).toBe(before);
    const left = await db.selectFrom('audit_log').select(['seq', 'at', 'action']).orderBy('seq').execute();
    expect(left.every((e) => e.at >= cutoff)).toBe(true);
    expect(left).toHaveLength(recent - before + 1);
    expect(left.at(-1)!.action).toBe('audit.retention_applied');
    expect(await verifyAuditChain(db)).toEqual({ ok: true, entries: left.length, fromSeq: before + 1 });
    // Applied again, nothing more to remove.
    expect(await applyAuditRetention(t.runtime.store, t.clock, 24)).toBe(0);

    // Deleting more of the oldest entries and moving the anchor over them is detected.
    const victim = await db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq')
      .limit(1)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('audit_log').where('seq', '=', victim.seq).execute();
    await db
      .updateTable('audit_anchor')
      .set({ seq: victim.seq, hash: victim.hash })
      .where('id', '=', 1)
      .execute();
    expect(await verifyAuditChain(db)).toMatchObject({
      ok: false,
      reason: 'unrecorded_truncation',
      brokenAtSeq: victim.seq + 1,
    });
  });
});
