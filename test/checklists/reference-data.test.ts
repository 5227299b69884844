// The shipped MS17-010 reference table must say exactly what the research notes say: every KB
// number, every srv.sys version and every confidence mark is checked against a second copy typed
// by hand (test/fixtures/ms17-010-sources-table.ts), in both directions.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadReferenceTables } from '../../scripts/lib/checklistLoader.ts';
import type { Condition, ReferenceCell, ReferenceTable } from '../../src/checklist/schema.ts';
import {
  aprilSecurityOnlyWithoutFix,
  ms17010Facts,
  supersededWithoutFix,
  unconfirmedInNotes,
  type WindowsFacts,
} from '../fixtures/ms17-010-sources-table.ts';
import { shipped } from '../helpers/checklists.ts';

const root = join(import.meta.dirname, '../..');
const loaded = loadReferenceTables(join(root, 'checklists'), root);
const table = loaded.tables.get('windows-ms17-010');

function theTable(): ReferenceTable {
  if (!table) throw new Error('checklists/reference/windows-ms17-010.yaml did not load');
  return table;
}

const columnOf: Record<keyof WindowsFacts, string> = {
  securityOnly: 'security-only',
  monthlyRollup: 'monthly-rollup',
  outOfBand: 'out-of-band',
  minSrvSys: 'min-srv-sys',
};
const kbFacts = ['securityOnly', 'monthlyRollup', 'outOfBand'] as const;

function cell(rowId: string, column: string): ReferenceCell {
  const row = theTable().rows.find((r) => r.id === rowId);
  const found = row?.cells[column];
  if (!found) throw new Error(`no cell ${rowId}.${column}`);
  return found;
}

const sorted = (list: readonly string[]) => [...list].sort();

describe('the MS17-010 reference table', () => {
  it('loads with no problems', () => {
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(table).toBeDefined();
  });

  it('has exactly the Windows versions of the notes, no more and no fewer', () => {
    expect(sorted(theTable().rows.map((r) => r.id))).toEqual(sorted(Object.keys(ms17010Facts)));
  });

  it('has every column for every row', () => {
    const columns = theTable().columns.map((c) => c.id);
    for (const row of theTable().rows)
      expect(sorted(Object.keys(row.cells))).toEqual(sorted(columns));
  });

  for (const [rowId, facts] of Object.entries(ms17010Facts)) {
    describe(rowId, () => {
      for (const fact of kbFacts) {
        it(`${columnOf[fact]}: the same KBs and confidence as the notes`, () => {
          const c = cell(rowId, columnOf[fact]);
          const expected = facts[fact];
          if (expected.kbs === null) expect(c.value).toBeNull();
          else {
            expect(Array.isArray(c.value)).toBe(true);
            expect(sorted(c.value as string[])).toEqual(sorted(expected.kbs));
          }
          expect(c.confidence).toBe(expected.confidence);
        });
      }

      it('min-srv-sys: the same version and confidence as the notes', () => {
        const c = cell(rowId, 'min-srv-sys');
        expect(c.value).toBe(facts.minSrvSys.version);
        expect(c.confidence).toBe(facts.minSrvSys.confidence);
      });
    });
  }

  it('names no KB the notes lack, and lacks no KB the notes name', () => {
    const inTable = new Set<string>();
    for (const row of theTable().rows)
      for (const column of theTable().columns)
        if (column.type === 'kb-list') {
          const value = row.cells[column.id]?.value;
          if (Array.isArray(value)) value.forEach((k) => inTable.add(k));
        }
    for (const list of Object.values(theTable().lists)) list.values.forEach((k) => inTable.add(k));

    const inNotes = new Set<string>([...supersededWithoutFix, ...aprilSecurityOnlyWithoutFix]);
    for (const facts of Object.values(ms17010Facts))
      for (const fact of kbFacts) facts[fact].kbs?.forEach((k) => inNotes.add(k));

    expect(sorted([...inTable])).toEqual(sorted([...inNotes]));
  });

  it('names no srv.sys version the notes lack, and lacks none they name', () => {
    const inTable = theTable()
      .rows.map((r) => r.cells['min-srv-sys']?.value)
      .filter((v): v is string => typeof v === 'string');
    const inNotes = Object.values(ms17010Facts)
      .map((f) => f.minSrvSys.version)
      .filter((v): v is string => v !== null);
    expect(sorted([...new Set(inTable)])).toEqual(sorted([...new Set(inNotes)]));
  });

  it('lists the superseded pre-March 2017 updates that do not contain the fix', () => {
    const list = theTable().lists['superseded-without-fix'];
    expect(list).toBeDefined();
    expect(sorted(list?.values ?? [])).toEqual(sorted(supersededWithoutFix));
    expect(list?.confidence).toBe('confirmed');
  });

  it('lists the April 2017 security-only updates, which do not contain the fix, as secondary', () => {
    const list = theTable().lists['april-2017-security-only'];
    expect(sorted(list?.values ?? [])).toEqual(sorted(aprilSecurityOnlyWithoutFix));
    expect(list?.confidence).toBe('secondary');
    const sources = theTable().sources.filter((s) => list?.sources.includes(s.id));
    expect(sources.map((s) => s.publisher)).toContain('Tenable');
    expect(sources.find((s) => s.publisher === 'Tenable')?.confidence).toBe('secondary');
  });

  it('never lists a superseded update as carrying the fix', () => {
    for (const row of theTable().rows)
      for (const fact of kbFacts) {
        const value = row.cells[columnOf[fact]]?.value;
        if (Array.isArray(value))
          for (const k of value) {
            expect(supersededWithoutFix, `${row.id}: ${k}`).not.toContain(k);
            expect(aprilSecurityOnlyWithoutFix, `${row.id}: ${k}`).not.toContain(k);
          }
      }
  });

  it('marks every value the notes leave unconfirmed as unconfirmed, with a note', () => {
    for (const [rowId, fact] of unconfirmedInNotes) {
      const c = cell(rowId, columnOf[fact]);
      expect(c.confidence, `${rowId}.${columnOf[fact]}`).toBe('unconfirmed');
      expect(c.note, `${rowId}.${columnOf[fact]} needs a note`).toBeTruthy();
    }
  });

  it('explains every missing value and every value that is not confirmed', () => {
    for (const row of theTable().rows)
      for (const [column, c] of Object.entries(row.cells))
        if (c.value === null || c.confidence !== 'confirmed')
          expect(c.note, `${row.id}.${column}`).toBeTruthy();
  });

  it('cites a listed source or gives a note for every cell', () => {
    const ids = new Set(theTable().sources.map((s) => s.id));
    for (const row of theTable().rows)
      for (const [column, c] of Object.entries(row.cells)) {
        expect(c.sources.length > 0 || Boolean(c.note), `${row.id}.${column}`).toBe(true);
        for (const s of c.sources) expect(ids, `${row.id}.${column}`).toContain(s);
      }
  });
});

