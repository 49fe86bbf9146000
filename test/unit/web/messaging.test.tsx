// @vitest-environment jsdom

import i18next from 'i18next';
import { act } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MeResponse } from '../../../src/contracts/accounts';
import type { MyPractitioner, Relative } from '../../../src/contracts/care';
import type { ConversationSummary, Message } from '../../../src/contracts/messaging';
import { ApiError } from '../../../web/src/api/client';
import { App } from '../../../web/src/app';
import type { ConversationDetail } from '../../../web/src/features/messaging/api';
import { Composer } from '../../../web/src/features/messaging/compose/composer';
import { emergencyRefusal, isSendShortcut } from '../../../web/src/features/messaging/compose/red-flag';
import { durationText, newClientMessageId } from '../../../web/src/features/messaging/format';
import { peopleOf, practitionersFor } from '../../../web/src/features/messaging/patient/new-message-page';
import { activeFilterCount } from '../../../web/src/features/messaging/practice/inbox-page';
import { mayReply, statusOptions } from '../../../web/src/features/messaging/practice/practice-thread';
import { MessageList, tickOf } from '../../../web/src/features/messaging/thread/message-list';
import { mergeMessages } from '../../../web/src/features/messaging/thread/use-thread';
import { setupI18n } from '../../../web/src/i18n/setup';
import { SessionProvider } from '../../../web/src/session/session';
import { click, type Rendered, render, settle } from './harness';

const PRACTICE = '0190c7a0-0000-7000-8000-0000000000a1';
const DOCTOR = '0190c7a0-0000-7000-8000-0000000000d1';
const SELF = '0190c7a0-0000-7000-8000-0000000000b1';
const CHILD = '0190c7a0-0000-7000-8000-0000000000b2';
const CONVERSATION = '0190c7a0-0000-7000-8000-0000000000c1';
const USER = '0190c7a0-0000-7000-8000-000000000001';

let rendered: Rendered | undefined;

type Reply = { status: number; body?: unknown };
type Call = { method: string; path: string; body: unknown };
type Handler = Reply | Reply[] | ((body: unknown) => Reply);

/** A fetch stub: fixed answers, a sequence of answers, or a function of the request body. */
function stubRoutes(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const served = new Map<string, number>();
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input);
      const method = init?.method ?? 'GET';
      const key = `${method} ${path}`;
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method, path, body });
      const route = routes[key];
      if (!route) throw new TypeError(`unexpected request ${key}`);
      let reply: Reply;
      if (typeof route === 'function') reply = route(body);
      else {
        const replies = Array.isArray(route) ? route : [route];
        const index = served.get(key) ?? 0;
        served.set(key, index + 1);
        reply = replies[Math.min(index, replies.length - 1)] as Reply;
      }
      if (reply.status === 0) throw new TypeError('Failed to fetch');
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
      id: USER,
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

function summary(changes: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id: CONVERSATION,
    practiceId: PRACTICE,
    practiceName: 'Cabinet des Tilleuls',
    practitionerId: DOCTOR,
    practitionerName: 'Claire Martin',
    patientProfileId: SELF,
    patientName: 'Lucas Moreau',
    patientBirthDate: '1987-09-02',
    category: 'health_question',
    subject: 'Knee',
    status: 'open',
    origin: 'patient',
    assignee: null,
    patientMayReply: true,
    emergencyFlagged: false,
    lastSeq: 1,
    lastMessageAt: Date.now(),
    awaitingReplySince: Date.now() - 3 * 3_600_000,
    dueAt: null,
    overdue: false,
    unread: 0,
    closedReason: null,
    changeCursor: 1,
    ...changes,
  };
}

