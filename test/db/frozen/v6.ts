// The database exactly as schema version 6 shipped it (events keyed by their hash, one row
// each, with their place in the run as an index; fork resolutions and hand-offs). Version 5
// is the step on the way (events set aside while their key changed). Never edit.
import { Dexie } from 'dexie';
import { openVersion4 } from './v4.ts';

export function openVersion6(name: string): Dexie {
  const db = openVersion4(name);
  db.version(5).stores({
    settings: 'key',
    checklists: 'contentHash, id',
    runs: 'runId, updatedAt, kind, parentRunId',
    events: null,
    eventsMoving: 'hash',
    files: 'id, runId, sha256',
    inventories: 'orgRunId',
    deviceStates: 'deviceId, orgRunId',
    approvers: 'id',
    signedRecords: 'recordId, runId',
  });
  db.version(6).stores({
    settings: 'key',
    checklists: 'contentHash, id',
    runs: 'runId, updatedAt, kind, parentRunId',
    eventsMoving: null,
    events: 'hash, [runId+seq], runId',
    files: 'id, runId, sha256',
    inventories: 'orgRunId',
    deviceStates: 'deviceId, orgRunId',
    approvers: 'id',
    signedRecords: 'recordId, runId',
    resolutions: 'id, runId',
    exchanges: 'id, at',
  });
  return db;
}
