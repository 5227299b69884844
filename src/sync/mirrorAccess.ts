// The local mirror of the server's database, as the app's sync code reads and fills it: what the
// import door reads (documents by id, a run's events by id range) and what the outbox asks and
// sends (which ids the mirror holds; documents made here, stored with their own revisions).
import type PouchDB from 'pouchdb-core';
import type { PouchDoc } from 'pouchdb-core';
import type { SyncDoc } from './partDocs.ts';

/** Read access to the local mirror of the server's database (the import door's side). */
export interface MirrorReader {
  /** Documents by id; missing ones are left out. */
  get(ids: string[]): Promise<unknown[]>;
  /** Documents whose ids fall in a range (a run's events: couchDocs.runEventRange). */
  range(range: { startkey: string; endkey: string }): Promise<unknown[]>;
}

/** The outbox's side of the mirror. */
export interface Mirror {
  /** Of these ids, the ones the mirror holds. */
  has(ids: string[]): Promise<Set<string>>;
  /** Stores documents made here; the replicator pushes them. */
  send(docs: SyncDoc[]): Promise<void>;
}

interface Row {
  id?: string;
  key?: string;
  error?: string;
  value?: { rev: string; deleted?: boolean };
  doc?: PouchDoc | null;
}

export function mirrorReader(mirror: PouchDB): MirrorReader {
  const docsOf = (rows: Row[]) =>
    rows.filter((r) => !r.error && r.doc && !r.value?.deleted).map((r) => r.doc as unknown);
  return {
    async get(ids) {
      if (ids.length === 0) return [];
      const result = await mirror.allDocs({ keys: ids, include_docs: true });
      return docsOf(result.rows);
    },
    async range(range) {
      const result = await mirror.allDocs({ ...range, include_docs: true });
      return docsOf(result.rows);
    },
  };
}

/** How the outbox reaches the mirror: `send` is the replicator's (it recounts what waits). */
export function mirrorOutbox(mirror: PouchDB, send: (docs: SyncDoc[]) => Promise<void>): Mirror {
  return {
    async has(ids) {
      if (ids.length === 0) return new Set();
      const result = await mirror.allDocs({ keys: ids });
      return new Set(
        (result.rows as Row[])
          .filter((r) => !r.error && r.value && !r.value.deleted)
          .map((r) => r.key ?? r.id ?? ''),
      );
    },
    send,
  };
}

/**
 * The mirror's answer to a replication's revsDiff, read in one pass. PouchDB's own revsDiff reads
 * each document's revision tree in a transaction of its own (about 2 s for a 20,000-document
 * catch-up); records' documents have one revision each, so one allDocs read settles almost every
 * id: absent means every revision asked is missing, and a live document whose only revision is
 * the one asked means none is. Anything else (several revisions asked, another revision, a
 * deleted document) goes to PouchDB's revsDiff, which knows the whole tree.
 */
export async function mirrorRevsDiff(
  mirror: PouchDB,
  revs: Record<string, string[]>,
): Promise<Record<string, { missing: string[] }>> {
  const ids = Object.keys(revs);
  if (ids.length === 0) return {};
  const rows = await rowsFor(mirror, ids);
  const diff: Record<string, { missing: string[] }> = {};
  const unsure: Record<string, string[]> = {};
  for (const [i, row] of rows.entries()) {
    const id = ids[i] ?? '';
    const asked = revs[id] ?? [];
    if (!row || row.error === 'not_found' || !row.value) diff[id] = { missing: [...asked] };
    else if (!row.value.deleted && asked.length === 1 && asked[0] === row.value.rev) continue;
    else unsure[id] = asked;
  }
  if (Object.keys(unsure).length > 0) Object.assign(diff, await mirror.revsDiff(unsure));
  return diff;
}

/**
 * The mirror's row for each id (in order; undefined where it has none). Asked about more ids than
 * it holds documents (a laptop catching up: its mirror keeps only its own work and what waits),
 * it is read whole, through its changes feed (every document once, deleted ones too, with all
 * their leaf revisions), which costs a read per document it holds rather than a lookup per id
 * asked: 10,000 lookups took 0.6 s. A deleted document, or one with more than one leaf, is left
 * to PouchDB's revsDiff, as in the lookup.
 */
async function rowsFor(mirror: PouchDB, ids: string[]): Promise<(Row | undefined)[]> {
  const { doc_count } = await mirror.info();
  if (doc_count >= ids.length) return (await mirror.allDocs({ keys: ids })).rows;
  const held = new Map<string, Row>();
  const feed = await mirror.changes({ since: 0, style: 'all_docs' });
  for (const change of feed.results) {
    // Several leaves: no revision given, so nothing asked matches and PouchDB's revsDiff answers.
    const rev = change.changes.length === 1 ? (change.changes[0]?.rev ?? '') : '';
    held.set(change.id, { id: change.id, value: { rev, deleted: change.deleted === true } });
  }
  return ids.map((id) => held.get(id));
}
