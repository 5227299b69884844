// Checking every inventory row before anything is stored: each problem names the line and the
// reason; duplicates are reported; spreadsheet formulas and markup are refused; and each
// device's Windows version is recognised against the MS17-010 reference table.
import { identifierColumns, type ColumnMapping, type InventoryColumn } from './columns.ts';
import type { ParsedCsv } from './csv.ts';
import { osKey, recogniseOs } from './osRecognition.ts';

export interface ImportedDevice {
  line: number;
  /** What identifies the device across imports: its hostname, else its asset tag. */
  key: string;
  hostname?: string;
  assetTag?: string;
  ip?: string;
  mac?: string;
  osCaption?: string;
  osVersion?: string;
  servicePack?: string;
  location?: string;
  owner?: string;
  deviceClass?: string;
  /** The last-logon (or last-seen) cell as the file wrote it, and when that was, if readable. */
  lastLogon?: string;
  lastLogonAt?: number;
  /** Other identifiers the file had (serial number, objectGUID, SID…), by their heading. */
  identifiers?: Record<string, string>;
  osRow: string | null;
  osBecause: string;
}

/** What identifies a device across imports: its hostname, else its asset tag (any case). */
export function deviceKey(hostname: string | undefined, assetTag: string | undefined): string {
  return hostname ? hostname.toLowerCase() : `asset:${(assetTag ?? '').toLowerCase()}`;
}

export interface RejectedRow {
  line: number;
  reasons: string[];
  cells: string[];
}

export interface UnknownOs {
  key: string;
  caption: string;
  version: string;
  servicePack: string;
  because: string;
  count: number;
  example: number;
}

/** Rows that name the same device (a re-imaged PC is in AD and SCCM twice): one to keep. */
export interface DuplicateGroup {
  key: string;
  /** The hostname (or asset tag) as the first row wrote it. */
  name: string;
  rows: ImportedDevice[];
  /** Whether any row has a last-logon time that can be read, so "newest" can be chosen. */
  hasLastLogon: boolean;
}

export interface Validation {
  /** Devices named once in the file. */
  devices: ImportedDevice[];
  /** Devices named on more than one row: the person chooses what to keep of each. */
  duplicates: DuplicateGroup[];
  rejected: RejectedRow[];
  unknownOs: UnknownOs[];
}

export type DuplicateChoice = 'newest' | 'first' | 'skip';

export const duplicateChoiceLabels: Record<DuplicateChoice, string> = {
  newest: 'Keep the row with the newest last logon',
  first: 'Keep the first row',
  skip: 'Skip this device',
};

export interface DuplicateOutcome {
  key: string;
  name: string;
  choice: DuplicateChoice;
  /** The line kept, or null when the device was skipped. */
  kept: number | null;
  /** The lines left out. */
  left: number[];
  because: string;
}

/**
 * The devices to store once the person has chosen for each duplicate group (groups without a
 * choice take `fallback`), and what was kept of each group and why.
 */
export function resolveDuplicates(
  validation: Pick<Validation, 'devices' | 'duplicates'>,
  choices: Readonly<Record<string, DuplicateChoice>>,
  fallback: DuplicateChoice,
): { devices: ImportedDevice[]; outcomes: DuplicateOutcome[] } {
  const chosen: ImportedDevice[] = [];
  const outcomes: DuplicateOutcome[] = [];
  for (const group of validation.duplicates) {
    let choice = choices[group.key] ?? fallback;
    if (choice === 'newest' && !group.hasLastLogon) choice = 'first';
    const lines = group.rows.map((r) => r.line);
    if (choice === 'skip') {
      outcomes.push({ ...common(group, choice), kept: null, left: lines, because: 'skipped' });
      continue;
    }
    let keep = group.rows[0];
    let because = `the first of ${String(group.rows.length)} rows`;
    if (choice === 'newest') {
      for (const row of group.rows)
        if (row.lastLogonAt !== undefined && (keep?.lastLogonAt ?? -Infinity) < row.lastLogonAt)
          keep = row;
      because = `the newest last logon (${keep?.lastLogon ?? 'none'}) of ${String(group.rows.length)} rows`;
    } else if (choices[group.key] === 'newest') {
      because = `the first of ${String(group.rows.length)} rows: none has a last logon that can be read`;
    }
    if (!keep) continue;
    chosen.push(keep);
    outcomes.push({
      ...common(group, choice),
      kept: keep.line,
      left: lines.filter((l) => l !== keep.line),
      because,
    });
  }
  // Keep the file's order, so a device's line in the record reads as in the file.
  const devices = [...validation.devices, ...chosen].sort((a, b) => a.line - b.line);
  return { devices, outcomes };
}

