// A step's recorded answers in the NHS summary-list pattern, as people read them.
import type { Evidence, FileRef } from '../../checklist/fields.ts';
import { formatValue } from '../../run/display.ts';
import type { Field } from '../../checklist/schema.ts';
import { FileLink } from './FileLink.tsx';

export function EvidenceSummary({
  fields,
  evidence,
  runId,
}: {
  fields: readonly Field[];
  evidence: Evidence;
  runId: string;
}) {
  if (fields.length === 0) return <p>This step records no answers.</p>;
  return (
    <dl className="nhsuk-summary-list">
      {fields.map((field) => {
        const value = evidence[field.id];
        return (
          <div className="nhsuk-summary-list__row" key={field.id}>
            <dt className="nhsuk-summary-list__key">{field.label}</dt>
            <dd className="nhsuk-summary-list__value">
              {field.type === 'file' && Array.isArray(value) ? (
                <ul className="nhsuk-list">
                  {(value as FileRef[]).map((f) => (
                    <li key={f.id}>
                      <FileLink runId={runId} file={f} />
                    </li>
                  ))}
                </ul>
              ) : field.type === 'long-text' && typeof value === 'string' ? (
                <span className="app-pre-wrap">{value}</span>
              ) : (
                formatValue(field, value)
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
