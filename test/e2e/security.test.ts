import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/features/demo/demo.service';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink';
import { seriousViolations } from './helpers/axe';
import { type Browser, openBrowser } from './helpers/browser';
import { type RunningServer, startServer } from './helpers/server';

const run = promisify(execFile);
const path = (page: Page) => new URL(page.url()).pathname;

describe('security screens in the browser: audit export, key rotation while the service runs', () => {
  let smtp: SmtpSink;
  let server: RunningServer;
  const browsers: Browser[] = [];

  async function browser(locale: string): Promise<Page> {
    const opened = await openBrowser({ locale });
    browsers.push(opened);
    return opened.page;
  }

  /** Staff set up two-step verification at their first sign-in (demo accounts are in French). */
  async function signInStaff(page: Page, email: string) {
    await page.goto(`${server.url}/signin`);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => path(page), { timeout: 10_000 }).toBe('/security/enrol');
    await expect.poll(() => page.locator('code.manual-key').isVisible()).toBe(true);
    const secret = ((await page.locator('code.manual-key').textContent()) ?? '').replace(/\s+/g, '');
    await page.getByLabel('Code de vérification').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Activer la vérification en deux étapes' }).click();
    await expect.poll(() => path(page), { timeout: 10_000 }).not.toBe('/security/enrol');
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

  it('lets a practice administrator download the audit trail as CSV', async () => {
    const martin = await browser('fr-FR');
    await signInStaff(martin, 'claire.martin@demo.missive.test');
    await martin.getByRole('navigation').getByRole('link', { name: 'Équipe' }).click();
    await expect
      .poll(() => martin.getByRole('heading', { name: 'Journal d’audit' }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await seriousViolations(martin)).toEqual([]);
    const [download] = await Promise.all([
      martin.waitForEvent('download'),
      martin.getByRole('link', { name: 'Télécharger le journal d’audit (CSV)' }).click(),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, ...rows] = csv.split('\r\n').filter(Boolean);
    expect(header).toBe('"time","actor_name","role","action","patient","ip","user_agent"');
    // The download itself is the last entry, by Dr Martin, from this browser.
    expect(rows.at(-1)).toMatch(
      /^"[^"]+","Claire Martin","practitioner","audit.exported","","[^"]+","[^"]*Chrom/,
    );
  });

  it('shows the operator a key rotation, started from the command line, carried out by the running server', async () => {
    const admin = await browser('fr-FR');
    await signInStaff(admin, 'admin@demo.missive.test');
    await admin.goto(`${server.url}/admin`);
    await expect
      .poll(() => admin.getByText('Les clés n’ont encore jamais été changées.').isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);

    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'MISSIVE_MASTER_KEY', 'MISSIVE_PREVIOUS_MASTER_KEY'])
      delete env[key];
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/missive.ts', 'rotate-keys', '--detach'],
      {
        cwd: resolve(import.meta.dirname, '../..'),
        env: {
          ...env,
          NODE_ENV: 'test',
          DATA_DIR: server.dataDir,
          PUBLIC_URL: server.url,
          SMTP_URL: smtp.url,
        },
      },
    );
    expect(stdout).toContain('The running servers carry on the job');

    // The server switches to the new key, re-encrypts, and confirms once no older key is in use.
    await expect
      .poll(
        async () => {
          await admin.reload();
          await admin.getByRole('heading', { name: 'Clés de chiffrement' }).waitFor();
          return admin.getByText(/Dernier changement de clés terminé le/).isVisible();
        },
        { timeout: 90_000, interval: 3_000 },
      )
      .toBe(true);
    expect(await seriousViolations(admin)).toEqual([]);
  });
});
