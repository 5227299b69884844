// The organisation database on a real CouchDB-protocol server (pouchdb-server) refuses what
// Reconnect never writes: edits, deletions, forged revisions and unknown documents. The same
// event written from two laptops is one document, never a conflict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/checklist/canonical.ts';
import { emptyParts } from '../../src/exchange/format.ts';
import { eventToDoc, runToDoc } from '../../src/sync/couchDocs.ts';
import { partsToDocs } from '../../src/sync/partDocs.ts';
import { designDocId } from '../../src/sync/designDoc.ts';
import { installDesignDoc } from '../../src/sync/installDesignDoc.ts';
import { setUpDatabase } from '../../scripts/couch-setup.ts';
import {
  createOrgDatabase,
  createUser,
  startCouchServer,
  type CouchServer,
} from '../../scripts/lib/couchServer.ts';
import { chain, header } from '../../scripts/lib/syncSample.ts';

let server: CouchServer;
const db = 'rxx-reconnect';
const tech = { name: 'sam', password: 'correct horse' };
const techAuth = `Basic ${Buffer.from(`${tech.name}:${tech.password}`).toString('base64')}`;
const adminAuth = () => server.adminAuthorization;

function asTech(path: string, init: RequestInit = {}) {
  return fetch(`${server.url}/${db}${path}`, {
    ...init,
    headers: { authorization: techAuth, 'content-type': 'application/json' },
  });
}

