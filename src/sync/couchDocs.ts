// How a record's parts map to CouchDB documents, for replication through an organisation's
// CouchDB database. Every document is written once and never edited: its id and its revision
// both derive from its content hash, so the same thing written on two laptops is the same
// document with the same revision — one document, never a conflict. A different document under
// the same id (a forged event, a second header for one run) has a different revision, which the
// server's design document refuses (designDoc.ts) and the app's import refuses again.
//
// Pure: no PouchDB, no Dexie. The replicator moves these documents; the import door checks them.
import { MachineEventSchema, type MachineEvent } from '../checklist/events.ts';
import { genesisHash, hashEntry, type LogEntry } from '../run/log.ts';
import type { RunHeader } from '../run/header.ts';

/** The kinds of document, their id prefix, and the member that holds their content hash. */
export const docKinds = {
  event: { prefix: 'event:', hashField: 'hash' },
  run: { prefix: 'run:', hashField: 'genesisHash' },
} as const;
// The other parts of a record (partDocs.ts) are documents of one shape: { type, hash, item }.
export type DocKind = keyof typeof docKinds;

const hex64 = /^[0-9a-f]{64}$/;

/** CouchDB revision of a document whose content hash is `hash`: generation 1, never edited. */
export function revisionFor(hash: string): string {
  if (!hex64.test(hash)) throw new Error('a content hash is 64 lower-case hex digits');
  return `1-${hash.slice(0, 32)}`;
}

export interface EventDoc {
  _id: string;
  _rev: string;
  type: 'event';
  runId: string;
  seq: number;
  prevHash: string;
  hash: string;
  event: MachineEvent;
}

export interface RunDoc {
  _id: string;
  _rev: string;
  type: 'run';
  genesisHash: string;
  header: RunHeader;
}

/**
 * An event's id names its run, then its hash: the same event is one document wherever it was
 * made, and a run's events can be read from a database as one range of ids.
 */
export function eventDocId(runId: string, hash: string): string {
  return `${docKinds.event.prefix}${runId}:${hash}`;
}

/** The id range that holds every event of a run, for a range read (startkey/endkey). */
export function runEventRange(runId: string): { startkey: string; endkey: string } {
  const start = `${docKinds.event.prefix}${runId}:`;
  return { startkey: start, endkey: `${start}\ufff0` };
}

export function eventToDoc(entry: LogEntry): EventDoc {
  return {
    _id: eventDocId(entry.runId, entry.hash),
    _rev: revisionFor(entry.hash),
    type: 'event',
    runId: entry.runId,
    seq: entry.seq,
    prevHash: entry.prevHash,
    hash: entry.hash,
    event: entry.event,
  };
}

export function runToDoc(header: RunHeader): RunDoc {
  const hash = genesisHash(header);
  return {
    _id: `${docKinds.run.prefix}${header.runId}`,
    _rev: revisionFor(hash),
    type: 'run',
    genesisHash: hash,
    header,
  };
}

export type FromDoc<T> = { ok: true; value: T } | { ok: false; id: string; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOf(doc: unknown): string {
  return isRecord(doc) && typeof doc._id === 'string' ? doc._id : '(a document without an id)';
}

/**
 * Reads an event back from a pulled document. Checks that the document is what its id and
 * revision claim: the hash recomputed from its content equals the hash in its id and revision.
 * Whether the event fits its run's chain is the import door's check, not this one.
 */
export function docToEvent(doc: unknown): FromDoc<LogEntry> {
  const id = idOf(doc);
  const bad = (reason: string): FromDoc<LogEntry> => ({ ok: false, id, reason });
  if (!isRecord(doc)) return bad('it is not a JSON object');
  if (doc.type !== 'event') return bad('it is not an event');
  const { runId, seq, prevHash, hash, event } = doc;
  if (typeof runId !== 'string' || runId === '') return bad('it names no record');
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1)
    return bad('its position in the record is not a whole number from 1');
  if (typeof prevHash !== 'string' || !hex64.test(prevHash))
    return bad('it does not name the event before it');
  if (typeof hash !== 'string' || !hex64.test(hash)) return bad('it carries no hash');
  const action = MachineEventSchema.safeParse(event);
  if (!action.success) return bad('its action is not one this app records');
  if (id !== eventDocId(runId, hash)) return bad('its id does not match its record and hash');
  const entry: Omit<LogEntry, 'hash'> = {
    runId,
    seq,
    prevHash,
    // The action exactly as stored: the schema checks its shape, and the hash is of these bytes.
    event: event as MachineEvent,
  };
  if (hashEntry(entry) !== hash) return bad('its content does not match its hash: it was altered');
  return { ok: true, value: { ...entry, hash } };
}

/** Reads a run header back from a pulled document, checking it against its hash. */
export function docToRun(doc: unknown): FromDoc<RunHeader> {
  const id = idOf(doc);
  const bad = (reason: string): FromDoc<RunHeader> => ({ ok: false, id, reason });
  if (!isRecord(doc)) return bad('it is not a JSON object');
  if (doc.type !== 'run') return bad('it is not a record header');
  const { header, genesisHash: claimed } = doc;
  if (!isRecord(header) || typeof header.runId !== 'string') return bad('it carries no header');
  if (id !== `${docKinds.run.prefix}${header.runId}`)
    return bad('its id does not match the record it describes');
  if (typeof claimed !== 'string' || !hex64.test(claimed)) return bad('it carries no hash');
  const value = header as unknown as RunHeader;
  if (genesisHash(value) !== claimed)
    return bad('its content does not match its hash: it was altered');
  return { ok: true, value };
}
