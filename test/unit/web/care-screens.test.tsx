// @vitest-environment jsdom
import { act } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MeResponse } from '../../../src/contracts/accounts';
import type { Appointment, DirectoryEntry, Relative } from '../../../src/contracts/care';
import { App } from '../../../web/src/app';
import { issuesAsRowErrors } from '../../../web/src/features/patients/import-page';
import { setupI18n } from '../../../web/src/i18n/setup';
import { todayIn } from '../../../web/src/lib/time';
import { SessionProvider } from '../../../web/src/session/session';
import { apiError, click, type Rendered, render, settle, type } from './harness';

const PRACTICE = '0190c7a0-0000-7000-8000-0000000000a1';
const DOCTOR = '0190c7a0-0000-7000-8000-0000000000d1';
const SELF = '0190c7a0-0000-7000-8000-0000000000b1';
const CHILD = '0190c7a0-0000-7000-8000-0000000000b2';

let rendered: Rendered | undefined;

type Reply = { status: number; body?: unknown };
type Call = { method: string; path: string; body: unknown };

/** A fetch stub whose routes may answer differently on each call (the last answer repeats). */
function stubRoutes(routes: Record<string, Reply | Reply[]>) {
  const calls: Call[] = [];
  const served = new Map<string, number>();
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input);
      const method = init?.method ?? 'GET';
      const key = `${method} ${path}`;
      calls.push({ method, path, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      const route = routes[key];
      if (!route) throw new Error(`unexpected request ${key}`);
      const replies = Array.isArray(route) ? route : [route];
      const index = served.get(key) ?? 0;
      served.set(key, index + 1);
      const reply = replies[Math.min(index, replies.length - 1)] as Reply;
      return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
        status: reply.status,
      });
    }),
  );
  return calls;
}

function patient(): MeResponse {
  return {
    user: {
      id: '0190c7a0-0000-7000-8000-000000000001',
      email: 'lucas@example.org',
      firstName: 'Lucas',
      lastName: 'Moreau',
      kind: 'patient',
      locale: 'en',
      country: 'FR',
      birthDate: '1987-09-02',
    },
    mfa: 'not_required',
    memberships: [],
    practitioner: null,
  };
}

const profiles: Relative[] = [
  {
    id: SELF,
    relationship: 'self',
    firstName: 'Lucas',
    lastName: 'Moreau',
    birthDate: '1987-09-02',
    sex: null,
    ownAccount: false,
    mayHoldOwnAccount: false,
    isYou: true,
  },
  {
    id: CHILD,
    relationship: 'child',
    firstName: 'Emma',
    lastName: 'Moreau',
    birthDate: '2017-04-08',
    sex: 'female',
    ownAccount: false,
    mayHoldOwnAccount: false,
    isYou: false,
  },
];

const entry: DirectoryEntry = {
  practitionerId: DOCTOR,
  firstName: 'Claire',
  lastName: 'Martin',
  specialty: 'General practice',
  practiceId: PRACTICE,
  practiceName: 'Cabinet des Tilleuls',
  address: '12 rue des Tilleuls',
  postcode: '69003',
  city: 'Lyon',
  timeZone: 'Europe/Paris',
  phone: '+33 4 00 00 00 00',
  bookable: true,
};

function appointment(overrides: Partial<Appointment>): Appointment {
  const startsAt = Date.now() + 3 * 86_400_000;
  return {
    id: '0190c7a0-0000-7000-8000-0000000000c1',
    practiceId: PRACTICE,
    practiceName: 'Cabinet des Tilleuls',
    practitionerId: DOCTOR,
    practitionerName: 'Claire Martin',
    patientProfileId: SELF,
    patientName: 'Lucas Moreau',
    startsAt,
    endsAt: startsAt + 20 * 60_000,
    cancellationDeadlineHours: 24,
    practicePhone: '+33 4 00 00 00 00',
    timeZone: 'Europe/Paris',
    status: 'booked',
    cancelReason: null,
    cancellable: true,
    ...overrides,
  };
}

async function renderApp(path: string) {
  rendered = await render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </MemoryRouter>,
  );
  // Pages load on first use (lazy routes): wait until the page and its data are there.
  for (
    let round = 0;
    round < 50 && rendered.container.querySelector('.page-loading, [role=status] .spinner');
    round++
  )
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
  await settle(8);
  return rendered.container;
}

const byText = (root: ParentNode, selector: string, text: string) =>
  [...root.querySelectorAll<HTMLElement>(selector)].find((element) => element.textContent?.includes(text)) ??
  null;

