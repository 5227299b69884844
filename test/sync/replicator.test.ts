// Two scripted laptops sync through a real pouchdb-server with the replicator the app uses. What
// they pull reaches a door that checks every document (docToEvent / docToRun) and keeps each
// once by its hash. The server is killed mid-sync and restarted; a wrong password, a document
// the server refuses and a forged document from the server are each reported in plain words.
import PouchDB, { type PouchDoc } from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import memoryAdapter from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docToEvent, docToRun, eventToDoc, runToDoc } from '../../src/sync/couchDocs.ts';
import { installDesignDoc } from '../../src/sync/installDesignDoc.ts';
import { Replicator, type Refusal, type SyncStatus } from '../../src/sync/replicator.ts';
import {
  createOrgDatabase,
  createUser,
  startCouchServer,
  type CouchServer,
} from '../../scripts/lib/couchServer.ts';
import { chain, header } from '../../scripts/lib/syncSample.ts';

PouchDB.plugin(httpAdapter).plugin(memoryAdapter).plugin(replication);

let server: CouchServer;
const database = 'rxx-reconnect';
let mirrors = 0;

/**
 * A laptop: its replicator, and what its door accepted (by document id), which stands for its
 * database: a reload keeps it (pass it again with the mirror's name).
 */
function laptop(
  username: string,
  password: string,
  mirrorName = `laptop-${String(++mirrors)}`,
  accepted = new Map<string, PouchDoc>(),
) {
  let delivered = 0;
  const statuses: SyncStatus[] = [];
  const replicator = new Replicator({
    PouchDB,
    mirrorName,
    adapter: 'memory',
    target: { server: server.url, database, username },
    auth: { username, password },
    backOff: () => 200,
    receive: (docs) => {
      const refused: Refusal[] = [];
      const held: string[] = [];
      for (const doc of docs) {
        delivered++;
        const read = doc._id.startsWith('run:') ? docToRun(doc) : docToEvent(doc);
        if (read.ok) {
          accepted.set(doc._id, doc);
          held.push(doc._id);
        } else refused.push({ id: read.id, reason: read.reason });
      }
      return Promise.resolve({ refused, held });
    },
    holds: (revs) =>
      Promise.resolve(
        new Set(
          Object.entries(revs)
            .filter(([id, asked]) => asked.includes(accepted.get(id)?._rev ?? ''))
            .map(([id]) => id),
        ),
      ),
    onStatus: (status) => statuses.push(status),
  });
  return {
    replicator,
    accepted,
    statuses,
    mirrorName,
    delivered: () => delivered,
    sendRun: (runId: string, events: number, by: string) => {
      const run = header(runId, by);
      const docs = [runToDoc(run), ...chain(run, events, by).map(eventToDoc)];
      return replicator.send(docs as unknown as PouchDoc[]).then(() => docs);
    },
  };
}

async function until(condition: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 180_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  server = await startCouchServer();
  await createOrgDatabase(server, database);
  await createUser(server, 'sam', 'sam-password');
  await createUser(server, 'priya', 'priya-password');
  const installed = await installDesignDoc(`${server.url}/${database}`, server.adminAuthorization);
  expect(installed.ok).toBe(true);
});

afterAll(async () => {
  await server.dispose();
});

