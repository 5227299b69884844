// How events are cut into the packs they are stored in (see eventStore.ts). Pure, without Dexie:
// the schema's upgrade uses it, and the schema is read by the first page, which loads no Dexie.
import type { LogEntry } from '../run/log.ts';
import type { EventPackRow } from './database.ts';

/** A pack of consecutive events of one branch of one run (in order, each linking to the last). */
export function packOf(events: LogEntry[]): EventPackRow {
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last) throw new Error('An event pack holds at least one event.');
  return {
    firstHash: first.hash,
    runId: first.runId,
    first: first.seq,
    last: last.seq,
    hashes: events.map((e) => e.hash),
    events,
  };
}

/**
 * Events cut into packs: per run, in order of place, each event joins the pack whose last event
 * it follows (the first such event only: a second one starts a branch of its own), else starts
 * a new pack.
 */
export function packsOf(entries: readonly LogEntry[]): EventPackRow[] {
  const byRun = new Map<string, LogEntry[]>();
  for (const e of entries) {
    const list = byRun.get(e.runId);
    if (list) list.push(e);
    else byRun.set(e.runId, [e]);
  }
  const packs: LogEntry[][] = [];
  for (const list of byRun.values()) {
    list.sort(inOrder);
    const open = new Map<string, LogEntry[]>();
    for (const e of list) {
      let pack = e.seq > 1 ? open.get(e.prevHash) : undefined;
      if (pack) {
        open.delete(e.prevHash);
        pack.push(e);
      } else {
        pack = [e];
        packs.push(pack);
      }
      open.set(e.hash, pack);
    }
  }
  return packs.map(packOf);
}

/** Place in the run, then hash: the order the events of a run are read in. */
export function inOrder(a: LogEntry, b: LogEntry): number {
  return a.seq - b.seq || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);
}
