// A record's parts as CouchDB documents, and back: events and run headers (couchDocs.ts), and
// every other part a bundle carries — pinned checklists, inventory devices, evidence files and
// their bytes, signed records, approvers' public keys, fork resolutions. Each is written once
// and never edited: its revision comes from its content hash, and (but for a run header) its id
// ends with that hash, so the same thing from two laptops is one document and a different thing
// is a different document. A device's settings and wrapped private keys never become documents.
//
// Pure: no PouchDB, no Dexie. Reading documents back checks each against its hash and its part's
// schema; whether the parts fit together (chains, signatures, checklists) is the import door's
// check (src/db/merge.ts), the same one bundles pass.
import type { z } from 'zod';
import { canonicalJson, sha256Hex } from '../checklist/canonical.ts';
import { decodeBase64 } from '../exchange/bundle.ts';
import {
  BlobSchema,
  FileMetaSchema,
  ForkResolutionSchema,
  InventoryDeviceSchema,
  PinnedChecklistSchema,
  RunHeaderSchema,
  SignedRecordSchema,
  emptyParts,
  type Parts,
} from '../exchange/format.ts';
import { PublicApproverSchema, publicPart } from '../record/keys.ts';
import { docToEvent, docToRun, eventToDoc, revisionFor, runToDoc } from './couchDocs.ts';

/** Kinds of part document: type, and the id prefix before the hash. */
export const partKinds = {
  checklist: 'checklist:',
  device: 'device:',
  file: 'file:',
  blob: 'blob:',
  signed: 'signed:',
  approver: 'approver:',
  resolution: 'resolution:',
} as const;
export type PartKind = keyof typeof partKinds;

export interface PartDoc {
  _id: string;
  _rev: string;
  type: PartKind;
  /** SHA-256 of the item's canonical JSON (a checklist: its content hash; bytes: their hash). */
  hash: string;
  item: unknown;
}

/** Any document this app writes: what the replicator moves. */
export interface SyncDoc {
  _id: string;
  _rev: string;
  type: string;
  [key: string]: unknown;
}

function hashOf(item: unknown): string {
  return sha256Hex(canonicalJson(item));
}

function partDoc(type: PartKind, hash: string, item: unknown, scope = ''): PartDoc {
  return { _id: `${partKinds[type]}${scope}${hash}`, _rev: revisionFor(hash), type, hash, item };
}

/** The documents for some parts. Settings and wrapped keys are left out: they never leave. */
export function partsToDocs(parts: Parts): SyncDoc[] {
  const docs: SyncDoc[] = [];
  const add = (doc: object) => docs.push(doc as SyncDoc);
  for (const run of parts.runs) add(runToDoc(run));
  for (const entry of parts.events) add(eventToDoc(entry));
  for (const c of parts.checklists) add(partDoc('checklist', c.contentHash, c));
  for (const inv of parts.inventories)
    for (const device of inv.devices) {
      const item = { orgRunId: inv.orgRunId, device };
      add(partDoc('device', hashOf(item), item, `${inv.orgRunId}:`));
    }
  for (const f of parts.files) add(partDoc('file', hashOf(f), f));
  for (const b of parts.blobs) add(partDoc('blob', b.sha256, b));
  for (const r of parts.signedRecords) add(partDoc('signed', hashOf(r), r));
  for (const a of parts.approvers) {
    const item = publicPart(a);
    add(partDoc('approver', hashOf(item), item));
  }
  for (const r of parts.resolutions) add(partDoc('resolution', hashOf(r), r));
  return docs;
}

export interface RefusedDoc {
  id: string;
  reason: string;
}

