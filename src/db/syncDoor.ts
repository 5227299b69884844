// What sync pulls goes through the same door as a bundle (merge.ts: verify, then merge, all or
// nothing). Documents arrive in batches, in the server's order, so a batch may hold an event
// whose earlier events, or whose record's header or checklist, have not arrived yet. This module
// checks each document (partDocs.ts), leaves out events this device already holds, gathers for
// every record a batch touches what the door needs (from this device's database, and from the
// local mirror of the server only what the batch lacks: a header, events of a chain that is not
// whole, a checklist, a file's bytes), and holds back — as "pending", retried with every later batch —
// what is not complete yet. A document that fails its own check, or a record the door refuses,
// is reported and never written.
import { canonicalJson } from '../checklist/canonical.ts';
import { tips } from '../exchange/forks.ts';
import { emptyParts, type Manifest, type Parts } from '../exchange/format.ts';
import type { LogEntry } from '../run/log.ts';
import { genesisHash } from '../run/log.ts';
import {
  docKinds,
  docToEvent,
  docToRun,
  eventDocId,
  revisionFor,
  runEventRange,
} from '../sync/couchDocs.ts';
import type { MirrorReader } from '../sync/mirrorAccess.ts';
import { docsToParts, partKinds, type RefusedDoc } from '../sync/partDocs.ts';
import { getDatabase, type ReconnectDatabase, type RunRow } from './database.ts';
import { eventTable, eventsOfRuns, runEvents } from './eventStore.ts';
import { MergeRefusedError, mergeParts, type MergeSource } from './merge.ts';
import { headerOf } from './runs.ts';

/** What waits for something that has not arrived: records by id, other documents by id. */
export interface Pending {
  runIds: string[];
  docIds: string[];
}

export interface DoorResult {
  refused: RefusedDoc[];
  pending: Pending;
  /** Records (run ids) merged by this call: new, moved on, or with a new branch. */
  merged: string[];
  /**
   * Ids of mirror documents (events, record headers) whose content this device's database now
   * holds: what the outbox need not send (see SyncOutbox.noteHeld).
   */
  held: string[];
}

interface RunWork {
  runId: string;
  header: Parts['runs'][number];
  events: LogEntry[];
}

/** The branch end to name as the run's head (see the comment in `headFor`). */
function headFor(events: LogEntry[], localHead: string | undefined): Manifest['heads'][number] {
  const ends = tips(events).sort((a, b) => b.seq - a.seq || (a.hash < b.hash ? -1 : 1));
  const byHash = new Map(events.map((e) => [e.hash, e]));
  const reaches = (tip: LogEntry, target: string) => {
    let at: LogEntry | undefined = tip;
    while (at) {
      if (at.hash === target) return true;
      at = at.seq > 1 ? byHash.get(at.prevHash) : undefined;
    }
    return false;
  };
  // The end that grows from what this device shows (so it moves on), else the longest: every
  // laptop picks the same one, and any other branch is stored and shows as a fork.
  const pick =
    (localHead ? ends.find((t) => reaches(t, localHead)) : undefined) ?? ends[0] ?? undefined;
  return pick
    ? { runId: pick.runId, seq: pick.seq, hash: pick.hash }
    : { runId: '', seq: 0, hash: '' };
}

function groupByRun(events: Iterable<LogEntry>): Map<string, LogEntry[]> {
  const byRun = new Map<string, LogEntry[]>();
  for (const e of events) {
    let list = byRun.get(e.runId);
    if (!list) byRun.set(e.runId, (list = []));
    list.push(e);
  }
  return byRun;
}

/**
 * Takes a batch of pulled documents through the door. `pending` is what earlier batches held
 * back; the result says what is still held back, to pass to the next call.
 *
 * Built for batches of thousands: this device's database is read a few times per batch (never
 * per record), and the mirror only for what is not whole without it (a record an earlier batch
 * held back, or one whose events arrived out of order). Every document is still checked against
 * its hash once, here, and every record still passes mergeParts' checks before it is written.
 */
