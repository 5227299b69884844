// Answers and dates as people read them — "Yes", "15 May 2017", option labels rather than
// values — shared by the pages, the readiness summary and the printed completion record.
import type { EvidenceValue, FileRef, PersonValue } from '../checklist/fields.ts';
import type { Field } from '../checklist/schema.ts';

export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** A source's date as authors give it, "2017-05-14" or "2017-05", read as "14 May 2017" or "May 2017". */
export function formatSourceDate(date: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(date);
  if (!month) return formatDate(date);
  const day = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
  return day.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function formatLocalDateTime(value: string): string {
  const [date = '', time = ''] = value.split('T');
  return time ? `${formatDate(date)} at ${time.slice(0, 5)}` : formatDate(date);
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

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
      return (value as FileRef[]).map((f) => `${f.name} (SHA-256 ${f.sha256})`).join('; ');
    default:
      return text(value);
  }
}
