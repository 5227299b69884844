// Reading inventory files: the edge cases real exports have, and hostile ones.
import { describe, expect, it } from 'vitest';
import { detectMapping } from '../../../src/inventory/columns.ts';
import {
  decodeInventory,
  maxInventoryBytes,
  parseInventoryCsv,
} from '../../../src/inventory/csv.ts';
import { rejectedToCsv, validateInventory } from '../../../src/inventory/validate.ts';
import { devicesToCsv } from '../../../src/inventory/exportCsv.ts';

function parse(text: string) {
  const result = parseInventoryCsv(text);
  if (!result.ok) throw new Error(result.message);
  return result.csv;
}

function failure(result: ReturnType<typeof parseInventoryCsv>): string {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.message;
}

function validate(text: string) {
  const csv = parse(text);
  return validateInventory(csv, detectMapping(csv.headings));
}

describe('parsing', () => {
  it('reads quoted fields with commas and line breaks, a BOM and CRLF line ends', () => {
    const csv = parse(
      '\uFEFFHostname,Location,OS\r\nPC001,"Ward 3, bay 2","Microsoft Windows 7\r\nProfessional"\r\nPC002,Pharmacy,Windows 10\r\n',
    );
    expect(csv.headings).toEqual(['Hostname', 'Location', 'OS']);
    expect(csv.rows).toEqual([
      { line: 2, cells: ['PC001', 'Ward 3, bay 2', 'Microsoft Windows 7\r\nProfessional'] },
      { line: 4, cells: ['PC002', 'Pharmacy', 'Windows 10'] },
    ]);
  });

  it('reads semicolon- and tab-separated files', () => {
    expect(parse('Host;OS\nPC1;Windows 7\n').rows[0]?.cells).toEqual(['PC1', 'Windows 7']);
    expect(parse('Host\tOS\nPC1\tWindows 7\n').rows[0]?.cells).toEqual(['PC1', 'Windows 7']);
    expect(parse('Host;OS\nPC1;Windows 7\n').delimiter).toBe(';');
  });

  it('skips blank lines but keeps counting lines', () => {
    expect(parse('Host,OS\n\nPC1,x\n\nPC2,y\n').rows.map((r) => r.line)).toEqual([3, 5]);
  });

  it('refuses binary files, empty files and files too large', () => {
    expect(failure(parseInventoryCsv('PK\u0003\u0004\u0000\u0000binary'))).toContain(
      'not a CSV text file',
    );
    expect(parseInventoryCsv('   \n')).toEqual({ ok: false, message: 'The file is empty.' });
    const big = 'x'.repeat(maxInventoryBytes + 1);
    expect(failure(parseInventoryCsv(big))).toContain(
      'The largest inventory Reconnect imports is 20 MB',
    );
  });

  it('says so when it finds only one column', () => {
    expect(failure(parseInventoryCsv('just one column\nvalue\n'))).toContain(
      'Only one column was found',
    );
  });
});

