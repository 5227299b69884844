// The pull's target (src/sync/doorTarget.ts), with real PouchDB replication from an in-memory
// database standing in for the server, into the real import door and a real (fake-IndexedDB)
// device database. A pulled batch is merged without writing it into the mirror; what the door
// holds back waits in the mirror and merges when what it waits for arrives; the pull does not
// fetch what this device holds; the checkpoint never moves past a batch the door did not take;
// and the outbox, after a reload, sends none of what came from the server back.
import type { PouchDoc } from 'pouchdb-core';
import { describe, expect, it } from 'vitest';
import type { ReconnectDatabase } from '../../src/db/database.ts';
import { allEvents, countEvents } from '../../src/db/eventStore.ts';
import { appendEvent, createRun } from '../../src/db/runs.ts';
import { heldByDevice, receiveDocs, type Pending } from '../../src/db/syncDoor.ts';
import { SyncOutbox } from '../../src/db/syncOutbox.ts';
import { revisionFor } from '../../src/sync/couchDocs.ts';
import { DoorTarget, heldBefore, type Refusal } from '../../src/sync/doorTarget.ts';
import { mirrorOutbox, mirrorReader } from '../../src/sync/mirrorAccess.ts';
import { ev, fixture } from '../helpers/checklists.ts';
import { freshDatabase, importCsv } from './helpers.ts';
import { PouchDB, pouch, syncSource } from './pouchHelpers.ts';

const org = fixture('prerequisites');
const source = syncSource;

/** A laptop as the sync session builds it: database, mirror, outbox, and the pull's target. */
function laptop(options: { mirror?: PouchDB; db?: ReconnectDatabase } = {}) {
  const db = options.db ?? freshDatabase();
  const mirror = options.mirror ?? pouch('mirror');
  const outbox = new SyncOutbox(
    mirrorOutbox(mirror, async (docs) => {
      const results = await mirror.bulkDocs(docs, { new_edits: false });
      expect(results.filter((r) => r.error)).toEqual([]);
    }),
    db,
  );
  let pending: Pending = { runIds: [], docIds: [] };
  const refused: Refusal[] = [];
  const delivered: string[] = [];
  let failNext = false;
  const target = new DoorTarget({
    mirror,
    receive: async (docs) => {
      if (failNext) {
        failNext = false;
        throw new Error('the device database is full');
      }
      delivered.push(...docs.map((d) => d._id));
      const result = await receiveDocs(docs, mirrorReader(mirror), pending, source, db);
      pending = result.pending;
      return { refused: result.refused, held: result.held };
    },
    holds: (revs) => heldByDevice(revs, db),
    onHeld: (ids) => {
      outbox.noteHeld(ids);
    },
    onRefused: (r) => refused.push(...r),
  });
  return {
    db,
    mirror,
    outbox,
    target,
    refused,
    delivered,
    pending: () => pending,
    failNextBatch: () => {
      failNext = true;
    },
    pull: (server: PouchDB, batch = 100) =>
      PouchDB.replicate(server, target as unknown as PouchDB, { batch_size: batch }),
  };
}

async function record(db: ReconnectDatabase, saves: number) {
  const run = await createRun(
    {
      organisation: { name: 'Trust' },
      checklist: { definition: org.definition, contentHash: org.contentHash },
      actor: 'Ann',
    },
    db,
  );
  for (let i = 0; i < saves; i++)
    await appendEvent(run.runId, ev.save('a', { note: `answer ${String(i)}` }), db);
  await importCsv(db, run.runId, 'Hostname,Ward\nPC1,Ward 3\nPC2,Ward 4\n');
  return run.runId;
}

/** Ann makes a record and pushes it (through her mirror) to the server. */
async function serverWithRecord(saves = 5) {
  const server = pouch('server');
  const ann = laptop();
  const runId = await record(ann.db, saves);
  await ann.outbox.flush();
  await PouchDB.replicate(ann.mirror, server);
  return { server, ann, runId };
}

async function mirrorIds(mirror: PouchDB): Promise<string[]> {
  return (await mirror.allDocs()).rows.map((r) => r.id);
}

