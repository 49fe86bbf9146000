// @vitest-environment jsdom
import { MemoryRouter, useLocation } from 'react-router';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MeResponse } from '../../../src/contracts/accounts';
import { App } from '../../../web/src/app';
import { setupI18n } from '../../../web/src/i18n/setup';
import { SessionProvider } from '../../../web/src/session/session';
import { apiError, click, type Rendered, render, settle, stubApi, type } from './harness';

let rendered: Rendered | undefined;
let currentPath = '';

function LocationProbe() {
  currentPath = useLocation().pathname;
  return null;
}

async function renderApp(path: string) {
  rendered = await render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider>
        <LocationProbe />
        <App />
      </SessionProvider>
    </MemoryRouter>,
  );
  await settle();
  return rendered.container;
}

function me(overrides: Partial<MeResponse> = {}): MeResponse {
  return {
    user: {
      id: '0190c7a0-0000-7000-8000-000000000001',
      email: 'claire@example.org',
      firstName: 'Claire',
      lastName: 'Martin',
      kind: 'staff',
      locale: 'en',
      country: 'FR',
      birthDate: null,
    },
    mfa: 'verified',
    memberships: [],
    practitioner: null,
    ...overrides,
  };
}

beforeAll(() => {
  localStorage.setItem('missive.locale', 'en');
  setupI18n();
});

beforeEach(() => {
  sessionStorage.clear();
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) =>
    setTimeout(() => callback(0), 0),
  );
});

afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
});

describe('route guard', () => {
  it('sends a signed-out visitor to sign in, then back to the page they wanted', async () => {
    stubApi([
      { path: '/api/v1/session', status: 200, body: { me: null } },
      {
        method: 'POST',
        path: '/api/v1/auth/login',
        status: 200,
        body: me({ mfa: 'not_required', user: { ...me().user, kind: 'patient' } }),
      },
    ]);
    const page = await renderApp('/account');
    expect(currentPath).toBe('/signin');
    await type(page.querySelector('input[type=email]'), 'jeanne@example.org');
    await type(page.querySelector('input[autocomplete=current-password]'), 'a long enough password');
    await click(page.querySelector('form button[type=submit]'));
    await settle();
    expect(currentPath).toBe('/account');
    expect(page.querySelector('h1')?.textContent).toBe('Account');
    // The device and the account speak the same language: nothing to explain.
    expect(page.textContent).not.toContain('This device shows Missive in another language');
  });

  it("says on the account page when this device shows another language than the account's", async () => {
    const italianAccount = me({ mfa: 'not_required', user: { ...me().user, kind: 'patient', locale: 'it' } });
    stubApi([{ path: '/api/v1/session', status: 200, body: { me: italianAccount } }]);
    const page = await renderApp('/account');
    expect(page.textContent).toContain('This device shows Missive in another language than your account’s.');
    // The screen's language switch says English; the account's language, Italian.
    const languages = [...page.querySelectorAll('select')].filter((select) =>
      select.querySelector('option[value="it"]'),
    );
    expect(languages.map((select) => select.value)).toEqual(['en', 'it']);
  });

  it('shows only the code screen while the second factor is pending', async () => {
    stubApi([{ path: '/api/v1/session', status: 200, body: { me: me({ mfa: 'required' }) } }]);
    await renderApp('/home');
    expect(currentPath).toBe('/security/verify');
  });

  it('shows only the enrolment screen to staff without two-step verification', async () => {
    stubApi([
      { path: '/api/v1/session', status: 200, body: { me: me({ mfa: 'enrolment_required' }) } },
      {
        method: 'POST',
        path: '/api/v1/auth/totp/setup',
        status: 200,
        body: {
          otpauthUri: 'otpauth://totp/x',
          qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"/>',
          manualKey: 'JBSWY3DPEHPK3PXP',
        },
      },
    ]);
    const page = await renderApp('/admin');
    expect(currentPath).toBe('/security/enrol');
    expect(page.querySelector('.manual-key')?.textContent).toBe('JBSW Y3DP EHPK 3PXP');
    const code = page.querySelector('input[autocomplete=one-time-code]');
    expect(code?.getAttribute('inputmode')).toBe('numeric');
    expect(page.querySelector('img.qr')?.getAttribute('src')).toMatch(/^data:image\/svg\+xml;utf8,/);
  });

  it('keeps administrators out of other pages and everyone else out of administration', async () => {
    stubApi([
      {
        path: '/api/v1/session',
        status: 200,
        body: { me: me({ mfa: 'not_required', user: { ...me().user, kind: 'patient' } }) },
      },
    ]);
    await renderApp('/admin');
    expect(currentPath).toBe('/home');
  });
});

