import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFrom } from '../helpers/smtp-sink';
import { storesUnderTest } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  GOOD_PASSWORD,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
  totpCode,
} from '../helpers/test-app';

describe.each(storesUnderTest())('practice teams on %s', (kind) => {
  let t: TestApp;
  let admin: TestClient;
  let lead: TestClient;
  let practiceId: string;
  let otherPractitioner: TestClient;

  const register = async (email: string, rppsPayload: string, practice: Record<string, unknown>) =>
    (await registerPractitioner(admin, { email, rppsPayload, practice, verify: false })).practiceId;

  beforeAll(async () => {
    t = await createTestApp(kind);
    ({ client: admin } = await signInAdmin(t));
    practiceId = await register('lead@example.org', '1000000001', {
      newPractice: {
        name: 'Cabinet des Lilas',
        address: '1 rue des Lilas',
        postcode: '69001',
        city: 'Lyon',
        country: 'FR',
      },
    });
    ({ client: lead } = await activateStaff(t, 'lead@example.org'));
    await register('elsewhere@example.org', '1000000002', {
      newPractice: {
        name: 'Autre cabinet',
        address: '2 rue Autre',
        postcode: '13001',
        city: 'Marseille',
        country: 'FR',
      },
    });
    ({ client: otherPractitioner } = await activateStaff(t, 'elsewhere@example.org'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('invites an assistant by e-mail, who creates an account from the link and joins with the granted rights', async () => {
    const invited = await lead.post(`/api/v1/practices/${practiceId}/invitations`, {
      email: 'assist@example.org',
      role: 'assistant',
      rights: ['messaging', 'agenda'],
      isAdmin: false,
    });
    expect(invited.statusCode).toBe(201);
    const team = await lead.get(`/api/v1/practices/${practiceId}/members`);
    expect(team.json().invitations).toHaveLength(1);

    const mail = await t.smtp.waitFor('assist@example.org');
    expect(mail.subject).toContain('Cabinet des Lilas');
    const token = tokenFrom(mail);
    const visitor = t.client();
    expect((await visitor.post('/api/v1/invitations/preview', { token })).json()).toEqual({
      practiceName: 'Cabinet des Lilas',
      email: 'assist@example.org',
      role: 'assistant',
      accountExists: false,
    });
    const missing = await visitor.post('/api/v1/invitations/accept', { token });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues.map((i: { path: string }) => i.path)).toEqual([
      'firstName',
      'lastName',
      'password',
    ]);
    const accepted = await visitor.post('/api/v1/invitations/accept', {
      token,
      firstName: 'Sophie',
      lastName: 'Bernard',
      password: GOOD_PASSWORD,
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().membership).toMatchObject({
      practiceId,
      role: 'assistant',
      isAdmin: false,
      rights: ['messaging', 'agenda'],
    });
    expect(
      (
        await visitor.post('/api/v1/invitations/accept', {
          token,
          firstName: 'Sophie',
          lastName: 'Bernard',
          password: GOOD_PASSWORD,
        })
      ).json().error.code,
    ).toBe('MISSIVE_INVALID_TOKEN');

    // The assistant is staff: second factor before the team page.
    const assistant = t.client();
    expect(
      (
        await assistant.post('/api/v1/auth/login', { email: 'assist@example.org', password: GOOD_PASSWORD })
      ).json().mfa,
    ).toBe('enrolment_required');
    const secret = (await assistant.post('/api/v1/auth/totp/setup')).json().manualKey;
    await assistant.post('/api/v1/auth/totp/enable', { code: await totpCode(t, secret) });
    const seen = await assistant.get(`/api/v1/practices/${practiceId}/members`);
    expect(seen.statusCode).toBe(200);
    expect(
      seen
        .json()
        .members.map((m: { email: string }) => m.email)
        .sort(),
    ).toEqual(['assist@example.org', 'lead@example.org']);
    // Only team managers see pending invitations (they hold e-mail addresses).
    expect(seen.json().invitations).toEqual([]);
    // An assistant cannot invite or change rights.
    expect(
      (
        await assistant.post(`/api/v1/practices/${practiceId}/invitations`, {
          email: 'x@example.org',
          role: 'assistant',
          rights: [],
        })
      ).statusCode,
    ).toBe(404);
  });

  it('changes rights and removes a member, which cuts access at once for an open session', async () => {
    await lead.post(`/api/v1/practices/${practiceId}/invitations`, {
      email: 'temp@example.org',
      role: 'assistant',
      rights: ['agenda'],
    });
    const token = tokenFrom(await t.smtp.waitFor('temp@example.org'));
    await t.client().post('/api/v1/invitations/accept', {
      token,
      firstName: 'Tim',
      lastName: 'Porary',
      password: GOOD_PASSWORD,
    });
    const temp = t.client();
    await temp.post('/api/v1/auth/login', { email: 'temp@example.org', password: GOOD_PASSWORD });
    const secret = (await temp.post('/api/v1/auth/totp/setup')).json().manualKey;
    await temp.post('/api/v1/auth/totp/enable', { code: await totpCode(t, secret) });
    const userId = (await temp.get('/api/v1/me')).json().user.id;

    const updated = await lead.patch(`/api/v1/practices/${practiceId}/members/${userId}`, {
      rights: ['patients', 'agenda', 'agenda'],
    });
    expect(updated.json()).toMatchObject({ rights: ['agenda', 'patients'], isAdmin: false });
    expect((await temp.get('/api/v1/me')).json().memberships[0].rights).toEqual(['agenda', 'patients']);

    expect((await lead.delete(`/api/v1/practices/${practiceId}/members/${userId}`)).statusCode).toBe(204);
    expect((await temp.get(`/api/v1/practices/${practiceId}/members`)).statusCode).toBe(404);
    expect((await temp.get('/api/v1/me')).json().memberships).toEqual([]);
  });

  it('keeps at least one practice admin', async () => {
    const leadId = (await lead.get('/api/v1/me')).json().user.id;
    const demote = await lead.patch(`/api/v1/practices/${practiceId}/members/${leadId}`, { isAdmin: false });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('MISSIVE_LAST_ADMIN');
    expect((await lead.delete(`/api/v1/practices/${practiceId}/members/${leadId}`)).json().error.code).toBe(
      'MISSIVE_LAST_ADMIN',
    );
  });

  it('shows another practice as not found, to its practitioners and to patients alike', async () => {
    const patient = await signUpPatient(t, 'patient@example.org');
    for (const client of [otherPractitioner, patient]) {
      const response = await client.get(`/api/v1/practices/${practiceId}/members`);
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('MISSIVE_NOT_FOUND');
    }
    const unknown = await lead.get('/api/v1/practices/01234567-89ab-7def-8123-456789abcdef/members');
    expect(unknown.json().error.code).toBe('MISSIVE_NOT_FOUND');
  });

  it('revokes a pending invitation so its link no longer works', async () => {
    const invitation = (
      await lead.post(`/api/v1/practices/${practiceId}/invitations`, {
        email: 'late@example.org',
        role: 'assistant',
        rights: [],
      })
    ).json();
    const token = tokenFrom(await t.smtp.waitFor('late@example.org'));
    expect(
      (await lead.delete(`/api/v1/practices/${practiceId}/invitations/${invitation.id}`)).statusCode,
    ).toBe(204);
    expect((await t.client().post('/api/v1/invitations/preview', { token })).json().error.code).toBe(
      'MISSIVE_INVALID_TOKEN',
    );
  });

  it('refuses to add a patient account to a practice team', async () => {
    await signUpPatient(t, 'patient2@example.org');
    await lead.post(`/api/v1/practices/${practiceId}/invitations`, {
      email: 'patient2@example.org',
      role: 'assistant',
      rights: [],
    });
    const token = tokenFrom(
      await t.smtp.waitFor('patient2@example.org', (m) => m.text.includes('/invitation#token=')),
    );
    const patient = t.client();
    await patient.post('/api/v1/auth/login', { email: 'patient2@example.org', password: GOOD_PASSWORD });
    expect((await patient.post('/api/v1/invitations/preview', { token })).json().accountExists).toBe(true);
    const refused = await patient.post('/api/v1/invitations/accept', { token });
    expect(refused.json().error.code).toBe('MISSIVE_CONFLICT');
  });
});
