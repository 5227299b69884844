// Where events are stored: every reader and writer of events goes through here. Events are kept
// in packs: one row holds one or more consecutive events of one branch of a run (each the next
// link of the one before), keyed by its first event's hash. A save writes a pack of one event;
// an import or a merge writes one pack per branch of new events, so a record of tens of
// thousands of events costs IndexedDB a few thousand rows rather than one each (a row, not its
// size, is what a write costs). Any event is still found by its hash (an index over every hash a
// pack holds, unique: an event is stored once), and two branches of a run that share a place (a
// fork) are two packs whose places overlap. Bundles and sync documents still carry a flat list
// of events: only storage is packed.
import type { Table } from 'dexie';
import type { LogEntry } from '../run/log.ts';
import type { EventPackRow, ReconnectDatabase } from './database.ts';
import { inOrder, packOf, packsOf } from './eventPacks.ts';

export type { EventPackRow };
export { packOf, packsOf };

/** The events table, for the scope of a transaction. */
export function eventTable(db: ReconnectDatabase): Table<EventPackRow, string> {
  return db.eventPacks;
}

function flatten(packs: readonly EventPackRow[]): LogEntry[] {
  return packs.flatMap((p) => p.events).sort(inOrder);
}

/** Adds one new event (fails if it is stored already). */
export function addEvent(db: ReconnectDatabase, entry: LogEntry): Promise<unknown> {
  return db.eventPacks.add(packOf([entry]));
}

/** Adds new events, one pack per branch of each run (fails if any is stored already). */
export function addEvents(db: ReconnectDatabase, entries: readonly LogEntry[]): Promise<unknown> {
  return entries.length === 0 ? Promise.resolve() : db.eventPacks.bulkAdd(packsOf(entries));
}

function runRange(db: ReconnectDatabase, runId: string) {
  // Places are numbers: every pack of the run lies between these.
  return db.eventPacks
    .where('[runId+first+last]')
    .between([runId, -Infinity, -Infinity], [runId, Infinity, Infinity], true, true);
}

/** Every event stored for a run, every branch, in order of place (then hash). */
export async function runEvents(db: ReconnectDatabase, runId: string): Promise<LogEntry[]> {
  return flatten(await runRange(db, runId).toArray());
}

/** Every event stored for these runs, run by run, each in order of place. */
export async function eventsOfRuns(
  db: ReconnectDatabase,
  runIds: readonly string[],
): Promise<LogEntry[]> {
  return (await Promise.all(runIds.map((id) => runEvents(db, id)))).flat();
}

/** The stored events with these hashes, in the same order (undefined where not stored). */
export async function eventsByHash(
  db: ReconnectDatabase,
  hashes: readonly string[],
): Promise<(LogEntry | undefined)[]> {
  if (hashes.length === 0) return [];
  const found = new Map<string, LogEntry>();
  const wanted = new Set(hashes);
  // Most events asked for open a pack (a save's, or a branch's first): got by key in one go.
  const byKey = await db.eventPacks.bulkGet([...wanted]);
  const seen = new Set<string>();
  for (const pack of byKey)
    if (pack && !seen.has(pack.firstHash)) {
      seen.add(pack.firstHash);
      for (const e of pack.events) if (wanted.has(e.hash)) found.set(e.hash, e);
    }
  const rest = [...wanted].filter((h) => !found.has(h));
  if (rest.length > 0)
    for (const pack of await db.eventPacks.where('hashes').anyOf(rest).toArray())
      for (const e of pack.events) if (wanted.has(e.hash)) found.set(e.hash, e);
  return hashes.map((h) => found.get(h));
}

/** The run and hash of every stored event, without reading the events themselves. */
export async function eventKeys(db: ReconnectDatabase): Promise<{ runId: string; hash: string }[]> {
  const keys: { runId: string; hash: string }[] = [];
  const runOf = new Map<string, string>();
  await db.eventPacks.orderBy('[runId+first+last]').eachKey((key, cursor) => {
    runOf.set(cursor.primaryKey, (key as unknown as [string, number, number])[0]);
  });
  await db.eventPacks.orderBy('hashes').eachKey((hash, cursor) => {
    keys.push({ runId: runOf.get(cursor.primaryKey) ?? '', hash: hash as string });
  });
  return keys;
}

/** How many events are stored (not packs): one entry each in the index of hashes. */
export function countEvents(db: ReconnectDatabase): Promise<number> {
  return db.eventPacks.orderBy('hashes').count();
}

/** Deletes every event of a run. */
export function deleteRunEvents(db: ReconnectDatabase, runId: string): Promise<number> {
  return runRange(db, runId).delete();
}

/**
 * Runs that hold two events at one place (a fork), read from the packs' keys alone: within a
 * run, the places two packs cover overlap only where two branches share a place.
 */
export async function forkedRuns(db: ReconnectDatabase): Promise<Set<string>> {
  const keys = (await db.eventPacks.orderBy('[runId+first+last]').keys()) as unknown as [
    string,
    number,
    number,
  ][];
  const forked = new Set<string>();
  let run: string | undefined;
  let reach = 0;
  for (const [runId, first, last] of keys) {
    if (runId !== run) {
      run = runId;
      reach = last;
      continue;
    }
    if (first <= reach) forked.add(runId);
    reach = Math.max(reach, last);
  }
  return forked;
}

/** Every stored event, run by run in order of place (for backups and checks). */
export async function allEvents(db: ReconnectDatabase): Promise<LogEntry[]> {
  const packs = await db.eventPacks.orderBy('[runId+first+last]').toArray();
  const out: LogEntry[] = [];
  let i = 0;
  while (i < packs.length) {
    let j = i;
    while (j < packs.length && packs[j]?.runId === packs[i]?.runId) j++;
    out.push(...flatten(packs.slice(i, j)));
    i = j;
  }
  return out;
}