async function bulk(docs: unknown[]) {
  const response = await asTech('/_bulk_docs', {
    method: 'POST',
    body: JSON.stringify({ new_edits: false, docs }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; error?: string; reason?: string }[];
}

beforeAll(async () => {
  server = await startCouchServer();
  await createOrgDatabase(server, db);
  await createUser(server, tech.name, tech.password);
  const installed = await installDesignDoc(`${server.url}/${db}`, adminAuth());
  expect(installed).toEqual({ ok: true, action: 'installed' });
});

afterAll(async () => {
  await server.dispose();
});

describe('the design document', () => {
  const run = header('run-design');
  const [first, second] = chain(run, 2);
  if (!first || !second) throw new Error('no events');

  it('installs once and reports an installed copy as current', async () => {
    expect(await installDesignDoc(`${server.url}/${db}`, adminAuth())).toEqual({
      ok: true,
      action: 'already-current',
    });
    const response = await asTech(`/${designDocId}`);
    expect(response.ok).toBe(true);
  });

  it('accepts an event and a run header written with their hash revisions', async () => {
    const results = await bulk([runToDoc(run), eventToDoc(first), eventToDoc(second)]);
    expect(results.filter((r) => r.error)).toEqual([]);
    const stored = (await (await asTech(`/event:${first.runId}:${first.hash}`)).json()) as {
      _rev: string;
    };
    expect(stored._rev).toBe(`1-${first.hash.slice(0, 32)}`);
  });

  it('refuses an edit to a stored event', async () => {
    const doc = eventToDoc(first);
    const edited = { ...doc, event: { ...doc.event, actor: { name: 'Someone else' } } };
    const response = await asTech(`/${encodeURIComponent(doc._id)}`, {
      method: 'PUT',
      body: JSON.stringify(edited),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { reason: string }).reason).toMatch(/cannot be edited/);
    const kept = (await (await asTech(`/${encodeURIComponent(doc._id)}`)).json()) as {
      event: { actor: { name: string } };
    };
    expect(kept.event.actor.name).toBe('Sam Patel');
  });

  it('refuses a second revision branch of a stored event', async () => {
    const forged = { ...eventToDoc(first), _rev: '1-ffffffffffffffffffffffffffffffff' };
    const [result] = await bulk([forged]);
    expect(result?.error).toBe('forbidden');
    const doc = (await (
      await asTech(`/event:${first.runId}:${first.hash}?conflicts=true`)
    ).json()) as {
      _conflicts?: string[];
    };
    expect(doc._conflicts).toBeUndefined();
  });

  it('refuses to delete a stored event', async () => {
    const doc = eventToDoc(second);
    const response = await asTech(`/${encodeURIComponent(doc._id)}?rev=${doc._rev}`, {
      method: 'DELETE',
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { reason: string }).reason).toMatch(/never deleted/);
  });

  it('refuses an event written without its hash revision, and documents of other kinds', async () => {
    const third = chain(run, 3)[2];
    if (!third) throw new Error('no event');
    const { _rev: _dropped, ...unrevised } = eventToDoc(third);
    const put = await asTech(`/${encodeURIComponent(unrevised._id)}`, {
      method: 'PUT',
      body: JSON.stringify(unrevised),
    });
    expect(put.status).toBe(403);
    const other = await asTech('/shopping-list', { method: 'PUT', body: JSON.stringify({ a: 1 }) });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { reason: string }).reason).toMatch(/not a Reconnect document/);
  });

  it('accepts the other parts of a record, and refuses an edit of any of them', async () => {
    const parts = emptyParts();
    parts.checklists = [{ contentHash: 'c'.repeat(64), definition: { id: 'x' } }];
    const device = {
      id: 'dev-1',
      key: 'pc1',
      hostname: 'PC1',
      osRow: null,
      osBecause: 'no operating system recorded',
      source: { file: 'a.csv', line: 2, importedAt: '2017-05-15T09:00:00.000Z', importedBy: 'Sam' },
    };
    parts.inventories = [
      { orgRunId: 'org-run', updatedAt: '2017-05-15T09:00:00.000Z', devices: [device] },
    ];
    parts.blobs = [{ sha256: sha256Hex('scan'), base64: btoa('scan') }];
    const docs = partsToDocs(parts);
    expect(docs.map((d) => d.type)).toEqual(['checklist', 'device', 'blob']);
    expect((await bulk(docs)).filter((r) => r.error)).toEqual([]);
    // Another laptop's copy of the same device, with a different ward, under the first's id.
    const [, deviceDoc] = docs;
    if (!deviceDoc) throw new Error('no device document');
    const edited = {
      ...deviceDoc,
      item: { orgRunId: 'org-run', device: { ...device, location: 'Ward 9' } },
    };
    const [result] = await bulk([edited]);
    expect(result?.error).toBe('forbidden');
    expect(result?.reason).toMatch(/cannot be edited/);
  });

  it('keeps the same event written from two laptops as one document with no conflict', async () => {
    const shared = chain(header('run-shared'), 3);
    const docs = shared.map(eventToDoc);
    // Two laptops push the same events, in different batches, as replication would.
    expect((await bulk(docs)).filter((r) => r.error)).toEqual([]);
    const again = await bulk(docs.slice().reverse());
    expect(again.filter((r) => r.error && r.error !== 'forbidden')).toEqual([]);
    for (const doc of docs) {
      const stored = (await (
        await asTech(`/${encodeURIComponent(doc._id)}?conflicts=true&revs_info=true`)
      ).json()) as { _rev: string; _conflicts?: string[]; _revs_info: unknown[] };
      expect(stored._rev).toBe(doc._rev);
      expect(stored._conflicts).toBeUndefined();
      expect(stored._revs_info).toHaveLength(1);
    }
  });

  it('refuses a wrong password and an unknown user', async () => {
    const wrong = await fetch(`${server.url}/${db}`, {
      headers: { authorization: `Basic ${Buffer.from('sam:wrong').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    const anonymous = await fetch(`${server.url}/${db}`);
    expect(anonymous.status).toBe(401);
  });
});

describe('scripts/couch-setup.ts', () => {
  it('creates, secures and guards a new organisation database, and can run again', async () => {
    const options = {
      url: server.url,
      db: 'ryy-reconnect',
      admin: server.admin.name,
      password: server.admin.password,
      role: 'reconnect',
    };
    expect(await setUpDatabase(options)).toEqual([
      'created database ryy-reconnect',
      'only users with the role "reconnect" (and admins) may read or write it',
      'design document installed',
    ]);
    expect((await setUpDatabase(options))[2]).toBe('design document already-current');
    const forbidden = await fetch(`${server.url}/ryy-reconnect/shopping-list`, {
      method: 'PUT',
      headers: { authorization: techAuth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(forbidden.status).toBe(403);
    await expect(setUpDatabase({ ...options, password: 'wrong' })).rejects.toThrow(
      /admin name or password is wrong/,
    );
    await expect(setUpDatabase({ ...options, db: 'Bad Name' })).rejects.toThrow(
      /not a CouchDB database name/,
    );
  });
});
