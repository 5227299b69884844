// Sync's two ends on this device, with real PouchDB replication between in-memory databases
// standing in for each laptop's mirror and the server: the outbox sends every part of a record
// once; what is pulled goes through the import door, in any order and any batch size, and the
// receiving laptop ends with the same record. A forged document is refused alone; the same work
// pulled twice changes nothing; two laptops that both went on from one point show a fork.
import type { PouchDoc } from 'pouchdb-core';
import { describe, expect, it } from 'vitest';
import type { ReconnectDatabase } from '../../src/db/database.ts';
import { loadDevices, startClearance } from '../../src/db/devices.ts';
import { attachFile } from '../../src/db/files.ts';
import { recordForks } from '../../src/db/merge.ts';
import { appendEvent, createRun } from '../../src/db/runs.ts';
import { registerApprover, signOff } from '../../src/db/signoff.ts';
import { receiveDocs, type Pending } from '../../src/db/syncDoor.ts';
import { SyncOutbox } from '../../src/db/syncOutbox.ts';
import { mirrorOutbox, mirrorReader } from '../../src/sync/mirrorAccess.ts';
import { ev, fixture, shipped } from '../helpers/checklists.ts';
import { freshDatabase, importCsv } from './helpers.ts';
import { PouchDB, pouch, syncSource } from './pouchHelpers.ts';
import { allEvents, countEvents } from '../../src/db/eventStore.ts';

const org = fixture('prerequisites');
const device = shipped('device-clearance');
const source = syncSource;

/** A laptop: its database, its mirror, its outbox. */
function laptop() {
  const db = freshDatabase();
  const mirror = pouch('mirror');
  const outbox = new SyncOutbox(
    mirrorOutbox(mirror, async (docs) => {
      const results = await mirror.bulkDocs(docs, { new_edits: false });
      expect(results.filter((r) => r.error)).toEqual([]);
    }),
    db,
  );
  return { db, mirror, outbox };
}
type Laptop = ReturnType<typeof laptop>;

/** Pulls everything the mirror holds through the door, `batch` documents at a time. */
async function receiveAll(l: Laptop, options: { batch?: number; reverse?: boolean } = {}) {
  const changes = await l.mirror.changes({ include_docs: true });
  let docs = changes.results
    .map((c) => c.doc)
    .filter((d): d is PouchDoc => d !== undefined && !d._id.startsWith('_'));
  if (options.reverse) docs = docs.reverse();
  const batch = options.batch ?? 500;
  let pending: Pending = { runIds: [], docIds: [] };
  const refused = [];
  for (let i = 0; i < docs.length; i += batch) {
    const result = await receiveDocs(
      docs.slice(i, i + batch),
      mirrorReader(l.mirror),
      pending,
      source,
      l.db,
    );
    pending = result.pending;
    refused.push(...result.refused);
  }
  return { pending, refused };
}

async function syncThrough(server: PouchDB, ...laptops: Laptop[]) {
  for (const l of laptops) {
    await l.outbox.flush();
    await PouchDB.replicate(l.mirror, server);
  }
  for (const l of laptops) await PouchDB.replicate(server, l.mirror);
}

async function startedRecord(db: ReconnectDatabase) {
  const run = await createRun(
    {
      organisation: { name: 'Trust' },
      checklist: { definition: org.definition, contentHash: org.contentHash },
      actor: 'Ann',
    },
    db,
  );
  await appendEvent(run.runId, ev.save('a', { note: 'first-answer' }), db);
  await importCsv(db, run.runId, 'Hostname,Ward\nPC1,Ward 3\nPC2,Ward 4\nPC3,Ward 5\n');
  const pc1 = (await loadDevices(run.runId, db)).find((d) => d.hostname === 'PC1');
  if (!pc1) throw new Error('PC1');
  await startClearance(
    pc1,
    { definition: device.definition, contentHash: device.contentHash },
    'Ann',
    db,
  );
  await attachFile(
    {
      runId: run.runId,
      stepId: 'b',
      fieldId: 'note',
      file: new File(['scan output'], 'scan.txt', { type: 'text/plain' }),
      actor: 'Ann',
      files: [],
      base: {},
      maxFiles: 5,
    },
    db,
  );
  return run.runId;
}

