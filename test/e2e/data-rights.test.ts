import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/features/demo/demo.service';
import { seriousViolations } from './helpers/axe';
import { type Browser, openBrowser } from './helpers/browser';
import { type RunningServer, startServer } from './helpers/server';

const EMILY = 'emily.clarke@demo.missive.test';

describe('terms and data rights in the browser', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ MISSIVE_DEMO: '1' });
    browser = await openBrowser({ locale: 'en-GB', width: 390, height: 844 });
    // Demo patients start with the terms accepted: this one has not accepted them yet.
    const db = new Database(join(server.dataDir, 'missive.sqlite'));
    db.prepare('delete from terms_acceptances where user_id = (select id from users where email = ?)').run(
      EMILY,
    );
    db.close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the terms before the first message, then the form once accepted', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/privacy`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Privacy notice', level: 1 }).isVisible())
      .toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${server.url}/signin`);
    await page.getByLabel('E-mail address').fill(EMILY);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.url()).toContain('/home');
    await page.goto(`${server.url}/messages/new`);
    const accept = page.getByRole('button', { name: 'I accept the terms of use' });
    await expect.poll(() => accept.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByRole('heading', { name: 'Before your first message' }).isVisible()).toBe(true);
    expect(await page.getByText('Messaging is free for patients.').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await accept.click();
    await expect.poll(() => accept.count(), { timeout: 10_000 }).toBe(0);
    // Accepted once: the form comes straight away next time.
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'New message' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'I accept the terms of use' }).count()).toBe(0);
  });

  it('downloads a copy of all the data after typing the password again, then closes the account', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/account`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'A copy of your data' }).isVisible())
      .toBe(true);
    await page.getByLabel('Your password, to confirm it is you').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Prepare my data' }).click();
    const link = page.getByRole('link', { name: 'Download the ZIP file' });
    await expect.poll(() => link.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
    expect(JSON.parse(strFromU8(files['profile.json']!)).account.email).toBe(EMILY);

    await page.getByRole('button', { name: 'Close my account…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Your password, to confirm it is you').fill(DEMO_PASSWORD);
    await dialog.getByLabel('I understand that my account will be closed for good').check();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Close my account' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Your account is closed' }).isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);

    await page.goto(`${server.url}/signin`);
    await page.getByLabel('E-mail address').fill(EMILY);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(
        () =>
          page
            .getByText(/incorrect/i)
            .first()
            .isVisible(),
        { timeout: 10_000 },
      )
      .toBe(true);
  });
});