function message(seq: number, changes: Partial<Message> = {}): Message {
  return {
    id: `0190c7a0-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    conversationId: CONVERSATION,
    seq,
    clientMessageId: null,
    sender: { side: 'patient', userId: USER, name: 'Lucas Moreau', role: 'patient' },
    kind: 'text',
    body: 'Hello',
    emergencyKind: null,
    attachments: [],
    createdAt: Date.now(),
    ...changes,
  };
}

const detail = (changes: Partial<ConversationDetail> = {}): ConversationDetail => ({
  conversation: summary(),
  renewal: null,
  otherSide: { deliveredSeq: 0, readSeq: 0 },
  ...changes,
});

/** Types into a React-controlled textarea. */
async function typeText(element: Element | null, value: string) {
  if (!(element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement))
    throw new Error('no field');
  await act(async () => {
    const proto =
      element instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(element, value);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function wait(ms: number) {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}

const byText = (root: ParentNode, selector: string, text: string) =>
  [...root.querySelectorAll<HTMLElement>(selector)].find((element) => element.textContent?.includes(text)) ??
  null;

async function renderApp(path: string) {
  rendered = await render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </MemoryRouter>,
  );
  for (let round = 0; round < 50 && rendered.container.querySelector('.page-loading'); round++)
    await wait(10);
  await settle(8);
  return rendered.container;
}

beforeAll(() => {
  localStorage.setItem('missive.locale', 'en');
  setupI18n();
});

beforeEach(() => {
  // No live socket in unit tests: the live module falls back to polling, which these tests do not wait for.
  vi.stubGlobal('WebSocket', undefined);
});

afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
  Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
});

describe('messaging helpers', () => {
  it('derives delivered and read ticks from the other side’s markers', () => {
    const markers = { deliveredSeq: 4, readSeq: 2 };
    expect([1, 2, 3, 4, 5].map((seq) => tickOf(seq, markers))).toEqual([
      'read',
      'read',
      'delivered',
      'delivered',
      'sent',
    ]);
  });

  it('merges messages by sequence without duplicates, in order', () => {
    const merged = mergeMessages([message(1), message(3)], [message(2), message(3, { body: 'again' })]);
    expect(merged.map((item) => item.seq)).toEqual([1, 2, 3]);
    expect(merged[2]?.body).toBe('again');
  });

  it('makes client message ids the API accepts, different each time', () => {
    const first = newClientMessageId();
    expect(first).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(first).not.toContain('-');
    expect(newClientMessageId()).not.toBe(first);
  });

  it('sends only on Ctrl+Enter or Cmd+Enter', () => {
    expect(isSendShortcut({ key: 'Enter', ctrlKey: false, metaKey: false })).toBe(false);
    expect(isSendShortcut({ key: 'Enter', ctrlKey: true, metaKey: false })).toBe(true);
    expect(isSendShortcut({ key: 'Enter', ctrlKey: false, metaKey: true })).toBe(true);
  });

  it('reads the situation from a 422 emergency refusal', () => {
    const error = new ApiError({
      code: 'MISSIVE_EMERGENCY_DETECTED',
      status: 422,
      message: 'x',
      issues: [{ path: 'body', reason: 'chest_pain' }],
    });
    expect(emergencyRefusal(error)).toEqual({ kind: 'chest_pain', numbers: [] });
    // The refusal carries the alert: no second call is needed to show the numbers.
    const numbers = [{ number: '3114', label: 'x', kind: 'call' as const }];
    const full = new ApiError({
      code: 'MISSIVE_EMERGENCY_DETECTED',
      status: 422,
      message: 'x',
      issues: [{ path: 'body', reason: 'suicide' }],
      emergency: { kind: 'suicide', numbers },
    });
    expect(emergencyRefusal(full)).toEqual({ kind: 'suicide', numbers });
    expect(
      emergencyRefusal(new ApiError({ code: 'MISSIVE_NOT_FOUND', status: 404, message: 'x' })),
    ).toBeNull();
  });

  it('writes waiting times in the largest whole unit', () => {
    const t = i18next.t.bind(i18next);
    expect(durationText(t, 20_000)).toBe('1 min');
    expect(durationText(t, 3 * 3_600_000 + 5)).toBe('3 h');
    expect(durationText(t, 2 * 86_400_000)).toBe('2 days');
  });

  it('offers only the status changes the server accepts, and replies by role and category', () => {
    expect(statusOptions('closed')).toEqual(['closed', 'open']);
    expect(statusOptions('open')).toEqual(['open', 'in_progress', 'waiting_patient', 'closed']);
    expect(mayReply('assistant', 'health_question')).toBe(false);
    expect(mayReply('assistant', 'administrative')).toBe(true);
    expect(mayReply('practitioner', 'renewal')).toBe(true);
    expect(
      activeFilterCount({
        status: '',
        category: 'renewal',
        practitionerId: '',
        assigneeId: 'none',
        unread: false,
        overdue: true,
      }),
    ).toBe(3);
  });

  it('lists each person once, myself first, and the practitioners each consulted', () => {
    const t = i18next.t.bind(i18next);
    const row = (profile: string, name: string, practitioner: string) =>
      ({
        practitionerId: practitioner,
        firstName: 'Claire',
        lastName: 'Martin',
        specialty: 'GP',
        practiceId: PRACTICE,
        practiceName: 'Cabinet',
        city: 'Lyon',
        patientProfileId: profile,
        patientName: name,
        lastConsultationAt: 0,
      }) as MyPractitioner;
    const rows = [
      row(CHILD, 'Emma Moreau', DOCTOR),
      row(SELF, 'Lucas Moreau', DOCTOR),
      row(CHILD, 'Emma Moreau', USER),
    ];
    const profiles = [
      { id: SELF, relationship: 'self', isYou: true },
      { id: CHILD, relationship: 'child', isYou: false },
    ] as Relative[];
    expect(peopleOf(t, rows, profiles).map((person) => person.label)).toEqual([
      'Myself (Lucas Moreau)',
      'Emma Moreau (Child)',
    ]);
    expect(practitionersFor(rows, CHILD).map((choice) => choice.practitionerId)).toEqual([DOCTOR, USER]);
  });
});

describe('MessageList', () => {
  it('shows text as text with its line breaks, system notices translated, and the read tick on my messages', async () => {
    const messages = [
      message(1, { body: '<img src=x onerror=alert(1)>\nsecond line' }),
      message(2, {
        sender: { side: 'system', userId: null, name: null, role: null },
        kind: 'auto_reply',
        body: JSON.stringify({
          until: '2026-12-24',
          message: 'Back after Christmas.',
          covering: 'Marc Dubois',
        }),
      }),
      message(3, {
        sender: { side: 'practice', userId: DOCTOR, name: 'Claire Martin', role: 'staff' },
        kind: 'renewal_decision',
        body: JSON.stringify({ decision: 'approved', pickup: 'pharmacy', reason: null }),
      }),
      message(4, {
        sender: { side: 'system', userId: null, name: null, role: null },
        kind: 'notice',
        body: 'closed_idle',
      }),
    ];
    rendered = await render(
      <MemoryRouter>
        <MessageList
          detail={detail({ otherSide: { deliveredSeq: 3, readSeq: 1 } })}
          messages={messages}
          viewer={{ side: 'patient', userId: USER }}
          hasEarlier={false}
          onLoadEarlier={async () => undefined}
        />
      </MemoryRouter>,
    );
    const { container } = rendered;
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.msg__body')?.textContent).toBe(
      '<img src=x onerror=alert(1)>\nsecond line',
    );
    expect(container.querySelector('.msg--mine .msg__tick')?.textContent).toContain('Read');
    expect(container.textContent).toContain('Claire Martin is away until 24 December 2026.');
    expect(container.textContent).toContain('Marc Dubois is covering in the meantime.');
    expect(container.textContent).toContain('Approved: collect your prescription at the pharmacy.');
    expect(container.textContent).toContain('closed automatically');
    expect(container.textContent).not.toContain('{"');
  });
});

describe('Composer (patient)', () => {
  const sendPath = `POST /api/v1/conversations/${CONVERSATION}/messages`;

  async function renderComposer(onSent = vi.fn()) {
    rendered = await render(
      <MemoryRouter>
        <Composer conversationId={CONVERSATION} safety={{ lang: 'en', country: 'FR' }} onSent={onSent} />
      </MemoryRouter>,
    );
    return { container: rendered.container, onSent, textarea: rendered.container.querySelector('textarea') };
  }

  it('shows the emergency numbers before anything is typed', async () => {
    stubRoutes({});
    const { container } = await renderComposer();
    const hrefs = [...container.querySelectorAll('.emergency-strip a')].map((link) =>
      link.getAttribute('href'),
    );
    expect(hrefs).toEqual(['tel:15', 'tel:112', 'sms:114', 'tel:3114']);
  });

  it('interrupts a red-flag draft with the numbers, and sends it acknowledged only on explicit request', async () => {
    const chest = {
      emergency: true,
      kind: 'chest_pain',
      numbers: [
        { number: '15', label: 'SAMU — medical emergency', kind: 'call' },
        { number: '112', label: 'European emergency number', kind: 'call' },
      ],
    };
    const calls = stubRoutes({
      'POST /api/v1/safety/check': { status: 200, body: chest },
      [sendPath]: (body) => ({ status: 201, body: message(2, { body: (body as { body: string }).body }) }),
    });
    const { container, textarea, onSent } = await renderComposer();
    await typeText(textarea, 'crushing chest pain right now');
    await wait(500);
    await settle();
    const alert = container.querySelector('[role="alert"].red-flag');
    expect(alert?.textContent).toContain('You describe chest pain.');
    expect([...(alert?.querySelectorAll('a') ?? [])].map((link) => link.getAttribute('href'))).toEqual([
      'tel:15',
      'tel:112',
    ]);
    // Send: checked again, still an emergency, nothing sent.
    await click(byText(container, 'button', 'Send'));
    await settle();
    expect(calls.filter((call) => call.path.endsWith('/messages'))).toHaveLength(0);
    await click(byText(container, 'button', 'This is not an emergency — send anyway'));
    await settle();
    const sent = calls.filter((call) => call.path.endsWith('/messages'));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toMatchObject({
      body: 'crushing chest pain right now',
      emergencyAcknowledged: true,
    });
    expect(onSent).toHaveBeenCalledOnce();
    expect(container.querySelector('textarea')?.value).toBe('');
  });

  it('treats a 422 from the server like the alert, and keeps the text', async () => {
    stubRoutes({
      'POST /api/v1/safety/check': [
        { status: 200, body: { emergency: false, kind: null, numbers: [] } },
        { status: 200, body: { emergency: false, kind: null, numbers: [] } },
        { status: 200, body: { emergency: false, kind: null, numbers: [] } },
      ],
      [sendPath]: {
        status: 422,
        body: {
          error: {
            code: 'MISSIVE_EMERGENCY_DETECTED',
            message: 'x',
            requestId: 'r',
            issues: [{ path: 'body', reason: 'stroke' }],
          },
        },
      },
    });
    const { container, textarea } = await renderComposer();
    await typeText(textarea, 'my face is drooping');
    await click(byText(container, 'button', 'Send'));
    // The check and the refused send go over two round trips: wait for the alert rather than a fixed number of turns.
    await vi.waitFor(
      async () => {
        await settle(1);
        expect(container.querySelector('[role="alert"].red-flag')?.textContent).toContain('possible stroke');
      },
      { timeout: 5_000 },
    );
    // The usual French numbers stand in when the check gave none.
    expect(container.querySelector('.red-flag a')?.getAttribute('href')).toBe('tel:15');
    expect(container.querySelector('textarea')?.value).toBe('my face is drooping');
  });

  it('shows the numbers a 422 refusal carries without checking the text again', async () => {
    const calls = stubRoutes({
      'POST /api/v1/safety/check': { status: 200, body: { emergency: false, kind: null, numbers: [] } },
      [sendPath]: {
        status: 422,
        body: {
          error: {
            code: 'MISSIVE_EMERGENCY_DETECTED',
            message: 'x',
            requestId: 'r',
            issues: [{ path: 'body', reason: 'suicide' }],
            emergency: {
              kind: 'suicide',
              numbers: [{ number: '3114', label: 'Suicide prevention', kind: 'call' }],
            },
          },
        },
      },
    });
    const { container, textarea } = await renderComposer();
    await typeText(textarea, 'I do not want to be here anymore');
    // Past the typing debounce, so that its check is counted before the send.
    await wait(500);
    await settle();
    const checksBeforeSend = calls.filter((call) => call.path.endsWith('/safety/check')).length;
    await click(byText(container, 'button', 'Send'));
    await vi.waitFor(
      async () => {
        await settle(1);
        expect(container.querySelector('.red-flag a')?.getAttribute('href')).toBe('tel:3114');
      },
      { timeout: 5_000 },
    );
    // One check on send, as always; none after the refusal.
    expect(calls.filter((call) => call.path.endsWith('/safety/check')).length).toBe(checksBeforeSend + 1);
    expect(container.querySelector('textarea')?.value).toBe('I do not want to be here anymore');
  });

  it('does not send on Enter alone, sends on Ctrl+Enter', async () => {
    const calls = stubRoutes({
      'POST /api/v1/safety/check': { status: 200, body: { emergency: false, kind: null, numbers: [] } },
      [sendPath]: { status: 201, body: message(2) },
    });
    const { textarea } = await renderComposer();
    await typeText(textarea, 'A question about my knee');
    await act(async () => {
      textarea?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    await settle();
    expect(calls.filter((call) => call.path.endsWith('/messages'))).toHaveLength(0);
    await act(async () => {
      textarea?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
    });
    await settle();
    expect(calls.filter((call) => call.path.endsWith('/messages'))).toHaveLength(1);
    expect(document.activeElement).toBe(textarea);
  });

  it('keeps a message typed offline and sends it once, with the same id, when the connection returns', async () => {
    let online = false;
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => online });
    const calls = stubRoutes({
      'POST /api/v1/safety/check': { status: 0 },
      [sendPath]: [{ status: 0 }, { status: 201, body: message(2, { body: 'Sent later' }) }],
    });
    const { container, textarea, onSent } = await renderComposer();
    await typeText(textarea, 'Sent later');
    await click(byText(container, 'button', 'Send'));
    await settle();
    expect(calls.filter((call) => call.path.endsWith('/messages'))).toHaveLength(0);
    expect(container.querySelector('.msg-pending')?.textContent).toContain('Sent later');
    expect(container.querySelector('textarea')?.value).toBe('');

    // Back online, but the first attempt fails on the network: it stays queued.
    online = true;
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    await settle();
    await click(byText(container, 'button', 'Try now'));
    await settle();
    const attempts = calls.filter((call) => call.path.endsWith('/messages'));
    expect(attempts).toHaveLength(2);
    const ids = attempts.map((call) => (call.body as { clientMessageId: string }).clientMessageId);
    expect(new Set(ids).size).toBe(1);
    expect(onSent).not.toHaveBeenCalled();
    expect(container.querySelector('.msg-pending')).toBeNull();
  });
});

describe('patient screens', () => {
  const session = { status: 200, body: { me: patient() } };
  const practitioners = [
    {
      practitionerId: DOCTOR,
      firstName: 'Claire',
      lastName: 'Martin',
      specialty: 'General practice',
      practiceId: PRACTICE,
      practiceName: 'Cabinet des Tilleuls',
      city: 'Lyon',
      patientProfileId: SELF,
      patientName: 'Lucas Moreau',
      lastConsultationAt: Date.now() - 86_400_000,
    },
  ] as MyPractitioner[];
  const eligibilityPath = `GET /api/v1/messaging/eligibility?practitionerId=${DOCTOR}&practiceId=${PRACTICE}&patientProfileId=${SELF}`;

  it('offers to write to a practitioner from the home page, through the new-message page', async () => {
    stubRoutes({
      'GET /api/v1/session': session,
      'GET /api/v1/unread': { status: 200, body: { total: 0 } },
      'GET /api/v1/my-practitioners': { status: 200, body: { practitioners } },
    });
    const page = await renderApp('/');
    const write = [...page.querySelectorAll('.practitioner-card a')].find((a) =>
      a.textContent?.startsWith('Write'),
    );
    expect(write?.textContent).toBe('Write to Claire Martin');
    expect(write?.getAttribute('href')).toBe(
      `/messages/new?for=${SELF}&practitionerId=${DOCTOR}&practiceId=${PRACTICE}`,
    );
    expect(page.textContent).not.toContain('When they open messaging');
  });

  it('shows Messages with the unread count in the navigation', async () => {
    stubRoutes({
      'GET /api/v1/session': session,
      'GET /api/v1/unread': { status: 200, body: { total: 3 } },
      'GET /api/v1/conversations': {
        status: 200,
        body: {
          conversations: [
            summary({ unread: 3, lastMessage: { side: 'patient', preview: 'Thank you, doctor.' } }),
          ],
          total: 1,
        },
      },
    });
    const page = await renderApp('/messages');
    const link = byText(page, '.site-nav__link', 'Messages');
    expect(link?.querySelector('.nav-badge')?.textContent).toBe('3');
    expect(link?.textContent).toContain('3 unread');
    expect(page.querySelector('.msg-row__link')?.getAttribute('href')).toBe(`/messages/${CONVERSATION}`);
    // The patient's own last message is marked as theirs.
    expect(page.querySelector('.msg-row .last-message')?.textContent).toBe('You: Thank you, doctor.');
  });

  const termsAccepted = {
    status: 200,
    body: {
      terms: [{ kind: 'patient', currentVersion: 1, acceptedVersion: 1, acceptedAt: 0, mustAccept: false }],
    },
  };

  it('asks for the messaging terms before the first message, and shows the form once they are accepted', async () => {
    const calls = stubRoutes({
      'GET /api/v1/session': session,
      'GET /api/v1/unread': { status: 200, body: { total: 0 } },
      'GET /api/v1/my-practitioners': { status: 200, body: { practitioners } },
      'GET /api/v1/relatives': {
        status: 200,
        body: { profiles: [{ id: SELF, relationship: 'self', isYou: true }] },
      },
      'GET /api/v1/me/terms': {
        status: 200,
        body: {
          terms: [
            { kind: 'patient', currentVersion: 2, acceptedVersion: 1, acceptedAt: 0, mustAccept: true },
          ],
        },
      },
      'GET /api/v1/terms/patient?locale=en': {
        status: 200,
        body: {
          kind: 'patient',
          version: 2,
          publishedAt: 0,
          locale: 'en',
          body: '# Terms\n\n## Free of charge\nMessaging is **free** for patients, <i>always</i>.\n- Not an emergency service.',
        },
      },
      'POST /api/v1/me/terms/accept': { status: 204 },
      [eligibilityPath]: {
        status: 200,
        body: { eligible: true, reason: null, bookingPath: null, categories: [], absence: null },
      },
    });
    const page = await renderApp('/messages/new');
    expect(page.textContent).toContain('The terms of use have changed');
    expect(page.querySelector('.terms-text strong')?.textContent).toBe('free');
    expect(page.querySelector('.terms-text li')?.textContent).toBe('Not an emergency service.');
    // HTML in the text stays text.
    expect(page.querySelector('.terms-text i')).toBeNull();
    expect(page.querySelector('.terms-text')?.textContent).toContain('<i>always</i>');
    await click(byText(page, 'button', 'I accept the terms of use'));
    await settle();
    expect(calls.find((call) => call.method === 'POST')).toMatchObject({
      path: '/api/v1/me/terms/accept',
      body: { kind: 'patient', version: 2 },
    });
    expect(byText(page, 'button', 'I accept the terms of use')).toBeNull();
    expect(page.querySelector('.terms-text')).toBeNull();
  });

  it('explains a refusal and links to booking instead', async () => {
    stubRoutes({
      'GET /api/v1/session': session,
      'GET /api/v1/me/terms': termsAccepted,
      'GET /api/v1/unread': { status: 200, body: { total: 0 } },
      'GET /api/v1/my-practitioners': { status: 200, body: { practitioners } },
      'GET /api/v1/relatives': {
        status: 200,
        body: { profiles: [{ id: SELF, relationship: 'self', isYou: true }] },
      },
      [eligibilityPath]: {
        status: 200,
        body: {
          eligible: false,
          reason: 'MISSIVE_CONSULTATION_TOO_OLD',
          bookingPath: `/book/${DOCTOR}?practiceId=${PRACTICE}`,
          categories: [],
          absence: null,
        },
      },
    });
    const page = await renderApp('/messages/new');
    expect(page.textContent).toContain('The last consultation with this practitioner is too long ago');
    const book = byText(page, 'a', 'Book an appointment instead');
    expect(book?.getAttribute('href')).toBe(`/book/${PRACTICE}/${DOCTOR}?for=${SELF}`);
    expect(page.querySelector('a[href="tel:15"]')).not.toBeNull();
  });

  it('shows the response time before sending, requires the renewal details, and says prescriptions are not sent here', async () => {
    const calls = stubRoutes({
      'GET /api/v1/session': session,
      'GET /api/v1/me/terms': termsAccepted,
      'GET /api/v1/unread': { status: 200, body: { total: 0 } },
      'GET /api/v1/my-practitioners': { status: 200, body: { practitioners } },
      'GET /api/v1/relatives': {
        status: 200,
        body: { profiles: [{ id: SELF, relationship: 'self', isYou: true }] },
      },
      'POST /api/v1/safety/check': { status: 200, body: { emergency: false, kind: null, numbers: [] } },
      [eligibilityPath]: {
        status: 200,
        body: {
          eligible: true,
          reason: null,
          bookingPath: null,
          categories: [
            { category: 'health_question', responseDays: 2 },
            { category: 'renewal', responseDays: 3 },
          ],
          absence: {
            until: '2026-12-24',
            message: 'Back after Christmas.',
            coveringPractitionerName: 'Marc Dubois',
          },
        },
      },
    });
    const page = await renderApp('/messages/new');
    expect(page.textContent).toContain('Answer expected within 3 working days');
    expect(page.textContent).toContain('Claire Martin is away');
    expect(byText(page, 'a', 'I would rather have a consultation')).not.toBeNull();
    await click(page.querySelector('input[name="category"][value="renewal"]'));
    expect(page.textContent).toContain('Prescriptions and reports are never sent through messaging');
    expect(page.textContent).toContain('Answer expected from Claire Martin within 3 working days.');
    await click(byText(page, 'button', 'Send the renewal request'));
    await settle();
    expect(calls.some((call) => call.method === 'POST' && call.path === '/api/v1/conversations')).toBe(false);
    expect(page.querySelectorAll('[aria-invalid="true"]').length).toBeGreaterThanOrEqual(3);
  });
});

describe('practice screens', () => {
  const ASSISTANT = '0190c7a0-0000-7000-8000-0000000000e1';
  function staff(
    role: 'practitioner' | 'assistant',
    rights: Array<'messaging' | 'patients' | 'agenda'>,
  ): MeResponse {
    return {
      ...patient(),
      user: {
        ...patient().user,
        id: role === 'practitioner' ? DOCTOR : ASSISTANT,
        kind: 'staff',
        firstName: role === 'practitioner' ? 'Claire' : 'Sophie',
        lastName: role === 'practitioner' ? 'Martin' : 'Bernard',
      },
      mfa: 'verified',
      memberships: [
        { practiceId: PRACTICE, practiceName: 'Cabinet des Tilleuls', role, isAdmin: false, rights },
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
        rights: ['messaging', 'patients'],
        mfaEnrolled: true,
        since: 0,
      },
      {
        userId: ASSISTANT,
        firstName: 'Sophie',
        lastName: 'Bernard',
        email: 'sophie@example.org',
        role: 'assistant',
        isAdmin: false,
        rights: ['messaging'],
        mfaEnrolled: true,
        since: 0,
      },
    ],
    invitations: [],
  };
  const renewalConversation = summary({
    category: 'renewal',
    subject: 'Renewal: Ventolin',
    emergencyFlagged: true,
    patientName: 'Emma Moreau',
    patientProfileId: CHILD,
    lastMessage: { side: 'practice', preview: 'We are looking into it.' },
  });
  const base = (me: MeResponse): Record<string, Handler> => ({
    'GET /api/v1/session': { status: 200, body: { me } },
    'GET /api/v1/unread': { status: 200, body: { total: 1 } },
    [`GET /api/v1/practices/${PRACTICE}/members`]: { status: 200, body: members },
    [`GET /api/v1/practices/${PRACTICE}/inbox?offset=0&limit=30`]: {
      status: 200,
      body: { conversations: [renewalConversation], total: 1 },
    },
  });

  it('lets an assistant triage a medical request but neither decide nor answer it', async () => {
    const calls = stubRoutes({
      ...base(staff('assistant', ['messaging'])),
      [`GET /api/v1/conversations/${CONVERSATION}`]: {
        status: 200,
        body: detail({
          conversation: renewalConversation,
          renewal: {
            id: '0190c7a0-0000-7000-8000-0000000000f1',
            details: {
              medication: 'Ventolin',
              dosage: '2 puffs',
              takenFor: '2 years',
              lastPrescriptionOn: '2026-06-15',
            },
            photo: null,
            status: 'pending',
            decisionReason: null,
            pickup: null,
            decidedAt: null,
          },
        }),
      },
      [`GET /api/v1/conversations/${CONVERSATION}/messages?limit=50`]: {
        status: 200,
        body: { messages: [message(1, { kind: 'renewal_request', body: 'Nearly empty.' })], hasMore: false },
      },
      [`PATCH /api/v1/conversations/${CONVERSATION}`]: (body) => ({
        status: 200,
        body: {
          ...renewalConversation,
          assignee: { userId: DOCTOR, name: 'Claire Martin' },
          ...(body as object),
        },
      }),
    });
    // A wide screen: the inbox and the conversation side by side.
    vi.stubGlobal('matchMedia', (query: string) => ({
      matches: true,
      media: query,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    }));
    const page = await renderApp(`/practices/${PRACTICE}/inbox/${CONVERSATION}`);
    expect(byText(page, '.site-nav__link', 'Inbox')?.querySelector('.nav-badge')?.textContent).toBe('1');
    expect(page.querySelector('.inbox-row--emergency')?.textContent).toContain('Possible emergency');
    // The practice's own last message (a colleague's, maybe) is marked as the practice's.
    expect(page.querySelector('.inbox-row .last-message')?.textContent).toBe(
      'Practice: We are looking into it.',
    );
    expect(page.querySelector('h1')?.textContent).toBe('Renewal: Ventolin');
    expect(document.title).not.toContain('Ventolin');
    expect(byText(page, 'button', 'Approve')).toBeNull();
    expect(page.textContent).toContain('Only a practitioner can approve or refuse this request');
    expect(page.querySelector<HTMLTextAreaElement>('.msg-composer textarea')?.disabled).toBe(true);
    const assignee = page.querySelectorAll<HTMLSelectElement>('.msg-triage select')[1] ?? null;
    await act(async () => {
      if (!assignee) return;
      assignee.value = DOCTOR;
      assignee.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await click(byText(page, '.msg-triage button', 'Assign'));
    await settle();
    expect(calls.find((call) => call.method === 'PATCH')?.body).toEqual({ assigneeUserId: DOCTOR });
    expect(page.textContent).toContain('Assigned to Claire Martin.');
  });

  it('finds a linked patient and writes to them from the inbox', async () => {
    const calls = stubRoutes({
      ...base(staff('practitioner', ['messaging', 'patients'])),
      [`GET /api/v1/practices/${PRACTICE}/patients?q=Emma&offset=0&limit=20`]: {
        status: 200,
        body: {
          total: 2,
          tags: [],
          patients: [
            {
              id: 'r1',
              firstName: 'Emma',
              lastName: 'Moreau',
              birthDate: '2017-04-08',
              linked: true,
              patientProfileId: CHILD,
              invited: false,
              lastConsultationAt: 0,
              practitioners: [{ id: DOCTOR, name: 'Claire Martin', lastConsultationAt: 0 }],
              tags: [],
            },
            {
              id: 'r2',
              firstName: 'Emma',
              lastName: 'Durand',
              birthDate: '2001-01-01',
              linked: false,
              patientProfileId: null,
              invited: true,
              lastConsultationAt: null,
              practitioners: [],
              tags: [],
            },
          ],
        },
      },
      [`POST /api/v1/practices/${PRACTICE}/conversations`]: {
        status: 201,
        body: { conversation: summary({ status: 'waiting_patient' }), message: message(1) },
      },
      [`GET /api/v1/conversations/${CONVERSATION}`]: { status: 200, body: detail() },
      [`GET /api/v1/conversations/${CONVERSATION}/messages?limit=50`]: {
        status: 200,
        body: { messages: [message(1)], hasMore: false },
      },
    });
    const page = await renderApp(`/practices/${PRACTICE}/inbox`);
    await click(byText(page, 'button', 'Write to a patient'));
    const dialog = page.querySelector('dialog');
    await typeText(dialog?.querySelector('input[type="search"]') ?? null, 'Emma');
    await wait(400);
    await settle();
    // Only patients linked to an account can be written to.
    const choices = [...(dialog?.querySelectorAll('.msg-choice') ?? [])].map((choice) => choice.textContent);
    expect(choices).toEqual(['Emma Moreau08/04/2017']);
    await click(dialog?.querySelector('.msg-choice input') ?? null);
    await typeText(
      byText(dialog ?? page, '.field', 'Subject')?.querySelector('input') ?? null,
      'Flu vaccine',
    );
    await typeText(
      dialog?.querySelector('textarea') ?? null,
      'The flu vaccine is available at the practice.',
    );
    await click(byText(dialog ?? page, 'button', 'Send'));
    await settle();
    expect(calls.find((call) => call.method === 'POST')?.body).toMatchObject({
      practitionerId: DOCTOR,
      patientProfileId: CHILD,
      category: 'health_question',
      subject: 'Flu vaccine',
      patientMayReply: true,
    });
  });
});
