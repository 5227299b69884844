// A fresh database per test, on fake-indexeddb, and device inventories to put in it.
import { afterEach, expect } from 'vitest';
import { ReconnectDatabase } from '../../src/db/database.ts';
import { importDevices } from '../../src/db/devices.ts';
import { detectMapping } from '../../src/inventory/columns.ts';
import { parseInventoryCsv } from '../../src/inventory/csv.ts';
import { validateInventory } from '../../src/inventory/validate.ts';

const opened: ReconnectDatabase[] = [];

export function freshDatabase(name = `test-${crypto.randomUUID()}`): ReconnectDatabase {
  const db = new ReconnectDatabase(name);
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

/** The devices of a CSV inventory that passes the import page's checks. */
export function inventory(text: string) {
  const parsed = parseInventoryCsv(text);
  if (!parsed.ok) throw new Error(parsed.message);
  const result = validateInventory(parsed.csv, detectMapping(parsed.csv.headings));
  expect(result.rejected).toEqual([]);
  return result.devices;
}

/** Imports a CSV inventory into a record, as the import page does after its checks. */
export function importCsv(db: ReconnectDatabase, runId: string, csv: string, file = 'a.csv') {
  return importDevices(runId, inventory(csv), { file, actor: 'Sam' }, {}, db);
}
