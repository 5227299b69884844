// Where the pull replication writes: straight into the import door, not into the local mirror.
// PouchDB's replication takes any object as its target; this one answers the calls it makes
// (pouchdb-replication 9, pouchdb-checkpointer, pouchdb-generate-replication-id): id, revsDiff,
// bulkDocs with new_edits: false, get and put of its `_local/` checkpoint, and the 'destroyed'
// listener. Pulling through the mirror wrote every pulled document into IndexedDB twice (the
// mirror, then this device's database) and read it back in between; now each batch goes to the
// door as it arrives, and the mirror keeps only what the door could not take yet.
//
// - bulkDocs: the batch goes through the door (verify, then merge). What the door neither took
//   into this device's database nor refused (held back for a header, an earlier event, a
//   checklist or a file's bytes still to come; parts the door keeps in the mirror) is written to
//   the mirror, where the door reads it again with later batches, before the call returns: the
//   replication writes its checkpoint only after that, so it never moves past a document that is
//   neither merged nor stored. What the door refused is reported, never written.
// - revsDiff: a revision is not missing when the mirror has it (everything made here, pushed
//   through the mirror, and what waits there) or when this device's database holds that very
//   event or header: a laptop does not download its own work back. Design documents (the
//   server's `_design/reconnect`) are never fetched: they are the server's, not records.
// - Checkpoints are `_local/` documents in the mirror.
// - What the door took is remembered in the mirror as a few `_local/` lists of ids: the outbox
//   reads them after a reload so that it never sends back what came from the server.
import type PouchDB from 'pouchdb-core';
import type { BulkResult, PouchDoc } from 'pouchdb-core';
import { mirrorRevsDiff } from './mirrorAccess.ts';

export interface Refusal {
  id: string;
  reason: string;
}

/** What the door says about a batch. */
export interface DoorAnswer {
  /** Documents it refused, with why: reported, never written. */
  refused: Refusal[];
  /** Ids of documents whose content this device's database now holds. */
  held: string[];
}

export interface DoorTargetOptions {
  mirror: PouchDB;
  /** The verify-then-merge door. */
  receive: (docs: PouchDoc[]) => Promise<DoorAnswer>;
  /** Of these ids (each with the revisions asked about), those this device's database holds. */
  holds: (revs: Record<string, string[]>) => Promise<Set<string>>;
  /** Ids the server holds that this device's database holds too (from revsDiff and the door). */
  onHeld?: (ids: string[]) => void;
  onRefused?: (refused: Refusal[]) => void;
}

const HELD_INDEX = '_local/reconnect-held';
const heldChunk = (n: number) => `${HELD_INDEX}-${String(n)}`;
/** Lists of held ids kept before they are folded into one (see `remember`). */
const FOLD_AT = 32;

interface HeldIndex {
  _id: string;
  _rev?: string;
  chunks: number;
}

/** Ids the door took from the server in earlier sessions (see the header comment). */
export async function heldBefore(mirror: PouchDB): Promise<string[]> {
  const index = await readIndex(mirror);
  const ids: string[] = [];
  for (let n = 0; n < index.chunks; n++) {
    const chunk = (await mirror.get(heldChunk(n)).catch(() => undefined)) as
      { ids?: unknown } | undefined;
    if (Array.isArray(chunk?.ids))
      for (const id of chunk.ids) if (typeof id === 'string') ids.push(id);
  }
  return ids;
}

async function readIndex(mirror: PouchDB): Promise<HeldIndex> {
  try {
    return (await mirror.get(HELD_INDEX)) as unknown as HeldIndex;
  } catch {
    return { _id: HELD_INDEX, chunks: 0 };
  }
}

function notFound(id: string): Error {
  return Object.assign(new Error(`${id} is missing`), {
    status: 404,
    name: 'not_found',
    reason: 'missing',
    error: true,
  });
}