async function contents(db: ReconnectDatabase) {
  const byHash = (a: { hash: string }, b: { hash: string }) => a.hash.localeCompare(b.hash);
  return {
    runs: (await db.runs.toArray())
      .map(({ updatedAt: _u, ...r }) => r)
      .sort((a, b) => a.runId.localeCompare(b.runId)),
    events: (await allEvents(db)).sort(byHash),
    inventories: await db.inventories.toArray(),
    deviceStates: (await db.deviceStates.toArray())
      .map(({ updatedAt: _u, ...s }) => s)
      .sort((a, b) => a.deviceId.localeCompare(b.deviceId)),
    files: (await db.files.toArray()).map(({ blob: _b, ...f }) => f),
  };
}

describe('sync through the import door', () => {
  it('gives the other laptop the whole record, in any order and batch size', async () => {
    const server = pouch('server');
    const ann = laptop();
    const runId = await startedRecord(ann.db);
    const sent = await ann.outbox.flush();
    expect(sent).toBeGreaterThan(10);
    expect(await ann.outbox.flush()).toBe(0);

    for (const options of [{ batch: 500 }, { batch: 3, reverse: true }]) {
      const ben = laptop();
      await syncThrough(server, ann, ben);
      const { pending, refused } = await receiveAll(ben, options);
      expect(refused).toEqual([]);
      expect(pending).toEqual({ runIds: [], docIds: [] });
      expect(await contents(ben.db)).toEqual(await contents(ann.db));
      const blob = (await ben.db.files.toArray())[0]?.blob;
      expect(await blob?.text()).toBe('scan output');
      // What Ben pulled is in his mirror already: his outbox sends none of it back.
      expect(await ben.outbox.flush()).toBe(0);
      // Pulling it all again changes nothing.
      const before = await contents(ben.db);
      await receiveAll(ben);
      expect(await contents(ben.db)).toEqual(before);
      expect((await recordForks(runId, ben.db)).runForks).toEqual([]);
    }
  });

  it('reports what it took in, so the outbox sends none of it back and still sends new work', async () => {
    const server = pouch('server');
    const ann = laptop();
    const runId = await startedRecord(ann.db);
    const ben = laptop();
    await syncThrough(server, ann, ben);
    // Ben's door, in batches that split the record's chain (2 documents each, in order).
    const changes = await ben.mirror.changes({ include_docs: true });
    const docs = changes.results
      .map((c) => c.doc)
      .filter((d): d is PouchDoc => d !== undefined && !d._id.startsWith('_'));
    let pending: Pending = { runIds: [], docIds: [] };
    const held = new Set<string>();
    for (let i = 0; i < docs.length; i += 2) {
      const result = await receiveDocs(
        docs.slice(i, i + 2),
        mirrorReader(ben.mirror),
        pending,
        source,
        ben.db,
      );
      expect(result.refused).toEqual([]);
      pending = result.pending;
      for (const id of result.held) held.add(id);
      ben.outbox.noteHeld(result.held);
    }
    expect(pending).toEqual({ runIds: [], docIds: [] });
    // Every event Ben now holds is reported as held (so the outbox need not look for it).
    const events = await allEvents(ben.db);
    expect(events.length).toBeGreaterThan(1);
    for (const e of events) expect(held).toContain(`event:${e.runId}:${e.hash}`);
    expect(await ben.outbox.flush()).toBe(0);
    // New work on Ben's laptop is still found and sent: exactly that one event.
    await appendEvent(runId, ev.save('b', { note: 'Ben after sync' }), ben.db);
    expect(await ben.outbox.flush()).toBe(1);
    expect(await ben.outbox.flush()).toBe(0);
    // Pulling what is already held again adds no event and reports every event held.
    const again = await receiveDocs(docs, mirrorReader(ben.mirror), pending, source, ben.db);
    expect(again.refused).toEqual([]);
    expect(await countEvents(ben.db)).toBe(events.length + 1);
    for (const e of events) expect(again.held).toContain(`event:${e.runId}:${e.hash}`);
  });

  it('refuses a forged event alone, and writes nothing of it', async () => {
    const server = pouch('server');
    const ann = laptop();
    const runId = await startedRecord(ann.db);
    await appendEvent(runId, ev.save('b', { note: 'second' }), ann.db);
    await ann.outbox.flush();
    // The server holds an altered copy of Ann's last event, under its id and revision.
    const all = await ann.mirror.allDocs({ include_docs: true });
    const last = all.rows
      .map(
        (r) =>
          r.doc as unknown as {
            _id: string;
            type: string;
            runId: string;
            seq: number;
            event: object;
          },
      )
      .filter((d) => d.type === 'event' && d.runId === runId)
      .sort((a, b) => b.seq - a.seq)[0];
    if (!last) throw new Error('no event');
    const forged = { ...last, event: { ...last.event, changes: { note: 'forged' } } };
    await server.bulkDocs([forged], { new_edits: false });
    const ben = laptop();
    await syncThrough(server, ann, ben);
    const { refused } = await receiveAll(ben);
    expect(refused).toContainEqual({
      id: last._id,
      reason: expect.stringMatching(/altered/) as unknown,
    });
    expect(JSON.stringify(await allEvents(ben.db))).not.toContain('forged');
    // What came before it arrived: the record shows up to the event before the forged one.
    expect((await ben.db.runs.get(runId))?.head.seq).toBe(last.seq - 1);
  });

  it('shows a fork when both laptops went on from the same point', async () => {
    const server = pouch('server');
    const ann = laptop();
    const runId = await startedRecord(ann.db);
    const ben = laptop();
    await syncThrough(server, ann, ben);
    await receiveAll(ben);
    await appendEvent(
      runId,
      { ...ev.save('b', { note: 'Ann offline' }), actor: { name: 'Ann' } },
      ann.db,
    );
    await appendEvent(
      runId,
      { ...ev.save('b', { note: 'Ben offline' }), actor: { name: 'Ben' } },
      ben.db,
    );
    await syncThrough(server, ann, ben);
    await receiveAll(ann);
    await receiveAll(ben);
    for (const [l, mine, theirs] of [
      [ann, 'Ann', 'Ben'],
      [ben, 'Ben', 'Ann'],
    ] as const) {
      const forks = (await recordForks(runId, l.db)).runForks;
      expect(forks).toHaveLength(1);
      expect(forks[0]?.current.events.map((e) => e.event.actor.name)).toEqual([mine]);
      expect(forks[0]?.other.events.map((e) => e.event.actor.name)).toEqual([theirs]);
    }
  });

  it('keeps a signed record waiting until the sign-off that locked its record arrives', async () => {
    const ann = laptop();
    const c = fixture('prerequisites');
    const run = await createRun(
      {
        organisation: { name: 'Signed Trust' },
        checklist: { definition: c.definition, contentHash: c.contentHash },
        actor: 'Ann',
      },
      ann.db,
    );
    for (const e of [
      ev.complete('a', { note: 'A done' }),
      ev.na('b', 'No such link'),
      ev.complete('c', { note: 'C done' }),
      ev.complete('d', { note: 'D done' }),
    ])
      await appendEvent(run.runId, e, ann.db);
    const passphrase = 'correct horse battery staple';
    const approver = await registerApprover(
      { name: 'Pat Manager', role: 'SIRO', passphrase },
      ann.db,
    );
    const { digest } = await signOff(
      {
        runId: run.runId,
        approver,
        passphrase,
        decision: { outcome: 'approved' },
        statement: 'Safe to reconnect.',
        actor: 'Pat Manager',
      },
      ann.db,
    );
    await ann.outbox.flush();

    // Ben's mirror has everything; his door is handed the signed record (with the header and
    // the events before the sign-off) first, and the sign-off's own events only later.
    const ben = laptop();
    await PouchDB.replicate(ann.mirror, ben.mirror);
    const docs = (await ben.mirror.changes({ include_docs: true })).results
      .map((r) => r.doc)
      .filter((d): d is PouchDoc => d !== undefined && !d._id.startsWith('_'));
    const isLate = (d: PouchDoc) =>
      d._id.startsWith('event:') && (d as unknown as { seq: number }).seq > 4;
    const first = await receiveDocs(
      docs.filter((d) => !isLate(d)),
      mirrorReader(ben.mirror),
      { runIds: [], docIds: [] },
      source,
      ben.db,
    );
    expect(first.refused).toEqual([]);
    expect(first.pending.docIds.filter((id) => id.startsWith('signed:'))).toHaveLength(1);
    expect(await ben.db.signedRecords.count()).toBe(0);
    const second = await receiveDocs(
      docs.filter(isLate),
      mirrorReader(ben.mirror),
      first.pending,
      source,
      ben.db,
    );
    expect(second.refused).toEqual([]);
    expect(second.pending).toEqual({ runIds: [], docIds: [] });
    expect((await ben.db.signedRecords.toArray()).map((r) => r.digest)).toEqual([digest]);
    expect((await ben.db.runs.get(run.runId))?.head).toEqual(
      (await ann.db.runs.get(run.runId))?.head,
    );
  });
});
