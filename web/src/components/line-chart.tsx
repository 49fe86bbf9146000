import { useEffect, useId, useRef, useState } from 'react';
import { labelIndexes, linearScale, linePath, niceTicks } from './chart-scale';
import './line-chart.css';

export type ChartSeries = {
  key: string;
  label: string;
  values: readonly number[];
  /** Styled by `.line-chart__series--<tone>`: colour and dash pattern, so series differ without colour. */
  tone: 'primary' | 'success' | 'warning';
};

type LineChartProps = {
  /** Names the chart (the SVG's title, and the table's caption). */
  title: string;
  /** What it shows, in words (the SVG's description). */
  description: string;
  /** One label per point of the x axis. */
  xLabels: readonly string[];
  /** Header of the x column in the data table. */
  xHeader: string;
  series: readonly ChartSeries[];
  /** Text of the button that shows the same data as a table. */
  tableToggle: { show: string; hide: string };
};

const MARGIN = { top: 16, right: 16, bottom: 36, left: 48 };
/** With a single point there is no line to draw: each series is a stem up to a marker with its value above. */
const SINGLE_TOP = 32;
const SINGLE_SPACING = 56;

/** The width the chart has on screen, so that it is drawn in real pixels and its text stays legible. */
function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(240, Math.round(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/**
 * A line chart drawn as SVG: an image with a title and a description for assistive technologies, a legend,
 * and the same numbers as a data table one click away.
 */
export function LineChart({ title, description, xLabels, xHeader, series, tableToggle }: LineChartProps) {
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const { ref, width: WIDTH } = useWidth(640);
  const HEIGHT = WIDTH < 480 ? 200 : 260;
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1]!;
  const x = linearScale([0, Math.max(1, xLabels.length - 1)], [MARGIN.left, WIDTH - MARGIN.right]);
  const single = xLabels.length === 1;
  const y = linearScale([0, top], [HEIGHT - MARGIN.bottom, single ? SINGLE_TOP : MARGIN.top]);
  const shownLabels = labelIndexes(xLabels.length, Math.max(2, Math.floor(WIDTH / 110)));
  const middle = (MARGIN.left + WIDTH - MARGIN.right) / 2;
  return (
    <figure className="line-chart">
      <div ref={ref} className="line-chart__frame">
        <svg
          className="line-chart__svg"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          width={WIDTH}
          height={HEIGHT}
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
        >
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{description}</desc>
          <g className="line-chart__grid">
            {ticks.map((tick) => (
              <g key={tick}>
                <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} />
                <text x={MARGIN.left - 8} y={y(tick)} dy="0.32em" textAnchor="end">
                  {tick}
                </text>
              </g>
            ))}
            {shownLabels.map((index) => (
              <text
                key={index}
                x={single ? middle : x(index)}
                y={HEIGHT - MARGIN.bottom + 20}
                textAnchor={
                  single ? 'middle' : index === 0 ? 'start' : index === xLabels.length - 1 ? 'end' : 'middle'
                }
              >
                {xLabels[index]}
              </text>
            ))}
          </g>
          {series.map((s, rank) => {
            if (single) {
              const value = s.values[0] ?? 0;
              const cx = middle + (rank - (series.length - 1) / 2) * SINGLE_SPACING;
              return (
                <g
                  key={s.key}
                  className={`line-chart__series line-chart__series--${s.tone} line-chart__series--single`}
                >
                  <line x1={cx} x2={cx} y1={y(0)} y2={y(value)} />
                  <circle cx={cx} cy={y(value)} r={5} />
                  <text x={cx} y={y(value) - 12} textAnchor="middle">
                    {value}
                  </text>
                </g>
              );
            }
            const points = s.values.map((value, index) => [x(index), y(value)] as const);
            return (
              <g key={s.key} className={`line-chart__series line-chart__series--${s.tone}`}>
                <path d={linePath(points)} />
                {points.map(([px, py]) => (
                  <circle key={px} cx={px} cy={py} r={3.5} />
                ))}
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption className="line-chart__legend">
        <ul className="cluster">
          {series.map((s) => (
            <li key={s.key} className={`line-chart__key line-chart__key--${s.tone}`}>
              <svg width="28" height="10" aria-hidden="true" focusable="false">
                <line x1="1" x2="27" y1="5" y2="5" />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
        <button
          type="button"
          className="btn btn--ghost btn--small"
          aria-expanded={showTable}
          aria-controls={`${id}-table`}
          onClick={() => setShowTable((value) => !value)}
        >
          {showTable ? tableToggle.hide : tableToggle.show}
        </button>
      </figcaption>
      <div id={`${id}-table`} className="table-wrap" hidden={!showTable}>
        <table className="table line-chart__table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{xHeader}</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {xLabels.map((label, index) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {series.map((s) => (
                  <td key={s.key}>{s.values[index] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