export class DoorTarget {
  /** Not a remote database: PouchDB asks this to decide where attachments are read from. */
  readonly _remote = false;
  readonly adapter = 'reconnect-door';
  private readonly mirror: PouchDB;
  private heldWrites: Promise<void> = Promise.resolve();
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DoorTargetOptions) {
    this.mirror = options.mirror;
  }

  /** Part of the replication's id (with the server's): stable across reloads for one mirror. */
  async id(): Promise<string> {
    const mirror = this.mirror as unknown as { id(): Promise<string> };
    return `reconnect-door-${await mirror.id()}`;
  }

  type(): string {
    return 'reconnect-door';
  }

  // Nothing destroys the door; the replicator cancels the replication when it stops.
  once(): this {
    return this;
  }

  removeListener(): this {
    return this;
  }

  info(): Promise<{ doc_count: number; update_seq: number | string }> {
    return this.mirror.info();
  }

  revsDiff(asked: Record<string, string[]>): Promise<Record<string, { missing: string[] }>> {
    const work = this.diff(asked);
    this.inFlight = work.catch(() => undefined);
    return work;
  }

  private async diff(
    asked: Record<string, string[]>,
  ): Promise<Record<string, { missing: string[] }>> {
    const revs = Object.fromEntries(
      Object.entries(asked).filter(([id]) => !id.startsWith('_design/')),
    );
    const diff = await mirrorRevsDiff(this.mirror, revs);
    const ask: Record<string, string[]> = {};
    for (const [id, { missing }] of Object.entries(diff)) ask[id] = missing;
    const held = Object.keys(ask).length > 0 ? await this.options.holds(ask) : new Set<string>();
    if (held.size === 0) return diff;
    const rest: Record<string, { missing: string[] }> = {};
    for (const [id, entry] of Object.entries(diff)) if (!held.has(id)) rest[id] = entry;
    this.options.onHeld?.([...held]);
    await this.remember([...held]);
    return rest;
  }

  bulkDocs(request: { docs: PouchDoc[]; new_edits?: boolean } | PouchDoc[]): Promise<BulkResult[]> {
    const docs = Array.isArray(request) ? request : request.docs;
    const work = this.take(docs);
    this.inFlight = work.catch(() => undefined);
    return work;
  }

  /** Resolves when the batch under way (if any) is merged or kept, and what it noted written. */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  private async take(docs: PouchDoc[]): Promise<BulkResult[]> {
    if (docs.length === 0) return [];
    const answer = await this.options.receive(docs);
    const taken = new Set(answer.held);
    const refused = new Set(answer.refused.map((r) => r.id));
    const keep = docs.filter((d) => !taken.has(d._id) && !refused.has(d._id));
    if (keep.length > 0) {
      const results = await this.mirror.bulkDocs(keep, { new_edits: false });
      const failed = results.filter((r) => r.error);
      if (failed.length > 0)
        throw new Error(
          `The sync mirror did not keep ${String(failed.length)} documents the door is waiting on`,
        );
    }
    this.options.onHeld?.(answer.held);
    await this.remember(answer.held);
    if (answer.refused.length > 0) this.options.onRefused?.(answer.refused);
    // Refusals are the door's to report: to the replication every document was dealt with, so
    // it moves on (an error here would stop it and fetch the same documents again and again).
    return docs.map((d) => ({ ok: true, id: d._id, rev: d._rev ?? '' }));
  }

  /**
   * Adds a list of ids to the ones remembered (one `_local/` document per list). Live sync adds
   * a list per batch, however small, so once there are FOLD_AT lists they are folded into one:
   * the first list is written over with every id (a superset, so a reload in between loses
   * nothing), the index then counts one list, and the others are deleted.
   */
  private remember(ids: string[]): Promise<void> {
    if (ids.length === 0) return this.heldWrites;
    const write = this.heldWrites.then(async () => {
      const index = await readIndex(this.mirror);
      if (index.chunks >= FOLD_AT) {
        const all = [...new Set([...(await heldBefore(this.mirror)), ...ids])];
        await this.writeList(0, all);
        await this.mirror.put({ ...index, chunks: 1 });
        for (let n = 1; n < index.chunks; n++) {
          const old = await this.mirror.get(heldChunk(n)).catch(() => undefined);
          if (old) await this.mirror.put({ ...old, _deleted: true });
        }
        return;
      }
      await this.writeList(index.chunks, ids);
      await this.mirror.put({ ...index, chunks: index.chunks + 1 });
    });
    this.heldWrites = write.catch(() => undefined);
    return write;
  }

  private async writeList(n: number, ids: string[]): Promise<void> {
    const id = heldChunk(n);
    // A list written before its index was (a reload in between) is written over.
    const before = await this.mirror.get(id).catch(() => undefined);
    await this.mirror.put({ _id: id, ...(before?._rev ? { _rev: before._rev } : {}), ids });
  }

  /** Checkpoints (`_local/` documents) are kept in the mirror. */
  async get(id: string): Promise<PouchDoc> {
    if (!id.startsWith('_local/')) throw notFound(id);
    return this.mirror.get(id);
  }

  put(doc: PouchDoc): Promise<BulkResult> {
    if (!doc._id.startsWith('_local/'))
      return Promise.reject(new Error('Only checkpoints are written to the sync door directly'));
    return this.mirror.put(doc);
  }
}
