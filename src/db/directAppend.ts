// The common save, written straight to IndexedDB. Most actions are an organisation step's draft
// or completion: read the run, append one event, put the run back. Through Dexie that costs
// about twice what the browser itself needs (its transaction, middleware and promise layers);
// here it is one native transaction with the same strict durability and the same
// all-or-nothing outcome. IndexedDB itself orders it against every other transaction on the
// run, Dexie's or another tab's. Live queries — in this tab and in others — are then told what
// changed through Dexie's documented `storagemutated` event, with the parts Dexie would have
// reported for the same writes (its query cache is off, so they re-read; see database.ts).
// Anything unusual (a device, a fleet count, a file, a checklist not yet compiled, a database
// not open yet) is declined and goes through Dexie.
import {
  Dexie,
  RangeSet,
  type IndexableType,
  type ObservabilitySet,
  type Transaction,
} from 'dexie';
import type { LogEntry } from '../run/log.ts';
import type { ReconnectDatabase, RunRow } from './database.ts';
import { packOf } from './eventPacks.ts';

/** What the caller decides from the run as stored: what to write, or to decline. */
export type Decision = Written | 'decline';

export interface Written {
  run: RunRow;
  entry: LogEntry;
}

/**
 * Runs one readwrite transaction on runs and event packs: reads the run, asks `decide` (synchronously,
 * so the transaction stays active), writes the event and the run, and resolves once committed.
 * `whileReading` runs as soon as the read is issued, so work that does not need its answer
 * overlaps the browser's reply. Resolves `undefined` when declined (nothing written) or when
 * the database cannot be used directly here; rejects with whatever `decide` threw, or the
 * browser's error, with nothing written. The caller then calls `announce`.
 */
export function appendDirect(
  db: ReconnectDatabase,
  runId: string,
  steps: { whileReading?: () => void; decide: (run: RunRow | undefined) => Decision },
): Promise<Written | undefined> {
  let transaction: IDBTransaction;
  try {
    // Part of a larger Dexie transaction (starting a revision, signing): it must join that.
    // Not open yet (the first action after a load) or closed by another tab's upgrade: Dexie
    // knows how to open or reopen, so it takes this action.
    if ((Dexie.currentTransaction as Transaction | null) || !db.isOpen())
      return Promise.resolve(undefined);
    transaction = db
      .backendDB()
      .transaction(['runs', 'eventPacks'], 'readwrite', { durability: 'strict' });
  } catch {
    return Promise.resolve(undefined);
  }
  const tx = transaction;
  return new Promise((resolve, reject) => {
    let written: Written | undefined;
    let failure: Error | undefined;
    const fail = (error: unknown) => {
      failure = error instanceof Error ? error : new Error(String(error));
      tx.abort();
    };
    const read = tx.objectStore('runs').get(runId);
    read.onsuccess = () => {
      try {
        const decision = steps.decide(read.result as RunRow | undefined);
        if (decision === 'decline') return; // nothing written; the transaction commits empty
        // The event as a pack of one (eventStore.ts).
        tx.objectStore('eventPacks').add(packOf([decision.entry]));
        tx.objectStore('runs').put(decision.run);
        written = decision;
      } catch (error) {
        fail(error);
      }
    };
    tx.oncomplete = () => {
      resolve(written);
    };
    tx.onabort = () => {
      reject(failure ?? tx.error ?? new Error('The browser cancelled the save.'));
    };
    try {
      steps.whileReading?.();
    } catch (error) {
      fail(error);
    }
  });
}

/**
 * Tells live queries — in this tab through Dexie, in other tabs through Dexie's channel — that
 * a direct save changed the run and its log, as Dexie does after a commit of its own.
 */
export function announce(db: ReconnectDatabase, written: Written): void {
  Dexie.on('storagemutated').fire(mutatedParts(db, written));
}