export async function receiveDocs(
  docs: readonly unknown[],
  mirror: MirrorReader,
  pending: Pending,
  source: MergeSource,
  db: ReconnectDatabase = getDatabase(),
): Promise<DoorResult> {
  const retried = await mirror.get(pending.docIds);
  const { parts: incoming, refused, origin } = docsToParts([...docs, ...retried]);
  const stillPending: Pending = { runIds: [], docIds: [] };
  const held: string[] = [];
  const wasPending = new Set(pending.runIds);

  // Events this device holds already were merged before (the door and this device's own work
  // are the only writers of events): they need nothing more. Records named by this batch, read
  // once.
  const named = new Set([...wasPending, ...incoming.runs.map((r) => r.runId)]);
  for (const e of incoming.events) named.add(e.runId);
  for (const f of incoming.files) named.add(f.runId);
  for (const r of incoming.signedRecords) named.add(r.runId);
  for (const r of incoming.resolutions) named.add(r.runId);
  const [stored, localRows] = await db.transaction('r', [eventTable(db), db.runs], async () => {
    const rows = await db.runs.bulkGet([...named]);
    return [await storedHashes(db, incoming.events, rows), rows] as const;
  });
  const localRuns = new Map(localRows.filter((r) => r !== undefined).map((r) => [r.runId, r]));
  /** Records whose stored events were read into `stored`. */
  const readRuns = new Set(
    incoming.events.flatMap((e) => (localRuns.has(e.runId) ? [e.runId] : [])),
  );
  const fresh: LogEntry[] = [];
  for (const e of incoming.events) {
    if (stored.has(e.hash)) held.push(eventDocId(e.runId, e.hash));
    else fresh.push(e);
  }

  // The records to work on: those with new events, new headers, or waiting from before. A
  // header this device holds the same of needs nothing; a different one goes on to the door,
  // which refuses it.
  const touched = new Set([...wasPending, ...fresh.map((e) => e.runId)]);
  const headers = new Map<string, Parts['runs'][number]>();
  for (const r of incoming.runs) {
    headers.set(r.runId, r);
    const local = localRuns.get(r.runId);
    if (local && canonicalJson(headerOf(local)) === canonicalJson(r)) held.push(`run:${r.runId}`);
    else touched.add(r.runId);
  }
  for (const list of [incoming.files, incoming.signedRecords, incoming.resolutions])
    for (const item of list) if (!localRuns.has(item.runId)) touched.add(item.runId);
  const missingHeaders = [...touched].filter((id) => !headers.has(id) && !localRuns.has(id));
  for (const doc of await mirror.get(missingHeaders.map((id) => `run:${id}`))) {
    const read = docToRun(doc);
    if (read.ok) headers.set(read.value.runId, read.value);
    else refused.push({ id: read.id, reason: read.reason });
  }

  const freshByRun = groupByRun(fresh);
  const work: RunWork[] = [];
  for (const runId of touched) {
    const local = localRuns.get(runId);
    const header = headers.get(runId) ?? (local ? headerOf(local) : undefined);
    if (!header) stillPending.runIds.push(runId);
    else work.push({ runId, header, events: freshByRun.get(runId) ?? [] });
  }

  // A record is merged only when its chain is whole: each event's predecessor is here or stored.
  const batchHashes = new Set(fresh.map((e) => e.hash));
  const lookUpStored = async (events: LogEntry[]) => {
    // A predecessor is of the same record: read the records held here not read yet.
    const ask = events.filter(
      (e) =>
        e.seq > 1 &&
        !batchHashes.has(e.prevHash) &&
        !stored.has(e.prevHash) &&
        !readRuns.has(e.runId),
    );
    const rows = [...new Set(ask.map((e) => e.runId))].map((id) => localRuns.get(id));
    for (const row of rows) if (row) readRuns.add(row.runId);
    if (ask.length > 0) for (const hash of await storedHashes(db, ask, rows)) stored.add(hash);
  };
  const isWhole = (w: RunWork, hashes: ReadonlySet<string>) =>
    w.events.every((e) => e.seq === 1 || hashes.has(e.prevHash) || stored.has(e.prevHash));
  await lookUpStored(fresh);
  // What is not whole from this batch alone, and what waited: with the events the mirror holds
  // of it (those that came in earlier batches and were held back).
  const readFromMirror: LogEntry[] = [];
  for (const w of work) {
    if (!wasPending.has(w.runId) && isWhole(w, batchHashes)) continue;
    const have = new Set(w.events.map((e) => e.hash));
    for (const doc of await mirror.range(runEventRange(w.runId))) {
      const read = docToEvent(doc);
      if (!read.ok) refused.push({ id: read.id, reason: read.reason });
      else if (read.value.runId === w.runId && !have.has(read.value.hash)) {
        have.add(read.value.hash);
        w.events.push(read.value);
        readFromMirror.push(read.value);
        batchHashes.add(read.value.hash);
      }
    }
  }
  await lookUpStored(readFromMirror);

  const checklistHashes = new Set(
    (await db.checklists.bulkGet([...new Set(work.map((w) => w.header.checklist.contentHash))]))
      .filter((c) => c !== undefined)
      .map((c) => c.contentHash),
  );
  const parts = emptyParts();
  const heads: Manifest['heads'] = [];
  const needChecklists = new Set<string>();
  const ready = new Set<string>();
  const whole = work.filter((w) => {
    if (isWhole(w, batchHashes)) return true;
    stillPending.runIds.push(w.runId);
    return false;
  });
  // The stored events of records that move on here: the head is chosen among all of them.
  const movingOn = whole.filter((w) => localRuns.get(w.runId)?.head.seq);
  const localEvents = groupByRun(
    movingOn.length > 0
      ? await eventsOfRuns(
          db,
          movingOn.map((w) => w.runId),
        )
      : [],
  );
  for (const w of whole) {
    ready.add(w.runId);
    parts.runs.push(w.header);
    parts.events.push(...w.events);
    const local = localRuns.get(w.runId);
    const all = new Map([...(localEvents.get(w.runId) ?? []), ...w.events].map((e) => [e.hash, e]));
    const head = headFor([...all.values()], local?.head.seq ? local.head.hash : undefined);
    if (head.seq > 0) heads.push(head);
    if (!checklistHashes.has(w.header.checklist.contentHash))
      needChecklists.add(w.header.checklist.contentHash);
  }
  // Checklists the records pin: from the batch, else from the mirror, else wait for them.
  const carried = new Set(incoming.checklists.map((c) => c.contentHash));
  const fromMirror = docsToParts(
    await mirror.get(
      [...needChecklists].filter((h) => !carried.has(h)).map((h) => `${partKinds.checklist}${h}`),
    ),
  );
  refused.push(...fromMirror.refused);
  parts.checklists = [...incoming.checklists, ...fromMirror.parts.checklists];
  const haveChecklist = new Set(parts.checklists.map((c) => c.contentHash));
  for (const hash of needChecklists)
    if (!haveChecklist.has(hash))
      for (const w of work)
        if (ready.has(w.runId) && w.header.checklist.contentHash === hash) {
          ready.delete(w.runId);
          stillPending.runIds.push(w.runId);
        }
  parts.runs = parts.runs.filter((r) => ready.has(r.runId));
  parts.events = parts.events.filter((e) => ready.has(e.runId));
  const headsReady = heads.filter((h) => ready.has(h.runId));

  // The other parts follow their record: they wait while it waits.

  const hold = (item: object) => {
    const id = origin.get(item);
    if (id) stillPending.docIds.push(id);
  };
  // A part of a record stored here goes with that record's header: the door checks it there.
  const orgKnown = async (runId: string) => {
    if (ready.has(runId)) return true;
    const row = localRuns.get(runId) ?? (await db.runs.get(runId));
    if (!row) return false;
    localRuns.set(runId, row);
    if (!parts.runs.some((r) => r.runId === runId)) parts.runs.push(headerOf(row));
    return true;
  };
  for (const inv of incoming.inventories) {
    if (await orgKnown(inv.orgRunId)) parts.inventories.push(inv);
    else for (const d of inv.devices) hold(d);
  }
  const blobs = new Map(incoming.blobs.map((b) => [b.sha256, b]));
  const needBlobs = incoming.files.filter((f) => !blobs.has(f.sha256)).map((f) => f.sha256);
  for (const b of docsToParts(await mirror.get(needBlobs.map((s) => `${partKinds.blob}${s}`))).parts
    .blobs)
    blobs.set(b.sha256, b);
  for (const f of incoming.files) {
    if ((await orgKnown(f.runId)) && blobs.has(f.sha256)) parts.files.push(f);
    else hold(f);
  }
  parts.blobs = [...blobs.values()].filter((b) => parts.files.some((f) => f.sha256 === b.sha256));
  // A signed record goes in with the sign-off that locked its record: until that event is here
  // (it may come in a later batch), the record waits instead of being refused for good.
  const locks = (events: readonly LogEntry[], r: Parts['signedRecords'][number]) =>
    events.some(
      (e) =>
        e.runId === r.runId && e.event.type === 'run.lock' && e.event.recordDigest === r.digest,
    );
  for (const r of incoming.signedRecords) {
    const locked =
      (await orgKnown(r.runId)) &&
      (locks(parts.events, r) || locks(await runEvents(db, r.runId), r));
    if (locked) parts.signedRecords.push(r);
    else hold(r);
  }
  for (const r of incoming.resolutions) {
    if (await orgKnown(r.runId)) parts.resolutions.push(r);
    else hold(r);
  }
  parts.approvers = incoming.approvers;

  const merged = await mergeWithFallback(parts, headsReady, source, db, refused);
  const mergedRuns = new Set(merged);
  for (const e of parts.events) if (mergedRuns.has(e.runId)) held.push(eventDocId(e.runId, e.hash));
  for (const r of parts.runs) if (mergedRuns.has(r.runId)) held.push(`run:${r.runId}`);
  return { refused, pending: dedupe(stillPending), merged, held };
}

