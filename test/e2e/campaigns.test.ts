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
const PRACTICE = 'Cabinet des Tilleuls (démo)';
const TITLE = 'Vaccination contre la grippe';

describe('campaigns in the browser: a prevention campaign for patients over 65, sent, followed and opted out of', () => {
  let smtp: SmtpSink;
  let server: RunningServer;
  const browsers: Browser[] = [];

  async function browser(locale: string, width = 1280, height = 800): Promise<Page> {
    const opened = await openBrowser({ locale, width, height });
    browsers.push(opened);
    return opened.page;
  }

  async function signIn(page: Page, email: string) {
    await page.goto(`${server.url}/signin`);
    await page.getByLabel(/^(E-mail address|Adresse e-mail|Indirizzo e-mail)$/).fill(email);
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

  it('composes with a live count, sends, shows progress and statistics; the patient opts out and back in', async () => {
    // ----- Dr Martin (French) sets up two-step verification, then opens the practice's campaigns.
    const martin = await browser('fr-FR');
    await signIn(martin, 'claire.martin@demo.missive.test');
    await expect.poll(() => path(martin), { timeout: 10_000 }).toBe('/security/enrol');
    await expect.poll(() => martin.locator('code.manual-key').isVisible()).toBe(true);
    const secret = ((await martin.locator('code.manual-key').textContent()) ?? '').replace(/\s+/g, '');
    await martin.getByLabel('Code de vérification').fill(await generate({ secret }));
    await martin.getByRole('button', { name: 'Activer la vérification en deux étapes' }).click();
    await expect.poll(() => path(martin), { timeout: 10_000 }).toBe('/home');

    await martin.getByRole('navigation').getByRole('link', { name: 'Campagnes' }).click();
    await expect
      .poll(() => martin.getByRole('heading', { level: 1, name: 'Campagnes' }).isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);
    await expect.poll(() => visible(martin, /Aucune campagne pour l’instant/)).toBe(true);
    expect(await seriousViolations(martin)).toEqual([]);
    await martin.getByRole('link', { name: 'Nouvelle campagne' }).click();
    await expect
      .poll(() => martin.getByRole('heading', { level: 1, name: 'Nouvelle campagne' }).isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);

    // The live count starts with every patient in care, relatives included, then follows the audience.
    const count = martin.getByTestId('recipient-count');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('6 patients');
    // A list of patients instead of criteria: matched rows count, the others are reported.
    await martin.getByLabel('D’après une liste (CSV)').check();
    await martin.getByLabel('Liste de patients').setInputFiles({
      name: 'patients.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Nom;Prénom;Date de naissance\nPetit;Jeanne;14/03/1951\nInconnu;Jean;01/01/1960\n'),
    });
    await expect
      .poll(() => visible(martin, '1 patient trouvé sur 2 lignes.'), { timeout: 10_000 })
      .toBe(true);
    expect(await visible(martin, 'Absent des patients du cabinet')).toBe(true);
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1 patient');
    expect(await seriousViolations(martin)).toEqual([]);
    await martin.getByLabel('Par critères').check();
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('6 patients');
    await martin.getByLabel('Prévention').check();
    await martin.getByLabel('Titre').fill(TITLE);
    await martin
      .getByRole('textbox', { name: 'Message' })
      .fill('La vaccination antigrippale est recommandée après 65 ans. Prenez rendez-vous au cabinet.');
    // A document joins the message: uploaded at once, checked like any attachment.
    await martin.locator('input[type="file"][accept*="pdf"]').setInputFiles({
      name: 'vaccination.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2_000, 0x20)]),
    });
    await expect.poll(() => visible(martin, 'vaccination.pdf'), { timeout: 10_000 }).toBe(true);
    await martin.getByLabel(/^Âge minimum/).fill('65');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1 patient');
    expect(await visible(martin, 'Aucun patient de ce public n’a refusé vos campagnes.')).toBe(true);
    // An impossible range is caught before asking the server.
    await martin.getByLabel(/^Âge maximum/).fill('40');
    await expect.poll(() => visible(martin, 'L’âge maximum est inférieur à l’âge minimum.')).toBe(true);
    await martin.getByLabel(/^Âge maximum/).fill('');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1 patient');
    expect(await seriousViolations(martin)).toEqual([]);

    // The content rules must be ticked before sending.
    await martin.getByRole('button', { name: 'Envoyer la campagne' }).click();
    await expect
      .poll(() => visible(martin, 'Cochez les deux règles de contenu pour envoyer la campagne.'))
      .toBe(true);
    expect(await martin.getByRole('dialog').count()).toBe(0);
    await martin.getByLabel('Ce message ne contient aucune publicité.').check();
    await martin.getByLabel('Il ne promeut aucun produit ni service d’un tiers.').check();
    await martin.getByRole('button', { name: 'Envoyer la campagne' }).click();
    const confirm = martin.getByRole('dialog');
    await expect.poll(() => confirm.getByText('Elle atteindra 1 patient.').isVisible()).toBe(true);
    await confirm.getByRole('button', { name: 'Envoyer la campagne' }).click();

    // The campaign page: progress, then the counts and their chart.
    await expect
      .poll(() => martin.getByRole('heading', { level: 1, name: TITLE }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(path(martin)).toMatch(/^\/practices\/[^/]+\/campaigns\/[^/]+$/);
    const campaignUrl = martin.url();
    await expect
      .poll(() => martin.getByRole('progressbar').first().getAttribute('value'), { timeout: 20_000 })
      .toBe('1');
    await expect
      .poll(() => visible(martin, 'Envoyée à tous les destinataires'), { timeout: 20_000 })
      .toBe(true);
    expect(await visible(martin, '1 sur 1')).toBe(true);
    await expect
      .poll(
        () => martin.getByRole('img', { name: /Messages remis, lus et réponses dans le temps/ }).isVisible(),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    // The chart's numbers are also a table.
    await martin.getByRole('button', { name: 'Afficher sous forme de tableau' }).click();
    const table = martin.getByRole('table', { name: 'Messages remis, lus et réponses dans le temps' });
    await expect.poll(() => table.isVisible()).toBe(true);
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Heure', 'Remis', 'Lus']);
    expect(await table.locator('tbody tr').last().locator('td').allTextContents()).toEqual(['1', '0']);
    expect(await seriousViolations(martin)).toEqual([]);

    // ----- Jeanne Petit (75) finds the campaign in her messages, reads it and opts out, on a phone.
    const jeanne = await browser('fr-FR', 360, 740);
    await signIn(jeanne, 'jeanne.petit@demo.missive.test');
    await expect.poll(() => path(jeanne), { timeout: 10_000 }).toBe('/home');
    await jeanne.goto(`${server.url}/messages`);
    // In her list the message is marked as the practice's campaign.
    await expect
      .poll(
        () => jeanne.locator('.msg-row', { hasText: TITLE }).getByText('Campagne du cabinet').isVisible(),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    await jeanne
      .getByRole('link', { name: new RegExp(TITLE) })
      .first()
      .click();
    await expect
      .poll(() => visible(jeanne, /La vaccination antigrippale est recommandée après 65 ans/), {
        timeout: 10_000,
      })
      .toBe(true);
    await expect
      .poll(
        () => jeanne.getByRole('link', { name: 'Télécharger le document : vaccination.pdf' }).isVisible(),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    const stop = jeanne.getByRole('button', { name: `Ne plus recevoir les campagnes de ${PRACTICE}` });
    await expect.poll(() => stop.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await seriousViolations(jeanne)).toEqual([]);
    await stop.click();
    await expect
      .poll(() => visible(jeanne, `Jeanne Petit ne reçoit plus les campagnes de ${PRACTICE}.`), {
        timeout: 10_000,
      })
      .toBe(true);

    // Her account settings show it, and let her change her mind.
    await jeanne.goto(`${server.url}/account`);
    const receive = jeanne.getByRole('switch', { name: 'Recevoir les campagnes' });
    await expect.poll(() => receive.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await receive.isChecked()).toBe(false);
    expect(await seriousViolations(jeanne)).toEqual([]);
    await receive.click();
    await expect.poll(() => receive.isChecked()).toBe(true);
    await jeanne.reload();
    await expect
      .poll(() => jeanne.getByRole('switch', { name: 'Recevoir les campagnes' }).isChecked(), {
        timeout: 10_000,
      })
      .toBe(true);

    // ----- Back on the campaign page, Dr Martin sees that it was read.
    await martin.goto(campaignUrl);
    const read = martin
      .locator('.campaign-figures__item', { hasText: 'Lus' })
      .locator('.campaign-figures__value');
    await expect.poll(() => read.textContent(), { timeout: 10_000 }).toBe('1');
    // The list shows the campaign as sent.
    await martin.getByRole('link', { name: 'Toutes les campagnes' }).click();
    await expect
      .poll(() => martin.getByRole('link', { name: TITLE }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await visible(martin, 'Envoyée')).toBe(true);
  });
});
