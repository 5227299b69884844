// Real-looking rows from each source an estate's inventory comes from — Active Directory,
// SCCM (ConfigMgr), WSUS and WMI — recognised as rows of the MS17-010 table; duplicate
// hostnames offered as a choice; and a 10,000-row AD export that needs no hand mapping.
import { describe, expect, it } from 'vitest';
import { detectMapping, identifierColumns } from '../../../src/inventory/columns.ts';
import { parseInventoryCsv } from '../../../src/inventory/csv.ts';
import { recogniseOs } from '../../../src/inventory/osRecognition.ts';
import {
  parseLastLogon,
  resolveDuplicates,
  validateInventory,
} from '../../../src/inventory/validate.ts';
import { shipped } from '../../helpers/checklists.ts';

const table = shipped('device-clearance').definition.referenceTables['windows-ms17-010'];
const rowIds = new Set(table?.rows.map((r) => r.id));

type Case = [caption: string, version: string, servicePack: string, expected: string | null];

/** Get-ADComputer: OperatingSystem, OperatingSystemVersion, OperatingSystemServicePack. */
const activeDirectory: Case[] = [
  ['Windows 7 Professional', '6.1 (7601)', 'Service Pack 1', 'windows-7-sp1'],
  ['Windows 7 Enterprise', '6.1 (7601) Service Pack 1', '', 'windows-7-sp1'],
  ['Windows 7 Enterprise', '6.1 (7600)', '', null],
  ['Windows 10 Enterprise', '10.0 (14393)', '', 'windows-10-1607'],
  ['Windows 10 Pro', '10.0 (15063)', '', 'windows-10-1703'],
  ['Windows 10 Enterprise', '10.0 (10586)', '', 'windows-10-1511'],
  ['Windows XP Professional', '5.1 (2600)', 'Service Pack 3', 'windows-xp-sp3-x86'],
  ['Windows XP Professional', '5.1 (2600) Service Pack 3', '', 'windows-xp-sp3-x86'],
  ['Windows XP Professional', '5.1 (2600)', 'Service Pack 2', null],
  ['Windows XP Professional x64 Edition', '5.2 (3790)', 'Service Pack 2', 'windows-xp-sp2-x64'],
  ['Windows Server 2003', '5.2 (3790)', 'Service Pack 2', 'server-2003-sp2'],
  ['Windows Vista™ Business', '6.0 (6002)', 'Service Pack 2', 'windows-vista-sp2'],
  ['Windows Server® 2008 Standard', '6.0 (6002)', 'Service Pack 2', 'server-2008-sp2'],
  ['Windows Server 2008 R2 Standard', '6.1 (7601)', 'Service Pack 1', 'server-2008-r2-sp1'],
  ['Windows 8.1 Enterprise', '6.3 (9600)', '', 'windows-8-1'],
  ['Windows Server 2012 R2 Datacenter', '6.3 (9600)', '', 'server-2012-r2'],
  ['Windows Server 2012 Standard', '6.2 (9200)', '', 'server-2012'],
  ['Windows Server 2016 Standard', '10.0 (14393)', '', 'server-2016'],
  ['Windows Embedded Standard', '6.1 (7601)', 'Service Pack 1', 'windows-7-sp1'],
  ['', '6.1 (7601)', 'Service Pack 1', 'windows-7-sp1'],
];

/** SCCM: v_R_System's OS name and build, v_GS_OPERATING_SYSTEM's caption, CSD version and build. */
const sccm: Case[] = [
  ['Microsoft Windows NT Workstation 6.1', '6.1.7601', '', 'windows-7-sp1'],
  ['Microsoft Windows NT Workstation 10.0', '10.0.14393', '', 'windows-10-1607'],
  ['Microsoft Windows NT Workstation 5.1', '5.1.2600', 'Service Pack 3', 'windows-xp-sp3-x86'],
  ['Microsoft Windows NT Server 6.1', '6.1.7601', '', 'server-2008-r2-sp1'],
  ['Microsoft Windows NT Advanced Server 6.3', '6.3.9600', '', 'server-2012-r2'],
  ['Microsoft Windows NT Server 10.0', '10.0.14393', '', 'server-2016'],
  ['Microsoft Windows 7 Enterprise', '6.1.7601', 'Service Pack 1', 'windows-7-sp1'],
  ['Microsoft Windows 10 Enterprise', '10.0.15063', '', 'windows-10-1703'],
  ['Microsoft Windows 7 Enterprise', '7601', '1', 'windows-7-sp1'],
  ['Microsoft Windows NT Workstation 6.1', '6.1.7600', '', null],
];