describe('the device checklist uses the table faithfully', () => {
  const device = shipped('device-clearance');

  it('embeds the table unchanged', () => {
    expect(device.definition.referenceTables['windows-ms17-010']).toEqual(theTable());
  });

  it('flags the superseded and the April security-only updates in the installed-updates field', () => {
    const field = device.index.fields.get('patch-evidence.installed-kbs');
    expect(field?.type).toBe('kb-list');
    if (field?.type !== 'kb-list') return;
    expect(field.flagFrom).toEqual([
      { table: 'windows-ms17-010', list: 'superseded-without-fix' },
      { table: 'windows-ms17-010', list: 'april-2017-security-only' },
    ]);
  });

  it('offers every Windows version in the table, and only those', () => {
    const field = device.index.fields.get('identify.os');
    expect(field?.type).toBe('choice');
    if (field?.type !== 'choice') return;
    expect(field.options.map((o) => o.value)).toEqual(theTable().rows.map((r) => r.id));
  });

  it('branches on exactly the groups of versions the table defines', () => {
    // Every list of versions a condition names must be one of these, derived from the table.
    const confirmedMinimum = theTable()
      .rows.filter((r) => {
        const c = r.cells['min-srv-sys'];
        return typeof c?.value === 'string' && c.confidence === 'confirmed';
      })
      .map((r) => r.id);
    const unknownMinimum = theTable()
      .rows.filter((r) => r.cells['min-srv-sys']?.value === null)
      .map((r) => r.id);
    // Out of support in May 2017: the custom-support-only group, and Vista (ended April 2017).
    const unsupported = [
      'windows-vista-sp2',
      ...theTable()
        .rows.filter((r) => r.group?.startsWith('Unsupported'))
        .map((r) => r.id),
    ];
    // Where Microsoft's article says SMBv1 is removed as an optional feature (srv.sys goes too).
    const smbv1Removable = theTable()
      .rows.filter((r) => {
        const c = r.cells['smbv1-method'];
        return (
          typeof c?.value === 'string' &&
          c.value.includes('Disable-WindowsOptionalFeature') &&
          c.confidence === 'confirmed'
        );
      })
      .map((r) => r.id);
    expect(confirmedMinimum).toEqual([
      'windows-7-sp1',
      'server-2008-r2-sp1',
      'server-2012',
      'server-2012-r2',
      'server-2016',
    ]);

    const used: string[][] = [];
    const visit = (c: Condition) => {
      if (c.oneOf?.field === 'identify.os') used.push(c.oneOf.values.map(String));
      c.all?.forEach(visit);
      c.any?.forEach(visit);
      if (c.not) visit(c.not);
    };
    for (const step of device.index.steps.values()) if (step.when) visit(step.when);

    const groups = [confirmedMinimum, unknownMinimum, unsupported, smbv1Removable].map((g) =>
      sorted(g).join(),
    );
    const seen = new Set(used.map((list) => sorted(list).join()));
    for (const list of seen) expect(groups).toContain(list);
    expect(seen.size).toBe(4);
  });
});
