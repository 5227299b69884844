// Upgrades from frozen copies of every earlier schema, and a guard on the current shape.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestSchemaVersion } from '../../src/db/schema.ts';
import { openVersion1 } from './frozen/v1.ts';
import { openVersion2 } from './frozen/v2.ts';
import { openVersion3 } from './frozen/v3.ts';
import { openVersion4 } from './frozen/v4.ts';
import { openVersion6 } from './frozen/v6.ts';
import { freshDatabase } from './helpers.ts';
import {
  addEvent,
  allEvents,
  countEvents,
  eventsByHash,
  forkedRuns,
  runEvents,
} from '../../src/db/eventStore.ts';

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
    expect(await countEvents(db)).toBe(0);
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
    expect(await countEvents(db)).toBe(1);
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
    expect(await countEvents(db)).toBe(entries.length);
    expect((await eventsByHash(db, ['h7']))[0]).toEqual(entries[7]);
    const r1 = (await runEvents(db, 'r1')).filter((e) => e.seq <= 3);
    expect(r1.map((e) => e.hash)).toEqual(['h1', 'h3', 'h5']);
    // A second event at the same place (a fork) is now kept beside the first.
    await addEvent(db, { ...entries[1], hash: 'other' } as never);
    expect((await runEvents(db, 'r1')).filter((e) => e.seq === 1)).toHaveLength(2);
    expect(await db.runs.get('r1')).toMatchObject({ kind: 'organisation' });
    expect(await db.approvers.count()).toBe(1);
    expect(await db.resolutions.count()).toBe(0);
    expect(await db.exchanges.count()).toBe(0);
  }, 60_000);
});

describe('upgrade from version 6', () => {
  // Two runs: r1 a chain of 40 events with a fork at place 31 (a second branch of 5 events), r2
  // a chain of 3; plus an event whose run has no other events.
  const chain = (runId: string, from: number, to: number, prev: string, tag: string) => {
    const out = [];
    for (let seq = from; seq <= to; seq++) {
      const hash = `${runId}-${tag}-${String(seq)}`;
      out.push({
        runId,
        seq,
        event: { type: 'step.save', stepId: 'a', changes: { n: seq } },
        prevHash: prev,
        hash,
      });
      prev = hash;
    }
    return out;
  };
  const main = chain('r1', 1, 40, '', 'a');
  const branch = chain('r1', 31, 35, 'r1-a-30', 'b');
  const other = chain('r2', 1, 3, '', 'a');
  const entries = [...main, ...branch, ...other];

  it('moves every event into packs, one per branch of each run, keeping each byte and the fork', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const v6 = openVersion6(name);
    await v6.table('events').bulkPut(entries);
    await v6.table('runs').put({ runId: 'r1', kind: 'organisation', updatedAt: 'x' });
    await v6.table('resolutions').put({ id: 'x1', runId: 'r1' });
    v6.close();

    const db = freshDatabase(name);
    await db.open();
    expect(db.verno).toBe(latestSchemaVersion);
    expect(db.tables.map((t) => t.name)).not.toContain('events');
    expect(await countEvents(db)).toBe(entries.length);
    // Every event, byte for byte, in order of place (then hash) within its run.
    expect(await allEvents(db)).toEqual(
      [...entries].sort(
        (a, b) => a.runId.localeCompare(b.runId) || a.seq - b.seq || a.hash.localeCompare(b.hash),
      ),
    );
    // One pack per branch: r1's main chain, r1's second branch, r2.
    const packs = await db.eventPacks.toArray();
    expect(packs.map((p) => [p.runId, p.first, p.last, p.hashes.length]).sort()).toEqual(
      [
        ['r1', 1, 40, 40],
        ['r1', 31, 35, 5],
        ['r2', 1, 3, 3],
      ].sort(),
    );
    expect(await forkedRuns(db)).toEqual(new Set(['r1']));
    expect(await eventsByHash(db, ['r1-b-33', 'r1-a-1', 'nope', 'r2-a-3'])).toEqual([
      branch[2],
      main[0],
      undefined,
      other[2],
    ]);
    // An event is stored once: adding it again is refused.
    await expect(addEvent(db, other[1] as never)).rejects.toThrow();
    expect(await db.runs.get('r1')).toMatchObject({ kind: 'organisation' });
    expect(await db.resolutions.count()).toBe(1);
  });

  it('moves a large store of events', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const v6 = openVersion6(name);
    const many = Array.from({ length: 200 }, (_, r) =>
      chain(`d${String(r)}`, 1, 15, '', 'a'),
    ).flat();
    await v6.table('events').bulkPut(many);
    v6.close();

    const db = freshDatabase(name);
    await db.open();
    expect(await countEvents(db)).toBe(many.length);
    expect(await db.eventPacks.count()).toBe(200);
    expect(await runEvents(db, 'd7')).toEqual(many.filter((e) => e.runId === 'd7'));
    expect(await forkedRuns(db)).toEqual(new Set());
  }, 60_000);
});
