// The database exactly as schema version 2 shipped it (records, events, files). Never edit.
import { Dexie } from 'dexie';

export function openVersion2(name: string): Dexie {
  const db = new Dexie(name);
  db.version(1).stores({ settings: 'key' });
  db.version(2).stores({
    settings: 'key',
    checklists: 'contentHash, id',
    runs: 'runId, updatedAt, kind, parentRunId',
    events: '[runId+seq], runId',
    files: 'id, runId, sha256',
  });
  return db;
}
