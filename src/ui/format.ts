// Dates and times as people read them here (UK): the pure versions live with the run. And the
// words the app uses for how sure it is of a source or a reference value.
import type { Confidence } from '../checklist/schema.ts';

export {
  formatDate,
  formatDateTime,
  formatLocalDateTime,
  formatSourceDate,
} from '../run/display.ts';

/**
 * "confirmed" only for what was read in the source's own text (or a faithful copy of it);
 * "reported" for a news copy, a third party's summary, or a source only partly read.
 */
export const confidenceWords: Record<Confidence, string> = {
  confirmed: 'confirmed',
  secondary: 'reported: secondary source or only partly read',
  unconfirmed: 'unconfirmed: check with the vendor',
};

// Made on first use, not at load: a formatter with time-zone names costs the first page several
// milliseconds of the browser's time-zone data, and only the printed record needs it.
let withZone: Intl.DateTimeFormat | undefined;

/** A moment with its time zone, as a printed record needs it: "16 May 2017, 08:08 BST". */
export function formatDateTimeZone(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  withZone ??= new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  const parts = withZone.formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}
