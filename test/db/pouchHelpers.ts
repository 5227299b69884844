// In-memory PouchDB databases for the sync door's tests (standing in for mirrors and the
// server), each destroyed after its test, and the source a pulled batch is merged under.
import PouchDB from 'pouchdb-core';
import memoryAdapter from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import { afterEach } from 'vitest';
import type { MergeSource } from '../../src/db/merge.ts';

PouchDB.plugin(memoryAdapter).plugin(replication);

export { PouchDB };

export const syncSource: MergeSource = {
  kind: 'sync',
  by: 'sync',
  device: { name: 'http://127.0.0.1:5984/trust', fingerprint: '' },
  at: '2017-05-16T09:00:00.000Z',
};

const pouches: PouchDB[] = [];

/** A fresh in-memory database, destroyed after the test that made it. */
export function pouch(name: string): PouchDB {
  const p = new PouchDB(`${name}-${crypto.randomUUID()}`, { adapter: 'memory' });
  pouches.push(p);
  return p;
}

afterEach(async () => {
  for (const p of pouches.splice(0)) await p.destroy();
});
