import { generate } from 'otplib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/features/demo/demo.service';
import { type SmtpSink, startSmtpSink, tokenFrom } from '../helpers/smtp-sink';
import { seriousViolations } from './helpers/axe';
import { type Browser, openBrowser } from './helpers/browser';
import { type RunningServer, startServer } from './helpers/server';

const path = (page: Page) => new URL(page.url()).pathname;

/** "25 November 2026": how the patient's pages write a day, in the practice's time zone. */
const dayInParis = (epochMs: number) =>
  new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  }).format(new Date(epochMs));

describe('booking an appointment and recording the consultation, in two browsers', () => {
  let smtp: SmtpSink;
  let server: RunningServer;
  let patient: Browser;
  let practitioner: Browser;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startServer({ SMTP_URL: smtp.url, MISSIVE_DEMO: '1' });
    patient = await openBrowser({ locale: 'en-GB' });
    practitioner = await openBrowser({ locale: 'fr-FR' });
  });
  afterAll(async () => {
    await patient?.close();
    await practitioner?.close();
    await server?.stop();
    await smtp?.close();
  });

  it('opens every day in 5-minute slots, lets a new patient book the next one, marks it attended, and lists the practitioner as theirs', async () => {
    // ----- The practitioner signs in, sets up two-step verification and opens her hours all day long.
    const doctor = practitioner.page;
    await doctor.goto(`${server.url}/signin`);
    await doctor.getByLabel(/^(E-mail address|Adresse e-mail)$/).fill('claire.martin@demo.missive.test');
    await doctor.getByLabel(/^(Password|Mot de passe)$/).fill(DEMO_PASSWORD);
    await doctor.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
    await expect.poll(() => path(doctor), { timeout: 10_000 }).toBe('/security/enrol');
    await expect.poll(() => doctor.locator('code.manual-key').isVisible()).toBe(true);
    const secret = ((await doctor.locator('code.manual-key').textContent()) ?? '').replace(/\s+/g, '');
    await doctor.getByLabel('Code de vérification').fill(await generate({ secret }));
    await doctor.getByRole('button', { name: 'Activer la vérification en deux étapes' }).click();
    await expect.poll(() => path(doctor), { timeout: 10_000 }).toBe('/home');

    await doctor.getByRole('navigation').getByRole('link', { name: 'Agenda' }).click();
    await expect.poll(() => doctor.getByRole('heading', { level: 1, name: 'Agenda' }).isVisible()).toBe(true);
    await doctor.getByRole('link', { name: 'Horaires d’ouverture' }).click();
    await expect
      .poll(() => doctor.getByRole('heading', { level: 1, name: /Horaires d’ouverture/ }).isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);
    // The demo opens Monday 9:00–12:00 and 14:00–18:00: one period from midnight to 23:55, copied to every day.
    await doctor.getByRole('button', { name: 'Supprimer Lundi, plage 2' }).click();
    await doctor.getByLabel('Début de Lundi, plage 1').fill('00:00');
    await doctor.getByLabel('Fin de Lundi, plage 1').fill('23:55');
    await doctor.getByRole('button', { name: 'Copier le lundi sur tous les jours' }).click();
    await doctor.getByLabel('Durée d’une consultation').selectOption('5');
    await expect.poll(() => doctor.getByLabel('Début de Dimanche, plage 1').inputValue()).toBe('00:00');
    await doctor.getByRole('button', { name: 'Enregistrer les horaires' }).click();
    await expect
      .poll(() => doctor.getByText('Horaires enregistrés.', { exact: false }).isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);

    // ----- A new patient signs up, confirms the address from the mail and signs in.
    const page = patient.page;
    await page.goto(`${server.url}/signup`);
    await page.getByLabel('First name').fill('Nadia');
    await page.getByLabel('Last name').fill('Benali');
    await page.getByLabel('Day').fill('12');
    await page.getByLabel('Month').fill('5');
    await page.getByLabel('Year').fill('1990');
    await page.getByLabel('E-mail address').fill('nadia@example.org');
    await page.getByLabel('Password', { exact: true }).fill('a long and quiet afternoon');
    await page.getByRole('button', { name: 'Create my account' }).click();
    const mail = await smtp.waitFor(
      'nadia@example.org',
      (m) => m.text.includes('/verify-email#token='),
      10_000,
    );
    await page.goto(`${server.url}/verify-email#token=${tokenFrom(mail)}`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Address confirmed' }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    await page.goto(`${server.url}/signin`);
    await page.getByLabel('E-mail address').fill('nadia@example.org');
    await page.getByLabel('Password', { exact: true }).fill('a long and quiet afternoon');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => path(page), { timeout: 10_000 }).toBe('/home');
    // Nobody consulted yet: no practitioner of theirs.
    await expect.poll(() => page.getByText('No practitioner yet.', { exact: false }).isVisible()).toBe(true);

    // ----- The patient finds Dr Martin and books the first free time.
    await page.getByRole('navigation').getByRole('link', { name: 'Appointments' }).click();
    await page.getByRole('link', { name: 'Book an appointment' }).first().click();
    await page.getByLabel('Name').fill('Martin');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: 'See free times with Claire Martin' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Book with Claire Martin' }).isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);
    await expect.poll(() => page.locator('button.slot').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);

    let booked = false;
    // The next slot may start within seconds: if it is gone by the time of confirming, the page says so
    // and offers the times still free, and the patient takes the next one.
    for (let attempt = 0; attempt < 3 && !booked; attempt++) {
      await page.locator('button.slot').first().click();
      const dialog = page.getByRole('dialog', { name: 'Confirm your appointment' });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await expect.poll(() => dialog.getByText('Myself (Nadia Benali)').isVisible()).toBe(true);
      await dialog.getByRole('button', { name: 'Confirm the appointment' }).click();
      await expect
        .poll(
          async () =>
            (await page.getByRole('heading', { level: 1, name: 'Appointment booked' }).isVisible()) ||
            (await page.getByText('This time is no longer free').isVisible()),
          { timeout: 10_000 },
        )
        .toBe(true);
      booked = await page.getByRole('heading', { level: 1, name: 'Appointment booked' }).isVisible();
    }
    expect(booked).toBe(true);
    const bookedAt = Date.now();

    // ----- The practitioner sees it in the agenda and records the consultation (allowed from 30 min before).
    await doctor.getByRole('link', { name: '‹ Retour à l’agenda' }).click();
    const item = doctor.locator('.agenda-item', { hasText: 'Nadia Benali' });
    for (let attempt = 0; attempt < 2; attempt++) {
      await doctor.getByRole('button', { name: 'Actualiser' }).click();
      await expect
        .poll(() => doctor.locator('.agenda-item').count(), { timeout: 10_000 })
        .toBeGreaterThan(-1);
      if (await item.isVisible()) break;
      // Booked a few minutes before midnight: the slot is on the next day.
      await doctor.getByRole('button', { name: 'Jour suivant' }).click();
    }
    await expect.poll(() => item.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => item.getByText('Né(e) le 12/05/1990').isVisible()).toBe(true);
    expect(await seriousViolations(doctor)).toEqual([]);
    await item.getByRole('button', { name: 'Venu Nadia Benali' }).click();
    await expect
      .poll(() => item.getByText('Venu', { exact: true }).isVisible(), { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => item.getByRole('button').count()).toBe(0);

    // ----- Dr Martin is now one of the patient's practitioners, with today's consultation.
    await page.getByRole('navigation').getByRole('link', { name: 'Home' }).click();
    const card = page.locator('.practitioner-card', { hasText: 'Claire Martin' });
    await expect.poll(() => card.isVisible(), { timeout: 10_000 }).toBe(true);
    const cardText = (await card.textContent()) ?? '';
    expect(cardText).toContain('Nadia Benali');
    expect(
      [dayInParis(bookedAt), dayInParis(bookedAt + 10 * 60_000)].some((day) => cardText.includes(day)),
    ).toBe(true);
    await expect.poll(() => card.getByRole('link', { name: /^Book again/ }).isVisible()).toBe(true);
  });
});
