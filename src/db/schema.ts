// The list of schema versions. Versions are only ever appended: an installed app may hold
// data in any earlier shape, and Dexie upgrades it step by step through this list. Tests open
// frozen copies of old shapes (test/db/) and check each upgrade.
import type { Transaction } from 'dexie';
import type { LogEntry } from '../run/log.ts';
import { packsOf } from './eventPacks.ts';

export interface SchemaVersion {
  version: number;
  /** Dexie store declarations: primary key first, then indexes. */
  stores: Record<string, string | null>;
  /** Rewrites data written by the previous version, inside the upgrade transaction. */
  upgrade?: (tx: Transaction) => Promise<void> | void;
}

export const schemaVersions: SchemaVersion[] = [
  {
    version: 1,
    stores: {
      settings: 'key',
    },
  },
  {
    // Records: runs (a cached snapshot each), their append-only event logs, the checklist
    // definitions they pin, and attached evidence files. Settings gain a change time.
    version: 2,
    stores: {
      settings: 'key',
      checklists: 'contentHash, id',
      runs: 'runId, updatedAt, kind, parentRunId',
      events: '[runId+seq], runId',
      files: 'id, runId, sha256',
    },
    upgrade: async (tx) => {
      const upgradedAt = new Date().toISOString();
      await tx
        .table('settings')
        .toCollection()
        .modify((row: { updatedAt?: string }) => {
          row.updatedAt ??= upgradedAt;
        });
    },
  },
  {
    // The device inventory of each organisation record, stored as one row (a 10,000-device
    // import is one write, not 10,000), and a small row per device once its clearance starts
    // (its run and cached status, kept in step with the run in the same transaction).
    version: 3,
    stores: {
      settings: 'key',
      checklists: 'contentHash, id',
      runs: 'runId, updatedAt, kind, parentRunId',
      events: '[runId+seq], runId',
      files: 'id, runId, sha256',
      inventories: 'orgRunId',
      deviceStates: 'deviceId, orgRunId',
    },
  },
  {
    // Approvers registered on this device (their signing keys, wrapped under a passphrase),
    // and the signed completion records.
    version: 4,
    stores: {
      settings: 'key',
      checklists: 'contentHash, id',
      runs: 'runId, updatedAt, kind, parentRunId',
      events: '[runId+seq], runId',
      files: 'id, runId, sha256',
      inventories: 'orgRunId',
      deviceStates: 'deviceId, orgRunId',
      approvers: 'id',
      signedRecords: 'recordId, runId',
    },
  },
  {
    // Events keyed by their hash, so two events with the same place in a run (a fork: two
    // laptops that both added to the run from the same point) can be kept side by side. IndexedDB
    // cannot change a store's key, so the events step aside into a store of their own here…
    version: 5,
    stores: {
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
    },
    upgrade: async (tx) => {
      await moveAll(tx, 'events', 'eventsMoving');
    },
  },
  {
    // …and come back under their hash, with their place in the run as a (no longer unique)
    // index. Fork resolutions (which branch a person kept, and what was replayed on top) and
    // the history of hand-offs arrive with them.
    version: 6,
    stores: {
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
    },
    upgrade: async (tx) => {
      await moveAll(tx, 'eventsMoving', 'events');
    },
  },
  {
    // Events in packs: one row holds one or more consecutive events of one branch of a run,
    // keyed by the first one's hash, found by run and place, and by any event's hash (a unique
    // index: an event is stored once). A save writes a pack of one event, an import a pack per
    // branch: IndexedDB's cost is per row, so a large import is a few thousand rows, not tens
    // of thousands. Two branches of a fork are two packs whose places overlap.
    version: 7,
    stores: {
      settings: 'key',
      checklists: 'contentHash, id',
      runs: 'runId, updatedAt, kind, parentRunId',
      events: null,
      eventPacks: 'firstHash, [runId+first+last], &*hashes',
      files: 'id, runId, sha256',
      inventories: 'orgRunId',
      deviceStates: 'deviceId, orgRunId',
      approvers: 'id',
      signedRecords: 'recordId, runId',
      resolutions: 'id, runId',
      exchanges: 'id, at',
    },
    upgrade: async (tx) => {
      await packAll(tx);
    },
  },
];

/**
 * Moves every stored event into packs, run by run: each branch of a run becomes one pack (as an
 * import writes them), so a record stored before this version reads as few rows as one imported
 * after it, and the upgrade itself writes few rows. One run's events are held at a time.
 */
async function packAll(tx: Transaction): Promise<void> {
  const source = tx.table('events');
  const target = tx.table('eventPacks');
  const runIds = (await source.orderBy('runId').uniqueKeys()) as string[];
  for (const runId of runIds) {
    const events = (await source.where('runId').equals(runId).toArray()) as LogEntry[];
    await target.bulkAdd(packsOf(events));
  }
}

/** Copies every row of one store into another, in pages, inside the upgrade transaction. */
async function moveAll(tx: Transaction, from: string, to: string): Promise<void> {
  const source = tx.table(from);
  const target = tx.table(to);
  const page = 5000;
  for (let offset = 0; ; offset += page) {
    const rows: unknown[] = await source.offset(offset).limit(page).toArray();
    if (rows.length === 0) break;
    await target.bulkPut(rows);
  }
}

export const latestSchemaVersion = schemaVersions[schemaVersions.length - 1]?.version ?? 0;