describe('sign-in', () => {
  it('offers to resend the confirmation e-mail when the address is not confirmed, keeping what was typed', async () => {
    const { calls } = stubApi([
      { path: '/api/v1/session', status: 200, body: { me: null } },
      {
        method: 'POST',
        path: '/api/v1/auth/login',
        status: 403,
        body: apiError('MISSIVE_EMAIL_NOT_VERIFIED'),
      },
      { method: 'POST', path: '/api/v1/auth/resend-verification', status: 202, body: { status: 'accepted' } },
    ]);
    const page = await renderApp('/signin');
    await type(page.querySelector('input[type=email]'), 'Louise@Example.org');
    await type(page.querySelector('input[autocomplete=current-password]'), 'a long enough password');
    await click(page.querySelector('form button[type=submit]'));
    await settle();
    const resend = [...page.querySelectorAll('button')].find(
      (button) => button.textContent === 'Resend the confirmation e-mail',
    );
    expect(resend).toBeDefined();
    expect((page.querySelector('input[type=email]') as HTMLInputElement).value).toBe('Louise@Example.org');
    await click(resend ?? null);
    await settle();
    expect(calls.at(-1)).toEqual({
      method: 'POST',
      path: '/api/v1/auth/resend-verification',
      body: { email: 'Louise@Example.org' },
    });
    expect(page.textContent).toContain('a new confirmation e-mail is on its way');
  });

  it('shows the translated server error and re-enables the form', async () => {
    stubApi([
      { path: '/api/v1/session', status: 200, body: { me: null } },
      {
        method: 'POST',
        path: '/api/v1/auth/login',
        status: 401,
        body: apiError('MISSIVE_INVALID_CREDENTIALS'),
      },
    ]);
    const page = await renderApp('/signin');
    await type(page.querySelector('input[type=email]'), 'someone@example.org');
    await type(page.querySelector('input[autocomplete=current-password]'), 'wrong password');
    await click(page.querySelector('form button[type=submit]'));
    await settle();
    expect(page.textContent).toContain('The e-mail address or the password is incorrect.');
    expect((page.querySelector('form button[type=submit]') as HTMLButtonElement).disabled).toBe(false);
    expect(currentPath).toBe('/signin');
  });
});

describe('links from e-mails', () => {
  it('reads the token from the fragment, clears it from the address bar and confirms the address once', async () => {
    window.history.replaceState(null, '', '/verify-email#token=abcdefghijklmnopqrstuvwxyz');
    const { calls } = stubApi([
      { path: '/api/v1/session', status: 200, body: { me: null } },
      { method: 'POST', path: '/api/v1/auth/verify-email', status: 204 },
    ]);
    const page = await renderApp('/verify-email');
    expect(window.location.hash).toBe('');
    expect(calls.filter((call) => call.path === '/api/v1/auth/verify-email')).toEqual([
      { method: 'POST', path: '/api/v1/auth/verify-email', body: { token: 'abcdefghijklmnopqrstuvwxyz' } },
    ]);
    expect(page.querySelector('h1')?.textContent).toBe('Address confirmed');
  });
});