/**
 * Of these documents (ids with the revisions asked about), the events and record headers this
 * device's database holds with exactly that content: the event of that hash, the header of that
 * genesis hash. The pull need not fetch them (a laptop does not download its own work back). A
 * different revision under the same id is not held: it is fetched, and the door refuses it.
 */
export async function heldByDevice(
  revs: Record<string, string[]>,
  db: ReconnectDatabase = getDatabase(),
): Promise<Set<string>> {
  const held = new Set<string>();
  /** Event ids asked about, by the hash they end with, and each one's record. */
  const events = new Map<string, { id: string; runId: string }[]>();
  const runs = new Map<string, string>();
  for (const [id, asked] of Object.entries(revs)) {
    if (asked.length !== 1) continue;
    const [rev] = asked;
    if (id.startsWith(docKinds.event.prefix)) {
      const hash = id.slice(-64);
      const runId = id.slice(docKinds.event.prefix.length, -65);
      if (/^[0-9a-f]{64}$/.test(hash) && rev === revisionFor(hash) && runId)
        events.set(hash, [...(events.get(hash) ?? []), { id, runId }]);
    } else if (id.startsWith(docKinds.run.prefix) && rev)
      runs.set(id.slice(docKinds.run.prefix.length), rev);
  }
  if (events.size === 0 && runs.size === 0) return held;
  const runIds = new Set(runs.keys());
  for (const list of events.values()) for (const e of list) runIds.add(e.runId);
  await db.transaction('r', [eventTable(db), db.runs], async () => {
    // The headers first: an event is stored only with its record's header (the door writes both
    // in one transaction, and a save needs the record), so only the events of records held here
    // are looked for in the hash index. A first pull holds none, and each hash looked for costs
    // a step of the index's cursor: 10,000 of them took over 2 s.
    const ids = [...runIds];
    const rows = await db.runs.bulkGet(ids);
    const local = new Set<string>();
    for (const [i, row] of rows.entries()) {
      if (!row) continue;
      local.add(ids[i] ?? '');
      if (runs.get(row.runId) === revisionFor(genesisHash(headerOf(row))))
        held.add(`${docKinds.run.prefix}${row.runId}`);
    }
    const wanted = [...events].filter(([, list]) => list.some((e) => local.has(e.runId)));
    if (wanted.length === 0) return;
    // One read of the hash index; a pack holding several of the hashes is read once.
    const packs = await eventTable(db)
      .where('hashes')
      .anyOf(wanted.map(([hash]) => hash))
      .distinct()
      .toArray();
    for (const pack of packs)
      for (const e of pack.events) {
        // The id names the record too: held only if the stored event is of that record.
        const id = eventDocId(e.runId, e.hash);
        if (events.get(e.hash)?.some((asked) => asked.id === id)) held.add(id);
      }
  });
  return held;
}