/** WSUS: the computer's OS description and version, and the console's "Windows 10, version". */
const wsus: Case[] = [
  ['Windows 7 Professional Service Pack 1', '6.1.7601.23807', '', 'windows-7-sp1'],
  ['Windows 10 Enterprise', '10.0.14393.1198', '', 'windows-10-1607'],
  ['Windows 10 Pro, version 1607', '', '', 'windows-10-1607'],
  ['Windows 10 Enterprise, version 1703', '', '', 'windows-10-1703'],
  ['Windows Server 2012 R2 Standard', '6.3.9600.18624', '', 'server-2012-r2'],
  ['Windows Server 2008 R2 Enterprise Service Pack 1', '6.1.7601.23642', '', 'server-2008-r2-sp1'],
  ['Windows XP Professional Service Pack 3', '5.1.2600.5512', '', 'windows-xp-sp3-x86'],
  ['Windows Vista Business Service Pack 2', '6.0.6002.18005', '', 'windows-vista-sp2'],
];

describe.each([
  ['Active Directory', activeDirectory],
  ['SCCM', sccm],
  ['WSUS', wsus],
])('recognising %s rows', (_source, cases) => {
  it.each(cases)('%s / %s / %s → %s', (caption, version, servicePack, expected) => {
    const result = recogniseOs({ caption, version, servicePack });
    expect(result.row, result.because).toBe(expected);
    if (expected) expect(rowIds).toContain(expected);
  });
});

describe('last logon', () => {
  it.each([
    ['131392224000000000', Date.UTC(2017, 4, 14, 8, 0, 0)],
    ['2017-05-14T08:00:00Z', Date.UTC(2017, 4, 14, 8, 0, 0)],
    ['14/05/2017 08:00:00', Date.UTC(2017, 4, 14, 8, 0, 0)],
    ['5/14/2017 8:00:00 AM', Date.UTC(2017, 4, 14, 8, 0, 0)],
    ['5/14/2017 8:00 PM', Date.UTC(2017, 4, 14, 20, 0, 0)],
    ['14.05.2017', Date.UTC(2017, 4, 14)],
    ['never', undefined],
    ['31/31/2017', undefined],
  ])('reads %s', (text, expected) => {
    expect(parseLastLogon(text)).toBe(expected);
  });
});

const adHeading =
  '"DistinguishedName","DNSHostName","Enabled","Name","ObjectClass","ObjectGUID","SamAccountName","SID","UserPrincipalName","OperatingSystem","OperatingSystemServicePack","OperatingSystemVersion","LastLogonDate","lastLogonTimestamp","IPv4Address"';

function adRow(i: number, os: [string, string, string], logon: Date, host = `PC${String(i)}`) {
  const filetime = BigInt(logon.getTime() + 11_644_473_600_000) * 10_000n;
  const date = `${String(logon.getUTCDate()).padStart(2, '0')}/${String(logon.getUTCMonth() + 1).padStart(2, '0')}/${String(logon.getUTCFullYear())} ${String(logon.getUTCHours()).padStart(2, '0')}:00:00`;
  return [
    `CN=${host},OU=Workstations,DC=trust,DC=nhs,DC=uk`,
    `${host}.trust.nhs.uk`,
    'True',
    host,
    'computer',
    `6f1d2a3b-0000-4000-8000-${String(i).padStart(12, '0')}`,
    `${host}$`,
    `S-1-5-21-1004336348-1177238915-682003330-${String(10000 + i)}`,
    '',
    os[0],
    os[1],
    os[2],
    date,
    filetime.toString(),
    `10.${String(Math.floor(i / 250) % 250)}.${String(i % 250)}.10`,
  ]
    .map((c) => `"${c}"`)
    .join(',');
}

