// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccessHistory } from '../../../web/src/features/audit/access-history';
import { AuditExportCard } from '../../../web/src/features/audit/audit-export-card';
import { KeyRotationCard } from '../../../web/src/features/audit/key-rotation-card';
import { setupI18n } from '../../../web/src/i18n/setup';
import { click, type Rendered, render, settle, stubApi, type } from './harness';

const CONVERSATION = '0190c7a0-0000-7000-8000-0000000000c1';
const PRACTICE = '0190c7a0-0000-7000-8000-0000000000a1';
const KEY = '0190c7a0-0000-7000-8000-0000000000e1';

let rendered: Rendered | undefined;

beforeAll(() => {
  localStorage.setItem('missive.locale', 'en');
  setupI18n();
});

afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
});

describe('AccessHistory', () => {
  it('loads, when unfolded, who at the practice opened the conversation', async () => {
    const { calls } = stubApi([
      {
        path: `/api/v1/conversations/${CONVERSATION}/access-log`,
        status: 200,
        body: {
          entries: [
            {
              at: Date.UTC(2026, 10, 2, 9, 6),
              name: 'Sophie Bernard',
              role: 'assistant',
              action: 'read_messages',
            },
            {
              at: Date.UTC(2026, 10, 2, 9, 1),
              name: 'Claire Martin',
              role: 'practitioner',
              action: 'opened',
            },
          ],
        },
      },
    ]);
    rendered = await render(<AccessHistory conversationId={CONVERSATION} />);
    const summary = rendered.container.querySelector('summary');
    expect(summary?.textContent).toBe('Who at the practice opened this conversation');
    expect(calls).toHaveLength(0);
    await click(summary);
    await settle();
    expect(calls).toHaveLength(1);
    const items = [...rendered.container.querySelectorAll('li')].map((li) => li.textContent);
    expect(items[0]).toContain('Sophie Bernard · assistant');
    expect(items[0]).toContain('read the messages');
    expect(items[1]).toContain('Claire Martin · practitioner');
    expect(items[1]).toContain('opened the conversation');
  });

  it('says so when nobody opened it', async () => {
    stubApi([
      { path: `/api/v1/conversations/${CONVERSATION}/access-log`, status: 200, body: { entries: [] } },
    ]);
    rendered = await render(<AccessHistory conversationId={CONVERSATION} />);
    await click(rendered.container.querySelector('summary'));
    await settle();
    expect(rendered.container.textContent).toContain(
      'Nobody at the practice has opened this conversation yet.',
    );
  });
});

describe('AuditExportCard', () => {
  it('links to the CSV of the chosen days and refuses a reversed range', async () => {
    rendered = await render(<AuditExportCard practiceId={PRACTICE} timeZone="Europe/Paris" />);
    const [from, to] = [...rendered.container.querySelectorAll('input[type="date"]')];
    await type(from!, '2026-10-01');
    await type(to!, '2026-10-31');
    const link = rendered.container.querySelector('a[download]');
    expect(link?.getAttribute('href')).toBe(
      `/api/v1/practices/${PRACTICE}/audit.csv?from=2026-10-01&to=2026-10-31`,
    );
    await type(from!, '2026-11-05');
    expect(rendered.container.querySelector('a[download]')).toBeNull();
    expect(rendered.container.querySelector('[role="alert"]')?.textContent).toBe(
      'The start date must not be after the end date.',
    );
    expect(rendered.container.querySelector('button')?.hasAttribute('disabled')).toBe(true);
  });
});

describe('KeyRotationCard', () => {
  const rotation = {
    id: KEY,
    status: 'running',
    dataKeyId: KEY,
    startedAt: Date.UTC(2026, 10, 2, 9),
    finishedAt: null,
    total: 400,
    processed: 100,
    reencrypted: 150,
    unreadable: 0,
    pass: 1,
    percent: 25,
  };

  it('shows the progress of a running rotation', async () => {
    stubApi([
      {
        path: '/api/v1/admin/key-rotation',
        status: 200,
        body: { rotation, activeDataKeyId: KEY, masterKeyId: 'abcd' },
      },
    ]);
    rendered = await render(<KeyRotationCard />);
    await settle();
    const bar = rendered.container.querySelector('progress');
    expect(bar?.getAttribute('value')).toBe('0.25');
    expect(rendered.container.textContent).toContain('25% · 150 records re-encrypted');
  });

  it('says when the keys were never rotated', async () => {
    stubApi([
      {
        path: '/api/v1/admin/key-rotation',
        status: 200,
        body: { rotation: null, activeDataKeyId: KEY, masterKeyId: 'abcd' },
      },
    ]);
    rendered = await render(<KeyRotationCard />);
    await settle();
    expect(rendered.container.textContent).toContain('The keys have not been rotated yet.');
    expect(rendered.container.querySelector('progress')).toBeNull();
  });
});
