// Answers and dates as people read them — "Yes", "15 May 2017", option labels rather than
// values — shared by the pages, the readiness summary and the printed completion record.
import type { EvidenceValue, FileRef, PersonValue } from '../checklist/fields.ts';
import type { Field } from '../checklist/schema.ts';

// Written out here rather than with Intl.DateTimeFormat or toLocaleDateString: making a
// formatter reads the browser's locale data, which costs a page milliseconds it shows nothing
// for, and these are fixed UK forms ("18 April 2018") that read the same on every device.
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const twoDigits = (n: number) => String(n).padStart(2, '0');

export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(date.getTime())) return isoDate;
  return `${String(date.getUTCDate())} ${MONTHS[date.getUTCMonth()] ?? ''} ${String(date.getUTCFullYear())}`;
}

/** A source's date as authors give it, "2017-05-14" or "2017-05", read as "14 May 2017" or "May 2017". */
export function formatSourceDate(date: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(date);
  if (!month) return formatDate(date);
  const day = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
  return `${MONTHS[day.getUTCMonth()] ?? ''} ${String(day.getUTCFullYear())}`;
}

export function formatLocalDateTime(value: string): string {
  const [date = '', time = ''] = value.split('T');
  return time ? `${formatDate(date)} at ${time.slice(0, 5)}` : formatDate(date);
}

/** A moment in this device's time zone: "15 May 2017 at 09:30". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${String(date.getDate())} ${MONTHS[date.getMonth()] ?? ''} ${String(date.getFullYear())} at ${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
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
