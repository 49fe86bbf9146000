// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { LineChart } from '../../../web/src/components/line-chart';
import { click, type Rendered, render } from './harness';

let rendered: Rendered | undefined;
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
});

describe('line chart', () => {
  it('is an image named by its title and description, with the same numbers as a table on demand', async () => {
    rendered = await render(
      <LineChart
        title="Delivered and read over time"
        description="Cumulative counts hour by hour: 3 delivered, 1 read."
        xHeader="Hour"
        xLabels={['09:00', '10:00', '11:00']}
        tableToggle={{ show: 'Show as a table', hide: 'Hide the table' }}
        series={[
          { key: 'delivered', label: 'Delivered', tone: 'primary', values: [2, 3, 3] },
          { key: 'read', label: 'Read', tone: 'success', values: [0, 1, 1] },
        ]}
      />,
    );
    const { container } = rendered;
    const svg = container.querySelector('svg[role="img"]')!;
    const [titleId, descId] = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
    expect(container.ownerDocument.getElementById(titleId!)?.textContent).toBe(
      'Delivered and read over time',
    );
    expect(container.ownerDocument.getElementById(descId!)?.textContent).toBe(
      'Cumulative counts hour by hour: 3 delivered, 1 read.',
    );
    // One line per series, one marker per point; the y axis reaches the highest value.
    expect(svg.querySelectorAll('.line-chart__series path')).toHaveLength(2);
    expect(svg.querySelectorAll('.line-chart__series circle')).toHaveLength(6);
    expect([...svg.querySelectorAll('.line-chart__grid > g > text')].map((t) => t.textContent)).toEqual([
      '0',
      '1',
      '2',
      '3',
    ]);

    const toggle = container.querySelector('button')!;
    const table = container.querySelector('table')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(table.closest('[hidden]')).not.toBeNull();
    await click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.textContent).toBe('Hide the table');
    expect(table.closest('[hidden]')).toBeNull();
    expect([...table.querySelectorAll('tbody tr')].map((row) => row.textContent)).toEqual([
      '09:0020',
      '10:0031',
      '11:0031',
    ]);
  });

  it('draws a single bucket as points without a line', async () => {
    rendered = await render(
      <LineChart
        title="t"
        description="d"
        xHeader="Hour"
        xLabels={['09:00']}
        tableToggle={{ show: 'Show', hide: 'Hide' }}
        series={[{ key: 'delivered', label: 'Delivered', tone: 'primary', values: [0] }]}
      />,
    );
    expect(rendered.container.querySelectorAll('path')).toHaveLength(0);
    expect(rendered.container.querySelectorAll('.line-chart__series circle')).toHaveLength(1);
  });
});
