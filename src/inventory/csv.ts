// Reading an inventory CSV safely: refuse what is not text, strip a byte-order mark, accept
// comma-, semicolon- and tab-separated files with CRLF or LF line ends and quoted fields that
// contain separators or line breaks, and remember the line each row starts on, so every
// problem can be reported by line.
import Papa from 'papaparse';
import { detectMapping } from './columns.ts';

/** Largest inventory file accepted (about 100,000 devices in a typical export). */
export const maxInventoryBytes = 20 * 1024 * 1024;

export interface CsvRow {
  /** Line of the file the row starts on (1 is the heading row). */
  line: number;
  cells: string[];
}

export interface ParsedCsv {
  headings: string[];
  rows: CsvRow[];
  delimiter: string;
  /** Rows Papa Parse could not read (an unclosed quote, say), by line. */
  broken: { line: number; message: string }[];
}

export type CsvResult = { ok: true; csv: ParsedCsv } | { ok: false; message: string };

export function tooLargeMessage(bytes: number): string {
  return `This file is ${(bytes / 1024 / 1024).toFixed(1)} MB. The largest inventory Reconnect imports is ${String(maxInventoryBytes / 1024 / 1024)} MB (about 100,000 devices): split it into smaller files and import each.`;
}

/** How an inventory file's bytes were read as text. */
export type InventoryEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export const encodingLabels: Record<InventoryEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16',
  'windows-1252': 'Windows-1252 (Western European)',
};

/**
 * Reads an inventory file's bytes as text without losing a character: UTF-16 when it starts with
 * a UTF-16 byte-order mark (Excel's "Unicode text"), UTF-8 when every byte sequence is valid
 * UTF-8, and otherwise Windows-1252, the encoding Excel on Windows uses for plain "CSV" — so
 * "Café" stays "Café" instead of becoming a replacement character.
 */
export function decodeInventory(bytes: Uint8Array): {
  text: string;
  encoding: InventoryEncoding;
} {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** Binary files (spreadsheets saved as .xlsx, images, executables) are not CSV. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 65_536);
  if (sample.includes('\u0000')) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 0xfffd) control++;
  }
  return sample.length > 0 && control / sample.length > 0.01;
}

export function parseInventoryCsv(
  input: string,
  onProgress?: (fraction: number) => void,
): CsvResult {
  if (input.length > maxInventoryBytes)
    return { ok: false, message: tooLargeMessage(input.length) };
  const text = input.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { ok: false, message: 'The file is empty.' };
  if (looksBinary(text))
    return {
      ok: false,
      message:
        'This is not a CSV text file: it contains binary data. If it is a spreadsheet, save it as “CSV (comma delimited)” and import that.',
    };

  const rows: CsvRow[] = [];
  const broken: ParsedCsv['broken'] = [];
  // Set inside Papa Parse's callback; an object so the type checker sees it can change.
  const seen: { headings: string[] | null } = { headings: null };
  let delimiter = ',';
  let lastCursor = 0;
  let line = 1;
  const total = text.length;
  let nextReport = 0;

  Papa.parse<string[]>(text, {
    delimiter: guessDelimiter(text),
    quoteChar: '"',
    skipEmptyLines: false,
    step: (results) => {
      const cursor = results.meta.cursor;
      const startLine = line;
      // Move the line count past this row (quoted fields may span lines).
      for (let i = lastCursor; i < cursor; i++) if (text.charCodeAt(i) === 10) line++;
      lastCursor = cursor;
      delimiter = results.meta.delimiter;
      const cells = results.data;
      for (const error of results.errors) {
        broken.push({ line: startLine, message: describeParseError(error) });
      }
      if (cells.length === 1 && cells[0]?.trim() === '') return; // blank line
      if (seen.headings === null) seen.headings = cells.map((c) => c.trim());
      else rows.push({ line: startLine, cells });
      if (onProgress && cursor >= nextReport) {
        onProgress(Math.min(1, cursor / total));
        nextReport = cursor + total / 50;
      }
    },
  });
  onProgress?.(1);
  if (seen.headings === null) return { ok: false, message: 'The file has no heading row.' };
  const found: string[] = seen.headings;
  // One column is fine when it is the hostnames or asset tags; otherwise the separator was
  // probably not one Reconnect reads.
  const single = detectMapping(found);
  if (found.length < 2 && rows.length > 0 && single.hostname === null && single.assetTag === null)
    return {
      ok: false,
      message: `Only one column was found (“${found[0] ?? ''}”). Reconnect reads files separated by commas, semicolons or tabs, with a heading row.`,
    };
  return { ok: true, csv: { headings: found, rows, delimiter, broken } };
}

/** The separator used in the heading row (outside quotes): the most frequent of , ; tab |. */
export function guessDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
    ['|', 0],
  ]);
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = ',';
  let most = 0;
  for (const [candidate, count] of counts) {
    if (count > most) {
      best = candidate;
      most = count;
    }
  }
  return best;
}

function describeParseError(error: Papa.ParseError): string {
  switch (error.code) {
    case 'MissingQuotes':
      return 'a quoted field is never closed (the file may be cut short)';
    case 'InvalidQuotes':
      return 'a quote mark is out of place';
    case 'UndetectableDelimiter':
      return 'the separator between fields could not be worked out';
    default:
      return error.message;
  }
}
