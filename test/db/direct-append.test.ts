// The common save written straight to IndexedDB (src/db/directAppend.ts): it must behave exactly
// like the Dexie path — one transaction, all or nothing, never building on a stale run — and
// live queries must hear of it as they would of a Dexie write.
import { Dexie, liveQuery, type ObservabilitySet } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contentHash } from '../../src/checklist/canonical.ts';
import { ReconnectDatabase } from '../../src/db/database.ts';
import { loadDevices, startClearance } from '../../src/db/devices.ts';
import { mutatedParts } from '../../src/db/directAppend.ts';
import { appendEvent, createRun, headerOf, readEvents } from '../../src/db/runs.ts';
import { nextEntry, verifyChain } from '../../src/run/log.ts';
import { applyEvent, replay } from '../../src/run/replay.ts';
import { ev, fixture, shipped } from '../helpers/checklists.ts';
import { freshDatabase, importCsv } from './helpers.ts';
import { addEvent, eventTable, runEvents } from '../../src/db/eventStore.ts';

const prerequisites = fixture('prerequisites');
const hashed = { definition: prerequisites.definition, contentHash: prerequisites.contentHash };

async function newRun(db: ReconnectDatabase, checklist = hashed) {
  return createRun({ organisation: { name: 'Test Trust' }, checklist, actor: 'Sam' }, db);
}

async function expectSnapshotEqualsReplay(db: ReconnectDatabase, runId: string) {
  const run = await db.runs.get(runId);
  if (!run) throw new Error('no run');
  const entries = await readEvents(runId, db);
  const replayed = replay(
    prerequisites,
    entries.map((e) => e.event),
  );
  expect(replayed.rejected).toEqual([]);
  expect(run.snapshot).toEqual(replayed.state);
  expect(verifyChain(headerOf(run), entries)).toMatchObject({ intact: true });
}

/** What another tab (another copy of the app's code) would write: the next event, via Dexie. */
async function writeAsAnotherTab(db: ReconnectDatabase, runId: string, event = ev.save('b')) {
  await db.transaction('rw', db.runs, eventTable(db), async () => {
    const run = await db.runs.get(runId);
    if (!run) throw new Error('no run');
    const result = applyEvent(prerequisites, run.snapshot, event);
    if (!result.ok) throw new Error(result.rejection.message);
    const entry = nextEntry(headerOf(run), run.head.seq ? run.head : undefined, result.event);
    await addEvent(db, entry);
    await db.runs.put({
      ...run,
      snapshot: result.state,
      head: { seq: entry.seq, hash: entry.hash },
      updatedAt: result.event.at,
      updatedBy: result.event.actor.name,
    });
  });
}

/** The path (direct or Dexie) that the last action, saved or refused, took. */
function lastPath(): unknown {
  const entries = [
    ...performance.getEntriesByName('reconnect:answer-commit'),
    ...performance.getEntriesByName('reconnect:answer-failed'),
  ].sort((a, b) => a.startTime - b.startTime);
  return (entries[entries.length - 1] as PerformanceMark | undefined)?.detail;
}

/** Resolves with the first value of `query` that `accept` takes. */
function waitFor<T>(query: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => {
        if (!accept(value)) return;
        queueMicrotask(() => {
          subscription.unsubscribe();
        });
        resolve(value);
      },
      error: reject,
    });
  });
}