function common(group: DuplicateGroup, choice: DuplicateChoice) {
  return { key: group.key, name: group.name, choice };
}

/**
 * When a last-logon cell says it happened, in milliseconds since 1970, or undefined. Reads AD's
 * lastLogonTimestamp (100-nanosecond intervals since 1601), ISO 8601, and the dates exports
 * write: day first ("15/05/2017 09:12:33", as in the UK), or month first when the time has
 * AM or PM ("5/15/2017 9:12:33 AM", as US-English systems write).
 */
export function parseLastLogon(text: string | undefined): number | undefined {
  const value = (text ?? '').trim();
  if (!value) return undefined;
  if (/^\d{17,18}$/.test(value)) {
    const ms = Number(value) / 10_000 - 11_644_473_600_000;
    return ms > 0 ? ms : undefined;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(value.replace(' ', 'T'));
    return Number.isNaN(ms) ? undefined : ms;
  }
  const match =
    /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?$/i.exec(
      value,
    );
  if (!match) return undefined;
  const [, a = '', b = '', year = '', hour = '0', minute = '0', second = '0', half] = match;
  const monthFirst = half !== undefined;
  const day = Number(monthFirst ? b : a);
  const month = Number(monthFirst ? a : b);
  let h = Number(hour);
  if (half) h = (h % 12) + (half.toLowerCase() === 'pm' ? 12 : 0);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return Date.UTC(Number(year), month - 1, day, h, Number(minute), Number(second));
}

const maxCell = 500;
const emptyValues = new Set(['', '-', 'n/a', 'na', 'null', 'none', 'unknown']);

function cellProblems(value: string, heading: string): string[] {
  const problems: string[] = [];
  const trimmed = value.trim();
  if (trimmed === '-') return problems;
  // OWASP's list for CSV injection: a leading =, +, -, @, tab or carriage return.
  if (/^[=+\-@\t\r]/.test(value) || /^[=+\-@]/.test(trimmed)) {
    // Quote the character that is really first: a tab or carriage return is invisible, and
    // trimming it away would quote the one after it.
    const first = /^[\t\r]/.test(value) ? value.charAt(0) : trimmed.charAt(0);
    const named =
      first === '\t'
        ? 'a tab character'
        : first === '\r'
          ? 'a carriage return (an invisible line-break character)'
          : `“${first}”`;
    problems.push(`“${heading}” starts with ${named}, which a spreadsheet would run as a formula`);
  }
  if (/<\s*[a-z!/?]/i.test(value))
    problems.push(
      `“${heading}” contains markup such as “<script>”, which no inventory field needs`,
    );
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value))
    problems.push(`“${heading}” contains control characters`);
  if (value.length > maxCell)
    problems.push(`“${heading}” is longer than ${String(maxCell)} characters`);
  return problems;
}

const hostnamePattern = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_-]{1,63})*$/;
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const ipv6 = /^[0-9a-f:]+(%\w+)?$/i;
const macPattern =
  /^(?:[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}|[0-9a-f]{12})$/i;