describe('an Active Directory export', () => {
  const windows7: [string, string, string] = [
    'Windows 7 Enterprise',
    'Service Pack 1',
    '6.1 (7601)',
  ];
  const estate: [string, string, string][] = [
    windows7,
    ['Windows 7 Professional', '', '6.1 (7601) Service Pack 1'],
    ['Windows 10 Enterprise', '', '10.0 (14393)'],
    ['Windows 10 Enterprise', '', '10.0 (15063)'],
    ['Windows XP Professional', 'Service Pack 3', '5.1 (2600)'],
    ['Windows Server 2008 R2 Standard', 'Service Pack 1', '6.1 (7601)'],
    ['Windows Server 2012 R2 Standard', '', '6.3 (9600)'],
    ['Windows Server 2016 Standard', '', '10.0 (14393)'],
    ['Windows Vista™ Enterprise', 'Service Pack 2', '6.0 (6002)'],
    ['Windows Server 2003', 'Service Pack 2', '5.2 (3790)'],
    ['Windows 8.1 Enterprise', '', '6.3 (9600)'],
  ];

  it('of 10,000 rows imports with no device needing a hand mapping', () => {
    const lines = [adHeading];
    for (let i = 1; i <= 10_000; i++)
      lines.push(
        adRow(
          i,
          estate[i % estate.length] ?? windows7,
          new Date(Date.UTC(2017, 4, 1 + (i % 12), 9)),
        ),
      );
    const parsed = parseInventoryCsv(`${lines.join('\r\n')}\r\n`);
    if (!parsed.ok) throw new Error(parsed.message);
    const mapping = detectMapping(parsed.csv.headings);
    const heading = (i: number | null) => (i === null ? null : parsed.csv.headings[i]);
    expect(heading(mapping.hostname)).toBe('DNSHostName');
    expect(heading(mapping.os)).toBe('OperatingSystem');
    expect(heading(mapping.version)).toBe('OperatingSystemVersion');
    expect(heading(mapping.servicePack)).toBe('OperatingSystemServicePack');
    expect(heading(mapping.lastLogon)).toBe('LastLogonDate');
    expect(heading(mapping.ip)).toBe('IPv4Address');
    // ObjectClass ("computer") is not a device class; the machine account is not an owner.
    expect(mapping.deviceClass).toBeNull();
    expect(mapping.owner).toBeNull();
    expect(identifierColumns(parsed.csv.headings).map((i) => parsed.csv.headings[i])).toEqual([
      'DistinguishedName',
      'ObjectGUID',
      'SamAccountName',
      'SID',
    ]);

    const result = validateInventory(parsed.csv, mapping);
    expect(result.rejected).toEqual([]);
    expect(result.duplicates).toEqual([]);
    expect(result.unknownOs).toEqual([]);
    expect(result.devices).toHaveLength(10_000);
    expect(result.devices.every((d) => d.osRow !== null)).toBe(true);
    expect(result.devices[0]?.identifiers).toMatchObject({
      ObjectGUID: '6f1d2a3b-0000-4000-8000-000000000001',
      SID: 'S-1-5-21-1004336348-1177238915-682003330-10001',
    });
  });

  it('saved by Windows PowerShell with its “#TYPE” first line reads as if it were not there', () => {
    const type = '#TYPE Selected.Microsoft.ActiveDirectory.Management.ADComputer';
    const day = new Date(Date.UTC(2017, 4, 3, 9));
    const rows = [1, 2, 3].map((i) => adRow(i, estate[i] ?? windows7, day));
    const parsed = parseInventoryCsv(`${[type, adHeading, ...rows].join('\r\n')}\r\n`);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.csv.headings[1]).toBe('DNSHostName');
    expect(parsed.csv.rows.map((r) => r.line)).toEqual([3, 4, 5]);
    const result = validateInventory(parsed.csv, detectMapping(parsed.csv.headings));
    expect(result.rejected).toEqual([]);
    expect(result.devices.map((d) => d.hostname)).toEqual([
      'PC1.trust.nhs.uk',
      'PC2.trust.nhs.uk',
      'PC3.trust.nhs.uk',
    ]);
    // The same with semicolons (a UK-locale Export-Csv -UseCulture writes commas; others not).
    const semi = parseInventoryCsv(`${type}\nHostname;Ward\nPC1;Ward 3\n`);
    if (!semi.ok) throw new Error(semi.message);
    expect(semi.csv.delimiter).toBe(';');
    expect(semi.csv.rows).toEqual([{ line: 3, cells: ['PC1', 'Ward 3'] }]);
    // A damaged heading row is reported at the line it is on.
    const broken = parseInventoryCsv(`${type}\n"Hostname,Ward\nPC1,Ward 3\n`);
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.message).toMatch(/line 2\b/);
    // Only a first line that is a type name is passed over.
    const data = parseInventoryCsv('Hostname,Note\nPC1,#TYPE x\n');
    if (!data.ok) throw new Error(data.message);
    expect(data.csv.rows).toEqual([{ line: 2, cells: ['PC1', '#TYPE x'] }]);
  });

  it('offers each duplicate hostname as a choice, and says what was kept', () => {
    const os = windows7;
    const text = [
      adHeading,
      adRow(1, os, new Date(Date.UTC(2017, 3, 2, 9)), 'WARD7-PC01'),
      adRow(2, os, new Date(Date.UTC(2017, 4, 11, 9)), 'OTHER-PC'),
      adRow(3, os, new Date(Date.UTC(2017, 4, 12, 9)), 'WARD7-PC01'),
      adRow(4, os, new Date(Date.UTC(2017, 4, 10, 9)), 'WARD7-PC01'),
      adRow(5, os, new Date(Date.UTC(2017, 4, 10, 9)), 'LAB-PC'),
      adRow(6, os, new Date(Date.UTC(2017, 4, 13, 9)), 'lab-pc'),
    ].join('\n');
    const parsed = parseInventoryCsv(text);
    if (!parsed.ok) throw new Error(parsed.message);
    const result = validateInventory(parsed.csv, detectMapping(parsed.csv.headings));
    expect(result.rejected).toEqual([]);
    expect(result.devices.map((d) => d.hostname)).toEqual(['OTHER-PC.trust.nhs.uk']);
    expect(
      result.duplicates.map((g) => [g.name, g.rows.map((r) => r.line), g.hasLastLogon]),
    ).toEqual([
      ['WARD7-PC01.trust.nhs.uk', [2, 4, 5], true],
      ['LAB-PC.trust.nhs.uk', [6, 7], true],
    ]);

    const newest = resolveDuplicates(result, {}, 'newest');
    expect(newest.devices.map((d) => d.line)).toEqual([3, 4, 7]);
    expect(newest.outcomes[0]).toMatchObject({ kept: 4, left: [2, 5] });
    expect(newest.outcomes[0]?.because).toMatch(/newest last logon \(12\/05\/2017 09:00:00\)/);

    const mixed = resolveDuplicates(
      result,
      { 'ward7-pc01.trust.nhs.uk': 'first', 'lab-pc.trust.nhs.uk': 'skip' },
      'newest',
    );
    expect(mixed.devices.map((d) => d.line)).toEqual([2, 3]);
    expect(mixed.outcomes.map((o) => [o.name, o.kept, o.because])).toEqual([
      ['WARD7-PC01.trust.nhs.uk', 2, 'the first of 3 rows'],
      ['LAB-PC.trust.nhs.uk', null, 'skipped'],
    ]);
  });

  it('keeps the first row when “newest” is asked but no row has a readable last logon', () => {
    const parsed = parseInventoryCsv('Hostname,OS\nPC1,Windows 7\nPC1,Windows 10\n');
    if (!parsed.ok) throw new Error(parsed.message);
    const result = validateInventory(parsed.csv, detectMapping(parsed.csv.headings));
    expect(result.duplicates[0]?.hasLastLogon).toBe(false);
    const resolved = resolveDuplicates(result, { pc1: 'newest' }, 'newest');
    expect(resolved.devices.map((d) => d.line)).toEqual([2]);
    expect(resolved.outcomes[0]?.because).toMatch(/none has a last logon/);
  });
});
