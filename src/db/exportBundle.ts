// Gathering what a bundle carries from this device's database: a record to hand over (or to
// send an approver), the reply an approver sends back, or everything for a backup. Approvers
// travel as public keys; wrapped private keys only in a backup whose maker asked for them; this
// device's own signing key never.
import { encodeBase64, makeBundle, type BundleMeta } from '../exchange/bundle.ts';
import { emptyParts, type Manifest, type Parts } from '../exchange/format.ts';
import { publicPart } from '../record/approverBasics.ts';
import { getDatabase, type FileRow, type ReconnectDatabase, type RunRow } from './database.ts';
import { DEVICE_KEY_SETTING, deviceKey } from './deviceKey.ts';
import { HELD_SETTING } from '../exchange/plan.ts';
import { noteExport } from './merge.ts';
import { headerOf } from './runs.ts';
import { eventTable, runEvents } from './eventStore.ts';

export type ExportScope =
  | { kind: 'handoff' | 'signoff-request'; orgRunId: string }
  | { kind: 'signoff-reply'; orgRunId: string }
  | { kind: 'backup'; includeWrappedKeys: boolean };

async function fillRuns(
  db: ReconnectDatabase,
  parts: Parts,
  runs: RunRow[],
): Promise<Manifest['heads']> {
  parts.runs = runs.map(headerOf);
  const runIds = runs.map((r) => r.runId);
  // One read of each run's events (IndexedDB getAll) rather than a cursor stepping through
  // tens of thousands of rows.
  parts.events = (await Promise.all(runIds.map((id) => runEvents(db, id)))).flat();
  const hashes = [...new Set(runs.map((r) => r.checklist.contentHash))];
  parts.checklists = (await db.checklists.bulkGet(hashes))
    .filter((c) => c !== undefined)
    .map((c) => ({
      contentHash: c.contentHash,
      definition: c.definition as unknown as Parts['checklists'][number]['definition'],
    }));
  parts.signedRecords = await db.signedRecords.where('runId').anyOf(runIds).toArray();
  parts.resolutions = await db.resolutions.where('runId').anyOf(runIds).toArray();
  return runs.map((r) => ({ runId: r.runId, seq: r.head.seq, hash: r.head.hash }));
}

/** The file rows of some runs: their bytes are read after the transaction (fillBlobs). */
function filesOf(db: ReconnectDatabase, runIds: string[]): Promise<FileRow[]> {
  return db.files.where('runId').anyOf(runIds).toArray();
}

/**
 * Each file's bytes, once per SHA-256. Reading a Blob is not an IndexedDB request, so it would
 * end the read transaction; a stored Blob never changes, so reading it afterwards is safe.
 */
async function fillBlobs(parts: Parts, files: FileRow[]): Promise<void> {
  const blobs = new Map<string, string>();
  for (const f of files)
    if (!blobs.has(f.sha256))
      blobs.set(f.sha256, encodeBase64(new Uint8Array(await f.blob.arrayBuffer())));
  parts.files = files.map(({ blob: _blob, ...meta }) => meta);
  parts.blobs = [...blobs].map(([sha256, base64]) => ({ sha256, base64 }));
}

/** An organisation record with every revision it builds on. */
async function recordTree(db: ReconnectDatabase, orgRunId: string): Promise<RunRow[]> {
  const tree: RunRow[] = [];
  let id: string | undefined = orgRunId;
  while (id) {
    const run: RunRow | undefined = await db.runs.get(id);
    if (!run) break;
    tree.push(run);
    id = run.revisionOf?.runId;
  }
  if (tree.length === 0) throw new Error('There is no such record on this device.');
  return tree.reverse();
}

/**
 * The parts of a bundle, and the heads of its runs, for an export scope. Everything is read in
 * one read transaction, so a save made meanwhile (another tab, sync) is either wholly in the
 * file or wholly out of it: every head the manifest lists matches the events the file carries.
 */
export async function gatherParts(
  scope: ExportScope,
  db: ReconnectDatabase = getDatabase(),
): Promise<{ parts: Parts; heads: Manifest['heads'] }> {
  const parts = emptyParts();
  const { heads, files } = await db.transaction(
    'r',
    [
      db.approvers,
      db.runs,
      eventTable(db),
      db.checklists,
      db.signedRecords,
      db.resolutions,
      db.inventories,
      db.files,
      db.settings,
      db.deviceStates,
    ],
    () => readParts(db, scope, parts),
  );
  await fillBlobs(parts, files);
  return { parts, heads };
}

