// Checking every inventory row before anything is stored: each problem names the line and the
// reason; duplicates are reported; spreadsheet formulas and markup are refused; and each
// device's Windows version is recognised against the MS17-010 reference table.
import type { ColumnMapping, InventoryColumn } from './columns.ts';
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

export interface Validation {
  devices: ImportedDevice[];
  rejected: RejectedRow[];
  unknownOs: UnknownOs[];
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
  const seenHost = new Map<string, number>();
  const seenTag = new Map<string, number>();
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

    if (hostname) {
      const first = seenHost.get(hostname.toLowerCase());
      if (first !== undefined)
        reasons.push(`hostname “${hostname}” is also on line ${String(first)}`);
      else seenHost.set(hostname.toLowerCase(), row.line);
    }
    if (assetTag) {
      const first = seenTag.get(assetTag.toLowerCase());
      if (first !== undefined)
        reasons.push(`asset tag “${assetTag}” is also on line ${String(first)}`);
      else seenTag.set(assetTag.toLowerCase(), row.line);
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
    devices.push(device);
  }
  return { devices, rejected, unknownOs: [...unknown.values()].sort((a, b) => b.count - a.count) };
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
