import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFrom } from '../helpers/smtp-sink';
import { storesUnderTest } from '../helpers/stores';
import {
  activateStaff,
  createTestApp,
  GOOD_PASSWORD,
  PARIS_PRACTICE,
  registerPractitioner,
  signInAdmin,
  signUpPatient,
  type TestApp,
  type TestClient,
} from '../helpers/test-app';

const ZONE = 'Europe/Paris';
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const local = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat("yyyy-MM-dd'T'HH:mm");
const WEEKDAYS = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, start: '09:00', end: '12:00' },
  { weekday, start: '14:00', end: '17:00' },
]);

describe.each(storesUnderTest())('care relationships on %s', (kind) => {
  let t: TestApp;
  let admin: TestClient;
  let doctor: TestClient;
  let doctorId: string;
  let practiceId: string;
  let jeanne: TestClient;
  let jeanneProfile: string;
  let paul: TestClient;

  const slots = async (client: TestClient, from: string, days = 7) => {
    const response = await client.get(
      `/api/v1/directory/practitioners/${doctorId}/slots?practiceId=${practiceId}&from=${from}&days=${days}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    return (response.json().slots as { startsAt: number }[]).map((s) => s.startsAt);
  };
  const book = (client: TestClient, startsAt: number, patientProfileId: string) =>
    client.post('/api/v1/appointments', { practitionerId: doctorId, practiceId, startsAt, patientProfileId });
  const selfProfile = async (client: TestClient) =>
    ((await client.get('/api/v1/relatives')).json().profiles as { id: string; relationship: string }[]).find(
      (p) => p.relationship === 'self',
    )!.id;

  beforeAll(async () => {
    t = await createTestApp(kind);
    ({ client: admin } = await signInAdmin(t));
    ({ userId: doctorId, practiceId } = await registerPractitioner(admin, {
      email: 'doctor@example.org',
      rppsPayload: '1000000011',
      lastName: 'Martin',
      practice: { newPractice: PARIS_PRACTICE },
    }));
    ({ client: doctor } = await activateStaff(t, 'doctor@example.org'));
    const put = await doctor.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/schedule`,
      { slotMinutes: 20, bookingHorizonDays: 365, periods: WEEKDAYS },
    );
    expect(put.statusCode, put.body).toBe(200);
    jeanne = await signUpPatient(t, 'jeanne@example.org');
    jeanneProfile = await selfProfile(jeanne);
    paul = await signUpPatient(t, 'paul@example.org', {
      firstName: 'Paul',
      lastName: 'Durand',
      birthDate: '1980-05-05',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('generates slots from the weekly hours, without closures, past times or booked slots', async () => {
    // The test clock stands on Monday 2 November 2026, a little after 10:00 in Paris: 10:00 has passed.
    const monday = await slots(jeanne, '2026-11-02', 1);
    expect(local(monday[0]!)).toBe('2026-11-02T10:20');
    expect(monday.map(local)).toContain('2026-11-02T16:40');
    expect(monday).toHaveLength(5 + 9);
    const week = await slots(jeanne, '2026-11-09', 7);
    expect(week).toHaveLength(5 * 18);

    const closure = await doctor.post(
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/schedule/exceptions`,
      { startsOn: '2026-11-11', endsOn: '2026-11-11', label: 'Armistice' },
    );
    expect(closure.statusCode).toBe(201);
    expect((await slots(jeanne, '2026-11-09', 7)).map(local).some((s) => s.startsWith('2026-11-11'))).toBe(
      false,
    );
  });

  it('handles daylight-saving changes in the practice time zone', async () => {
    const put = await doctor.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/schedule`,
      {
        slotMinutes: 30,
        bookingHorizonDays: 365,
        periods: [...WEEKDAYS, { weekday: 7, start: '01:00', end: '04:00' }],
      },
    );
    expect(put.statusCode).toBe(200);
    // Spring forward: 02:00–03:00 does not exist on 28 March 2027.
    expect((await slots(jeanne, '2027-03-28', 1)).map(local)).toEqual([
      '2027-03-28T01:00',
      '2027-03-28T01:30',
      '2027-03-28T03:00',
      '2027-03-28T03:30',
    ]);
    // Fall back: 02:00–03:00 happens twice on 31 October 2027; each slot is offered once.
    const fallBack = await slots(jeanne, '2027-10-31', 1);
    expect(fallBack.map(local)).toEqual([
      '2027-10-31T01:00',
      '2027-10-31T01:30',
      '2027-10-31T02:00',
      '2027-10-31T02:30',
      '2027-10-31T03:00',
      '2027-10-31T03:30',
    ]);
    expect(new Set(fallBack).size).toBe(6);
    await doctor.request('PUT', `/api/v1/practices/${practiceId}/practitioners/${doctorId}/schedule`, {
      slotMinutes: 20,
      bookingHorizonDays: 365,
      periods: WEEKDAYS,
    });
  });

  it('refuses overlapping opening hours', async () => {
    const response = await doctor.request(
      'PUT',
      `/api/v1/practices/${practiceId}/practitioners/${doctorId}/schedule`,
      {
        slotMinutes: 20,
        periods: [
          { weekday: 1, start: '09:00', end: '12:00' },
          { weekday: 1, start: '11:00', end: '13:00' },
        ],
      },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('MISSIVE_INVALID_SCHEDULE');
  });

  it('finds verified practitioners by name, specialty and city only', async () => {
    await registerPractitioner(admin, {
      email: 'unverified@example.org',
      rppsPayload: '1000000012',
      lastName: 'Martinez',
      practice: { practiceId },
      verify: false,
    });
    const byName = (await jeanne.get('/api/v1/directory/practitioners?q=mart')).json().practitioners;
    expect(byName.map((p: { lastName: string }) => p.lastName)).toEqual(['Martin']);
    expect(byName[0]).toMatchObject({ practiceName: 'Cabinet des Lilas', city: 'Paris', bookable: true });
    expect(
      (await jeanne.get('/api/v1/directory/practitioners?city=paris&specialty=générale')).json()
        .practitioners,
    ).toHaveLength(1);
    expect((await jeanne.get('/api/v1/directory/practitioners?city=Lyon')).json().practitioners).toHaveLength(
      0,
    ); // Several words, any order, without accents or capitals; and one practitioner by id (booking links).
    const full = (
      await jeanne.get('/api/v1/directory/practitioners?q=MARTIN%20claire&specialty=generale')
    ).json().practitioners;
    expect(full.map((p: { practitionerId: string }) => p.practitionerId)).toEqual([doctorId]);
    expect(full[0].phone).toBeNull();
    expect(
      (await jeanne.get(`/api/v1/directory/practitioners?practitionerId=${doctorId}`)).json().practitioners,
    ).toHaveLength(1);
    expect(
      (await jeanne.get('/api/v1/directory/practitioners?q=claire%20dupont')).json().practitioners,
    ).toEqual([]);
    expect((await jeanne.get('/api/v1/relatives')).json().profiles).toEqual([
      expect.objectContaining({ relationship: 'self', isYou: true }),
    ]);
  });

  it('books a free slot once, even when many patients try the same slot at the same moment', async () => {
    const [first, second] = await slots(jeanne, '2026-11-16', 1);
    const booked = await book(jeanne, first!, jeanneProfile);
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({
      status: 'booked',
      practitionerName: 'Claire Martin',
      patientName: 'Jeanne Petit',
      cancellable: true,
    });
    const again = await book(paul, first!, await selfProfile(paul));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('MISSIVE_SLOT_UNAVAILABLE');
    expect(await slots(jeanne, '2026-11-16', 1)).not.toContain(first);

    const racers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        signUpPatient(t, `racer${i}@example.org`, { firstName: `Racer${i}` }),
      ),
    );
    const profiles = await Promise.all(racers.map(selfProfile));
    const results = await Promise.all(racers.map((client, i) => book(client, second!, profiles[i]!)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(5);
    const rows = await t.runtime.store.db
      .selectFrom('appointments')
      .select('id')
      .where('starts_at', '=', second!)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses times that are not slots and profiles that are not yours', async () => {
    const [slot] = await slots(jeanne, '2026-11-17', 1);
    expect((await book(jeanne, slot! + 60_000, jeanneProfile)).json().error.code).toBe(
      'MISSIVE_SLOT_UNAVAILABLE',
    );
    expect((await book(jeanne, at('2026-11-15T10:00'), jeanneProfile)).json().error.code).toBe(
      'MISSIVE_SLOT_UNAVAILABLE',
    );
    expect((await book(paul, slot!, jeanneProfile)).statusCode).toBe(404);
    expect((await book(doctor, slot!, jeanneProfile)).statusCode).toBe(404);
  });

  it('lets the patient cancel before the deadline only, with the deadline set by the practice', async () => {
    const [slot] = await slots(jeanne, '2026-11-03', 1);
    const appointment = (await book(jeanne, slot!, jeanneProfile)).json();
    const settings = await doctor.patch(`/api/v1/practices/${practiceId}/settings`, {
      cancellationDeadlineHours: 48,
    });
    expect(settings.json().cancellationDeadlineHours).toBe(48);
    const late = await jeanne.post(`/api/v1/appointments/${appointment.id}/cancel`, {});
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('MISSIVE_CANCELLATION_TOO_LATE');
    await doctor.patch(`/api/v1/practices/${practiceId}/settings`, { cancellationDeadlineHours: 12 });
    const cancelled = await jeanne.post(`/api/v1/appointments/${appointment.id}/cancel`, {
      reason: 'Empêchement',
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancellable: false });
    // The freed slot can be booked again.
    expect((await book(paul, slot!, await selfProfile(paul))).statusCode).toBe(201);
  });

  it('shows the agenda to members with the agenda right, and marks attendance only when it can have happened', async () => {
    // The next slot today, so that moving the clock to it keeps everyone's session alive.
    const [slot] = await slots(jeanne, '2026-11-02', 1);
    expect(slot! - t.clock.now()).toBeLessThan(20 * 60_000);
    const appointment = (await book(jeanne, slot!, jeanneProfile)).json();
    const agenda = await doctor.get(`/api/v1/practices/${practiceId}/agenda?from=2026-11-02&days=1`);
    expect(agenda.statusCode).toBe(200);
    expect(agenda.json().appointments).toEqual([
      expect.objectContaining({
        id: appointment.id,
        patientName: 'Jeanne Petit',
        patientBirthDate: '1951-03-14',
      }),
    ]);
    expect((await jeanne.get(`/api/v1/practices/${practiceId}/agenda?from=2026-11-02`)).statusCode).toBe(404);

    // No-show only once started; attended from 30 minutes before (patients are often seen early).
    const noShow = await doctor.post(
      `/api/v1/practices/${practiceId}/appointments/${appointment.id}/attendance`,
      { status: 'no_show' },
    );
    expect(noShow.json().error.code).toBe('MISSIVE_APPOINTMENT_NOT_STARTED');
    const [later] = await slots(jeanne, '2026-11-05', 1);
    const tomorrow = (await book(jeanne, later!, jeanneProfile)).json();
    const early = await doctor.post(
      `/api/v1/practices/${practiceId}/appointments/${tomorrow.id}/attendance`,
      { status: 'attended' },
    );
    expect(early.json().error.code).toBe('MISSIVE_APPOINTMENT_NOT_STARTED');
    expect((await jeanne.get('/api/v1/my-practitioners')).json().practitioners).toEqual([]);

    t.clock.set(slot! + 60_000);
    const attended = await doctor.post(
      `/api/v1/practices/${practiceId}/appointments/${appointment.id}/attendance`,
      { status: 'attended' },
    );
    expect(attended.json().status).toBe('attended');
    expect(
      (
        await doctor.post(`/api/v1/practices/${practiceId}/appointments/${appointment.id}/attendance`, {
          status: 'no_show',
        })
      ).json().error.code,
    ).toBe('MISSIVE_INVALID_TRANSITION');

    const mine = (await jeanne.get('/api/v1/my-practitioners')).json().practitioners;
    expect(mine).toEqual([
      expect.objectContaining({
        practitionerId: doctorId,
        lastName: 'Martin',
        practiceId,
        patientProfileId: jeanneProfile,
        lastConsultationAt: slot,
      }),
    ]);
    const list = (await doctor.get(`/api/v1/practices/${practiceId}/patients`)).json();
    expect(list.patients).toEqual([
      expect.objectContaining({ lastName: 'Petit', linked: true, lastConsultationAt: slot }),
    ]);
  });

  it('cancels from the practice and tells the patient by mail without the reason', async () => {
    const [slot] = await slots(jeanne, '2026-11-20', 1);
    const appointment = (await book(jeanne, slot!, jeanneProfile)).json();
    const cancelled = await doctor.post(
      `/api/v1/practices/${practiceId}/appointments/${appointment.id}/cancel`,
      { reason: 'Résultats de la prise de sang à revoir' },
    );
    expect(cancelled.json()).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Résultats de la prise de sang à revoir',
    });
    const mail = await t.smtp.waitFor('jeanne@example.org', (m) => m.subject.includes('annulé'));
    expect(mail.text).toContain('Cabinet des Lilas');
    expect(mail.text).not.toContain('prise de sang');
  });

  it('tags patients and filters the list by tag', async () => {
    const list = (await doctor.get(`/api/v1/practices/${practiceId}/patients`)).json();
    const id = list.patients[0].id;
    const tagged = await doctor.request('PUT', `/api/v1/practices/${practiceId}/patients/${id}/tags`, {
      tags: ['Diabetes', 'asthma', 'diabetes'],
    });
    expect(tagged.json().tags).toEqual(['asthma', 'diabetes']);
    const filtered = (await doctor.get(`/api/v1/practices/${practiceId}/patients?tag=diabetes`)).json();
    expect(filtered.patients.map((p: { id: string }) => p.id)).toEqual([id]);
    expect(filtered.tags).toEqual(['asthma', 'diabetes']);
    expect((await doctor.get(`/api/v1/practices/${practiceId}/patients?tag=copd`)).json().patients).toEqual(
      [],
    );
  });

  it('imports past consultations all-or-nothing, and invites the patients to link their account', async () => {
    const countRecords = async () =>
      (
        await t.runtime.store.db
          .selectFrom('practice_patients')
          .select('id')
          .where('practice_id', '=', practiceId)
          .execute()
      ).length;
    const before = await countRecords();
    const bad = [
      'Nom;Prénom;Date de naissance;E-mail;Dernière consultation',
      'Durand;Paul;05/05/1980;paul@example.org;12/10/2026',
      'Blanc;Léa;31/02/1990;lea@example.org;01/09/2026',
      'Durand;Paul;05/05/1980;;01/01/2026',
      ';Hugo;01/01/2000;;01/01/2026',
      'Noir;Jean;01/01/1970;not-an-email;01/01/2030',
    ].join('\n');
    const preview = await doctor.request(
      'POST',
      `/api/v1/practices/${practiceId}/imports/preview?practitionerId=${doctorId}`,
      bad,
      { 'content-type': 'text/csv' },
    );
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ totalRows: 5, validRows: 1, errorCount: 5 });
    expect(preview.json().errors).toEqual(
      expect.arrayContaining([
        { line: 3, field: 'birthDate', reason: 'invalid_date' },
        { line: 4, field: 'row', reason: 'duplicate' },
        { line: 5, field: 'lastName', reason: 'missing' },
        { line: 6, field: 'email', reason: 'invalid_email' },
        { line: 6, field: 'lastConsultationOn', reason: 'future_date' },
      ]),
    );
    const refused = await doctor.request(
      'POST',
      `/api/v1/practices/${practiceId}/imports?practitionerId=${doctorId}`,
      bad,
      { 'content-type': 'text/csv' },
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('MISSIVE_IMPORT_INVALID');
    expect(await countRecords()).toBe(before);

    const good = [
      'last name,first name,birth date,email,last consultation',
      'Durand,Paul,1980-05-05,paul@example.org,2026-10-12',
      'Petit,Jeanne,14/03/1951,,2025-01-01',
      'Blanc,Léa,2015-06-01,paul@example.org,2026-09-01',
    ].join('\n');
    const imported = await doctor.request(
      'POST',
      `/api/v1/practices/${practiceId}/imports?practitionerId=${doctorId}`,
      good,
      { 'content-type': 'text/csv' },
    );
    expect(imported.statusCode, imported.body).toBe(200);
    // Jeanne is already a patient (attended appointment): refreshed, not duplicated, and her later visit is kept.
    expect(imported.json()).toEqual({ imported: 3, created: 2, updated: 1, invitations: 2 });
    const jeanneRow = (await doctor.get(`/api/v1/practices/${practiceId}/patients?q=petit`)).json()
      .patients[0];
    expect(jeanneRow.lastConsultationAt).toBeGreaterThan(at('2026-11-01T00:00'));

    // Paul links the record for himself, and the one for his daughter as a new relative profile.
    const mails = t.smtp.messages.filter(
      (m) => m.to === 'paul@example.org' && m.text.includes('/patient-invitation#token='),
    );
    await t.runtime.outbox.drainOnce();
    const invitations =
      mails.length === 2
        ? mails
        : t.smtp.messages.filter(
            (m) => m.to === 'paul@example.org' && m.text.includes('/patient-invitation#token='),
          );
    expect(invitations).toHaveLength(2);
    const previews = await Promise.all(
      invitations.map((m) => t.client().post('/api/v1/patient-invitations/preview', { token: tokenFrom(m) })),
    );
    const forPaul = invitations[previews.findIndex((p) => p.json().firstName === 'Paul')]!;
    const forLea = invitations[previews.findIndex((p) => p.json().firstName === 'Léa')]!;
    expect(previews.map((p) => p.json().practiceName)).toEqual(['Cabinet des Lilas', 'Cabinet des Lilas']);

    const paulProfile = await selfProfile(paul);
    const wrong = await paul.post('/api/v1/patient-invitations/accept', {
      token: tokenFrom(forLea),
      patientProfileId: paulProfile,
    });
    expect(wrong.json().error).toMatchObject({
      code: 'MISSIVE_CONFLICT',
      issues: [{ reason: 'birth_date_mismatch' }],
    });
    expect(
      (
        await paul.post('/api/v1/patient-invitations/accept', {
          token: tokenFrom(forPaul),
          patientProfileId: paulProfile,
        })
      ).statusCode,
    ).toBe(200);
    const lea = await paul.post('/api/v1/patient-invitations/accept', {
      token: tokenFrom(forLea),
      createRelative: 'child',
    });
    expect(lea.statusCode).toBe(200);
    expect(
      (
        await paul.post('/api/v1/patient-invitations/accept', {
          token: tokenFrom(forLea),
          createRelative: 'child',
        })
      ).json().error.code,
    ).toBe('MISSIVE_INVALID_TOKEN');

    const mine = (await paul.get('/api/v1/my-practitioners')).json().practitioners;
    expect(mine.map((p: { patientName: string }) => p.patientName).sort()).toEqual([
      'Léa Blanc',
      'Paul Durand',
    ]);
    expect(
      mine.find((p: { patientName: string }) => p.patientName === 'Paul Durand').lastConsultationAt,
    ).toBe(at('2026-10-12T00:00'));
  });

  it('imports a large file in bulk chunks', async () => {
    const lines = ['nom,prenom,date de naissance,email,derniere consultation'];
    for (let i = 0; i < 3_000; i++)
      lines.push(
        `Patient${i},Test,${1950 + (i % 50)}-01-${String((i % 28) + 1).padStart(2, '0')},,2026-01-15`,
      );
    const imported = await doctor.request(
      'POST',
      `/api/v1/practices/${practiceId}/imports?practitionerId=${doctorId}`,
      lines.join('\n'),
      { 'content-type': 'text/csv' },
    );
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ imported: 3_000, created: 3_000, updated: 0, invitations: 0 });
    expect(
      (await doctor.get(`/api/v1/practices/${practiceId}/patients?q=patient29&limit=200`)).json().total,
    ).toBe(111);
  });

  it('manages relatives, and gives a teenager their own confidential account', async () => {
    const child = await jeanne.post('/api/v1/relatives', {
      relationship: 'child',
      firstName: 'Tom',
      lastName: 'Petit',
      birthDate: '2010-01-15',
    });
    expect(child.statusCode).toBe(201);
    expect(child.json()).toMatchObject({ ownAccount: false, mayHoldOwnAccount: true });
    const young = (
      await jeanne.post('/api/v1/relatives', {
        relationship: 'child',
        firstName: 'Zoé',
        lastName: 'Petit',
        birthDate: '2019-01-15',
      })
    ).json();
    expect(young.mayHoldOwnAccount).toBe(false);
    expect(
      (await jeanne.post(`/api/v1/relatives/${young.id}/own-account`, { email: 'zoe@example.org' })).json()
        .error.code,
    ).toBe('MISSIVE_TOO_YOUNG_FOR_ACCOUNT');
    expect(
      (await paul.get('/api/v1/relatives')).json().profiles.map((p: { id: string }) => p.id),
    ).not.toContain(child.json().id);
    expect(
      (await paul.post(`/api/v1/relatives/${child.json().id}/own-account`, { email: 'tom@example.org' }))
        .statusCode,
    ).toBe(404);

    const [byParent, byTeen] = await slots(jeanne, '2026-12-01', 1);
    expect((await book(jeanne, byParent!, child.json().id)).statusCode).toBe(201);
    t.clock.advance(1_000);

    expect(
      (await jeanne.post(`/api/v1/relatives/${child.json().id}/own-account`, { email: 'tom@example.org' }))
        .statusCode,
    ).toBe(202);
    const offer = await t.smtp.waitFor('tom@example.org');
    const token = tokenFrom(offer);
    expect((await t.client().post('/api/v1/profile-claims/preview', { token })).json()).toEqual({
      firstName: 'Tom',
      lastName: 'Petit',
      email: 'tom@example.org',
    });
    expect(
      (
        await t.client().post('/api/v1/profile-claims/accept', {
          token,
          password: GOOD_PASSWORD,
          locale: 'fr',
          country: 'FR',
        })
      ).statusCode,
    ).toBe(204);

    const tom = t.client();
    const login = await tom.post('/api/v1/auth/login', { email: 'tom@example.org', password: GOOD_PASSWORD });
    expect(login.json().user).toMatchObject({ kind: 'patient', birthDate: '2010-01-15' });
    expect((await tom.get('/api/v1/relatives')).json().profiles).toEqual([
      expect.objectContaining({ id: child.json().id, ownAccount: true }),
    ]);
    t.clock.advance(1_000);
    expect((await book(tom, byTeen!, child.json().id)).statusCode).toBe(201);

    // The teenager sees both appointments; the parent no longer sees the one the teenager booked.
    const teenSees = (await tom.get('/api/v1/appointments'))
      .json()
      .appointments.map((a: { startsAt: number }) => a.startsAt);
    expect(teenSees.sort()).toEqual([byParent, byTeen].sort());
    const parentSees = (await jeanne.get('/api/v1/appointments'))
      .json()
      .appointments.map((a: { startsAt: number }) => a.startsAt);
    expect(parentSees).toContain(byParent);
    expect(parentSees).not.toContain(byTeen);
    // The parent can no longer edit the profile the teenager holds.
    expect(
      (await jeanne.patch(`/api/v1/relatives/${child.json().id}`, { firstName: 'Thomas' })).json().error.code,
    ).toBe('MISSIVE_INVALID_TRANSITION');
  });
});
