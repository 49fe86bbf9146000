import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFrom } from '../helpers/smtp-sink';
import { storesUnderTest } from '../helpers/stores';
import { createTestApp, GOOD_PASSWORD, patientInput, signUpPatient, type TestApp } from '../helpers/test-app';

describe.each(storesUnderTest())('patient accounts on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  const countUsers = async () =>
    Number(
      (
        await t.runtime.store.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('signs up, confirms the e-mail from the mailed link, signs in, reads the profile and signs out', async () => {
    const client = t.client();
    const signup = await client.post('/api/v1/auth/signup', patientInput('jeanne@example.org'));
    expect(signup.statusCode).toBe(202);

    // Signing in before confirming the address is refused with a precise reason.
    const early = await client.post('/api/v1/auth/login', {
      email: 'jeanne@example.org',
      password: GOOD_PASSWORD,
    });
    expect(early.statusCode).toBe(403);
    expect(early.json().error.code).toBe('MISSIVE_EMAIL_NOT_VERIFIED');

    const mail = await t.smtp.waitFor('jeanne@example.org');
    expect(mail.subject).toContain('Confirmez votre adresse e-mail');
    expect(mail.text).toContain('http://localhost:3000/verify-email#token=');
    expect((await client.post('/api/v1/auth/verify-email', { token: tokenFrom(mail) })).statusCode).toBe(204);
    // A link works once.
    expect(
      (await client.post('/api/v1/auth/verify-email', { token: tokenFrom(mail) })).json().error.code,
    ).toBe('MISSIVE_INVALID_TOKEN');

    const login = await client.post('/api/v1/auth/login', {
      email: 'Jeanne@Example.org ',
      password: GOOD_PASSWORD,
    });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(login.json()).toMatchObject({
      mfa: 'not_required',
      user: {
        email: 'jeanne@example.org',
        kind: 'patient',
        birthDate: '1951-03-14',
        country: 'FR',
        locale: 'fr',
      },
      memberships: [],
    });

    const me = await client.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.firstName).toBe('Jeanne');

    expect((await client.patch('/api/v1/me', { locale: 'it' })).json().user.locale).toBe('it');

    expect((await client.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await client.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('tells the app whether the device is signed in without an error either way', async () => {
    const signedOut = await t.client().get('/api/v1/session');
    expect(signedOut.statusCode).toBe(200);
    expect(signedOut.json()).toEqual({ me: null });

    const client = await signUpPatient(t, 'session@example.org');
    const signedIn = await client.get('/api/v1/session');
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().me).toEqual((await client.get('/api/v1/me')).json());
    expect(signedIn.json().me.user.email).toBe('session@example.org');

    expect((await client.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await client.get('/api/v1/session')).json()).toEqual({ me: null });
  });

  it('answers a sign-up for an existing address like any other, mails the owner and creates nothing', async () => {
    await signUpPatient(t, 'dup@example.org');
    const before = await countUsers();
    const again = await t
      .client()
      .post('/api/v1/auth/signup', patientInput('DUP@example.org', { firstName: 'Other' }));
    expect(again.statusCode).toBe(202);
    const notice = await t.smtp.waitFor('dup@example.org', (m) => m.subject.includes('Tentative'));
    expect(notice.text).not.toContain('#token=');
    expect(await countUsers()).toBe(before);
  });

  it('refuses short and common passwords with their own codes and writes nothing', async () => {
    const before = await countUsers();
    const short = await t
      .client()
      .post('/api/v1/auth/signup', patientInput('short@example.org', { password: 'tooShort1!' }));
    expect(short.statusCode).toBe(400);
    expect(short.json().error.code).toBe('MISSIVE_WEAK_PASSWORD');
    const common = await t
      .client()
      .post('/api/v1/auth/signup', patientInput('common@example.org', { password: 'password1234' }));
    expect(common.statusCode).toBe(400);
    expect(common.json().error.code).toBe('MISSIVE_COMMON_PASSWORD');
    expect(await countUsers()).toBe(before);
  });

  it('gives the same answer for an unknown address and a wrong password', async () => {
    await signUpPatient(t, 'same@example.org');
    const unknown = await t
      .client()
      .post('/api/v1/auth/login', { email: 'nobody@example.org', password: GOOD_PASSWORD });
    const wrong = await t
      .client()
      .post('/api/v1/auth/login', { email: 'same@example.org', password: 'not the right password' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe(wrong.json().error.code);
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
  });

  it('locks sign-in after repeated failures, tells the owner by mail, and unlocks after the lockout', async () => {
    await signUpPatient(t, 'locked@example.org');
    const codes: string[] = [];
    for (let i = 0; i < t.config.login.maxFailures; i++) {
      codes.push(
        (
          await t
            .client()
            .post('/api/v1/auth/login', { email: 'locked@example.org', password: `wrong password ${i}` })
        ).json().error.code,
      );
    }
    expect(codes.at(-1)).toBe('MISSIVE_ACCOUNT_LOCKED');
    const notice = await t.smtp.waitFor('locked@example.org', (m) => m.subject.includes('bloquée'));
    expect(notice.text).toContain('15 minutes');
    // Even the right password is refused while locked.
    const blocked = await t
      .client()
      .post('/api/v1/auth/login', { email: 'locked@example.org', password: GOOD_PASSWORD });
    expect(blocked.statusCode).toBe(429);
    t.clock.advance(t.config.login.lockoutMs + 1);
    expect(
      (await t.client().post('/api/v1/auth/login', { email: 'locked@example.org', password: GOOD_PASSWORD }))
        .statusCode,
    ).toBe(200);
  });

  it('resets a forgotten password from the mailed link, ends every open session, and keeps the link single-use', async () => {
    const first = await signUpPatient(t, 'forgot@example.org');
    const reset = await t
      .client()
      .post('/api/v1/auth/password-reset/request', { email: 'forgot@example.org' });
    expect(reset.statusCode).toBe(202);
    expect(
      (await t.client().post('/api/v1/auth/password-reset/request', { email: 'ghost@example.org' }))
        .statusCode,
    ).toBe(202);
    const mail = await t.smtp.waitFor('forgot@example.org', (m) => m.text.includes('/reset-password#token='));
    const token = tokenFrom(mail);

    // A refused new password does not burn the link.
    const weak = await t.client().post('/api/v1/auth/password-reset/confirm', { token, password: 'short' });
    expect(weak.json().error.code).toBe('MISSIVE_WEAK_PASSWORD');
    const newPassword = 'a brand new long passphrase';
    expect(
      (await t.client().post('/api/v1/auth/password-reset/confirm', { token, password: newPassword }))
        .statusCode,
    ).toBe(204);
    expect(
      (await t.client().post('/api/v1/auth/password-reset/confirm', { token, password: newPassword })).json()
        .error.code,
    ).toBe('MISSIVE_INVALID_TOKEN');

    expect((await first.get('/api/v1/me')).statusCode).toBe(401);
    expect(
      (await t.client().post('/api/v1/auth/login', { email: 'forgot@example.org', password: GOOD_PASSWORD }))
        .statusCode,
    ).toBe(401);
    expect(
      (await t.client().post('/api/v1/auth/login', { email: 'forgot@example.org', password: newPassword }))
        .statusCode,
    ).toBe(200);
  });

  it('expires a patient session after the idle timeout and any session at its absolute timeout', async () => {
    const idle = await signUpPatient(t, 'idle@example.org');
    t.clock.advance(t.config.session.patientIdleTimeoutMs - 60_000);
    expect((await idle.get('/api/v1/me')).statusCode).toBe(200);
    t.clock.advance(t.config.session.patientIdleTimeoutMs - 60_000);
    expect((await idle.get('/api/v1/me')).statusCode).toBe(200);
    t.clock.advance(t.config.session.patientIdleTimeoutMs + 1);
    expect((await idle.get('/api/v1/me')).statusCode).toBe(401);

    const busy = await signUpPatient(t, 'busy@example.org');
    const steps = Math.ceil(t.config.session.absoluteTimeoutMs / (t.config.session.patientIdleTimeoutMs / 2));
    let last = 200;
    for (let i = 0; i < steps; i++) {
      t.clock.advance(t.config.session.patientIdleTimeoutMs / 2);
      last = (await busy.get('/api/v1/me')).statusCode;
    }
    expect(last).toBe(401);
  });

  it('changes the password with the current one and signs out other devices', async () => {
    const laptop = await signUpPatient(t, 'change@example.org');
    const phone = t.client();
    await phone.post('/api/v1/auth/login', { email: 'change@example.org', password: GOOD_PASSWORD });
    const wrong = await laptop.post('/api/v1/me/password', {
      currentPassword: 'not it at all',
      newPassword: 'another long passphrase',
    });
    expect(wrong.json().error.code).toBe('MISSIVE_INVALID_CREDENTIALS');
    expect(
      (
        await laptop.post('/api/v1/me/password', {
          currentPassword: GOOD_PASSWORD,
          newPassword: 'another long passphrase',
        })
      ).statusCode,
    ).toBe(204);
    expect((await laptop.get('/api/v1/me')).statusCode).toBe(200);
    expect((await phone.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('stores session tokens only as hashes', async () => {
    const client = t.client();
    await signUpPatient(t, 'hash@example.org');
    const login = await client.post('/api/v1/auth/login', {
      email: 'hash@example.org',
      password: GOOD_PASSWORD,
    });
    const token = /missive_session=([^;]+)/.exec(String(login.headers['set-cookie']))?.[1];
    expect(token).toBeTruthy();
    const rows = await t.runtime.store.db.selectFrom('sessions').select('id').execute();
    expect(rows.some((r) => r.id === token)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
  });
});
