// The first screen's reads straight from IndexedDB (src/db/nativeRead.ts): the same answers as
// Dexie's queries they replace, no database made on a first run, an older shape upgraded by
// Dexie before it is read, never in the way of an upgrade, and told of every change Dexie makes.
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReconnectDatabase } from '../../src/db/database.ts';
import { readLastExport } from '../../src/db/liveLastExport.ts';
import { readChecklistTitles, readOrganisationRuns } from '../../src/db/liveLists.ts';
import { readSettingNative } from '../../src/db/liveSetting.ts';
import { dexieChangeNotice, nativeVersion, onStorageChange } from '../../src/db/nativeRead.ts';
import { createRun } from '../../src/db/runs.ts';
import { latestSchemaVersion } from '../../src/db/schema.ts';
import { writeSetting } from '../../src/db/settings.ts';
import { fixture } from '../helpers/checklists.ts';
import { openVersion4 } from './frozen/v4.ts';
import { freshDatabase } from './helpers.ts';

const prerequisites = fixture('prerequisites');
const hashed = { definition: prerequisites.definition, contentHash: prerequisites.contentHash };

async function exists(name: string): Promise<boolean> {
  return (await indexedDB.databases()).some((d) => d.name === name);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('reading without Dexie', () => {
  it('reads IndexedDB at the version Dexie makes it', async () => {
    const db = freshDatabase();
    await db.open();
    expect(db.backendDB().version).toBe(nativeVersion);
    expect(nativeVersion).toBe(latestSchemaVersion * 10);
  });

  it('answers "nothing yet" on a first run, and leaves no database behind for Dexie to trip on', async () => {
    const name = `test-${crypto.randomUUID()}`;
    expect(await readOrganisationRuns(name)).toEqual([]);
    expect(await readChecklistTitles(name)).toEqual(new Map());
    expect(await readLastExport(name)).toBeNull();
    expect(await readSettingNative('actor', name)).toBeUndefined();
    expect(await exists(name)).toBe(false);
    const db = freshDatabase(name);
    await writeSetting('actor', { name: 'Sam' }, db);
    expect(await readSettingNative('actor', name)).toEqual({ name: 'Sam' });
  });

  it('gives the records list, titles and last export exactly as Dexie orders them', async () => {
    const db = freshDatabase();
    // Every run at the same moment: ties must fall as Dexie's reversed index walk gives them.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2017-05-15T09:00:00Z'));
    const made = [];
    for (const name of ['Alpha Trust', 'Beta Trust', 'Gamma Trust'])
      made.push(await createRun({ organisation: { name }, checklist: hashed, actor: 'Sam' }, db));
    vi.setSystemTime(new Date('2017-05-16T09:00:00Z'));
    made.push(
      await createRun(
        { organisation: { name: 'Delta Trust' }, checklist: hashed, actor: 'Sam' },
        db,
      ),
    );
    const parent = made[0]?.runId ?? '';
    await createRun(
      {
        organisation: { name: 'Alpha Trust' },
        checklist: hashed,
        actor: 'Sam',
        kind: 'device',
        parentRunId: parent,
        deviceId: 'dev-1',
      },
      db,
    );
    vi.useRealTimers();
    const exchange = (id: string, direction: 'export' | 'import', at: string) => ({
      id,
      direction,
      kind: 'backup',
      at,
      by: 'Sam',
      device: { name: 'Laptop', fingerprint: 'f' },
      summary: id,
    });
    await db.exchanges.bulkPut([
      exchange('a', 'export', '2017-05-15T10:00:00Z'),
      exchange('b', 'export', '2017-05-15T11:00:00Z'),
      exchange('c', 'import', '2017-05-15T12:00:00Z'),
    ]);

    const dexieRuns = (await db.runs.orderBy('updatedAt').reverse().toArray()).filter(
      (r) => r.kind === 'organisation',
    );
    const nativeRuns = await readOrganisationRuns(db.name);
    expect(nativeRuns.map((r) => r.runId)).toEqual(dexieRuns.map((r) => r.runId));
    expect(nativeRuns).toHaveLength(4);
    expect(nativeRuns[0]?.organisation.name).toBe('Delta Trust');
    expect(nativeRuns).toEqual(dexieRuns);

    expect(await readChecklistTitles(db.name)).toEqual(
      new Map([[hashed.contentHash, hashed.definition.title]]),
    );
    expect((await readLastExport(db.name))?.id).toBe('b');
  });

  it('has Dexie upgrade an older shape first, then reads it', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const old = openVersion4(name);
    await old.table('settings').put({ key: 'actor', value: { name: 'Sam' } });
    old.close();
    expect(await readSettingNative('actor', name)).toEqual({ name: 'Sam' });
    const db = freshDatabase(name);
    await db.open();
    expect(db.verno).toBe(latestSchemaVersion);
    expect(await readLastExport(name)).toBeNull(); // a store version 4 did not have
  });

  it('never holds up an upgrade or a deletion by another connection', async () => {
    const db = freshDatabase();
    await writeSetting('actor', { name: 'Sam' }, db);
    expect(await readSettingNative('actor', db.name)).toEqual({ name: 'Sam' });
    db.close();
    // Deleting needs every connection closed: the native one closes when asked.
    await Dexie.delete(db.name);
    expect(await exists(db.name)).toBe(false);
    expect(await readSettingNative('actor', db.name)).toBeUndefined();
  });

  it('is told of every change Dexie commits, under the name Dexie announces it', async () => {
    const db = new ReconnectDatabase(`test-${crypto.randomUUID()}`);
    const heard = new Promise<void>((resolve) => {
      const stop = onStorageChange(() => {
        stop();
        resolve();
      });
    });
    // Another tab's Dexie reaches this one on its channel; this tab's reaches it directly.
    const channel = new BroadcastChannel(dexieChangeNotice);
    const onChannel = new Promise<unknown>((resolve) => {
      channel.onmessage = (event) => {
        resolve(event.data);
      };
    });
    await writeSetting('actor', { name: 'Sam' }, db);
    await heard;
    expect(await onChannel).toBeTruthy();
    channel.close();
    await db.delete();
  });
});
