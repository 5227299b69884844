// The database exactly as schema version 4 shipped it (adds approvers and signed records;
// events keyed by their place in the run). Never edit.
import { Dexie } from 'dexie';
import { openVersion3 } from './v3.ts';

export function openVersion4(name: string): Dexie {
  const db = openVersion3(name);
  db.version(4).stores({
    settings: 'key',
    checklists: 'contentHash, id',
    runs: 'runId, updatedAt, kind, parentRunId',
    events: '[runId+seq], runId',
    files: 'id, runId, sha256',
    inventories: 'orgRunId',
    deviceStates: 'deviceId, orgRunId',
    approvers: 'id',
    signedRecords: 'recordId, runId',
  });
  return db;
}
