// What this device sends when sync is on: every part of every record it holds, as the documents
// of src/sync/partDocs.ts, handed to the replicator's mirror once. The mirror is asked which
// documents it already has (made here, or pulled from the server), so nothing is sent twice and
// nothing pulled is sent back. Settings and private keys never leave: approvers go as public
// keys. Reads only; it never writes to this device's database.
import { Dexie } from 'dexie';
import { encodeBase64 } from '../exchange/bundle.ts';
import { emptyParts, type Parts } from '../exchange/format.ts';
import { docKinds, eventDocId, eventToDoc, revisionFor, runToDoc } from '../sync/couchDocs.ts';
import type { Mirror } from '../sync/mirrorAccess.ts';
import { partsToDocs, partKinds, type SyncDoc } from '../sync/partDocs.ts';
import { publicPart } from '../record/approverBasics.ts';
import { getDatabase, type ReconnectDatabase } from './database.ts';
import { headerOf } from './runs.ts';
import { countEvents, eventKeys as allEventKeys, eventsOfRuns } from './eventStore.ts';

const CHUNK = 2000;

export class SyncOutbox {
  /** Ids the mirror is known to hold: asked once, then remembered. */
  private readonly known = new Set<string>();
  /**
   * Hashes of events known to be both in this device's database and in the mirror. Events are
   * only ever added, never removed, so while the database holds exactly this many events it
   * holds exactly these, and there is nothing to send: the events need not be read at all.
   */
  private readonly eventsInBoth = new Set<string>();
  /** Inventories already turned into documents, by record and last change. */
  private readonly inventoriesSeen = new Map<string, string>();
  private running: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly mirror: Mirror,
    private readonly db: ReconnectDatabase = getDatabase(),
  ) {}

  /**
   * Notes documents the import door took from the mirror into this device's database (its
   * `held`): they are in both, so they are never sent back, and the next flush need not look
   * for them.
   */
  noteHeld(ids: readonly string[]): void {
    for (const id of ids) {
      this.known.add(id);
      if (id.startsWith(docKinds.event.prefix)) this.eventsInBoth.add(id.slice(-64));
    }
  }

  /** Sends what the mirror lacks; calls queue, so two never overlap. Returns how many went. */
  flush(): Promise<number> {
    const next = this.running.then(() => this.sendNew());
    this.running = next.catch(() => 0);
    return next;
  }

  /** Of candidate ids, the ones the mirror lacks (asking it about ids not yet known). */
  private async missing(ids: string[]): Promise<Set<string>> {
    const ask = ids.filter((id) => !this.known.has(id));
    const lacking = new Set<string>();
    for (let i = 0; i < ask.length; i += CHUNK) {
      const slice = ask.slice(i, i + CHUNK);
      const held = await this.mirror.has(slice);
      for (const id of slice) {
        if (held.has(id)) this.known.add(id);
        else lacking.add(id);
      }
    }
    return lacking;
  }

  private async sendNew(): Promise<number> {
    const db = this.db;
    const docs: SyncDoc[] = [];

    // Run headers and events: by key, without reading what the mirror already holds.
    const runIds = await db.runs.toCollection().primaryKeys();
    const newRuns = await this.missing(runIds.map((id) => `run:${id}`));
    if (newRuns.size > 0) {
      const rows = await db.runs.bulkGet(runIds.filter((id) => newRuns.has(`run:${id}`)));
      for (const row of rows) if (row) docs.push(runToDoc(headerOf(row)) as unknown as SyncDoc);
    }
    // Every event's key only when the database holds events this outbox does not know of.
    const eventKeys: { runId: string; hash: string }[] = [];
    if ((await countEvents(db)) !== this.eventsInBoth.size)
      eventKeys.push(...(await allEventKeys(db)));
    const newEvents = await this.missing(eventKeys.map((k) => eventDocId(k.runId, k.hash)));
    if (newEvents.size > 0) {
      // Read run by run (a run's events are a few rows), keeping those the mirror lacks.
      const runs = [
        ...new Set(
          eventKeys.filter((k) => newEvents.has(eventDocId(k.runId, k.hash))).map((k) => k.runId),
        ),
      ];
      for (let i = 0; i < runs.length; i += CHUNK)
        for (const e of await eventsOfRuns(db, runs.slice(i, i + CHUNK)))
          if (newEvents.has(eventDocId(e.runId, e.hash)))
            docs.push(eventToDoc(e) as unknown as SyncDoc);
    }

    // Checklists, by content hash.
    const hashes = await db.checklists.toCollection().primaryKeys();
    const newChecklists = await this.missing(hashes.map((h) => `${partKinds.checklist}${h}`));
    const parts: Parts = emptyParts();
    if (newChecklists.size > 0)
      for (const c of await db.checklists.bulkGet(
        hashes.filter((h) => newChecklists.has(`${partKinds.checklist}${h}`)),
      ))
        if (c)
          parts.checklists.push({
            contentHash: c.contentHash,
            definition: c.definition as unknown as Parts['checklists'][number]['definition'],
          });

    // Inventories: turned into documents again only when they changed.
    for (const inv of await db.inventories.toArray()) {
      if (this.inventoriesSeen.get(inv.orgRunId) === inv.updatedAt) continue;
      parts.inventories.push(inv);
    }
    // The small parts: read whole each time.
    const files = await db.files.toArray();
    parts.files = files.map(({ blob: _blob, ...meta }) => meta);
    parts.signedRecords = await db.signedRecords.toArray();
    parts.approvers = (await db.approvers.toArray()).map(publicPart);
    parts.resolutions = await db.resolutions.toArray();
    const partDocs = partsToDocs(parts);
    const lacking = await this.missing(partDocs.map((d) => d._id));
    for (const d of partDocs) if (lacking.has(d._id)) docs.push(d);

    // A file's bytes, once per SHA-256, only when the mirror lacks them.
    const blobIds = [...new Set(files.map((f) => f.sha256))].map((s) => `${partKinds.blob}${s}`);
    const newBlobs = await this.missing(blobIds);
    for (const f of files) {
      const id = `${partKinds.blob}${f.sha256}`;
      if (!newBlobs.has(id)) continue;
      newBlobs.delete(id);
      const item = {
        sha256: f.sha256,
        base64: encodeBase64(new Uint8Array(await f.blob.arrayBuffer())),
      };
      docs.push({ _id: id, _rev: revisionFor(f.sha256), type: 'blob', hash: f.sha256, item });
    }

    sortForSending(docs);
    await this.mirror.send(docs);
    for (const d of docs) this.known.add(d._id);
    // Every event read above is now in the mirror (it was, or has just been sent).
    for (const k of eventKeys) this.eventsInBoth.add(k.hash);
    for (const inv of parts.inventories) this.inventoriesSeen.set(inv.orgRunId, inv.updatedAt);
    return docs.length;
  }
}

