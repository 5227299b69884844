// Reference facts for the device in hand (e.g. the MS17-010 updates and minimum srv.sys for its
// OS), each with its confidence. Unconfirmed values are shown as such, never as fact.
import type { ReferenceRow, ReferenceTable } from '../../checklist/schema.ts';

export function ReferencePanel({ table, row }: { table: ReferenceTable; row: ReferenceRow }) {
  return (
    <section className="nhsuk-card" aria-labelledby={`reference-${table.id}`}>
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-s" id={`reference-${table.id}`}>
          {table.title}: {row.label}
        </h2>
        <dl className="nhsuk-summary-list nhsuk-u-margin-bottom-0">
          {table.columns.map((column) => {
            const cell = row.cells[column.id];
            const value =
              cell?.value === null || cell === undefined
                ? 'Not known'
                : Array.isArray(cell.value)
                  ? cell.value.length
                    ? cell.value.join(', ')
                    : 'None'
                  : cell.value;
            return (
              <div className="nhsuk-summary-list__row" key={column.id}>
                <dt className="nhsuk-summary-list__key">{column.label}</dt>
                <dd className="nhsuk-summary-list__value">
                  {value}
                  {cell && cell.confidence !== 'confirmed' && (
                    <>
                      {' '}
                      <strong className="nhsuk-tag nhsuk-tag--yellow app-tag-inline">
                        {cell.confidence === 'unconfirmed'
                          ? 'unconfirmed — check with the vendor'
                          : 'reported second-hand'}
                      </strong>
                    </>
                  )}
                  {cell?.note && (
                    <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{cell.note}</div>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
      </div>
    </section>
  );
}
