// A step's recorded answers in the NHS summary-list pattern, as people read them.
import type { Evidence, EvidenceValue, FileRef, PersonValue } from '../../checklist/fields.ts';
import type { Field } from '../../checklist/schema.ts';
import { formatDate, formatLocalDateTime } from '../format.ts';
import { FileLink } from './FileLink.tsx';

function text(value: EvidenceValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function formatValue(field: Field, value: EvidenceValue | undefined): string {
  if (value === undefined) return 'Not answered';
  switch (field.type) {
    case 'yes-no':
      return value === true ? 'Yes' : 'No';
    case 'choice':
      return field.options.find((o) => o.value === value)?.label ?? text(value);
    case 'multi-choice':
      return (value as string[])
        .map((v) => field.options.find((o) => o.value === v)?.label ?? v)
        .join(', ');
    case 'person': {
      const p = value as PersonValue;
      return `${p.name}, ${p.role}`;
    }
    case 'kb-list':
      return (value as string[]).join(', ');
    case 'number':
      return field.unit ? `${text(value)} ${field.unit}` : text(value);
    case 'date':
      return formatDate(text(value));
    case 'date-time':
      return formatLocalDateTime(text(value));
    case 'file':
      return (value as FileRef[]).map((f) => f.name).join(', ');
    default:
      return text(value);
  }
}

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