const hex64 = /^[0-9a-f]{64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const itemSchemas = {
  checklist: PinnedChecklistSchema,
  file: FileMetaSchema,
  blob: BlobSchema,
  signed: SignedRecordSchema,
  approver: PublicApproverSchema,
  resolution: ForkResolutionSchema,
} satisfies Partial<Record<PartKind, z.ZodType>>;

/**
 * Reads pulled documents back into parts, each checked against its id, revision, hash and
 * schema. A document that fails is refused with the reason and left out; the rest go on.
 */
export function docsToParts(docs: readonly unknown[]): {
  parts: Parts;
  refused: RefusedDoc[];
  /** The id of the document each part came from (an inventory's devices: each device). */
  origin: WeakMap<object, string>;
} {
  const parts = emptyParts();
  const refused: RefusedDoc[] = [];
  const origin = new WeakMap<object, string>();
  const devices = new Map<string, Parts['inventories'][number]['devices']>();
  const updated = new Map<string, string>();
  for (const doc of docs) {
    const id =
      isRecord(doc) && typeof doc._id === 'string' ? doc._id : '(a document without an id)';
    const refuse = (reason: string) => refused.push({ id, reason });
    if (!isRecord(doc)) {
      refuse('it is not a JSON object');
      continue;
    }
    if (doc.type === 'event') {
      const read = docToEvent(doc);
      if (read.ok) parts.events.push(read.value);
      else refuse(read.reason);
      continue;
    }
    if (doc.type === 'run') {
      const read = docToRun(doc);
      if (!read.ok) refuse(read.reason);
      else if (!RunHeaderSchema.safeParse(read.value).success)
        refuse('its header is not one this app writes');
      else parts.runs.push(read.value);
      continue;
    }
    const type = doc.type;
    if (typeof type !== 'string' || !(type in partKinds)) {
      refuse('it is not a kind of document this app writes');
      continue;
    }
    const kind = type as PartKind;
    const { hash, item } = doc;
    if (typeof hash !== 'string' || !hex64.test(hash)) {
      refuse('it carries no hash');
      continue;
    }
    if (doc._rev !== undefined && doc._rev !== revisionFor(hash)) {
      refuse('its revision is not the one its hash gives: it was edited');
      continue;
    }
    if (kind === 'device') {
      const parsed = isRecord(item) ? InventoryDeviceSchema.safeParse(item.device) : undefined;
      if (!isRecord(item) || typeof item.orgRunId !== 'string' || !parsed?.success) {
        refuse('it is not an inventory device');
        continue;
      }
      if (id !== `${partKinds.device}${item.orgRunId}:${hash}`) {
        refuse('its id does not match its record and hash');
        continue;
      }
      if (hashOf(item) !== hash) {
        refuse('its content does not match its hash: it was altered');
        continue;
      }
      let list = devices.get(item.orgRunId);
      if (!list) devices.set(item.orgRunId, (list = []));
      list.push(parsed.data);
      origin.set(parsed.data, id);
      const at = parsed.data.source.importedAt;
      if (at > (updated.get(item.orgRunId) ?? '')) updated.set(item.orgRunId, at);
      continue;
    }
    if (id !== `${partKinds[kind]}${hash}`) {
      refuse('its id does not match its hash');
      continue;
    }
    const parsed = itemSchemas[kind].safeParse(item);
    if (!parsed.success) {
      refuse(`it is not a valid ${kind}: ${parsed.error.issues[0]?.message ?? 'wrong shape'}`);
      continue;
    }
    const value = parsed.data;
    origin.set(value, id);
    if (kind === 'checklist') {
      // The content hash is checked against the definition by the door (plan.ts).
      const c = value as Parts['checklists'][number];
      if (c.contentHash !== hash) refuse('its id does not match its checklist');
      else parts.checklists.push(c);
      continue;
    }
    if (kind === 'blob') {
      const b = value as Parts['blobs'][number];
      const bytes = decodeBase64(b.base64);
      if (b.sha256 !== hash || !bytes || sha256Hex(bytes) !== hash)
        refuse('its bytes do not match their hash: the file was altered');
      else parts.blobs.push(b);
      continue;
    }
    // Zod returns the item as parsed; the hash is of the item exactly as stored.
    if (hashOf(item) !== hash) {
      refuse('its content does not match its hash: it was altered');
      continue;
    }
    if (kind === 'file') parts.files.push(value as Parts['files'][number]);
    else if (kind === 'signed') parts.signedRecords.push(value as Parts['signedRecords'][number]);
    else if (kind === 'approver') parts.approvers.push(value as Parts['approvers'][number]);
    else parts.resolutions.push(value as Parts['resolutions'][number]);
  }
  // Documents come in id (hash) order; devices go back in the order they were imported.
  const order = (d: Parts['inventories'][number]['devices'][number]) =>
    `${d.source.importedAt} ${String(d.source.line).padStart(9, '0')} ${d.id}`;
  for (const [orgRunId, list] of devices) {
    list.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
    parts.inventories.push({ orgRunId, devices: list, updatedAt: updated.get(orgRunId) ?? '' });
  }
  return { parts, refused, origin };
}