describe('two laptops syncing through the server', () => {
  it('each receives the other’s work, the same event is one document, and status settles', async () => {
    const a = laptop('sam', 'sam-password');
    const b = laptop('priya', 'priya-password');
    a.replicator.start();
    b.replicator.start();
    const fromA = await a.sendRun('device-a', 15, 'Sam Patel');
    const fromB = await b.sendRun('device-b', 15, 'Priya Raman');
    // The same run on both laptops (a hand-off copy): the same documents.
    const shared = await a.sendRun('device-shared', 5, 'Sam Patel');
    await b.sendRun('device-shared', 5, 'Sam Patel');

    await until(
      () => fromA.every((d) => b.accepted.has(d._id)) && fromB.every((d) => a.accepted.has(d._id)),
      'both laptops hold both runs',
    );
    await until(
      () => a.replicator.current.state === 'idle' && a.replicator.current.waiting === 0,
      'laptop A is up to date',
    );
    expect(a.replicator.current.lastSyncedAt).toBeDefined();
    expect(a.replicator.current.problem).toBeUndefined();
    for (const doc of shared) {
      const stored = (await (
        await server.adminFetch(`/${database}/${encodeURIComponent(doc._id)}?conflicts=true`)
      ).json()) as { _conflicts?: string[]; _rev: string };
      expect(stored._rev).toBe(doc._rev);
      expect(stored._conflicts).toBeUndefined();
    }
    await a.replicator.close();
    await b.replicator.close();
  });

  it('resumes after the server is killed mid-sync, losing and duplicating nothing', async () => {
    const a = laptop('sam', 'sam-password');
    const b = laptop('priya', 'priya-password');
    const runs = 40;
    const sent: string[] = [];
    for (let i = 0; i < runs; i++)
      sent.push(...(await a.sendRun(`bulk-${String(i)}`, 15, 'Sam Patel')).map((d) => d._id));
    expect(a.replicator.current.waiting).toBe(sent.length);
    a.replicator.start();
    b.replicator.start();
    await until(() => a.replicator.current.waiting < sent.length, 'some documents are pushed');
    await server.kill();
    await until(
      () => a.replicator.current.problem?.kind === 'unreachable',
      'laptop A says the server is unreachable',
    );
    expect(a.replicator.current.state).toBe('offline');
    await server.restart();
    await until(() => sent.every((id) => b.accepted.has(id)), 'laptop B holds everything');
    await until(() => a.replicator.current.waiting === 0, 'laptop A has nothing waiting');
    // Every event is on the server once: asked for by id, each is found, none twice.
    const events = (await (
      await server.adminFetch(`/${database}/_all_docs`, {
        method: 'POST',
        body: JSON.stringify({ keys: sent }),
      })
    ).json()) as { rows: { id: string; error?: string }[] };
    expect(events.rows.filter((r) => r.error)).toEqual([]);
    expect(new Set(events.rows.map((r) => r.id)).size).toBe(sent.length);

    // A reload: a new replicator on the same mirror and database resumes from its checkpoints
    // and hands the door nothing it already took (were the last checkpoint not written before
    // the reload, the pull would find that this device holds those documents already).
    const deliveredBefore = b.delivered();
    await b.replicator.close();
    const b2 = laptop('priya', 'priya-password', b.mirrorName, b.accepted);
    b2.replicator.start();
    const more = await a.sendRun('after-reload', 3, 'Sam Patel');
    await until(() => more.every((d) => b2.accepted.has(d._id)), 'the reloaded laptop catches up');
    expect(b2.delivered()).toBe(more.length);
    expect(deliveredBefore).toBeGreaterThanOrEqual(sent.length);
    await a.replicator.close();
    await b2.replicator.close();
  });

  it('pauses while the device has no network and carries on as soon as it is back', async () => {
    const a = laptop('sam', 'sam-password');
    const b = laptop('priya', 'priya-password');
    a.replicator.start();
    b.replicator.start();
    await until(() => a.replicator.current.state === 'idle', 'laptop A is connected');
    a.replicator.networkLost();
    // Said at once, before any request fails.
    expect(a.replicator.current.state).toBe('offline');
    expect(a.replicator.current.problem?.message).toMatch(/This device is offline/);
    const first = await a.sendRun('made-offline', 4, 'Sam Patel');
    expect(a.replicator.current.waiting).toBe(first.length);
    // Counted from the moment they are handed over, before the mirror has stored them.
    const sending = a.sendRun('made-offline-too', 3, 'Sam Patel');
    expect(a.replicator.current.waiting).toBe(first.length + 4);
    const docs = [...first, ...(await sending)];
    expect(a.replicator.current.waiting).toBe(docs.length);
    expect(a.replicator.current.state).toBe('offline');
    a.replicator.networkBack();
    await until(() => docs.every((d) => b.accepted.has(d._id)), 'laptop B has what A made offline');
    await until(() => a.replicator.current.waiting === 0, 'laptop A has nothing waiting');
    await until(() => a.replicator.current.state === 'idle', 'laptop A is up to date again');
    expect(a.replicator.current.problem).toBeUndefined();
    await a.replicator.close();
    await b.replicator.close();
  });

  it('says when the password is wrong', async () => {
    const wrong = laptop('sam', 'not-the-password');
    wrong.replicator.start();
    await until(
      () => wrong.replicator.current.problem?.kind === 'wrong-password',
      'a wrong password is reported',
    );
    expect(wrong.replicator.current.problem?.message).toMatch(/did not accept the user name “sam”/);
    await wrong.replicator.close();
  });

  it('reports documents the server refuses and forged documents it serves', async () => {
    const a = laptop('sam', 'sam-password');
    const b = laptop('priya', 'priya-password');
    a.replicator.start();
    b.replicator.start();
    await a.replicator.send([{ _id: 'shopping-list', _rev: '1-abc', items: ['milk'] }]);
    await until(
      () => a.replicator.current.problem?.kind === 'refused',
      'the refused document is reported',
    );
    expect(a.replicator.current.refusedByServer[0]?.id).toBe('shopping-list');

    // A document whose content no longer matches its hash, put on the server directly (the
    // server cannot compute hashes): the receiving laptop's door refuses it.
    const run = header('forged-run');
    const [entry] = chain(run, 1);
    if (!entry) throw new Error('no event');
    const doc = eventToDoc(entry);
    const forged = { ...doc, event: { ...doc.event, actor: { name: 'Mallory' } } };
    const put = await server.adminFetch(`/${database}/_bulk_docs`, {
      method: 'POST',
      body: JSON.stringify({ new_edits: false, docs: [forged] }),
    });
    expect(put.status).toBe(201);
    await until(
      () => b.replicator.current.refusedFromServer.some((r) => r.id === doc._id),
      'the forged document is refused by the door',
    );
    expect(b.accepted.has(doc._id)).toBe(false);
    expect(b.replicator.current.refusedFromServer.find((r) => r.id === doc._id)?.reason).toMatch(
      /altered/,
    );
    await a.replicator.close();
    await b.replicator.close();
  });
});
