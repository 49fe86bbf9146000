// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectionStateNow, watch } from '../../../web/src/features/messaging/live';
import { ConnectionStatus } from '../../../web/src/features/notifications/connection-status';
import { setupI18n } from '../../../web/src/i18n/setup';
import { render, settle } from './harness';

/** A stand-in for the browser's WebSocket that the test drives by hand. */
class FakeSocket {
  static opened: FakeSocket[] = [];
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
  close() {
    this.drop(1000);
  }
}

beforeAll(() => {
  localStorage.setItem('missive.locale', 'en');
  setupI18n();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  FakeSocket.opened = [];
});

describe('connection state', () => {
  it('shows connecting, live, reconnecting and offline, and announces losses and returns but not the first connection', async () => {
    vi.stubGlobal('WebSocket', FakeSocket);
    let online = true;
    vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
    const rendered = await render(<ConnectionStatus />);
    const badge = () => rendered.container.querySelector('.connection-status')?.textContent ?? null;
    const announced = () => rendered.container.querySelector('[role="status"]')?.textContent;
    // Nothing watches yet: nothing to show.
    expect(connectionStateNow()).toBe('idle');
    expect(badge()).toBeNull();

    let stop: () => void = () => undefined;
    await act(async () => {
      stop = watch(() => undefined);
    });
    await settle();
    expect(badge()).toBe('Live updates: Connecting…');
    await act(async () => FakeSocket.opened[0]?.receive({ type: 'ready', cursor: 1 }));
    expect(badge()).toBe('Live updates: Live');
    expect(announced()).toBe('');

    await act(async () => FakeSocket.opened[0]?.drop());
    expect(badge()).toBe('Live updates: Reconnecting…');
    expect(announced()).toMatch(/^Connection lost/);

    online = false;
    await act(async () => {
      window.dispatchEvent(new Event('offline'));
    });
    expect(badge()).toBe('Live updates: Offline');
    expect(announced()).toMatch(/^You are offline/);

    online = true;
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    expect(badge()).toBe('Live updates: Reconnecting…');
    await act(async () => FakeSocket.opened.at(-1)?.receive({ type: 'ready', cursor: 2 }));
    expect(badge()).toBe('Live updates: Live');
    expect(announced()).toBe('Connection restored. Live updates are back.');
    expect(rendered.container.querySelector('[role="status"]')?.getAttribute('aria-live')).toBe('polite');

    act(() => stop());
    rendered.unmount();
  });
});
