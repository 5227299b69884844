// Reading an inventory CSV safely: refuse what is not text, strip a byte-order mark, accept
// comma-, semicolon- and tab-separated files with CRLF, LF or CR line ends (mixed, too) and
// quoted fields that contain separators or line breaks, and remember the line each row starts
// on, so every problem can be reported by line. What cannot be read for certain — a heading
// row that does not parse, headings given twice, a file with no devices — is refused with the
// reason; what was read but may be wrong (replacement characters, mixed encodings) is warned of.
import Papa from 'papaparse';
import { detectMapping } from './columns.ts';

/** Largest inventory file accepted (about 100,000 devices in a typical export). */
export const maxInventoryBytes = 20 * 1024 * 1024;

export interface CsvRow {
  /** Line of the file the row starts on (the heading row is 1, or 2 after a #TYPE line). */
  line: number;
  cells: string[];
}

export interface ParsedCsv {
  headings: string[];
  rows: CsvRow[];
  delimiter: string;
  /** Rows Papa Parse could not read (an unclosed quote, say), by line. */
  broken: { line: number; message: string }[];
  /** What was read but should be checked by a person (shown before anything is imported). */
  warnings: string[];
}

export type CsvResult = { ok: true; csv: ParsedCsv } | { ok: false; message: string };

export function tooLargeMessage(bytes: number): string {
  return `This file is ${(bytes / 1024 / 1024).toFixed(1)} MB. The largest inventory Reconnect imports is ${String(maxInventoryBytes / 1024 / 1024)} MB (about 100,000 devices): split it into smaller files and import each.`;
}

/** How an inventory file's bytes were read as text. */
export type InventoryEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'mixed';

export const encodingLabels: Record<InventoryEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16',
  'windows-1252': 'Windows-1252 (Western European)',
  mixed: 'UTF-8 and Windows-1252, line by line',
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Whether the bytes hold at least one well-formed multi-byte UTF-8 sequence. */
function hasUtf8Sequence(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0xc2 || b > 0xf4) continue;
    const length = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    if (utf8OrNull(bytes.subarray(i, i + length)) !== null) return true;
  }
  return false;
}

/** "2, 5 and 9", or the first few and how many more. */
export function lineList(lines: readonly number[]): string {
  const shown = lines.slice(0, 5).map(String);
  const more = lines.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more.toLocaleString('en-GB')} more`;
  return shown.length > 1
    ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1) ?? ''}`
    : shown.join('');
}

/**
 * Reads an inventory file's bytes as text without losing a character: UTF-16 when it starts with
 * a UTF-16 byte-order mark (Excel's "Unicode text"), UTF-8 when every byte sequence is valid
 * UTF-8, and otherwise Windows-1252, the encoding Excel on Windows uses for plain "CSV" — so
 * "Café" stays "Café" instead of becoming a replacement character. A file that is neither
 * (two exports pasted together, one UTF-8 and one Windows-1252) is read line by line, each line
 * in the encoding it is valid in, and a warning names the lines read as Windows-1252: read as
 * one encoding it would turn "Café" into "CafÃ©" in the UTF-8 lines.
 */
export function decodeInventory(bytes: Uint8Array): {
  text: string;
  encoding: InventoryEncoding;
  warnings: string[];
} {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le', warnings: [] };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be', warnings: [] };
  const utf8 = utf8OrNull(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8', warnings: [] };
  if (!hasUtf8Sequence(bytes))
    return { text: windows1252.decode(bytes), encoding: 'windows-1252', warnings: [] };

  const parts: string[] = [];
  const legacyLines: number[] = [];
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const piece = bytes.subarray(start, Math.min(end + 1, bytes.length));
    const asUtf8 = utf8OrNull(piece);
    if (asUtf8 === null) legacyLines.push(line);
    parts.push(asUtf8 ?? windows1252.decode(piece));
    start = end + 1;
    line++;
  }
  return {
    text: parts.join(''),
    encoding: 'mixed',
    warnings: [
      `This file mixes two text encodings: ${legacyLines.length === 1 ? 'line' : 'lines'} ${lineList(legacyLines)} ${legacyLines.length === 1 ? 'is' : 'are'} not UTF-8 and ${legacyLines.length === 1 ? 'was' : 'were'} read as Windows-1252, the rest as UTF-8. Check that names with accents or symbols look right, or save the file again as “CSV UTF-8” and import that.`,
    ],
  };
}

/**
 * Binary files (spreadsheets saved as .xlsx, images, executables) are not CSV. A replacement
 * character (U+FFFD) is not binary: it is valid text that says a character was lost before the
 * file reached Reconnect, so it is warned of (see replacementWarning), not refused. Binary bytes
 * that are not UTF-8 are read as Windows-1252 and show up here as control characters.
 */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 65_536);
  if (sample.includes('\u0000')) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if (code < 32 && code !== 9 && code !== 10 && code !== 13) control++;
  }
  return sample.length > 0 && control / sample.length > 0.01;
}

function replacementWarning(text: string): string | null {
  if (!text.includes('\ufffd')) return null;
  const lines: number[] = [];
  let count = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) line++;
    else if (code === 0xfffd) {
      count++;
      if (lines.at(-1) !== line) lines.push(line);
    }
  }
  return `The file contains ${count.toLocaleString('en-GB')} replacement ${count === 1 ? 'character' : 'characters'} (“\ufffd”) on ${lines.length === 1 ? 'line' : 'lines'} ${lineList(lines)}: a character was lost when the file was saved or converted before it reached Reconnect. Check those values, or export the file again.`;
}