/**
 * The order documents go to the server in, which is the order other laptops pull them in (a
 * CouchDB changes feed follows the order of writes). Parents before children, so a reader never
 * sees an event before its record's header: checklists first, then record by record
 * (organisation records first) its header and its events in order, then the other parts. Keeping
 * each record together matters for pulling: the door takes a batch of thousands of documents at a
 * time, and a batch that holds whole records merges each once, where one that holds a slice of
 * every record (all first events, then all second events…) moves every record on again with each
 * batch.
 */
export function sortForSending(docs: SyncDoc[]): SyncDoc[] {
  const runOf = (d: SyncDoc): string => {
    const runId = d.type === 'run' ? (d.header as { runId?: unknown } | undefined)?.runId : d.runId;
    return typeof runId === 'string' ? runId : '';
  };
  const organisations = new Set<string>();
  for (const d of docs)
    if (d.type === 'run' && (d.header as { kind?: unknown } | undefined)?.kind === 'organisation')
      organisations.add(runOf(d));
  const group = (d: SyncDoc) =>
    d.type === 'checklist'
      ? 0
      : d.type === 'run' || d.type === 'event'
        ? organisations.has(runOf(d))
          ? 1
          : 2
        : 3;
  const seq = (d: SyncDoc) => (d.type === 'event' && typeof d.seq === 'number' ? d.seq : 0);
  return docs.sort((a, b) => {
    const byGroup = group(a) - group(b);
    if (byGroup !== 0 || group(a) === 0 || group(a) === 3) return byGroup;
    const ra = runOf(a);
    const rb = runOf(b);
    // A header's seq is 0: it goes before its record's first event.
    return ra < rb ? -1 : ra > rb ? 1 : seq(a) - seq(b);
  });
}

/** Calls `onChange` after any change to this device's database, from this tab or another. */
export function watchDatabase(onChange: () => void): () => void {
  const listener = () => {
    onChange();
  };
  Dexie.on('storagemutated', listener);
  return () => {
    Dexie.on('storagemutated').unsubscribe(listener);
  };
}