/** The ranges of an observed part (a tree of { from, to, l, r }) in key order. */
function flatten(tree: unknown): unknown[][] {
  const node = tree as { from?: unknown; to?: unknown; l?: unknown; r?: unknown } | null;
  if (!node || !('from' in node)) return [];
  return [...flatten(node.l), [node.from, node.to], ...flatten(node.r)];
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the direct save', () => {
  it('writes an organisation step without a Dexie transaction once its checklist is compiled', async () => {
    // A version of its own, so nothing earlier has compiled it.
    const definition = { ...prerequisites.definition, version: '1.0.1-direct' };
    const own = { definition, contentHash: contentHash(definition) };
    const db = freshDatabase();
    const { runId } = await newRun(db, own);
    const dexieTransactions = vi.spyOn(db, 'transaction');
    await appendEvent(runId, ev.save('a', { note: 'first' }), db);
    expect(dexieTransactions).toHaveBeenCalledTimes(1); // it loaded and compiled the checklist
    await appendEvent(runId, ev.save('a', { note: 'second' }), db);
    await appendEvent(runId, ev.complete('a', { note: 'done' }), db);
    expect(dexieTransactions).toHaveBeenCalledTimes(1);
    const entries = await readEvents(runId, db);
    expect(entries.map((e) => [e.seq, e.event.type])).toEqual([
      [1, 'step.save'],
      [2, 'step.save'],
      [3, 'step.complete'],
    ]);
    const run = await db.runs.get(runId);
    expect(run?.progress).toMatchObject({ done: 1, total: 4 });
    expect(run?.updatedBy).toBe('Sam Technician');
  });

  it('reports the same changed parts as Dexie does for the same writes', async () => {
    const db = freshDatabase();
    const { runId } = await newRun(db);
    await appendEvent(runId, ev.save('a'), db);
    const committed = await appendEvent(runId, ev.save('b'), db);

    // Write the same rows again through Dexie, on a database of its own, and catch its report.
    const twin = freshDatabase(db.name.replace('test-', 'twin-'));
    await twin.open();
    const reported: ObservabilitySet[] = [];
    const listen = (parts: ObservabilitySet) => reported.push(parts);
    Dexie.on('storagemutated', listen);
    try {
      await twin.transaction('rw', twin.runs, eventTable(twin), async () => {
        await addEvent(twin, committed.entry);
        await twin.runs.put(committed.run);
      });
    } finally {
      Dexie.on('storagemutated').unsubscribe(listen);
    }
    const ranges = (parts: ObservabilitySet, name: string) =>
      Object.fromEntries(
        Object.entries(parts)
          .map(([part, tree]) => [part.replace(name, 'DB'), flatten(tree)] as const)
          .filter(([, list]) => list.length > 0), // Dexie also lists untouched indexes, empty
      );
    const dexie = reported.find((parts) => Object.keys(parts).some((p) => p.includes(twin.name)));
    expect(dexie).toBeDefined();
    expect(ranges(mutatedParts(db, committed), db.name)).toEqual(ranges(dexie ?? {}, twin.name));
  });

  // Another tab, in its own browsing context, hears through Dexie's BroadcastChannel; the
  // browser test of two tabs (test/e2e/walk.test.ts) checks that.
  it('refreshes live queries on this connection and on another one', async () => {
    const db = freshDatabase();
    const otherTab = new ReconnectDatabase(db.name);
    const { runId } = await newRun(db);
    await appendEvent(runId, ev.save('a'), db);

    const views = [db, otherTab].flatMap((conn) => [
      waitFor(
        () => conn.runs.get(runId),
        (run) => run?.head.seq === 2,
      ),
      waitFor(
        () => readEvents(runId, conn),
        (events) => events.length === 2,
      ),
      waitFor(
        () => conn.runs.orderBy('updatedAt').toArray(),
        (runs) => runs[0]?.snapshot.context.steps.b?.draft?.note === 'seen',
      ),
    ]);
    // Let every view take its first look before the save.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await appendEvent(runId, ev.save('b', { note: 'seen' }), db);
    await expect(Promise.all(views)).resolves.toHaveLength(6);
    otherTab.close();
  });

  it('builds on what is stored, not on the copy this tab wrote last', async () => {
    const db = freshDatabase();
    const { runId } = await newRun(db);
    await appendEvent(runId, ev.complete('a', { note: 'a' }), db);
    // Another tab completes B. This tab's copy still says B is open, so on that copy C would be
    // refused; on the stored run it is allowed.
    await writeAsAnotherTab(db, runId, ev.complete('b', { note: 'b' }));
    await appendEvent(runId, ev.complete('c', { note: 'c' }), db);
    const entries = await readEvents(runId, db);
    expect(entries.map((e) => e.event.type === 'step.complete' && e.event.stepId)).toEqual([
      'a',
      'b',
      'c',
    ]);
    await expectSnapshotEqualsReplay(db, runId);

    // And the other way round: another tab reopens C, so D, which needs C, must wait again.
    await appendEvent(runId, ev.save('d', { note: 'draft' }), db);
    await writeAsAnotherTab(db, runId, ev.reopen('c', 'Wrong note'));
    await expect(appendEvent(runId, ev.complete('d', { note: 'd' }), db)).rejects.toMatchObject({
      name: 'ActionRejectedError',
    });
    await expectSnapshotEqualsReplay(db, runId);
  });

  it('writes neither the event nor the run when one of the two writes fails', async () => {
    const db = freshDatabase();
    const { runId } = await newRun(db);
    await appendEvent(runId, ev.save('a', { note: 'kept' }), db);
    const before = await db.runs.get(runId);
    const put = Reflect.get<IDBObjectStore, 'put'>(IDBObjectStore.prototype, 'put');
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'runs') throw new DOMException('Disk error', 'UnknownError');
      return put.apply(this, args);
    });
    await expect(appendEvent(runId, ev.save('a', { note: 'lost?' }), db)).rejects.toMatchObject({
      name: 'UnknownError',
    });
    expect(lastPath()).toEqual({ path: 'direct' });
    vi.restoreAllMocks();
    expect(await db.runs.get(runId)).toEqual(before);
    expect((await runEvents(db, runId)).length).toBe(1);
    // And the next save goes on from the stored head.
    await appendEvent(runId, ev.save('a', { note: 'again' }), db);
    await expectSnapshotEqualsReplay(db, runId);
  });

  it('refuses, writing nothing, when the browser rejects a write after it was issued', async () => {
    const db = freshDatabase();
    const { runId } = await newRun(db);
    await appendEvent(runId, ev.save('a', { note: 'kept' }), db);
    const before = await db.runs.get(runId);
    // The very event about to be added is already stored (events are keyed by hash): the add
    // fails in the browser, later.
    const event = ev.save('a', { note: 'lost?' });
    if (!before) throw new Error('no run');
    await addEvent(db, nextEntry(headerOf(before), before.head, event));
    await expect(appendEvent(runId, event, db)).rejects.toMatchObject({
      name: 'ConstraintError',
    });
    expect(lastPath()).toEqual({ path: 'direct' });
    expect(await db.runs.get(runId)).toEqual(before);
  });

  it('does not write back a row an upgrade rewrote without an event', async () => {
    const db = freshDatabase();
    const { runId } = await newRun(db);
    await appendEvent(runId, ev.save('a'), db);
    await appendEvent(runId, ev.save('a', { note: '1' }), db); // remembered by this tab
    // A newer version of the app, in another tab, upgrades the database and rewrites the row.
    const version = db.backendDB().version;
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(db.name, version + 1);
      open.onupgradeneeded = () => {
        const store = open.transaction?.objectStore('runs');
        const read = store?.get(runId);
        if (!store || !read) return;
        read.onsuccess = () => {
          const row = read.result as { snapshot: { context: Record<string, unknown> } };
          row.snapshot.context.upgraded = true;
          store.put(row);
        };
      };
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => {
        reject(open.error ?? new Error('upgrade failed'));
      };
    });
    await db.runs.get(runId); // a live query on the page reopens the database
    await appendEvent(runId, ev.save('b', { note: 'after' }), db);
    expect(lastPath()).toEqual({ path: 'direct' });
    const run = await db.runs.get(runId);
    expect(run?.snapshot.context).toMatchObject({ upgraded: true });
    expect(run?.snapshot.context.steps.b?.draft).toEqual({ note: 'after' });
  });

  it("sends a device's saves to Dexie without first opening a transaction of its own", async () => {
    const db = freshDatabase();
    const { runId } = await newRun(db);
    await importCsv(db, runId, 'Hostname,OS\nPC1,Windows 10 Pro\n');
    const [row] = await loadDevices(runId, db);
    if (!row) throw new Error('no device');
    const device = shipped('device-clearance');
    const deviceRunId = await startClearance(
      row,
      { definition: device.definition, contentHash: device.contentHash },
      'Sam',
      db,
    );
    await appendEvent(deviceRunId, ev.save('identify', { hostname: 'PC1' }), db);
    // Dexie keeps its own bound copy of the connection's transaction method, so this counts
    // only the transactions opened outside Dexie.
    const direct = vi.spyOn(db.backendDB(), 'transaction');
    await appendEvent(deviceRunId, ev.save('identify', { hostname: 'pc1' }), db);
    expect(direct).not.toHaveBeenCalled();
    expect(lastPath()).toEqual({ path: 'dexie' });
    expect((await loadDevices(runId, db))[0]?.status).toBe('in-progress');
  });
});