beforeAll(() => {
  localStorage.setItem('missive.locale', 'en');
  setupI18n();
});

beforeEach(() => {
  sessionStorage.clear();
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) =>
    setTimeout(() => callback(0), 0),
  );
  vi.stubGlobal('scrollTo', () => {});
});

afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
});

describe('booking', () => {
  const today = todayIn('Europe/Paris');
  const slotsPath = `GET /api/v1/directory/practitioners/${DOCTOR}/slots?practiceId=${PRACTICE}&from=${today}&days=7`;
  const slot = { startsAt: Date.now() + 86_400_000, endsAt: Date.now() + 86_400_000 + 20 * 60_000 };
  const other = { startsAt: slot.startsAt + 20 * 60_000, endsAt: slot.endsAt + 20 * 60_000 };

  it('books a free time for a relative chosen in the confirmation dialog', async () => {
    const calls = stubRoutes({
      'GET /api/v1/session': { status: 200, body: { me: patient() } },
      'GET /api/v1/directory/practitioners': { status: 200, body: { practitioners: [entry] } },
      'GET /api/v1/relatives': { status: 200, body: { profiles } },
      [slotsPath]: { status: 200, body: { timeZone: 'Europe/Paris', slots: [slot, other] } },
      'POST /api/v1/appointments': {
        status: 201,
        body: appointment({ startsAt: slot.startsAt, patientProfileId: CHILD, patientName: 'Emma Moreau' }),
      },
    });
    const page = await renderApp(`/book/${PRACTICE}/${DOCTOR}`);
    expect(page.querySelector('h1')?.textContent).toBe('Book with Claire Martin');
    await click(page.querySelector('.slot'));
    const emma = byText(page, 'label.choice', 'Emma Moreau')?.querySelector('input');
    await click(emma ?? null);
    await click(byText(page, 'dialog button', 'Confirm the appointment'));
    await settle();
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
      practitionerId: DOCTOR,
      practiceId: PRACTICE,
      startsAt: slot.startsAt,
      patientProfileId: CHILD,
    });
    expect(page.querySelector('h1')?.textContent).toBe('Appointment booked');
    expect(page.textContent).toContain('Emma Moreau');
  });

  it('says when someone took the time meanwhile, and shows the times still free', async () => {
    const calls = stubRoutes({
      'GET /api/v1/session': { status: 200, body: { me: patient() } },
      'GET /api/v1/directory/practitioners': { status: 200, body: { practitioners: [entry] } },
      'GET /api/v1/relatives': { status: 200, body: { profiles } },
      [slotsPath]: [
        { status: 200, body: { timeZone: 'Europe/Paris', slots: [slot, other] } },
        { status: 200, body: { timeZone: 'Europe/Paris', slots: [other] } },
      ],
      'POST /api/v1/appointments': { status: 409, body: apiError('MISSIVE_SLOT_UNAVAILABLE') },
    });
    const page = await renderApp(`/book/${PRACTICE}/${DOCTOR}`);
    expect(page.querySelectorAll('.slot')).toHaveLength(2);
    await click(page.querySelector('.slot'));
    await click(byText(page, 'dialog button', 'Confirm the appointment'));
    await settle();
    expect(page.textContent).toContain('This time is no longer free');
    expect(calls.filter((call) => `${call.method} ${call.path}` === slotsPath)).toHaveLength(2);
    expect(page.querySelectorAll('.slot')).toHaveLength(1);
    expect(page.querySelector('dialog')?.hasAttribute('open')).toBe(false);
  });
});

describe('my appointments', () => {
  it('cancels with confirmation, and tells to call the practice when it is too late', async () => {
    const open = appointment({});
    const late = appointment({
      id: '0190c7a0-0000-7000-8000-0000000000c2',
      startsAt: Date.now() + 3_600_000,
      endsAt: Date.now() + 4_800_000,
      cancellable: false,
    });
    const calls = stubRoutes({
      'GET /api/v1/session': { status: 200, body: { me: patient() } },
      'GET /api/v1/relatives': { status: 200, body: { profiles } },
      'GET /api/v1/appointments': { status: 200, body: { appointments: [open, late] } },
      [`POST /api/v1/appointments/${open.id}/cancel`]: {
        status: 200,
        body: { ...open, status: 'cancelled', cancellable: false, cancelReason: 'Feeling better' },
      },
    });
    const page = await renderApp('/appointments');
    expect(page.textContent).toContain('It is too late to cancel online: please call the practice.');
    const cancelButtons = [...page.querySelectorAll('.appointment .btn--danger-outline')];
    expect(cancelButtons).toHaveLength(1);
    await click(cancelButtons[0] ?? null);
    await type(page.querySelector('dialog textarea'), 'Feeling better');
    await click(byText(page, 'dialog button', 'Cancel the appointment'));
    await settle();
    expect(calls.at(-1)).toMatchObject({ method: 'POST', body: { reason: 'Feeling better' } });
    expect(page.textContent).toContain('The appointment has been cancelled.');
    expect(page.querySelector('.appointment-list--past')?.textContent).toContain('Cancelled');
  });
});