/**
 * Of these events, the hashes of those this device's database holds. An event is stored only
 * with its record's header (the door writes both in one transaction, and a save needs the
 * record), so only records held here are read: each with one read of its packs, not a walk
 * that jumps from hash to hash and waits for the database at every jump.
 */
async function storedHashes(
  db: ReconnectDatabase,
  events: readonly LogEntry[],
  localRows: readonly (RunRow | undefined)[],
): Promise<Set<string>> {
  const held = new Set(localRows.flatMap((r) => (r ? [r.runId] : [])));
  const runIds = [...new Set(events.map((e) => e.runId))].filter((id) => held.has(id));
  return new Set((await eventsOfRuns(db, runIds)).map((e) => e.hash));
}

function dedupe(p: Pending): Pending {
  return { runIds: [...new Set(p.runIds)], docIds: [...new Set(p.docIds)] };
}

/**
 * Merges everything at once; if the door refuses, merges record by record so that one bad
 * record does not hold back the others, and reports the one refused.
 */
async function mergeWithFallback(
  parts: Parts,
  heads: Manifest['heads'],
  source: MergeSource,
  db: ReconnectDatabase,
  refused: RefusedDoc[],
): Promise<string[]> {
  const empty = Object.values(parts).every((list: unknown[]) => list.length === 0);
  if (empty) return [];
  try {
    await mergeParts(parts, heads, source, { db });
    return parts.runs.map((r) => r.runId);
  } catch (error) {
    if (!(error instanceof MergeRefusedError)) throw error;
    if (parts.runs.length <= 1) {
      refused.push({
        id: parts.runs[0] ? `run:${parts.runs[0].runId}` : '(a batch)',
        reason: error.message,
      });
      return [];
    }
  }
  const merged: string[] = [];
  // Organisation records first: device records and the other parts may depend on them.
  const runs = [...parts.runs].sort((a, b) =>
    a.kind === b.kind ? 0 : a.kind === 'organisation' ? -1 : 1,
  );
  for (const run of runs) {
    const one = emptyParts();
    one.runs = [run];
    one.events = parts.events.filter((e) => e.runId === run.runId);
    one.checklists = parts.checklists.filter((c) => c.contentHash === run.checklist.contentHash);
    one.files = parts.files.filter((f) => f.runId === run.runId);
    one.blobs = parts.blobs.filter((b) => one.files.some((f) => f.sha256 === b.sha256));
    one.signedRecords = parts.signedRecords.filter((r) => r.runId === run.runId);
    one.resolutions = parts.resolutions.filter((r) => r.runId === run.runId);
    one.inventories = parts.inventories.filter((i) => i.orgRunId === run.runId);
    try {
      await mergeParts(
        one,
        heads.filter((h) => h.runId === run.runId),
        source,
        { db },
      );
      merged.push(run.runId);
    } catch (error) {
      if (!(error instanceof MergeRefusedError)) throw error;
      refused.push({ id: `run:${run.runId}`, reason: error.message });
    }
  }
  const rest = emptyParts();
  rest.approvers = parts.approvers;
  const placed = new Set(runs.map((r) => r.runId));
  rest.inventories = parts.inventories.filter((i) => !placed.has(i.orgRunId));
  rest.files = parts.files.filter((f) => !placed.has(f.runId));
  rest.blobs = parts.blobs.filter((b) => rest.files.some((f) => f.sha256 === b.sha256));
  rest.signedRecords = parts.signedRecords.filter((r) => !placed.has(r.runId));
  rest.resolutions = parts.resolutions.filter((r) => !placed.has(r.runId));
  try {
    await mergeParts(rest, [], source, { db });
  } catch (error) {
    if (!(error instanceof MergeRefusedError)) throw error;
    refused.push({ id: '(approvers, inventory and files)', reason: error.message });
  }
  return merged;
}
