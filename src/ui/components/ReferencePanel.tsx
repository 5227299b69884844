// Reference facts for the device in hand (e.g. the MS17-010 updates and minimum srv.sys for its
// OS), each with its confidence and where it comes from: for every value its sources (title,
// date, address), and for the table as a whole the sources it was built from. Unconfirmed
// values are shown as such, never as fact.
import type {
  ReferenceCell,
  ReferenceRow,
  ReferenceTable,
  Source,
} from '../../checklist/schema.ts';
import { formatSourceDate } from '../format.ts';
import { InlineCode } from './Guidance.tsx';
import { ConfidenceTag, SourceCitation, SourceLink } from './SourceCitation.tsx';

function cellValue(cell: ReferenceCell | undefined): string {
  if (cell?.value === null || cell === undefined) return 'Not known';
  if (Array.isArray(cell.value)) return cell.value.length ? cell.value.join(', ') : 'None';
  return cell.value;
}

function CellSources({ cell, sources }: { cell: ReferenceCell; sources: readonly Source[] }) {
  const cited = cell.sources
    .map((id) => sources.find((s) => s.id === id))
    .filter((s): s is Source => s !== undefined);
  if (cited.length === 0)
    return <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">No source: see the note.</p>;
  return (
    <ul className="nhsuk-list nhsuk-body-s nhsuk-u-margin-bottom-0">
      {cited.map((s) => (
        <li key={s.id} className="nhsuk-u-margin-bottom-1">
          Source: {s.publisher}, <cite>{s.title}</cite>, {formatSourceDate(s.date)}
          {s.confidence !== 'confirmed' && (
            <>
              {' '}
              <ConfidenceTag confidence={s.confidence} />
            </>
          )}
          <br />
          <span className="app-mono">
            <SourceLink source={s} />
          </span>
        </li>
      ))}
    </ul>
  );
}

export function ReferencePanel({ table, row }: { table: ReferenceTable; row: ReferenceRow }) {
  const headingId = `reference-${table.id}`;
  return (
    <section className="nhsuk-card" aria-labelledby={headingId}>
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-s" id={headingId}>
          {table.title}: {row.label}
        </h2>
        <dl className="nhsuk-summary-list">
          {table.columns.map((column) => {
            const cell = row.cells[column.id];
            return (
              <div className="nhsuk-summary-list__row" key={column.id}>
                <dt className="nhsuk-summary-list__key">{column.label}</dt>
                <dd className="nhsuk-summary-list__value">
                  <InlineCode text={cellValue(cell)} />
                  {cell && (
                    <>
                      {' '}
                      <ConfidenceTag confidence={cell.confidence} />
                    </>
                  )}
                  {cell?.note && (
                    <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
                      <InlineCode text={cell.note} />
                    </p>
                  )}
                  {cell && <CellSources cell={cell} sources={table.sources} />}
                </dd>
              </div>
            );
          })}
        </dl>
        <h3 className="nhsuk-heading-xs" id={`${headingId}-sources`}>
          Where this table comes from
        </h3>
        <p className="nhsuk-body-s">
          <InlineCode text={table.summary} />
        </p>
        <ul
          className="nhsuk-list nhsuk-list--bullet nhsuk-body-s nhsuk-u-margin-bottom-0"
          aria-labelledby={`${headingId}-sources`}
        >
          {table.sources.map((s) => (
            <li key={s.id}>
              <SourceCitation source={s} />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