function list(value: string): string[] {
  return value
    .split(/[,;\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

export function validateInventory(csv: ParsedCsv, mapping: ColumnMapping): Validation {
  const devices: ImportedDevice[] = [];
  const rejected: RejectedRow[] = [];
  const unknown = new Map<string, UnknownOs>();
  const seenTag = new Map<string, { key: string; line: number }>();
  const identifiers = identifierColumns(csv.headings);
  const brokenLines = new Map(csv.broken.map((b) => [b.line, b.message]));
  const width = csv.headings.length;

  const columnHeading = (column: InventoryColumn) => {
    const index = mapping[column];
    return index === null ? column : (csv.headings[index] ?? column);
  };

  if (mapping.hostname === null && mapping.assetTag === null) {
    return {
      devices: [],
      rejected: [
        {
          line: 1,
          reasons: [
            'No column is chosen for the hostname or the asset tag: one of them is needed to tell devices apart',
          ],
          cells: csv.headings,
        },
      ],
      duplicates: [],
      unknownOs: [],
    };
  }

  for (const row of csv.rows) {
    const reasons: string[] = [];
    const broken = brokenLines.get(row.line);
    if (broken) reasons.push(`the line cannot be read: ${broken}`);
    if (row.cells.length !== width)
      reasons.push(
        `it has ${String(row.cells.length)} fields; the heading row has ${String(width)}`,
      );
    row.cells.forEach((cell, i) => {
      reasons.push(...cellProblems(cell, csv.headings[i] ?? `column ${String(i + 1)}`));
    });

    const get = (column: InventoryColumn): string | undefined => {
      const index = mapping[column];
      if (index === null) return undefined;
      const value = (row.cells[index] ?? '').trim();
      return emptyValues.has(value.toLowerCase()) ? undefined : value;
    };

    const hostname = get('hostname');
    const assetTag = get('assetTag');
    if (!hostname && !assetTag)
      reasons.push(
        `it has neither a ${columnHeading('hostname')} nor an ${columnHeading('assetTag')}`,
      );
    if (hostname && !hostnamePattern.test(hostname))
      reasons.push(`“${hostname}” is not a valid hostname`);
    const ip = get('ip');
    if (ip)
      for (const address of list(ip))
        if (!ipv4.test(address) && !(address.includes(':') && ipv6.test(address)))
          reasons.push(`“${address}” is not an IP address`);
    const mac = get('mac');
    if (mac)
      for (const address of list(mac))
        if (!macPattern.test(address)) reasons.push(`“${address}” is not a MAC address`);

    // The same hostname twice is one device listed twice (the person chooses which row to
    // keep); the same asset tag on two different devices is a mistake in the file.
    const key = deviceKey(hostname, assetTag);
    if (assetTag) {
      const first = seenTag.get(assetTag.toLowerCase());
      if (first !== undefined && first.key !== key)
        reasons.push(`asset tag “${assetTag}” is also on line ${String(first.line)}`);
      else if (first === undefined) seenTag.set(assetTag.toLowerCase(), { key, line: row.line });
    }

    if (reasons.length > 0) {
      rejected.push({ line: row.line, reasons, cells: row.cells });
      continue;
    }

    const os = { caption: get('os'), version: get('version'), servicePack: get('servicePack') };
    const recognition = recogniseOs(os);
    if (recognition.row === null) {
      const key = osKey(os);
      const entry = unknown.get(key);
      if (entry) entry.count++;
      else
        unknown.set(key, {
          key,
          caption: os.caption ?? '',
          version: os.version ?? '',
          servicePack: os.servicePack ?? '',
          because: recognition.because,
          count: 1,
          example: row.line,
        });
    }
    const device: ImportedDevice = {
      line: row.line,
      key: deviceKey(hostname, assetTag),
      osRow: recognition.row,
      osBecause: recognition.because,
    };
    const optional: [keyof ImportedDevice, InventoryColumn][] = [
      ['hostname', 'hostname'],
      ['assetTag', 'assetTag'],
      ['ip', 'ip'],
      ['mac', 'mac'],
      ['osCaption', 'os'],
      ['osVersion', 'version'],
      ['servicePack', 'servicePack'],
      ['location', 'location'],
      ['owner', 'owner'],
      ['deviceClass', 'deviceClass'],
    ];
    for (const [field, column] of optional) {
      const value = get(column);
      if (value !== undefined) (device as unknown as Record<string, string>)[field] = value;
    }
    const lastLogon = get('lastLogon');
    if (lastLogon !== undefined) {
      device.lastLogon = lastLogon;
      const at = parseLastLogon(lastLogon);
      if (at !== undefined) device.lastLogonAt = at;
    }
    const others: Record<string, string> = {};
    for (const index of identifiers) {
      const value = (row.cells[index] ?? '').trim();
      if (value && !emptyValues.has(value.toLowerCase()))
        others[csv.headings[index] ?? `Column ${String(index + 1)}`] = value;
    }
    if (Object.keys(others).length > 0) device.identifiers = others;
    devices.push(device);
  }
  const byKey = new Map<string, ImportedDevice[]>();
  for (const device of devices) {
    const rows = byKey.get(device.key);
    if (rows) rows.push(device);
    else byKey.set(device.key, [device]);
  }
  const duplicates: DuplicateGroup[] = [];
  for (const [key, rows] of byKey) {
    if (rows.length < 2) continue;
    const first = rows[0];
    duplicates.push({
      key,
      name: first?.hostname ?? first?.assetTag ?? key,
      rows,
      hasLastLogon: rows.some((r) => r.lastLogonAt !== undefined),
    });
  }
  return {
    devices: devices.filter((d) => (byKey.get(d.key)?.length ?? 0) < 2),
    duplicates,
    rejected,
    unknownOs: [...unknown.values()].sort((a, b) => b.count - a.count),
  };
}

/** The rejected rows as a CSV the user can fix and import again: original cells, then why. */
export function rejectedToCsv(
  headings: readonly string[],
  rejected: readonly RejectedRow[],
): string {
  const quote = (v: string) => `"${neutralise(v).replace(/"/g, '""')}"`;
  const lines = [[...headings, 'Line', 'Why it was rejected'].map(quote).join(',')];
  for (const row of rejected)
    lines.push([...row.cells, String(row.line), row.reasons.join('; ')].map(quote).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Stops a spreadsheet running a cell as a formula: a leading ', as OWASP recommends. */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
