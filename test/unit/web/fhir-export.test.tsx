// @vitest-environment jsdom

import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { ApiError } from '../../../web/src/api/client';
import {
  conversationExportPath,
  ExportConversationButton,
  fetchConversationExport,
} from '../../../web/src/features/fhir/export-conversation';
import { setupI18n } from '../../../web/src/i18n/setup';
import { click, type Rendered, render, settle } from './harness';

const CONVERSATION = '0190c7a0-0000-7000-8000-0000000000c1';
const BUNDLE = { resourceType: 'Bundle', type: 'collection', entry: [] };
const NOT_FOUND = {
  resourceType: 'OperationOutcome',
  id: '0190c7a0-0000-7000-8000-0000000000e1',
  issue: [{ severity: 'error', code: 'not-found', details: { coding: [{ code: 'MISSIVE_NOT_FOUND' }] } }],
};

let rendered: Rendered | undefined;

beforeAll(() => {
  localStorage.setItem('missive.locale', 'en');
  setupI18n();
});

afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const answer = (status: number, body: unknown) =>
  vi.fn(async () => new Response(JSON.stringify(body), { status }));

describe('conversation export', () => {
  it('asks the FHIR export operation of the conversation', async () => {
    const fetcher = answer(200, BUNDLE);
    const { file, fileName } = await fetchConversationExport(CONVERSATION, fetcher);
    expect(fetcher).toHaveBeenCalledWith(`/fhir/R4/Communication/${CONVERSATION}/$export`, expect.anything());
    expect(conversationExportPath(CONVERSATION)).toBe(`/fhir/R4/Communication/${CONVERSATION}/$export`);
    expect(fileName).toBe(`conversation-${CONVERSATION}.fhir.json`);
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(file);
    });
    expect(JSON.parse(text)).toEqual(BUNDLE);
    expect(file.type).toBe('application/fhir+json');
  });

  it('turns an OperationOutcome into the app’s error with the server’s code', async () => {
    const error = await fetchConversationExport(CONVERSATION, answer(404, NOT_FOUND)).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'MISSIVE_NOT_FOUND', status: 404, requestId: NOT_FOUND.id });
    const offline = await fetchConversationExport(
      CONVERSATION,
      vi.fn(async () => Promise.reject(new TypeError('offline'))),
    ).catch((e) => e);
    expect(offline).toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('downloads the file from the button and says so', async () => {
    vi.stubGlobal('fetch', answer(200, BUNDLE));
    // jsdom has no object URLs: the test provides them, and takes them back afterwards.
    const createObjectURL = vi.fn(() => 'blob:export');
    const original = { createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL };
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    onTestFinished(() => {
      Object.assign(URL, original);
    });
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    rendered = await render(<ExportConversationButton conversationId={CONVERSATION} />);
    const button = [...rendered.container.querySelectorAll('button')].find(
      (b) => b.textContent === 'Export this conversation',
    );
    expect(button?.getAttribute('aria-describedby')).toBeTruthy();
    await click(button!);
    await settle();
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(clicked.map((a) => [a.download, a.href])).toEqual([
      [`conversation-${CONVERSATION}.fhir.json`, 'blob:export'],
    ]);
    expect(rendered.container.textContent).toContain('The conversation was downloaded.');
  });

  it('shows the error when the export is refused', async () => {
    vi.stubGlobal('fetch', answer(404, NOT_FOUND));
    rendered = await render(<ExportConversationButton conversationId={CONVERSATION} />);
    await click(rendered.container.querySelector('button'));
    await settle();
    expect(rendered.container.querySelector('[role="alert"], .alert')?.textContent).toContain(
      'We could not find what you are looking for',
    );
    expect(rendered.container.textContent).not.toContain('The conversation was downloaded.');
  });
});
