// OS recognition against the MS17-010 reference table: every row it can name exists there.
import { describe, expect, it } from 'vitest';
import { recogniseOs } from '../../../src/inventory/osRecognition.ts';
import { shipped } from '../../helpers/checklists.ts';

const table = shipped('device-clearance').definition.referenceTables['windows-ms17-010'];
const rowIds = new Set(table?.rows.map((r) => r.id));

const cases: [string, string | undefined, string | undefined, string | null][] = [
  ['Microsoft Windows 7 Professional', '6.1.7601', undefined, 'windows-7-sp1'],
  ['Microsoft Windows 7 Enterprise', '6.1.7600', undefined, null],
  ['Microsoft Windows 7 Enterprise', undefined, 'Service Pack 1', 'windows-7-sp1'],
  ['Microsoft Windows 7 Enterprise', undefined, undefined, null],
  ['Microsoft Windows Server 2008 R2 Standard', '6.1.7601', undefined, 'server-2008-r2-sp1'],
  ['Microsoft Windows XP Professional', '5.1.2600', 'Service Pack 3', 'windows-xp-sp3-x86'],
  ['Microsoft Windows XP Professional', '5.1.2600', 'Service Pack 2', null],
  [
    'Microsoft Windows XP Professional x64 Edition',
    '5.2.3790',
    'Service Pack 2',
    'windows-xp-sp2-x64',
  ],
  [
    'Microsoft(R) Windows(R) Server 2003, Standard Edition',
    '5.2.3790',
    'Service Pack 2',
    'server-2003-sp2',
  ],
  ['Microsoft Windows Vista Business', '6.0.6002', 'Service Pack 2', 'windows-vista-sp2'],
  ['Microsoft Windows Server 2008 Enterprise', '6.0.6002', undefined, 'server-2008-sp2'],
  ['Microsoft Windows 8 Pro', '6.2.9200', undefined, 'windows-8'],
  ['Microsoft Windows Server 2012 Datacenter', '6.2.9200', undefined, 'server-2012'],
  ['Microsoft Windows 8.1 Enterprise', '6.3.9600', undefined, 'windows-8-1'],
  ['Microsoft Windows Server 2012 R2 Standard', '6.3.9600', undefined, 'server-2012-r2'],
  ['Microsoft Windows 10 Enterprise', '10.0.10240', undefined, 'windows-10-1507'],
  ['Microsoft Windows 10 Enterprise', '10.0.10586', undefined, 'windows-10-1511'],
  ['Microsoft Windows 10 Enterprise', '10.0.14393', undefined, 'windows-10-1607'],
  ['Microsoft Windows Server 2016 Standard', '10.0.14393', undefined, 'server-2016'],
  ['Microsoft Windows 10 Pro', '10.0.15063', undefined, 'windows-10-1703'],
  ['Microsoft Windows 10 Pro', undefined, undefined, null],
  ['Windows Embedded Standard 7', '6.1.7601', undefined, 'wes7-posready-7'],
  ['Windows Embedded POSReady 2009', '5.1.2600', undefined, 'wes09-posready-2009'],
  ['Windows XP Embedded', '5.1.2600', undefined, 'windows-xp-embedded-sp3'],
  ['Red Hat Enterprise Linux 7', '3.10.0', undefined, null],
];

describe('recognising Windows versions', () => {
  it.each(cases)('%s / %s / %s → %s', (caption, version, servicePack, expected) => {
    const result = recogniseOs({ caption, version, servicePack });
    expect(result.row).toBe(expected);
    expect(result.because.length).toBeGreaterThan(0);
  });

  it('only ever names rows that exist in the reference table', () => {
    expect(rowIds.size).toBeGreaterThan(20);
    for (const [caption, version, servicePack, expected] of cases) {
      if (expected) expect(rowIds).toContain(recogniseOs({ caption, version, servicePack }).row);
    }
  });
});
