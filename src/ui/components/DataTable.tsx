// The NHS design system's table, from a list of columns: every table in the app gets a caption
// (shown or only for screen readers), column headers with scope, and numeric alignment where
// the column holds counts.
import type { ReactNode } from 'react';

export interface Column<T> {
  // What the header says; a column of actions can hide its header visually but keep it for
  // screen readers.
  header: ReactNode;
  cell: (row: T, index: number) => ReactNode;
  numeric?: boolean;
  // Extra classes for the cells, such as app-nowrap for dates or app-mono for digests.
  className?: string;
}

interface Props<T> {
  caption: string;
  captionHidden?: boolean;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string | number;
  className?: string;
}

export function DataTable<T>({
  caption,
  captionHidden = false,
  columns,
  rows,
  rowKey,
  className,
}: Props<T>) {
  return (
    <table className={className ? `nhsuk-table ${className}` : 'nhsuk-table'}>
      <caption
        className={
          captionHidden ? 'nhsuk-table__caption nhsuk-u-visually-hidden' : 'nhsuk-table__caption'
        }
      >
        {caption}
      </caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          {columns.map((c, i) => (
            <th
              scope="col"
              key={i}
              className={
                c.numeric
                  ? 'nhsuk-table__header nhsuk-table__header--numeric'
                  : 'nhsuk-table__header'
              }
            >
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {rows.map((row, r) => (
          <tr className="nhsuk-table__row" key={rowKey(row, r)}>
            {columns.map((c, i) => (
              <td
                key={i}
                className={[
                  'nhsuk-table__cell',
                  c.numeric ? 'nhsuk-table__cell--numeric' : '',
                  c.className ?? '',
                ]
                  .filter(Boolean)
                  .join(' ')}
              >
                {c.cell(row, r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
