import type { ReactNode } from 'react';

export type Column<Row> = {
  key: string;
  header: ReactNode;
  /** Label repeated in front of the value when the table is stacked on small screens. */
  label: string;
  render: (row: Row) => ReactNode;
  /** The cell that names the row (a person, a practice): a row header for screen readers. */
  rowHeader?: boolean;
  className?: string;
};

type TableProps<Row> = {
  caption: string;
  columns: ReadonlyArray<Column<Row>>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  empty: ReactNode;
};

/** A data table that turns into one card per row below 640 px (labels come from `data-label`). */
export function Table<Row>({ caption, columns, rows, rowKey, empty }: TableProps<Row>) {
  // The app's usual empty state (dashed box), as on the pages that list things without a table.
  if (rows.length === 0) return empty ? <p className="empty-state">{empty}</p> : null;
  return (
    <div className="table-wrap">
      <table className="table table--stack">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) =>
                column.rowHeader ? (
                  <th
                    key={column.key}
                    scope="row"
                    data-label={column.label}
                    className={['cell-strong', column.className].filter(Boolean).join(' ')}
                  >
                    <div className="cell-content">{column.render(row)}</div>
                  </th>
                ) : (
                  <td key={column.key} data-label={column.label} className={column.className}>
                    <div className="cell-content">{column.render(row)}</div>
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
