import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/features/demo/demo.service';
import { type SmtpSink, startSmtpSink, tokenFrom } from '../helpers/smtp-sink';
import { seriousViolations } from './helpers/axe';
import { type Browser, openBrowser } from './helpers/browser';
import { type RunningServer, startServer } from './helpers/server';

describe('accounts in the browser', () => {
  let smtp: SmtpSink;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    // An empty embedded store outside production: the demo practice loads, as after `npm start`.
    server = await startServer({ SMTP_URL: smtp.url, MISSIVE_DEMO: '1' });
    browser = await openBrowser({ locale: 'en-GB' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
  });

  it('signs up, confirms the e-mail from the mail, signs in and out, with no serious accessibility violation', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/signup`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Create your account' }).isVisible())
      .toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('First name').fill('Camille');
    await page.getByLabel('Last name').fill('Laurent');
    await page.getByLabel('Day').fill('27');
    await page.getByLabel('Month').fill('3');
    await page.getByLabel('Year').fill('1984');
    await page.getByLabel('E-mail address').fill('camille@example.org');
    await page.getByLabel('Password', { exact: true }).fill('a long and quiet afternoon');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Confirm your e-mail address' }).isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);

    const mail = await smtp.waitFor(
      'camille@example.org',
      (m) => m.text.includes('/verify-email#token='),
      10_000,
    );
    await page.goto(`${server.url}/verify-email#token=${tokenFrom(mail)}`);
    // The token leaves the address bar once read.
    await expect.poll(() => page.url().includes('token='), { timeout: 10_000 }).toBe(false);

    await page.goto(`${server.url}/signin`);
    await page.getByLabel('E-mail address').fill('camille@example.org');
    await page.getByLabel('Password', { exact: true }).fill('a long and quiet afternoon');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).toBe('/home');
    await expect.poll(() => page.getByText('Camille').first().isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).not.toBe('/home');
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    expect(me).toBe(401);
  });

  it('makes a practitioner set up two-step verification, then asks for the code at the next sign-in', async () => {
    const { page } = browser;
    // Dr Martin's account is in French: once signed in, the app follows the account's language.
    const signIn = async () => {
      await page.goto(`${server.url}/signin`);
      await page.getByLabel(/^(E-mail address|Adresse e-mail)$/).fill('claire.martin@demo.missive.test');
      await page.getByLabel(/^(Password|Mot de passe)$/).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
    };
    await signIn();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).toBe('/security/enrol');
    await expect
      .poll(() =>
        page.getByAltText('QR code à scanner avec votre application d’authentification').isVisible(),
      )
      .toBe(true);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await seriousViolations(page)).toEqual([]);
    const secret = ((await page.locator('code.manual-key').textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByLabel('Code de vérification').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Activer la vérification en deux étapes' }).click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).toBe('/home');
    await expect.poll(() => page.getByText('Cabinet des Tilleuls (démo)').first().isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await signIn();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).toBe('/security/verify');
    // A code of the next 30-second step: the one used at enrolment cannot be replayed.
    await page
      .getByLabel('Code de vérification')
      .fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.getByRole('button', { name: 'Valider' }).click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).toBe('/home');
  });
});