/** Runs `work` now, keeping its result, or what it threw, for later. */
export function attempt<T>(work: () => T): () => T {
  try {
    const value = work();
    return () => value;
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

/** Whether two rows of a run are at the same link of its chain (so hold the same snapshot). */
export function sameHead(a: RunRow, b: RunRow): boolean {
  return (
    a.head.seq === b.head.seq &&
    a.head.hash === b.head.hash &&
    a.kind === b.kind &&
    a.checklist.contentHash === b.checklist.contentHash
  );
}

/** A decision worked out on a copy of the run, applied to the row as stored. */
export function rebase(stored: RunRow, decision: Decision): Decision {
  if (decision === 'decline') return decision;
  const { snapshot, head, progress, updatedAt, updatedBy } = decision.run;
  return {
    entry: decision.entry,
    run: { ...stored, snapshot, head, progress, updatedAt, updatedBy },
  };
}

/**
 * The last row of each organisation record this tab wrote, per connection. A newer version of
 * the app in another tab may upgrade the database, and an upgrade may rewrite rows without
 * adding an event; Dexie then opens a new connection, which starts with no rows remembered.
 */
const lastWritten = new WeakMap<IDBDatabase, Map<string, RunRow>>();

function rowsOf(db: ReconnectDatabase): Map<string, RunRow> | undefined {
  if (!db.isOpen()) return undefined;
  const connection = db.backendDB();
  let rows = lastWritten.get(connection);
  if (!rows) {
    rows = new Map();
    lastWritten.set(connection, rows);
  }
  return rows;
}

/** Runs that are not organisation records (a device's clearance): always through Dexie. */
const dexieRuns = new Set<string>();

export function usesDexie(runId: string): boolean {
  return dexieRuns.has(runId);
}

export function lastWrittenRow(db: ReconnectDatabase, runId: string): RunRow | undefined {
  return rowsOf(db)?.get(runId);
}

export function forgetRun(db: ReconnectDatabase, runId: string): void {
  rowsOf(db)?.delete(runId);
}

export function rememberRun(db: ReconnectDatabase, run: RunRow): void {
  if (run.kind !== 'organisation') {
    // A run's kind never changes, so this needs no checking; a bulk action over a large
    // estate adds one entry per device, which is kept to a bound.
    if (dexieRuns.size >= 100_000) dexieRuns.clear();
    dexieRuns.add(run.runId);
    return;
  }
  const rows = rowsOf(db);
  if (!rows) return;
  rows.delete(run.runId);
  rows.set(run.runId, run);
  for (const runId of rows.keys()) {
    if (rows.size <= 8) break;
    rows.delete(runId);
  }
}

/**
 * The parts of the database the two writes touched, as Dexie's observation layer would report
 * them for the same `add` and `put`: each row's primary key (also as possibly replaced), and the
 * new value of every index.
 */
export function mutatedParts(db: ReconnectDatabase, written: Written): ObservabilitySet {
  const parts: ObservabilitySet = {};
  touch(parts, db, 'runs', written.run.runId, written.run);
  touch(parts, db, 'eventPacks', written.entry.hash, packOf([written.entry]));
  return parts;
}

function touch(
  parts: ObservabilitySet,
  db: ReconnectDatabase,
  tableName: string,
  key: string | [string, number],
  row: object,
) {
  const prefix = `idb://${db.name}/${tableName}/`;
  const sets = new Map<string, RangeSet>();
  const add = (index: string, value: unknown) => {
    if (value === undefined || value === null) return;
    let set = sets.get(index);
    if (!set) {
      set = new RangeSet();
      sets.set(index, set);
      parts[prefix + index] = set;
    }
    set.addKey(value as IndexableType);
  };
  add('', key);
  add(':dels', key);
  for (const index of db.table(tableName).schema.indexes) {
    const path = index.keyPath;
    if (Array.isArray(path)) {
      const values = path.map((p) => Dexie.getByKeyPath(row, p) as unknown);
      if (values.every((v) => v !== undefined && v !== null)) add(index.name, values);
    } else if (path) {
      const value = Dexie.getByKeyPath(row, path) as unknown;
      if (index.multi && Array.isArray(value)) for (const v of value) add(index.name, v);
      else add(index.name, value);
    }
  }
}