describe('validation', () => {
  it('maps common headings automatically', () => {
    expect(
      detectMapping([
        'Computer Name',
        'Asset No',
        'IP Address',
        'MAC Address',
        'Operating System',
        'OS Build',
        'Service Pack',
        'Ward',
        'Primary User',
        'Chassis',
      ]),
    ).toEqual({
      hostname: 0,
      assetTag: 1,
      ip: 2,
      mac: 3,
      os: 4,
      version: 5,
      servicePack: 6,
      location: 7,
      owner: 8,
      deviceClass: 9,
      lastLogon: null,
    });
  });

  it('names the line and the reason for each rejected row', () => {
    const result = validate(
      'Hostname,IP,OS\nPC1,10.0.0.1,Windows 7\n,10.0.0.2,Windows 7\nbad name!,10.0.0.300,Windows 7\n',
    );
    expect(result.devices.map((d) => d.hostname)).toEqual(['PC1']);
    expect(result.rejected).toEqual([
      {
        line: 3,
        reasons: ['it has neither a Hostname nor an assetTag'],
        cells: ['', '10.0.0.2', 'Windows 7'],
      },
      {
        line: 4,
        reasons: ['“bad name!” is not a valid hostname', '“10.0.0.300” is not an IP address'],
        cells: ['bad name!', '10.0.0.300', 'Windows 7'],
      },
    ]);
  });

  it('groups duplicate hostnames (any case) for a choice, and refuses a shared asset tag', () => {
    const result = validate('Hostname,Asset tag\nPC1,A1\npc1,A2\nPC3,A1\n');
    expect(result.rejected.map((r) => [r.line, r.reasons])).toEqual([
      [4, ['asset tag “A1” is also on line 2']],
    ]);
    expect(result.duplicates.map((g) => [g.name, g.rows.map((r) => r.line)])).toEqual([
      ['PC1', [2, 3]],
    ]);
  });

  it('refuses formula cells and markup, naming the column', () => {
    const result = validate(
      'Hostname,Location,Owner\nPC1,=HYPERLINK("http://evil"),x\nPC2,"<script>alert(1)</script>",y\nPC3,@SUM(A1),z\nPC4,-,w\n',
    );
    expect(result.rejected.map((r) => [r.line, r.reasons])).toEqual([
      [2, ['“Location” starts with “=”, which a spreadsheet would run as a formula']],
      [3, ['“Location” contains markup such as “<script>”, which no inventory field needs']],
      [4, ['“Location” starts with “@”, which a spreadsheet would run as a formula']],
    ]);
    expect(result.devices.map((d) => [d.hostname, d.location])).toEqual([['PC4', undefined]]);
  });

  it('rejects a row cut short (a truncated file) and an unclosed quote', () => {
    const result = validate('Hostname,OS,Location\nPC1,Windows 7,Ward 1\nPC2,"Windows 7');
    expect(result.rejected).toEqual([
      {
        line: 3,
        reasons: [
          'the line cannot be read: a quoted field is never closed (the file may be cut short)',
          'it has 2 fields; the heading row has 3',
        ],
        cells: ['PC2', 'Windows 7'],
      },
    ]);
  });

  it('recognises operating systems and lists the unknown ones once, with a count', () => {
    const result = validate(
      'Hostname,OS,Version\nPC1,Microsoft Windows 7 Professional,6.1.7601\nPC2,Microsoft Windows 10 Enterprise,\nPC3,Microsoft Windows 10 Enterprise,\nPC4,Ubuntu 16.04,\n',
    );
    expect(result.devices.map((d) => d.osRow)).toEqual(['windows-7-sp1', null, null, null]);
    expect(result.unknownOs.map((u) => [u.caption, u.count, u.because])).toEqual([
      [
        'Microsoft Windows 10 Enterprise',
        2,
        'Windows 10: the build is needed to tell the release (1507, 1511, 1607 or 1703)',
      ],
      ['Ubuntu 16.04', 1, '“Ubuntu 16.04” is not Windows'],
    ]);
  });

  it('makes the rejected rows downloadable, neutralised, with the reasons', () => {
    const csv = parse('Hostname,Location\nPC1,=1+1\n');
    const result = validateInventory(csv, detectMapping(csv.headings));
    expect(rejectedToCsv(csv.headings, result.rejected)).toBe(
      '"Hostname","Location","Line","Why it was rejected"\r\n"PC1","\'=1+1","2","“Location” starts with “=”, which a spreadsheet would run as a formula"\r\n',
    );
  });
});

describe('export', () => {
  it('neutralises cells that could start a formula, and quotes everything', () => {
    const text = devicesToCsv([
      {
        hostname: 'PC1',
        location: '=cmd|"/c calc"!A1',
        owner: '+44 20',
        deviceClass: '@x',
        osLabel: 'Windows 7 SP1',
        status: 'Cleared',
      },
    ]);
    const [heading, row] = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(heading).toBe(
      '"Hostname","Asset tag","IP address","MAC address","Operating system","Version","Service pack","Recognised as","Location","Owner","Device class","Clearance status"',
    );
    expect(row).toBe(
      `"PC1","","","","","","","Windows 7 SP1","'=cmd|""/c calc""!A1","'+44 20","'@x","Cleared"`,
    );
  });
});

describe('decodeInventory', () => {
  const utf8 = new TextEncoder().encode('Hostname,Ward\nPC1,Café\n');

  it('reads valid UTF-8 as UTF-8', () => {
    expect(decodeInventory(utf8)).toEqual({
      text: 'Hostname,Ward\nPC1,Café\n',
      encoding: 'utf-8',
      warnings: [],
    });
  });

  it('reads Excel’s plain “CSV” (Windows-1252) without losing the accent', () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode('Hostname,Ward\nPC1,Caf'), 0xe9]);
    expect(decodeInventory(bytes)).toEqual({
      text: 'Hostname,Ward\nPC1,Café',
      encoding: 'windows-1252',
      warnings: [],
    });
  });

  it('reads UTF-16 with a byte-order mark (Excel’s “Unicode text”), either byte order', () => {
    const text = 'Hostname\tWard\nPC1\tCafé\n';
    const le = [0xff, 0xfe];
    const be = [0xfe, 0xff];
    for (const c of text) {
      const code = c.charCodeAt(0);
      le.push(code & 0xff, code >> 8);
      be.push(code >> 8, code & 0xff);
    }
    expect(decodeInventory(Uint8Array.from(le))).toEqual({
      text,
      encoding: 'utf-16le',
      warnings: [],
    });
    expect(decodeInventory(Uint8Array.from(be))).toEqual({
      text,
      encoding: 'utf-16be',
      warnings: [],
    });
    const parsed = parseInventoryCsv(decodeInventory(Uint8Array.from(le)).text);
    expect(parsed.ok && parsed.csv.rows[0]?.cells).toEqual(['PC1', 'Café']);
  });
});