async function readParts(
  db: ReconnectDatabase,
  scope: ExportScope,
  parts: Parts,
): Promise<{ heads: Manifest['heads']; files: FileRow[] }> {
  const approvers = await db.approvers.toArray();
  if (scope.kind === 'backup') {
    const runs = await db.runs.toArray();
    const heads = await fillRuns(db, parts, runs);
    parts.checklists = (await db.checklists.toArray()).map((c) => ({
      contentHash: c.contentHash,
      definition: c.definition as unknown as Parts['checklists'][number]['definition'],
    }));
    parts.signedRecords = await db.signedRecords.toArray();
    parts.resolutions = await db.resolutions.toArray();
    parts.inventories = await db.inventories.toArray();
    const files = await filesOf(
      db,
      runs.map((r) => r.runId),
    );
    parts.approvers = approvers.map((a) =>
      scope.includeWrappedKeys && a.wrapped ? a : publicPart(a),
    );
    parts.settings = (await db.settings.toArray())
      .filter((s) => s.key !== DEVICE_KEY_SETTING && s.key !== HELD_SETTING)
      .map((s) => ({ key: s.key, value: s.value as Parts['settings'][number]['value'] }));
    // Which records this device holds for approval: restored with them (plan.ts HELD_SETTING).
    const held = runs.flatMap((r) =>
      r.heldForApproval ? [[r.runId, { ...r.heldForApproval }] as const] : [],
    );
    if (held.length > 0)
      parts.settings.push({ key: HELD_SETTING, value: Object.fromEntries(held) });
    return { heads, files };
  }
  const tree = await recordTree(db, scope.orgRunId);
  const treeIds = tree.map((r) => r.runId);
  parts.approvers = approvers.map(publicPart);
  if (scope.kind === 'signoff-reply') {
    // What the approver did is in the organisation run: its log, and the signed record.
    const heads = await fillRuns(db, parts, tree);
    return { heads, files: [] };
  }
  // The devices' runs: the ones each device shows, and any other run of the same device (a
  // fork that travels on until someone resolves it).
  const states = await db.deviceStates.where('orgRunId').anyOf(treeIds).toArray();
  const deviceIds = new Set(states.map((s) => s.deviceId));
  const deviceRuns = (await db.runs.where('parentRunId').anyOf(treeIds).toArray()).filter(
    (r) => r.kind === 'device' && r.deviceId !== undefined && deviceIds.has(r.deviceId),
  );
  const runs = [...tree, ...deviceRuns];
  const heads = await fillRuns(db, parts, runs);
  parts.inventories = (await db.inventories.bulkGet(treeIds)).filter((i) => i !== undefined);
  const files = await filesOf(
    db,
    runs.map((r) => r.runId),
  );
  return { heads, files };
}

export interface ExportedBundle {
  text: string;
  fileName: string;
  manifest: Manifest;
}

function fileNameFor(scope: ExportScope, manifest: Manifest): string {
  const day = manifest.createdAt.slice(0, 19).replace(/[:T]/g, '-');
  const who = (manifest.records[manifest.records.length - 1]?.organisation ?? 'reconnect')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  const what = {
    handoff: 'handoff',
    'signoff-request': 'signoff-request',
    'signoff-reply': 'signoff-reply',
    backup: 'backup',
  }[scope.kind];
  return `${scope.kind === 'backup' ? 'reconnect' : who || 'record'}-${what}-${day}.reconnect`;
}

/** Makes the bundle file for a scope, signed with this device's key (made on first use). */
export async function exportBundle(
  scope: ExportScope,
  who: { person: string; deviceName: string },
  db: ReconnectDatabase = getDatabase(),
): Promise<ExportedBundle> {
  const started = performance.now();
  const key = await deviceKey(who.deviceName, db);
  const { parts, heads } = await gatherParts(scope, db);
  const meta: BundleMeta = {
    kind: scope.kind,
    createdBy: who.person,
    includesWrappedKeys: scope.kind === 'backup' && scope.includeWrappedKeys,
  };
  const { text, manifest } = await makeBundle(parts, heads, meta, key);
  // The benchmark reads this: from the click to the file's text, signed.
  performance.measure('reconnect:bundle-export', { start: started, end: performance.now() });
  await noteExport(
    {
      kind: scope.kind,
      by: who.person,
      device: { name: key.identity.name, fingerprint: key.identity.fingerprint },
      at: manifest.createdAt,
    },
    heads,
    db,
  );
  return { text, fileName: fileNameFor(scope, manifest), manifest };
}
