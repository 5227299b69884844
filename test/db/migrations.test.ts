// Upgrades from frozen copies of every earlier schema, and a guard on the current shape.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestSchemaVersion } from '../../src/db/schema.ts';
import { openVersion1 } from './frozen/v1.ts';
import { openVersion2 } from './frozen/v2.ts';
import { openVersion3 } from './frozen/v3.ts';
import { openVersion4 } from './frozen/v4.ts';
import { freshDatabase } from './helpers.ts';

export function describeSchema(db: {
  tables: { name: string; schema: { primKey: { src: string }; indexes: { src: string }[] } }[];
}) {
  return Object.fromEntries(
    db.tables
      .map(
        (t) =>
          [t.name, [t.schema.primKey.src, ...t.schema.indexes.map((i) => i.src).sort()]] as const,
      )
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

describe('schema', () => {
  it('matches the committed snapshot of tables and indexes (update src/db/schema-snapshot.json with a new version)', async () => {
    const db = freshDatabase();
    await db.open();
    const committed = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../src/db/schema-snapshot.json'), 'utf8'),
    ) as unknown;
    expect({ version: db.verno, tables: describeSchema(db) }).toEqual(committed);
    expect(db.verno).toBe(latestSchemaVersion);
  });
});

describe('upgrade from version 1', () => {
  it('keeps settings, stamps them, and adds the record tables', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const v1 = openVersion1(name);
    await v1.table('settings').bulkPut([
      { key: 'who', value: { name: 'Sam' } },
      { key: 'offline-notice-seen', value: true },
    ]);
    v1.close();

    const db = freshDatabase(name);
    await db.open();
    expect(db.verno).toBe(latestSchemaVersion);
    const rows = await db.settings.toArray();
    expect(rows.map((r) => [r.key, r.value])).toEqual([
      ['offline-notice-seen', true],
      ['who', { name: 'Sam' }],
    ]);
    for (const row of rows) expect(row.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await db.runs.count()).toBe(0);
    expect(await db.events.count()).toBe(0);
  });
});

describe('upgrade from version 2', () => {
  it('keeps records, events and files, and adds an empty device inventory', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const v2 = openVersion2(name);
    await v2.table('runs').put({
      runId: 'r1',
      kind: 'organisation',
      updatedAt: '2017-05-15T09:00:00.000Z',
      organisation: { name: 'Old Trust' },
    });
    await v2
      .table('events')
      .put({ runId: 'r1', seq: 1, event: { type: 'step.save' }, prevHash: 'a', hash: 'b' });
    await v2.table('files').put({ id: 'f1', runId: 'r1', sha256: 'c', name: 'scan.txt' });
    v2.close();

    const db = freshDatabase(name);
    await db.open();
    expect(db.verno).toBe(latestSchemaVersion);
    expect(await db.runs.get('r1')).toMatchObject({ organisation: { name: 'Old Trust' } });
    expect(await db.events.count()).toBe(1);
    expect(await db.files.get('f1')).toMatchObject({ name: 'scan.txt' });
    expect(await db.inventories.count()).toBe(0);
    expect(await db.deviceStates.count()).toBe(0);
  });
});

describe('upgrade from version 3', () => {
  it('keeps the inventory and device states, and adds approvers and signed records', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const v3 = openVersion3(name);
    await v3.table('inventories').put({
      orgRunId: 'r1',
      devices: [{ id: 'd1', key: 'pc1', hostname: 'PC1' }],
      updatedAt: 'x',
    });
    await v3.table('deviceStates').put({
      deviceId: 'd1',
      orgRunId: 'r1',
      clearanceRunId: 'c1',
      status: 'cleared',
      updatedAt: 'x',
    });
    v3.close();

    const db = freshDatabase(name);
    await db.open();
    expect(db.verno).toBe(latestSchemaVersion);
    expect((await db.inventories.get('r1'))?.devices).toHaveLength(1);
    expect(await db.deviceStates.get('d1')).toMatchObject({ status: 'cleared' });
    expect(await db.approvers.count()).toBe(0);
    expect(await db.signedRecords.count()).toBe(0);
  });
});

describe('upgrade from version 4', () => {
  it('keys every event by its hash, keeps them all, and lets two events share a place', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const v4 = openVersion4(name);
    const entries = Array.from({ length: 5_003 }, (_, i) => ({
      runId: i % 2 ? 'r1' : 'r2',
      seq: Math.floor(i / 2) + 1,
      event: { type: 'step.save', stepId: 'a', changes: { n: i } },
      prevHash: `p${String(i)}`,
      hash: `h${String(i)}`,
    }));
    await v4.table('events').bulkPut(entries);
    await v4.table('runs').put({ runId: 'r1', kind: 'organisation', updatedAt: 'x' });
    await v4.table('approvers').put({ id: 'a1', name: 'Pat', fingerprint: 'f' });
    v4.close();

    const db = freshDatabase(name);
    await db.open();
    expect(db.verno).toBe(latestSchemaVersion);
    expect(db.tables.map((t) => t.name)).not.toContain('eventsMoving');
    expect(await db.events.count()).toBe(entries.length);
    expect(await db.events.get('h7')).toEqual(entries[7]);
    const r1 = await db.events
      .where('[runId+seq]')
      .between(['r1', 1], ['r1', 3], true, true)
      .toArray();
    expect(r1.map((e) => e.hash)).toEqual(['h1', 'h3', 'h5']);
    // A second event at the same place (a fork) is now kept beside the first.
    await db.events.add({ ...entries[1], hash: 'other' } as never);
    expect(await db.events.where({ runId: 'r1', seq: 1 }).count()).toBe(2);
    expect(await db.runs.get('r1')).toMatchObject({ kind: 'organisation' });
    expect(await db.approvers.count()).toBe(1);
    expect(await db.resolutions.count()).toBe(0);
    expect(await db.exchanges.count()).toBe(0);
  }, 60_000);
});