describe('practice navigation and agenda', () => {
  function staff(rights: Array<'agenda' | 'patients'>): MeResponse {
    return {
      ...patient(),
      user: { ...patient().user, kind: 'staff', firstName: 'Sophie', lastName: 'Bernard' },
      mfa: 'verified',
      memberships: [
        {
          practiceId: PRACTICE,
          practiceName: 'Cabinet des Tilleuls',
          role: 'assistant',
          isAdmin: false,
          rights,
        },
      ],
    };
  }
  const members = {
    practice: {
      id: PRACTICE,
      name: 'Cabinet des Tilleuls',
      address: '12 rue des Tilleuls',
      postcode: '69003',
      city: 'Lyon',
      country: 'FR',
      timeZone: 'Europe/Paris',
      phone: null,
      isDemo: false,
      cancellationDeadlineHours: 24,
    },
    members: [
      {
        userId: DOCTOR,
        firstName: 'Claire',
        lastName: 'Martin',
        email: 'claire@example.org',
        role: 'practitioner',
        isAdmin: true,
        rights: [],
        mfaEnrolled: true,
        since: 0,
      },
    ],
    invitations: [],
  };

  it('shows Agenda and Patients only with the matching rights', async () => {
    stubRoutes({ 'GET /api/v1/session': { status: 200, body: { me: staff(['agenda']) } } });
    const page = await renderApp('/account');
    const links = [...page.querySelectorAll('.site-nav__link')].map((link) => link.textContent);
    expect(links).toEqual(['Home', 'Agenda', 'Team', 'Account']);
  });

  it('offers "Attended" from 30 minutes before, not "No-show" before the start, and records it', async () => {
    const soon = {
      ...appointment({ startsAt: Date.now() + 10 * 60_000, endsAt: Date.now() + 30 * 60_000 }),
      patientBirthDate: '1987-09-02',
      bookedByRelative: false,
    };
    const today = todayIn('Europe/Paris');
    const calls = stubRoutes({
      'GET /api/v1/session': { status: 200, body: { me: staff(['agenda']) } },
      [`GET /api/v1/practices/${PRACTICE}/members`]: { status: 200, body: members },
      [`GET /api/v1/practices/${PRACTICE}/agenda?from=${today}&days=1`]: {
        status: 200,
        body: { timeZone: 'Europe/Paris', appointments: [soon] },
      },
      [`POST /api/v1/practices/${PRACTICE}/appointments/${soon.id}/attendance`]: {
        status: 200,
        body: { ...soon, status: 'attended', cancellable: false },
      },
    });
    const page = await renderApp(`/practices/${PRACTICE}/agenda`);
    const item = page.querySelector('.agenda-item');
    expect(item?.textContent).toContain('Lucas Moreau');
    expect(item?.textContent).toContain('Born 02/09/1987');
    expect(byText(page, '.agenda-item button', 'No-show')).toBeNull();
    await click(byText(page, '.agenda-item button', 'Attended'));
    await settle();
    expect(calls.at(-1)).toMatchObject({ method: 'POST', body: { status: 'attended' } });
    expect(page.querySelector('.agenda-item')?.className).toContain('agenda-item--attended');
    expect(byText(page, '.agenda-item button', 'Cancel')).toBeNull();
  });
});

describe('consultation import', () => {
  it('reads the line and field of a refused import', () => {
    expect(
      issuesAsRowErrors([
        { path: 'line 12.birthDate', reason: 'invalid_date' },
        { path: 'line 3.row', reason: 'duplicate' },
        { path: 'something else', reason: 'x' },
      ]),
    ).toEqual([
      { line: 12, field: 'birthDate', reason: 'invalid_date' },
      { line: 3, field: 'row', reason: 'duplicate' },
    ]);
  });
});
