import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../src/domain/rpps';
import { tokenFrom } from '../helpers/smtp-sink';
import { storesUnderTest } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  GOOD_PASSWORD,
  signInAdmin,
  signUpPatient,
  type TestApp,
  totpCode,
} from '../helpers/test-app';

const newPractice = {
  name: 'Cabinet du Parc',
  address: '3 place du Parc',
  postcode: '75011',
  city: 'Paris',
  country: 'FR',
};
// The check digit rule itself is unit-tested against known numbers; here it only builds valid test data.
const withCheckDigit = (payload: string) => `${payload}${luhnCheckDigit(payload)}`;
const VALID_RPPS = '1000123456';

describe.each(storesUnderTest())('practitioners, administrators and two-step verification on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets an administrator register a practitioner, who activates the account, must enrol TOTP, then reaches practice data', async () => {
    const { client: admin } = await signInAdmin(t);
    const rpps = withCheckDigit(VALID_RPPS);
    const created = await admin.post('/api/v1/admin/practitioners', {
      email: 'dr.house@example.org',
      firstName: 'Gregory',
      lastName: 'House',
      specialty: 'Médecine générale',
      rpps: `${rpps.slice(0, 3)} ${rpps.slice(3)}`,
      newPractice,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      rpps,
      verified: false,
      activated: false,
      mfaEnrolled: false,
      practices: [{ name: 'Cabinet du Parc' }],
    });
    const practiceId = created.json().practices[0].id as string;

    const client = t.client();
    const mail = await t.smtp.waitFor('dr.house@example.org', (m) => m.text.includes('/activate#token='));
    expect(
      (
        await client.post('/api/v1/auth/password-reset/confirm', {
          token: tokenFrom(mail),
          password: GOOD_PASSWORD,
        })
      ).statusCode,
    ).toBe(204);
    const login = await client.post('/api/v1/auth/login', {
      email: 'dr.house@example.org',
      password: GOOD_PASSWORD,
    });
    expect(login.json()).toMatchObject({
      mfa: 'enrolment_required',
      memberships: [],
      practitioner: { rpps, verified: false },
    });

    // Before enrolment nothing that touches a practice is reachable.
    const blocked = await client.get(`/api/v1/practices/${practiceId}/members`);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('MISSIVE_MFA_ENROLMENT_REQUIRED');

    const setup = await client.post('/api/v1/auth/totp/setup');
    expect(setup.statusCode).toBe(200);
    const { manualKey, otpauthUri, qrSvg } = setup.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Missive:/);
    expect(qrSvg).toContain('<svg');
    expect((await client.post('/api/v1/auth/totp/enable', { code: '000000' })).json().error.code).toBe(
      'MISSIVE_INVALID_TOTP',
    );
    const enabled = await client.post('/api/v1/auth/totp/enable', { code: await totpCode(t, manualKey) });
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json()).toMatchObject({
      mfa: 'verified',
      memberships: [{ practiceId, role: 'practitioner', isAdmin: true }],
    });
    expect((await client.get(`/api/v1/practices/${practiceId}/members`)).statusCode).toBe(200);

    // The TOTP secret is stored encrypted, never in clear.
    const row = await t.runtime.store.db
      .selectFrom('users')
      .select('totp_secret')
      .where('email', '=', 'dr.house@example.org')
      .executeTakeFirstOrThrow();
    expect(Buffer.from(row.totp_secret!).toString('latin1')).not.toContain(manualKey);

    // A new session needs the code again; the same code cannot be replayed.
    const other = t.client();
    const second = await other.post('/api/v1/auth/login', {
      email: 'dr.house@example.org',
      password: GOOD_PASSWORD,
    });
    expect(second.json().mfa).toBe('required');
    expect((await other.get(`/api/v1/practices/${practiceId}/members`)).json().error.code).toBe(
      'MISSIVE_MFA_REQUIRED',
    );
    const usedCode = await totpCode(t, manualKey);
    expect((await other.post('/api/v1/auth/totp/verify', { code: usedCode })).json().error.code).toBe(
      'MISSIVE_INVALID_TOTP',
    );
    t.clock.advance(30_000);
    const verified = await other.post('/api/v1/auth/totp/verify', { code: await totpCode(t, manualKey) });
    expect(verified.json().mfa).toBe('verified');

    // Verification is the administrator's call.
    const list = await admin.get('/api/v1/admin/practitioners');
    const userId = list
      .json()
      .practitioners.find((p: { email: string }) => p.email === 'dr.house@example.org').userId;
    const verifiedByAdmin = await admin.post(`/api/v1/admin/practitioners/${userId}/verify`);
    expect(verifiedByAdmin.json()).toMatchObject({ verified: true, activated: true, mfaEnrolled: true });
    expect((await client.get('/api/v1/me')).json().practitioner.verified).toBe(true);
  });

  it('refuses an RPPS number with a wrong check digit or length, and creates nothing', async () => {
    const { client: admin } = await signInAdmin(t, 'admin2@example.org');
    const before = (await t.runtime.store.db.selectFrom('users').select('id').execute()).length;
    const good = withCheckDigit('1000999888');
    const wrongDigit = `${good.slice(0, 10)}${(Number(good[10]) + 1) % 10}`;
    for (const rpps of [wrongDigit, '1234567890', '123456789012', 'ABCDEFGHIJK']) {
      const response = await admin.post('/api/v1/admin/practitioners', {
        email: 'x@example.org',
        firstName: 'X',
        lastName: 'Y',
        specialty: 'Cardiologie',
        rpps,
        newPractice,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('MISSIVE_INVALID_RPPS');
    }
    expect((await t.runtime.store.db.selectFrom('users').select('id').execute()).length).toBe(before);
    expect(
      (
        await t.runtime.store.db
          .selectFrom('practices')
          .select('id')
          .where('name', '=', 'Cabinet du Parc')
          .execute()
      ).length,
    ).toBe(1);
  });

  it('hides administration from patients and practitioners', async () => {
    const patient = await signUpPatient(t, 'curious@example.org');
    expect((await patient.get('/api/v1/admin/practitioners')).statusCode).toBe(404);
    expect((await patient.post('/api/v1/admin/practices', newPractice)).statusCode).toBe(404);
    expect((await t.client().get('/api/v1/admin/practitioners')).statusCode).toBe(401);
  });

  it('gives staff a 30-minute idle timeout', async () => {
    const { client: admin } = await signInAdmin(t, 'admin3@example.org');
    t.clock.advance(29 * 60_000);
    expect((await admin.get('/api/v1/admin/practices')).statusCode).toBe(200);
    t.clock.advance(30 * 60_000 + 1);
    expect((await admin.get('/api/v1/admin/practices')).statusCode).toBe(401);
  });

  it('creates a practice from the administration page and lists it', async () => {
    const { client: admin } = await signInAdmin(t, 'admin4@example.org');
    const created = await admin.post('/api/v1/admin/practices', {
      name: 'Studio Medico Verdi',
      address: 'Via Roma 1',
      postcode: '20121',
      city: 'Milano',
      country: 'IT',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ timeZone: 'Europe/Rome', isDemo: false });
    const practices = (await admin.get('/api/v1/admin/practices')).json().practices;
    expect(practices.map((p: { name: string }) => p.name)).toContain('Studio Medico Verdi');
    // A practitioner joins an existing practice.
    const joined = await admin.post('/api/v1/admin/practitioners', {
      email: 'medico@example.org',
      firstName: 'Luca',
      lastName: 'Verdi',
      specialty: 'Medicina generale',
      rpps: withCheckDigit('1000777666'),
      practiceId: created.json().id,
    });
    expect(joined.statusCode).toBe(201);
    const { client } = await activateStaff(t, 'medico@example.org');
    expect((await client.get('/api/v1/me')).json().memberships[0].practiceName).toBe('Studio Medico Verdi');
  });
});
