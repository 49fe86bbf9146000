import { readFile } from 'node:fs/promises';
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

describe('messaging in the browser: a renewal request for a child, triaged, approved and read', () => {
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

  /** Staff set up two-step verification at their first sign-in (demo staff accounts are in French). */
  async function signInStaff(page: Page, email: string) {
    await signIn(page, email);
    await expect.poll(() => path(page), { timeout: 10_000 }).toBe('/security/enrol');
    await expect.poll(() => page.locator('code.manual-key').isVisible()).toBe(true);
    const secret = ((await page.locator('code.manual-key').textContent()) ?? '').replace(/\s+/g, '');
    await page.getByLabel('Code de vérification').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Activer la vérification en deux étapes' }).click();
    await expect.poll(() => path(page), { timeout: 10_000 }).toBe('/home');
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

  it('opens messaging, sends a renewal request for Emma, assigns it, approves it, and shows the decision and the read tick', async () => {
    // ----- Dr Martin, practice administrator, finds her messaging and Dr Dubois's open (the demo is ready to
    // try), closes hers and opens it again: each is an explicit, explained step.
    const martin = await browser('fr-FR');
    await signInStaff(martin, 'claire.martin@demo.missive.test');
    await martin.getByRole('navigation').getByRole('link', { name: 'Messagerie' }).click();
    await expect
      .poll(() => martin.getByRole('heading', { level: 1, name: 'Messagerie du cabinet' }).isVisible())
      .toBe(true);
    await martin.getByRole('link', { name: 'Réglages de la messagerie' }).click();
    await expect
      .poll(() => martin.getByRole('heading', { level: 1, name: 'Réglages de la messagerie' }).isVisible())
      .toBe(true);
    await expect
      .poll(() => visible(martin, /Les patients qui vous ont consulté peuvent vous écrire/), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(await seriousViolations(martin)).toEqual([]);
    await martin.getByRole('button', { name: 'Fermer la messagerie' }).click();
    await martin.getByRole('dialog').getByRole('button', { name: 'Fermer la messagerie' }).click();
    await expect
      .poll(() => visible(martin, 'La messagerie est maintenant fermée.'), { timeout: 10_000 })
      .toBe(true);
    expect(await visible(martin, /Les patients ne peuvent pas vous écrire\./)).toBe(true);
    await martin.getByRole('button', { name: 'Ouvrir la messagerie à mes patients' }).click();
    const confirm = martin.getByRole('dialog');
    await expect.poll(() => confirm.getByText(/n’est pas un service d’urgence/).isVisible()).toBe(true);
    await confirm.getByRole('button', { name: 'Ouvrir la messagerie' }).click();
    await expect
      .poll(() => visible(martin, 'La messagerie est maintenant ouverte.'), { timeout: 10_000 })
      .toBe(true);

    await martin.getByLabel('Praticien', { exact: true }).selectOption({ label: 'Marc Dubois' });
    await expect
      .poll(() => martin.getByRole('heading', { name: /Messagerie de Marc Dubois\s+Ouverte/ }).isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);
    await expect
      .poll(() => visible(martin, /Les patients qui vous ont consulté peuvent vous écrire/), {
        timeout: 10_000,
      })
      .toBe(true);

    // ----- Lucas Moreau writes a renewal request for his daughter Emma (Dr Dubois's patient).
    const lucas = await browser('fr-FR', 360, 740);
    await signIn(lucas, 'lucas.moreau@demo.missive.test');
    await expect.poll(() => path(lucas), { timeout: 10_000 }).toBe('/home');
    await lucas.goto(`${server.url}/messages/new`);
    await expect
      .poll(() => lucas.getByRole('heading', { level: 1, name: 'Nouveau message' }).isVisible())
      .toBe(true);
    // The emergency numbers are there before anything is typed.
    expect(await lucas.locator('a[href="tel:15"]').first().isVisible()).toBe(true);
    expect(await lucas.locator('a[href="tel:112"]').first().isVisible()).toBe(true);
    await lucas.getByLabel(/^Emma Moreau/).check();
    await expect.poll(() => visible(lucas, 'Marc Dubois'), { timeout: 10_000 }).toBe(true);
    await expect
      .poll(() => lucas.getByLabel(/Demande de renouvellement d’ordonnance/).isVisible(), { timeout: 10_000 })
      .toBe(true);
    await lucas.getByLabel(/Demande de renouvellement d’ordonnance/).check();
    expect(await visible(lucas, /Réponse attendue de Marc Dubois sous 3\sjours ouvrés/)).toBe(true);
    expect(await visible(lucas, /ne sont jamais envoyés par la messagerie/)).toBe(true);
    expect(await lucas.getByRole('link', { name: 'Je préfère une consultation' }).first().isVisible()).toBe(
      true,
    );
    await lucas.getByLabel('Médicament').fill('Ventoline 100 µg');
    await lucas.getByLabel('Posologie').fill('2 bouffées si besoin, avant le sport');
    await lucas.getByLabel('Depuis combien de temps').fill('2 ans');
    await lucas.getByRole('textbox', { name: 'Jour', exact: true }).fill('15');
    await lucas.getByRole('textbox', { name: 'Mois', exact: true }).fill('6');
    await lucas.getByRole('textbox', { name: 'Année', exact: true }).fill('2026');
    await lucas.getByLabel(/Autre chose à préciser/).fill('Le flacon actuel est presque vide.');
    expect(await seriousViolations(lucas)).toEqual([]);
    await lucas.getByRole('button', { name: 'Envoyer la demande de renouvellement' }).click();
    await expect.poll(() => path(lucas), { timeout: 10_000 }).toMatch(/^\/messages\/[0-9a-f-]{36}$/);
    await expect.poll(() => visible(lucas, 'Votre message a bien été envoyé.')).toBe(true);
    expect(await visible(lucas, 'Ventoline 100 µg')).toBe(true);
    expect(await visible(lucas, 'En attente de décision')).toBe(true);

    // ----- Sophie Bernard, assistant, sees it in the practice inbox and assigns it to Dr Dubois.
    const sophie = await browser('fr-FR');
    await signInStaff(sophie, 'sophie.bernard@demo.missive.test');
    await sophie
      .getByRole('navigation')
      .getByRole('link', { name: /^Messagerie/ })
      .click();
    const row = sophie.getByRole('link', { name: /Renouvellement\s: Ventoline 100 µg/ });
    await expect.poll(() => row.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await visible(sophie, 'Emma Moreau')).toBe(true);
    expect(await seriousViolations(sophie)).toEqual([]);
    await row.click();
    await expect
      .poll(() => sophie.getByRole('heading', { level: 1, name: /Renouvellement\s: Ventoline/ }).isVisible())
      .toBe(true);
    // An assistant triages but neither decides nor answers a medical request.
    expect(await sophie.getByRole('button', { name: 'Accepter' }).count()).toBe(0);
    expect(await visible(sophie, /Seul un praticien peut répondre aux questions médicales/)).toBe(true);
    await sophie
      .locator('.msg-triage')
      .getByLabel('Attribuée à', { exact: true })
      .selectOption({ label: 'Marc Dubois' });
    await sophie.getByRole('button', { name: 'Attribuer' }).click();
    await expect.poll(() => visible(sophie, 'Attribuée à Marc Dubois.'), { timeout: 10_000 }).toBe(true);

    // ----- Dr Dubois approves it in one step.
    const dubois = await browser('fr-FR');
    await signInStaff(dubois, 'marc.dubois@demo.missive.test');
    await dubois
      .getByRole('navigation')
      .getByRole('link', { name: /^Messagerie/ })
      .click();
    await dubois.getByRole('link', { name: /Renouvellement\s: Ventoline 100 µg/ }).click();
    await expect
      .poll(() => dubois.locator('.inbox-row--current .inbox-row__meta').textContent())
      // Dr Dubois sees the assignment as his own ("à moi") once his session is loaded.
      .toMatch(/Attribuée à (moi|Marc Dubois)/);
    await dubois.getByRole('button', { name: 'Accepter', exact: true }).click();
    const decision = dubois.getByRole('dialog');
    await decision.getByLabel('À la pharmacie').check();
    await decision.getByRole('button', { name: 'Accepter', exact: true }).click();
    await expect
      .poll(() => visible(dubois, 'Acceptée : l’ordonnance est à retirer à la pharmacie.'), {
        timeout: 10_000,
      })
      .toBe(true);

    // ----- He files the conversation in Emma's record: its FHIR Bundle downloads as a file.
    const [download] = await Promise.all([
      dubois.waitForEvent('download'),
      dubois.getByRole('button', { name: 'Exporter cette conversation' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^conversation-[0-9a-f-]{36}\.fhir\.json$/);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(exported).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(
      exported.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType),
    ).toEqual(expect.arrayContaining(['Patient', 'Practitioner', 'Communication', 'MedicationRequest']));
    await expect.poll(() => visible(dubois, 'La conversation a été téléchargée.')).toBe(true);
    expect(await seriousViolations(dubois)).toEqual([]);

    // ----- Lucas sees the decision and that his message was read, without reloading.
    await expect
      .poll(() => visible(lucas, 'Acceptée : retirez votre ordonnance à la pharmacie.'), { timeout: 20_000 })
      .toBe(true);
    await expect
      .poll(() => lucas.locator('.msg--mine .msg__tick--read').count(), { timeout: 20_000 })
      .toBe(1);
    expect(await lucas.locator('.msg--mine .msg__tick--read').textContent()).toContain('Lu');

    // ----- A reply typed offline waits in the reply box's queue and goes out once the connection is back.
    const lucasContext = browsers[1]?.context;
    await lucasContext?.setOffline(true);
    await lucas.getByLabel('Votre message').fill('Merci, je passerai à la pharmacie demain.');
    await lucas.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await expect.poll(() => visible(lucas, /En attente de connexion/), { timeout: 10_000 }).toBe(true);
    expect(await lucas.getByLabel('Votre message').inputValue()).toBe('');
    await lucasContext?.setOffline(false);
    await expect.poll(() => lucas.locator('.msg-pending').count(), { timeout: 20_000 }).toBe(0);
    await expect
      .poll(() => lucas.locator('.msg--mine .msg__body').last().textContent(), { timeout: 20_000 })
      .toBe('Merci, je passerai à la pharmacie demain.');
    expect(await lucas.locator('.msg--mine').count()).toBe(2);
  });

  // The demo opens Dr Martin's messaging.
  it('interrupts a chest-pain message with the emergency numbers before it is sent', async () => {
    const emily = await browser('en-GB');
    await signIn(emily, 'emily.clarke@demo.missive.test');
    await expect.poll(() => path(emily), { timeout: 10_000 }).toBe('/home');
    await emily.getByRole('navigation').getByRole('link', { name: 'Messages' }).click();
    await emily.getByRole('link', { name: 'New message' }).first().click();
    await expect.poll(() => emily.getByLabel(/Health question/).isVisible(), { timeout: 10_000 }).toBe(true);
    await emily.getByLabel(/Health question/).check();
    expect(await visible(emily, 'Answer expected within 2 working days')).toBe(true);
    await emily.getByLabel('Subject').fill('Pain');
    await emily
      .getByLabel('Your message')
      .fill('I have a crushing pain in my chest right now and my left arm is numb');
    const alert = emily.getByRole('alert').filter({ hasText: 'This may be an emergency' });
    await expect.poll(() => alert.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await alert.textContent()).toContain('chest pain');
    expect(await alert.locator('a[href="tel:15"]').isVisible()).toBe(true);
    expect(await alert.locator('a[href="tel:112"]').isVisible()).toBe(true);
    expect(
      await alert.getByRole('button', { name: 'This is not an emergency — send anyway' }).isVisible(),
    ).toBe(true);
    // Nothing was sent: the patient is still on the compose screen and has no conversation.
    expect(path(emily)).toBe('/messages/new');
    const list = await emily.evaluate(async () => (await fetch('/api/v1/conversations')).json());
    expect(list.conversations).toEqual([]);
  });
});