describe('pulling straight into the import door', () => {
  it('merges a pulled batch without writing its events or header into the mirror', async () => {
    const { server, ann } = await serverWithRecord();
    // The server's design document is the server's: never fetched, never refused.
    await server.put({ _id: '_design/reconnect', filters: {} });
    const ben = laptop();
    const result = await ben.pull(server);
    expect(ben.delivered.filter((id) => id.startsWith('_design/'))).toEqual([]);
    expect(result.docs_written).toBeGreaterThan(5);
    expect(ben.refused).toEqual([]);
    expect(ben.pending()).toEqual({ runIds: [], docIds: [] });
    expect((await allEvents(ben.db)).map((e) => e.hash).sort()).toEqual(
      (await allEvents(ann.db)).map((e) => e.hash).sort(),
    );
    // Only the parts the door keeps in the mirror (the pinned checklist, inventory devices) are
    // there; no event, no header.
    const kept = await mirrorIds(ben.mirror);
    expect(kept.filter((id) => id.startsWith('event:') || id.startsWith('run:'))).toEqual([]);
    // The outbox sends nothing back, in this session and after a reload.
    expect(await ben.outbox.flush()).toBe(0);
    const reloaded = laptop({ mirror: ben.mirror, db: ben.db });
    reloaded.outbox.noteHeld(await heldBefore(ben.mirror));
    expect(await reloaded.outbox.flush()).toBe(0);
    // Pulling again fetches nothing: the checkpoint is in the mirror.
    const again = await reloaded.pull(server);
    expect(again.docs_read).toBe(0);
    expect(reloaded.delivered).toEqual([]);
  });

  it('keeps what waits for its header in the mirror, and merges it when the header comes', async () => {
    const { ann, runId } = await serverWithRecord(4);
    // A server that got the events before their record's header.
    const server = pouch('server');
    const all = (await ann.mirror.allDocs({ include_docs: true })).rows
      .map((r) => r.doc)
      .filter((d): d is PouchDoc => d !== undefined);
    const header = all.filter((d) => d._id === `run:${runId}`);
    const rest = all.filter((d) => d._id !== `run:${runId}`);
    await server.bulkDocs(rest, { new_edits: false });
    const ben = laptop();
    await ben.pull(server);
    expect(await countEvents(ben.db)).toBe(0);
    expect(ben.pending().runIds).toEqual([runId]);
    const events = (await mirrorIds(ben.mirror)).filter((id) => id.startsWith('event:'));
    expect(events).toHaveLength(4);

    await server.bulkDocs(header, { new_edits: false });
    await ben.pull(server);
    expect(ben.refused).toEqual([]);
    expect(ben.pending()).toEqual({ runIds: [], docIds: [] });
    expect(await countEvents(ben.db)).toBe(4);
    // Only the header came in the second pull; the events were read from the mirror.
    expect(ben.delivered.filter((id) => id.startsWith('event:'))).toHaveLength(4);
    expect(ben.delivered.filter((id) => id === `run:${runId}`)).toHaveLength(1);
  });

  it('says this device holds its own events and headers, and not a different revision', async () => {
    const { ann, runId } = await serverWithRecord(2);
    const [first] = await allEvents(ann.db);
    if (!first) throw new Error('no event');
    const eventId = `event:${runId}:${first.hash}`;
    const forged = '1-'.padEnd(34, '0');
    const unknown = `event:x:${'a'.repeat(64)}`;
    const notYet = `event:${runId}:${'b'.repeat(64)}`;
    // Not in the mirror (a fresh one): the device database answers.
    const fresh = laptop({ db: ann.db });
    const diff = await fresh.target.revsDiff({
      [eventId]: [revisionFor(first.hash)],
      [`event:other-run:${first.hash}`]: [revisionFor(first.hash)],
      [unknown]: [revisionFor('a'.repeat(64))],
      // Of a record this device holds, but an event it does not.
      [notYet]: [revisionFor('b'.repeat(64))],
      [`run:${runId}`]: [forged],
    });
    expect(Object.keys(diff).sort()).toEqual(
      [`event:other-run:${first.hash}`, unknown, notYet, `run:${runId}`].sort(),
    );
    // Its header with the right revision is held.
    const header = (await ann.mirror.get(`run:${runId}`))._rev;
    expect(await heldByDevice({ [`run:${runId}`]: [header ?? ''] }, ann.db)).toEqual(
      new Set([`run:${runId}`]),
    );
    expect(await heldBefore(fresh.mirror)).toEqual([eventId]);
    // A laptop pulling back what it pushed fetches none of it (its mirror has it).
    const server = pouch('server');
    await PouchDB.replicate(ann.mirror, server);
    const result = await ann.pull(server);
    expect(result.docs_read).toBe(0);
    expect(ann.delivered).toEqual([]);
  });

  it('moves the checkpoint only past a batch the door has taken', async () => {
    const { server } = await serverWithRecord(3);
    const ben = laptop();
    ben.failNextBatch();
    const failed = await ben.pull(server).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(String(failed)).toMatch(/device database is full/);
    expect(await countEvents(ben.db)).toBe(0);
    // No checkpoint (no `_local/` document but what the door keeps): the next pull starts over.
    const result = await ben.pull(server);
    expect(result.docs_read).toBeGreaterThan(4);
    expect(await countEvents(ben.db)).toBe(3);
    expect(ben.refused).toEqual([]);
  });

  it('reports a forged event and writes it nowhere', async () => {
    const { server, runId } = await serverWithRecord(1);
    const [doc] = (await server.allDocs({ include_docs: true })).rows
      .map((r) => r.doc)
      .filter((d): d is PouchDoc => d?._id.startsWith(`event:${runId}`) === true);
    if (!doc) throw new Error('no event');
    const server2 = pouch('server');
    const forged = {
      ...doc,
      event: { ...(doc.event as object), actor: { name: 'Mallory' } },
    };
    await server2.bulkDocs([forged], { new_edits: false });
    const ben = laptop();
    await ben.pull(server2);
    expect(ben.refused.map((r) => r.id)).toEqual([doc._id]);
    expect(await mirrorIds(ben.mirror)).toEqual([]);
    expect(await countEvents(ben.db)).toBe(0);
  });

  it('refuses a truncated event and leaves the database as it was', async () => {
    const { server, runId } = await serverWithRecord(2);
    const ben = laptop();
    await ben.pull(server);
    const before = await allEvents(ben.db);
    const [doc] = (await server.allDocs({ include_docs: true })).rows
      .map((r) => r.doc)
      .filter((d): d is PouchDoc => d?._id.startsWith(`event:${runId}`) === true);
    if (!doc) throw new Error('no event');
    // Cut short: the event's body is gone, its id and revision stay.
    const { event: _event, ...truncated } = doc as PouchDoc & { event?: unknown };
    const server2 = pouch('server');
    await server2.bulkDocs([{ ...truncated, _id: `event:${runId}:${'0'.repeat(64)}` }], {
      new_edits: false,
    });
    await ben.pull(server2);
    expect(ben.refused.map((r) => r.id)).toEqual([`event:${runId}:${'0'.repeat(64)}`]);
    expect(await allEvents(ben.db)).toEqual(before);
  });

  it('takes a batch delivered twice once: no event is stored twice', async () => {
    const { server } = await serverWithRecord(4);
    const docs = (await server.allDocs({ include_docs: true })).rows
      .map((r) => r.doc)
      .filter((d): d is PouchDoc => d !== undefined && !d._id.startsWith('_'));
    const ben = laptop();
    await ben.target.bulkDocs({ docs, new_edits: false });
    const once = await allEvents(ben.db);
    await ben.target.bulkDocs({ docs, new_edits: false });
    expect(await allEvents(ben.db)).toEqual(once);
    expect(await countEvents(ben.db)).toBe(4);
    expect(ben.refused).toEqual([]);
  });

  it('folds the lists of ids it took into one, and forgets none of them', async () => {
    const mirror = pouch('mirror');
    // A door that takes every document it is given, as live sync does one small batch at a time.
    const target = new DoorTarget({
      mirror,
      receive: (docs) => Promise.resolve({ refused: [], held: docs.map((d) => d._id) }),
      holds: () => Promise.resolve(new Set<string>()),
    });
    const ids = Array.from({ length: 70 }, (_, i) => `event:run:${String(i).padStart(4, '0')}`);
    for (const id of ids) await target.bulkDocs([{ _id: id, _rev: '1-a' }]);
    await target.idle();
    expect([...(await heldBefore(mirror))].sort()).toEqual(ids);
    const index = (await mirror.get('_local/reconnect-held')) as unknown as { chunks: number };
    // Seventy lists, folded into one by the 33rd and again by the 65th.
    expect(index.chunks).toBeLessThanOrEqual(32);
    expect(index.chunks).toBeGreaterThan(0);
    // The folded lists are gone, not left behind.
    for (let n = index.chunks; n < 40; n++)
      await expect(mirror.get(`_local/reconnect-held-${String(n)}`)).rejects.toMatchObject({
        status: 404,
      });
  });
});
