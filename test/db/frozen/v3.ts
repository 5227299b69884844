// The database exactly as schema version 3 shipped it (adds the device inventory). Never edit.
import { Dexie } from 'dexie';
import { openVersion2 } from './v2.ts';

export function openVersion3(name: string): Dexie {
  const db = openVersion2(name);
  db.version(3).stores({
    settings: 'key',
    checklists: 'contentHash, id',
    runs: 'runId, updatedAt, kind, parentRunId',
    events: '[runId+seq], runId',
    files: 'id, runId, sha256',
    inventories: 'orgRunId',
    deviceStates: 'deviceId, orgRunId',
  });
  return db;
}