/**
 * Makes every line end outside quoted fields a plain LF (CRLF, LF and CR alike), so a file
 * whose lines end in different ways — pasted together, or edited on two systems — is split into
 * the same rows as if they all ended the same. Inside quotes nothing changes: a value's own line
 * break, or a carriage return at its start, reaches the checks exactly as written.
 */
export function normaliseLineEnds(text: string, delimiter = guessDelimiter(text)): string {
  if (!text.includes('\r')) return text;
  const separator = delimiter.charCodeAt(0);
  let out = '';
  let from = 0;
  let quoted = false;
  // As Papa Parse reads quotes: a quote opens a quoted field only at the field's start, and
  // inside one a doubled quote is a quote mark.
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else quoted = false;
      }
      continue;
    }
    if (c === 34 && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (c === 13) {
      out += `${text.slice(from, i)}\n`;
      if (text.charCodeAt(i + 1) === 10) i++;
      from = i + 1;
      fieldStart = true;
    } else fieldStart = c === 10 || c === separator;
  }
  return out + text.slice(from);
}

const POWERSHELL_TYPE_LINE = /^#TYPE [^\r\n"]*(?=\r|\n)/;

export function parseInventoryCsv(
  input: string,
  onProgress?: (fraction: number) => void,
): CsvResult {
  if (input.length > maxInventoryBytes)
    return { ok: false, message: tooLargeMessage(input.length) };
  // Windows PowerShell's Export-Csv starts with a "#TYPE …" line unless told not to
  // (-NoTypeInformation). It names a .NET type, not a column: it is read as a blank line, so the
  // heading row is line 2 and every line number still matches the file.
  const withoutBom = input.replace(/^\uFEFF/, '').replace(POWERSHELL_TYPE_LINE, '');
  const delimiterGuess = guessDelimiter(withoutBom.replace(/^(?:\r\n|\r|\n)/, ''));
  const text = normaliseLineEnds(withoutBom, delimiterGuess);
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
  const seen: { headings: string[] | null; line: number } = { headings: null, line: 1 };
  let delimiter = ',';
  let lastCursor = 0;
  let line = 1;
  const total = text.length;
  let nextReport = 0;

  Papa.parse<string[]>(text, {
    delimiter: delimiterGuess,
    newline: '\n',
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
      if (seen.headings === null) {
        seen.headings = cells.map((c) => c.trim());
        seen.line = startLine;
      } else rows.push({ line: startLine, cells });
      if (onProgress && cursor >= nextReport) {
        onProgress(Math.min(1, cursor / total));
        nextReport = cursor + total / 50;
      }
    },
  });
  onProgress?.(1);
  if (seen.headings === null) return { ok: false, message: 'The file has no heading row.' };
  const found: string[] = seen.headings;
  // A heading row that does not parse (an unclosed quote swallows the whole file into one
  // heading) leaves nothing that can be read for certain.
  const headingProblem = broken.find((b) => b.line === seen.line);
  if (headingProblem || (rows.length === 0 && broken.length > 0))
    return {
      ok: false,
      message: `The heading row cannot be read: ${(headingProblem ?? broken[0])?.message ?? 'it is damaged'}. Check the quote marks on line ${String(headingProblem?.line ?? broken[0]?.line ?? seen.line)}, then import the file again.`,
    };
  // One column is fine when it is the hostnames or asset tags; otherwise the separator was
  // probably not one Reconnect reads.
  const single = detectMapping(found);
  if (found.length < 2 && rows.length > 0 && single.hostname === null && single.assetTag === null)
    return {
      ok: false,
      message: `Only one column was found (“${found[0] ?? ''}”). Reconnect reads files separated by commas, semicolons or tabs, with a heading row.`,
    };
  if (rows.length === 0)
    return {
      ok: false,
      message: `The file has a heading row (${found.map((h) => `“${h}”`).join(', ')}) but no devices under it, so there is nothing to import.`,
    };

  const warnings: string[] = [];
  const duplicates = duplicateHeadings(found);
  for (const { heading, columns } of duplicates) {
    const where = `columns ${columns.slice(0, -1).join(', ')} and ${String(columns.at(-1))}`;
    // Two columns that could each be the hostname (say) leave no way to know which is meant.
    const recognised = Object.values(detectMapping([heading])).some((i) => i !== null);
    if (recognised)
      return {
        ok: false,
        message: `The heading “${heading}” appears more than once (${where}), so it is not clear which column holds it. Rename or remove the extra column, then import the file again.`,
      };
    warnings.push(
      `The heading “${heading}” appears more than once (${where}). Reconnect does not read that column, but check the file is the one you meant.`,
    );
  }
  const replacement = replacementWarning(text);
  if (replacement) warnings.push(replacement);
  return { ok: true, csv: { headings: found, rows, delimiter, broken, warnings } };
}

/** Headings given more than once (ignoring case and spacing), with their 1-based columns. */
function duplicateHeadings(headings: readonly string[]): { heading: string; columns: number[] }[] {
  const byName = new Map<string, { heading: string; columns: number[] }>();
  headings.forEach((heading, i) => {
    const key = heading.trim().toLowerCase().replace(/\s+/g, ' ');
    if (key === '') return;
    const entry = byName.get(key);
    if (entry) entry.columns.push(i + 1);
    else byName.set(key, { heading, columns: [i + 1] });
  });
  return [...byName.values()].filter((e) => e.columns.length > 1);
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
