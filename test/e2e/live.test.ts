import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/features/demo/demo.service';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import { seriousViolations } from './helpers/axe';
import { type Browser, openBrowser } from './helpers/browser';
import { type RunningServer, startServer } from './helpers/server';

const path = (page: Page) => new URL(page.url()).pathname;
const visible = (page: Page, text: string | RegExp) => page.getByText(text).first().isVisible();
/** The header's live-connection badge text (its visually hidden prefix included). */
const connection = (page: Page) => page.locator('.connection-status').textContent();

describe('live updates between a patient and a practitioner, each in their own browser', () => {
  let smtp: SmtpSink;
  let server: RunningServer;
  const browsers: Browser[] = [];
  let martinSecret = '';
  let emilyPage: Page | undefined;
  /** Subjects are unique per attempt, so that a retry never finds the first attempt's conversation. */
  let attempt = 0;

  async function browser(locale: string, width = 1280, height = 800): Promise<Browser> {
    const opened = await openBrowser({ locale, width, height });
    browsers.push(opened);
    return opened;
  }

  async function signIn(page: Page, email: string) {
    await page.goto(`${server.url}/signin`);
    await page.getByLabel(/^(E-mail address|Adresse e-mail)$/).fill(email);
    await page.getByLabel(/^(Password|Mot de passe)$/).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startServer({ SMTP_URL: smtp.url, MISSIVE_DEMO: '1' });
  });
  afterAll(async () => {
    for (const opened of browsers) await opened.close();
    await server?.stop();
    await smtp?.close();
  });

  it('shows the patient’s message in the practice inbox and the reply in the patient’s open thread without reload, with unread badges and the connection state', async () => {
    // ----- Dr Martin signs in (two-step enrolment at the first sign-in) and opens her messaging.
    attempt += 1;
    const subject = `Blood pressure readings, attempt ${attempt}`;
    const martin = (await browser('fr-FR')).page;
    await signIn(martin, 'claire.martin@demo.missive.test');
    await expect.poll(() => path(martin), { timeout: 10_000 }).toMatch(/^\/security\/(enrol|verify)$/);
    if (path(martin) === '/security/enrol') {
      await expect.poll(() => martin.locator('code.manual-key').isVisible()).toBe(true);
      martinSecret = ((await martin.locator('code.manual-key').textContent()) ?? '').replace(/\s+/g, '');
      await martin.getByLabel('Code de vérification').fill(await generate({ secret: martinSecret }));
      await martin.getByRole('button', { name: 'Activer la vérification en deux étapes' }).click();
    } else {
      // A retry of this test: already enrolled; a code of the next step, as the last one may be spent.
      await martin
        .getByLabel('Code de vérification')
        .fill(await generate({ secret: martinSecret, epoch: Math.floor(Date.now() / 1000) + 30 }));
      await martin.getByRole('button', { name: 'Valider' }).click();
    }
    await expect.poll(() => path(martin), { timeout: 10_000 }).toBe('/home');
    // Opening messaging has its own browser test (messaging.test.ts): here it goes through the API.
    const opened = await martin.evaluate(async () => {
      const me = await (await fetch('/api/v1/me')).json();
      const url = `/api/v1/practices/${me.memberships[0].practiceId}/practitioners/${me.user.id}/messaging-settings`;
      const settings = await (await fetch(url)).json();
      const response = await fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...settings, open: true }),
      });
      return response.status;
    });
    expect(opened).toBe(200);
    await martin
      .getByRole('navigation')
      .getByRole('link', { name: /^Messagerie/ })
      .click();
    await expect
      .poll(() => martin.getByRole('heading', { level: 1, name: 'Messagerie du cabinet' }).isVisible())
      .toBe(true);
    await expect.poll(() => connection(martin), { timeout: 10_000 }).toContain('En direct');

    // ----- Emily Clarke writes to Dr Martin.
    const emilyBrowser = await browser('en-GB', 360, 740);
    const emily = emilyBrowser.page;
    emilyPage = emily;
    await signIn(emily, 'emily.clarke@demo.missive.test');
    await expect.poll(() => path(emily), { timeout: 10_000 }).toBe('/home');
    await emily.goto(`${server.url}/messages/new`);
    await expect.poll(() => emily.getByLabel(/Health question/).isVisible(), { timeout: 10_000 }).toBe(true);
    await emily.getByLabel(/Health question/).check();
    await emily.getByLabel('Subject').fill(subject);
    await emily
      .getByLabel('Your message')
      .fill('My readings this week were 14/9 in the morning. Should I worry?');
    await emily.getByRole('button', { name: /^Send/ }).click();
    await expect.poll(() => path(emily), { timeout: 10_000 }).toMatch(/^\/messages\/[0-9a-f-]{36}$/);
    await expect.poll(() => connection(emily), { timeout: 10_000 }).toContain('Live');
    expect(await emily.locator('.connection-status').textContent()).toContain('Live updates:');

    // ----- Dr Martin's inbox shows it without reloading, as unread, and her badge counts it.
    const row = martin.getByRole('link', { name: subject });
    await expect.poll(() => row.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await martin.locator('.inbox-row--unread').filter({ hasText: subject }).count()).toBe(1);
    await expect
      .poll(() => martin.getByRole('navigation').locator('.nav-badge').first().textContent(), {
        timeout: 10_000,
      })
      .toBe('1');
    await row.click();
    await expect.poll(() => martin.getByRole('heading', { level: 1, name: subject }).isVisible()).toBe(true);
    await expect
      .poll(() => martin.getByRole('navigation').locator('.nav-badge').count(), { timeout: 10_000 })
      .toBe(0);

    // ----- She answers; the reply appears in Emily's open thread, without reloading.
    const emilyUrl = emily.url();
    await martin
      .getByLabel('Votre message')
      .fill('Ces valeurs sont un peu hautes : notez-les encore une semaine.');
    await martin.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await expect
      .poll(() => emily.locator('.msg__body').last().textContent(), { timeout: 10_000 })
      .toBe('Ces valeurs sont un peu hautes : notez-les encore une semaine.');
    expect(emily.url()).toBe(emilyUrl);
    // Read in the open thread: no unread badge stays for Emily.
    await expect
      .poll(() => emily.getByRole('navigation').locator('.nav-badge').count(), { timeout: 10_000 })
      .toBe(0);

    // ----- Emily goes to her list; a second reply raises her unread badge there, live.
    await emily.getByRole('navigation').getByRole('link', { name: 'Messages' }).click();
    await expect.poll(() => path(emily)).toBe('/messages');
    await martin.getByLabel('Votre message').fill('Et prenez-la assise, après cinq minutes de repos.');
    await martin.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await expect
      .poll(() => emily.getByRole('navigation').locator('.nav-badge').first().textContent(), {
        timeout: 10_000,
      })
      .toBe('1');
    expect(await visible(emily, /1 unread/)).toBe(true);
    expect(await seriousViolations(emily)).toEqual([]);

    // ----- The connection state follows the network, and is announced.
    await emilyBrowser.context.setOffline(true);
    await expect.poll(() => connection(emily), { timeout: 10_000 }).toContain('Offline');
    await expect
      .poll(() => emily.getByTestId('connection-announcer').textContent())
      .toContain('You are offline');
    await emilyBrowser.context.setOffline(false);
    await expect.poll(() => connection(emily), { timeout: 20_000 }).toContain('Live');
    await expect
      .poll(() => emily.getByTestId('connection-announcer').textContent())
      .toContain('Connection restored');

    // ----- The practice's inbox also updates live when Emily writes again from the thread.
    await martin
      .getByRole('navigation')
      .getByRole('link', { name: /^Messagerie/ })
      .click();
    await expect.poll(() => path(martin)).toMatch(/\/inbox$/);
    await expect
      .poll(() => martin.getByRole('heading', { level: 1, name: 'Messagerie du cabinet' }).isVisible())
      .toBe(true);
    await emily.getByRole('link', { name: subject }).click();
    await expect
      .poll(() => emily.getByRole('navigation').locator('.nav-badge').count(), { timeout: 10_000 })
      .toBe(0);
    await emily.getByLabel('Your message').fill('Thank you, I will.');
    await emily.getByRole('button', { name: 'Send', exact: true }).click();
    await expect
      .poll(() => martin.locator('.inbox-row--unread').filter({ hasText: subject }).count(), {
        timeout: 10_000,
      })
      .toBe(1);
  });

  it('lets a patient choose notification channels; a refused browser permission changes nothing', async () => {
    const emily = emilyPage!;
    await emily.getByRole('navigation').getByRole('link', { name: 'Account' }).click();
    await emily.getByRole('link', { name: 'Notification settings' }).click();
    await expect.poll(() => path(emily)).toBe('/account/notifications');
    await expect
      .poll(() => emily.getByRole('heading', { level: 1, name: 'Notifications' }).isVisible())
      .toBe(true);
    const email = emily.getByRole('switch', { name: 'By e-mail' });
    const push = emily.getByRole('switch', { name: 'Notifications on this device' });
    await expect.poll(() => push.isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await email.isChecked()).toBe(true);
    expect(await push.isChecked()).toBe(false);
    expect(await seriousViolations(emily)).toEqual([]);

    // Each switch saves at once (checked once the server has answered).
    await email.click();
    await expect.poll(() => visible(emily, 'Your choice has been saved.'), { timeout: 10_000 }).toBe(true);
    expect(await email.isChecked()).toBe(false);
    const saved = await emily.evaluate(async () => (await fetch('/api/v1/me/notifications')).json());
    expect(saved).toEqual({ email: false, digest: true, push: false });

    // Headless Chromium refuses the permission prompt: the page says so and nothing is turned on.
    await push.click();
    await expect
      .poll(() => visible(emily, 'The browser did not allow notifications, so nothing changed.'), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(await push.isChecked()).toBe(false);
    const after = await emily.evaluate(async () => (await fetch('/api/v1/me/notifications')).json());
    expect(after.push).toBe(false);
  });
});
