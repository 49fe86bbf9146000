// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfirmDialog } from '../../../web/src/components/dialog';
import { EmailAddress } from '../../../web/src/components/email-address';
import { EmergencyNotice } from '../../../web/src/components/emergency-notice';
import { Table } from '../../../web/src/components/table';
import { setupI18n } from '../../../web/src/i18n/setup';
import { click, type Rendered, render } from './harness';

let rendered: Rendered | undefined;

beforeAll(() => {
  localStorage.setItem('missive.locale', 'en');
  setupI18n();
});

afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

const hrefs = (container: HTMLElement) =>
  [...container.querySelectorAll('a')].map((link) => link.getAttribute('href'));

describe('EmergencyNotice', () => {
  it('lists the French numbers as tappable links, 114 by text message', async () => {
    rendered = await render(<EmergencyNotice country="FR" />);
    expect(hrefs(rendered.container)).toEqual(['tel:15', 'tel:112', 'sms:114', 'tel:3114']);
  });

  it('lists the Italian numbers for Italian patients', async () => {
    rendered = await render(<EmergencyNotice country="IT" />);
    expect(hrefs(rendered.container)).toEqual(['tel:112', 'tel:118']);
  });

  it('shows both countries, each under its own heading, when the country is unknown', async () => {
    rendered = await render(<EmergencyNotice />);
    expect(hrefs(rendered.container)).toHaveLength(6);
    expect([...rendered.container.querySelectorAll('h3')].map((heading) => heading.textContent)).toEqual([
      'France',
      'Italy',
    ]);
  });
});

describe('ConfirmDialog', () => {
  it('focuses the safe choice, closes on Escape and gives focus back', async () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const onCancel = vi.fn();
    const onConfirm = vi.fn();
    rendered = await render(
      <ConfirmDialog
        open
        title="Remove Sophie?"
        confirmLabel="Remove"
        onConfirm={onConfirm}
        onCancel={onCancel}
      >
        <p>She will lose access.</p>
      </ConfirmDialog>,
    );
    const dialog = rendered.container.querySelector('dialog');
    expect(dialog?.hasAttribute('open')).toBe(true);
    expect(dialog?.getAttribute('aria-labelledby')).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Cancel');

    dialog?.dispatchEvent(new Event('cancel', { cancelable: true }));
    expect(onCancel).toHaveBeenCalledOnce();

    await click(
      [...(dialog?.querySelectorAll('button') ?? [])].find((button) => button.textContent === 'Remove') ??
        null,
    );
    expect(onConfirm).toHaveBeenCalledOnce();
    opener.remove();
  });
});

describe('Table', () => {
  it('labels every cell for the stacked small-screen layout and names rows by their header cell', async () => {
    rendered = await render(
      <Table
        caption="Members"
        rows={[{ id: '1', name: 'Sophie', role: 'Assistant' }]}
        rowKey={(row) => row.id}
        empty="Nobody"
        columns={[
          { key: 'name', header: 'Name', label: 'Name', rowHeader: true, render: (row) => row.name },
          { key: 'role', header: 'Role', label: 'Role', render: (row) => row.role },
        ]}
      />,
    );
    const rowHeader = rendered.container.querySelector('tbody th[scope="row"]');
    expect(rowHeader?.textContent).toBe('Sophie');
    expect(rendered.container.querySelector('tbody td')?.getAttribute('data-label')).toBe('Role');
  });

  it('says so when there is nothing to list', async () => {
    rendered = await render(
      <Table caption="Members" rows={[]} rowKey={() => ''} empty="Nobody yet" columns={[]} />,
    );
    expect(rendered.container.textContent).toBe('Nobody yet');
    expect(rendered.container.querySelector('table')).toBeNull();
  });
});

describe('EmailAddress', () => {
  it('keeps the plain address as text, with line breaks allowed only before the "@" and before dots', async () => {
    rendered = await render(<EmailAddress email="jean-marc.petit@cabinet-des-tilleuls.example.fr" />);
    const address = rendered.container.querySelector('.email-address');
    expect(address?.textContent).toBe('jean-marc.petit@cabinet-des-tilleuls.example.fr');
    expect(address?.getAttribute('translate')).toBe('no');
    // What follows each break opportunity: the "@" starts the domain, a dot starts each further label.
    const afterBreaks = [...(address?.querySelectorAll('wbr') ?? [])].map((wbr) =>
      (wbr.nextSibling?.textContent ?? wbr.nextElementSibling?.textContent ?? '').slice(0, 1),
    );
    expect(afterBreaks).toEqual(['.', '@', '.', '.']);
    // The local part and the domain are each kept together while they fit.
    expect(
      [...(address?.querySelectorAll('.email-address__part') ?? [])].map((part) => part.textContent),
    ).toEqual(['jean-marc.petit', '@cabinet-des-tilleuls.example.fr']);
  });

  it('shows an address without "@" as it is', async () => {
    rendered = await render(<EmailAddress email="not-an-address" />);
    expect(rendered.container.textContent).toBe('not-an-address');
    expect(rendered.container.querySelectorAll('wbr')).toHaveLength(0);
  });
});
