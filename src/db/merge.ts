// The one door through which data from outside enters: bundles carried by hand, restored
// backups, signed-record replies — and, later, documents pulled by sync. It takes parts in
// memory (runs, events, checklists, inventory, files, records, public keys), independent of
// any file format; checks every signature it can before opening a transaction; then, in one
// all-or-nothing transaction, reads what this device holds, plans the merge (src/exchange/
// plan.ts: chains checked, branches replayed through the machine) and writes the plan. A tab
// closed mid-import leaves the database as it was. This file is the third declared writer of
// the runs table (with runs.ts and directAppend.ts): it also resolves forks.
import { Dexie } from 'dexie';
import { compileChecklist, type CompiledChecklist } from '../checklist/machine.ts';
import type { HashedChecklist } from '../checklist/schema.ts';
import { decodeBlob } from '../exchange/bundle.ts';
import type { Manifest, Parts } from '../exchange/format.ts';
import { chainTo } from '../exchange/forks.ts';
import { MergeRefusedError, planMerge, type MergePlan, type PlannedRun } from '../exchange/plan.ts';
import { jwkThumbprint } from '../record/keys.ts';
import { verifyRecordFile } from '../record/verify.ts';
import { clearanceStatus } from '../run/fleet.ts';
import { nextEntry, type LogEntry } from '../run/log.ts';
import { applyEvent, initialRunState } from '../run/replay.ts';
import { progressOf, stepStatuses } from '../run/status.ts';
import { forgetRun } from './directAppend.ts';
import {
  getDatabase,
  type ExchangeRow,
  type ReconnectDatabase,
  type ResolutionRow,
  type RunRow,
} from './database.ts';
import { countDevicesByStatus } from './fleetCount.ts';
import { headerOf, loadPinnedChecklist, refuseIfHeld, StorageFullError } from './runs.ts';
import { addEvents, eventTable, eventsOfRuns, runEvents } from './eventStore.ts';

export { MergeRefusedError };

/** Where the parts came from, kept as a line of the device's exchange history. */
export interface MergeSource {
  kind: string;
  by: string;
  device: { name: string; fingerprint: string };
  at: string;
}

export interface MergeResult {
  summary: MergePlan['summary'];
  /** Approvers' public keys this import registers (for a person to compare fingerprints). */
  newApprovers: { name: string; role: string; fingerprint: string; canSignHere: boolean }[];
  newFiles: number;
  newSignedRecords: number;
}

const compiled = new Map<string, CompiledChecklist>();
function compile(checklist: HashedChecklist): CompiledChecklist {
  let c = compiled.get(checklist.contentHash);
  if (!c) {
    c = compileChecklist(checklist);
    compiled.set(checklist.contentHash, c);
  }
  return c;
}

/** Checks that need WebCrypto (async): done before the transaction, which they would close. */
async function checkSignatures(parts: Parts): Promise<void> {
  for (const r of parts.signedRecords) {
    const verified = await verifyRecordFile(r.text);
    if (!verified.valid)
      throw new MergeRefusedError(
        `The signed record ${r.recordId} does not verify: ${verified.message}`,
      );
    if (verified.digest !== r.digest || verified.record.recordId !== r.recordId)
      throw new MergeRefusedError(
        `The signed record ${r.recordId} is not the record its entry names.`,
      );
  }
  for (const a of parts.approvers)
    if ((await jwkThumbprint(a.publicJwk)) !== a.fingerprint)
      throw new MergeRefusedError(`The key of approver ${a.name} does not match its fingerprint.`);
}

const tables = (db: ReconnectDatabase) => [
  db.runs,
  eventTable(db),
  db.checklists,
  db.inventories,
  db.deviceStates,
  db.files,
  db.signedRecords,
  db.approvers,
  db.resolutions,
  db.settings,
  db.exchanges,
];

async function readLocal(db: ReconnectDatabase, parts: Parts) {
  const runIds = [...new Set(parts.runs.map((r) => r.runId))];
  const knownRuns = (await db.runs.bulkGet(runIds)).filter((r): r is RunRow => r !== undefined);
  const events = new Map<string, LogEntry>();
  // Every stored event of the runs both sides hold: the merge checks links and finds where
  // their branch leaves ours.
  if (knownRuns.length > 0)
    for (const e of await eventsOfRuns(
      db,
      knownRuns.map((r) => r.runId),
    ))
      events.set(e.hash, e);
  const checklists = new Map<string, HashedChecklist>();
  for (const c of await db.checklists.toArray())
    checklists.set(c.contentHash, { definition: c.definition, contentHash: c.contentHash });
  const deviceIds = [...new Set(parts.runs.flatMap((r) => (r.deviceId ? [r.deviceId] : [])))];
  const deviceStates = (await db.deviceStates.bulkGet(deviceIds)).filter((s) => s !== undefined);
  const inventories = (
    await db.inventories.bulkGet(parts.inventories.map((i) => i.orgRunId))
  ).filter((i) => i !== undefined);
  const resolutions = await db.resolutions.toArray();
  return {
    checklists,
    local: {
      runs: new Map<string, PlannedRun>(knownRuns.map((r) => [r.runId, r])),
      events,
      checklists: new Set(checklists.keys()),
      deviceStates: new Map(deviceStates.map((s) => [s.deviceId, s])),
      inventories: new Map(inventories.map((i) => [i.orgRunId, i])),
      files: new Set(
        (await db.files.bulkGet(parts.files.map((f) => f.id)))
          .filter((f) => f !== undefined)
          .map((f) => f.id),
      ),
      signedRecords: new Set(
        (await db.signedRecords.bulkGet(parts.signedRecords.map((r) => r.recordId)))
          .filter((r) => r !== undefined)
          .map((r) => r.recordId),
      ),
      approverFingerprints: new Set((await db.approvers.toArray()).map((a) => a.fingerprint)),
      resolutions: new Set(
        resolutions.flatMap((r) =>
          r.abandonedRunId ? [r.id, `device:${r.abandonedRunId}`] : [r.id],
        ),
      ),
      settings: new Set<string>(await db.settings.toCollection().primaryKeys()),
    },
  };
}

function isQuota(error: unknown): boolean {
  let e = error as { name?: string; inner?: unknown } | undefined;
  for (let i = 0; e && i < 5; i++) {
    if (e.name === 'QuotaExceededError' || e.name === Dexie.errnames.QuotaExceeded) return true;
    e = e.inner as typeof e;
  }
  return false;
}

/**
 * What a merge of some parts (the same objects, unchanged) already established, for the next
 * merge of the same parts: the preview of a file the person then chooses to import.
 */
export interface MergeMemo {
  /** Incoming events whose hash has been checked. */
  hashChecked: WeakSet<LogEntry>;
  /** Records signed and keys matched to fingerprints (checked outside the transaction). */
  signaturesChecked: boolean;
  /** The last plan, and what this device held when it was made (localKey). */
  planned?: { localKey: string; plan: MergePlan; source: string };
}

export function newMergeMemo(): MergeMemo {
  return { hashChecked: new WeakSet(), signaturesChecked: false };
}

/**
 * Everything planMerge reads of this device, as one string: equal strings mean an equal local
 * side, so the plan made from one is the plan for the other (planMerge is pure). Events and
 * checklists are stored under their content's hash, so their keys stand for them; other rows
 * are written whole (read twice unchanged, a row comes back with its keys in the same order).
 */
function localKey(local: Awaited<ReturnType<typeof readLocal>>['local']): string {
  const sorted = <T>(entries: Iterable<[string, T]>) =>
    [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const keys = (set: Iterable<string>) => [...set].sort();
  return JSON.stringify([
    sorted(local.runs),
    keys(local.events.keys()),
    keys(local.checklists),
    sorted(local.deviceStates),
    sorted(local.inventories),
    keys(local.files),
    keys(local.signedRecords),
    keys(local.approverFingerprints),
    keys(local.resolutions),
    keys(local.settings),
  ]);
}

/**
 * Merges parts into this device's database: all of it or, if anything does not fit, none of
 * it (MergeRefusedError says what and where). `preview` plans without writing. With `memo`
 * (kept between calls with the very same parts, which must not change meanwhile), what an
 * earlier call checked is not checked again, and its plan is written as it was if this device
 * holds, read again inside the import's own transaction, exactly what it held then.
 */
export async function mergeParts(
  parts: Parts,
  heads: Manifest['heads'],
  source: MergeSource,
  options: { preview?: boolean; db?: ReconnectDatabase; memo?: MergeMemo } = {},
): Promise<MergeResult> {
  const db = options.db ?? getDatabase();
  const memo = options.memo;
  if (!memo?.signaturesChecked) {
    await checkSignatures(parts);
    if (memo) memo.signaturesChecked = true;
  }
  const blobs = new Map(parts.blobs.map((b) => [b.sha256, b.base64]));
  // The plan depends on where the parts came from as well (holds, releases).
  const sourceKey = JSON.stringify(source);
  const work = async (): Promise<MergeResult> => {
    const { checklists, local } = await readLocal(db, parts);
    const key = memo ? localKey(local) : '';
    const kept = memo?.planned;
    const reuse = kept?.localKey === key && kept.source === sourceKey;
    const plan = reuse
      ? kept.plan
      : planMerge(parts, heads, local, {
          compile,
          localChecklist: (hash) => checklists.get(hash),
          now: new Date().toISOString(),
          ...(memo ? { hashChecked: memo.hashChecked } : {}),
          // A record that arrives in a sign-off request is here to be approved, not worked on.
          ...(source.kind === 'signoff-request'
            ? {
                holdNewRuns: {
                  by: source.by,
                  device: `${source.device.name} (${source.device.fingerprint})`,
                  at: source.at,
                },
              }
            : {}),
          ...(source.kind === 'handoff' ? { releaseHolds: true } : {}),
          ...(source.kind === 'backup' ? { restoreHolds: true } : {}),
        });
    if (memo && !reuse) memo.planned = { localKey: key, plan, source: sourceKey };
    const result: MergeResult = {
      summary: plan.summary,
      newApprovers: plan.approvers.map((a) => ({
        name: a.name,
        role: a.role,
        fingerprint: a.fingerprint,
        canSignHere: 'wrapped' in a,
      })),
      newFiles: plan.files.length,
      newSignedRecords: plan.signedRecords.length,
    };
    if (options.preview) return result;
    // The crash test kills the browser once this mark is set: the writes are issued, not done.
    writingFrom = performance.mark('reconnect:bundle-import-writing').startTime;
    const writes: Promise<unknown>[] = [
      db.checklists.bulkPut(
        plan.checklists.map((c) => ({
          contentHash: c.contentHash,
          definition: c.definition as unknown as HashedChecklist['definition'],
          id: (c.definition as unknown as HashedChecklist['definition']).id,
        })),
      ),
      addEvents(db, plan.events),
      db.runs.bulkPut(plan.runs),
      db.deviceStates.bulkPut(plan.deviceStates),
      db.inventories.bulkPut(plan.inventories),
      db.files.bulkPut(
        plan.files.map((f) => ({
          ...f,
          blob: new Blob([new Uint8Array(decodeBlob(blobs.get(f.sha256) ?? ''))], { type: f.type }),
        })),
      ),
      db.signedRecords.bulkPut(plan.signedRecords),
      db.approvers.bulkPut(plan.approvers),
      db.resolutions.bulkPut(plan.resolutions),
      db.settings.bulkPut(
        plan.settings.map((s) => ({ key: s.key, value: s.value, updatedAt: source.at })),
      ),
      db.exchanges.put(exchangeRow('import', source, heads, plan)),
    ];
    await Promise.all(writes);
    for (const r of plan.runs) forgetRun(db, r.runId);
    return result;
  };
  let writingFrom: number | undefined;
  try {
    if (options.preview) return await db.transaction('r', tables(db), work);
    const result = await db.transaction('rw', tables(db), work);
    // From the writes issued to their commit: how much of an import is the browser's writing.
    if (writingFrom !== undefined)
      performance.measure('reconnect:merge-write', { start: writingFrom, end: performance.now() });
    return result;
  } catch (error) {
    if (isQuota(error)) throw new StorageFullError();
    throw error;
  }
}

function exchangeRow(
  direction: ExchangeRow['direction'],
  source: MergeSource,
  heads: Manifest['heads'],
  plan?: MergePlan,
): ExchangeRow {
  const s = plan?.summary;
  return {
    id: crypto.randomUUID(),
    direction,
    kind: source.kind,
    at: direction === 'import' ? new Date().toISOString() : source.at,
    by: source.by,
    device: source.device,
    summary: s
      ? `${String(s.newEvents)} new events; ${String(s.newRuns)} new and ${String(s.updatedRuns)} updated runs${s.forks.length + s.deviceForks.length > 0 ? `; ${String(s.forks.length + s.deviceForks.length)} to reconcile` : ''}`
      : `${String(heads.length)} runs`,
    heads: heads.map((h) => h.hash).filter(Boolean),
  };
}

/** Notes an export in the device's exchange history (the home page shows the last one). */
export async function noteExport(
  source: MergeSource,
  heads: Manifest['heads'],
  db: ReconnectDatabase = getDatabase(),
): Promise<void> {
  await db.exchanges.put(exchangeRow('export', source, heads));
}

// Finding a record's forks is in forks.ts (record pages need it without this door's code).
export { recordForks, type DeviceFork, type RecordForks } from './forks.ts';

export interface ResolveOutcome {
  replayed: number;
  refused: ResolutionRow['refused'];
}

function describe(event: LogEntry['event']): string {
  const step = 'stepId' in event ? ` (step ${event.stepId})` : '';
  return `${event.type}${step} by ${event.actor.name} at ${event.at}`;
}

/**
 * Resolves a fork: the run shows the branch ending at `keepHead`; the other branch's actions
 * (after the point the branches share) are replayed on top through the machine as new events
 * that name the event they repeat. What the machine refuses is listed. Nothing is deleted.
 */
export async function resolveFork(
  input: { runId: string; keepHead: string; abandonHead: string; actor: string },
  db: ReconnectDatabase = getDatabase(),
): Promise<ResolveOutcome> {
  return db.transaction(
    'rw',
    [db.runs, eventTable(db), db.checklists, db.deviceStates, db.inventories, db.resolutions],
    async () => {
      const run = await db.runs.get(input.runId);
      if (!run) throw new Error('The record is not on this device.');
      refuseIfHeld(run);
      const checklist = await loadPinnedChecklist(run.checklist, db);
      const events = await runEvents(db, input.runId);
      const byHash = new Map(events.map((e) => [e.hash, e]));
      const kept = chainTo(byHash, input.keepHead);
      const other = chainTo(byHash, input.abandonHead);
      if (kept.at(-1)?.hash !== input.keepHead || other.at(-1)?.hash !== input.abandonHead)
        throw new Error('That version is not stored for this record.');
      let shared = 0;
      while (shared < other.length && other[shared]?.hash === kept[shared]?.hash) shared++;
      return replayOnto(db, run, checklist, kept, other.slice(shared), input, undefined);
    },
  );
}

/** Resolves two runs of one device: keep one, replay the other's actions on it. */
export async function resolveDeviceFork(
  input: { keepRunId: string; abandonRunId: string; actor: string },
  db: ReconnectDatabase = getDatabase(),
): Promise<ResolveOutcome> {
  return db.transaction(
    'rw',
    [db.runs, eventTable(db), db.checklists, db.deviceStates, db.inventories, db.resolutions],
    async () => {
      const [run, abandoned] = await db.runs.bulkGet([input.keepRunId, input.abandonRunId]);
      if (!run || !abandoned || run.deviceId !== abandoned.deviceId || !run.deviceId)
        throw new Error('These are not two runs of the same device.');
      refuseIfHeld(run);
      const checklist = await loadPinnedChecklist(run.checklist, db);
      const keptAll = await runEvents(db, run.runId);
      const kept = chainTo(new Map(keptAll.map((e) => [e.hash, e])), run.head.hash);
      const otherAll = await runEvents(db, abandoned.runId);
      const other = chainTo(new Map(otherAll.map((e) => [e.hash, e])), abandoned.head.hash);
      const outcome = await replayOnto(
        db,
        run,
        checklist,
        kept,
        other,
        {
          runId: run.runId,
          keepHead: run.head.hash,
          abandonHead: abandoned.head.hash,
          actor: input.actor,
        },
        abandoned.runId,
      );
      const updated = await db.runs.get(run.runId);
      if (updated)
        await db.deviceStates.put({
          deviceId: run.deviceId,
          orgRunId: (await db.deviceStates.get(run.deviceId))?.orgRunId ?? run.parentRunId ?? '',
          clearanceRunId: run.runId,
          status: clearanceStatus(checklist, updated.snapshot),
          updatedAt: updated.updatedAt,
        });
      return outcome;
    },
  );
}

async function replayOnto(
  db: ReconnectDatabase,
  run: RunRow,
  checklist: CompiledChecklist,
  kept: LogEntry[],
  actions: LogEntry[],
  input: { runId: string; keepHead: string; abandonHead: string; actor: string },
  abandonedRunId: string | undefined,
): Promise<ResolveOutcome> {
  // The kept branch, replayed from the start: the snapshot the run will show.
  let state = initialRunState(checklist);
  for (const e of kept) {
    const r = applyEvent(checklist, state, e.event);
    if (!r.ok) throw new Error(`The version to keep does not replay: ${r.rejection.message}`);
    state = r.state;
  }
  const header = headerOf(run);
  let head: Pick<LogEntry, 'seq' | 'hash'> | undefined = kept.at(-1);
  const written: LogEntry[] = [];
  const replayed: ResolutionRow['replayed'] = [];
  const refused: ResolutionRow['refused'] = [];
  for (const original of actions) {
    if (original.event.type === 'run.lock') {
      refused.push({
        from: original.hash,
        what: describe(original.event),
        why: 'A sign-off is never replayed: sign the record again once it is ready.',
      });
      continue;
    }
    const needsCount =
      original.event.type === 'step.complete' &&
      run.kind === 'organisation' &&
      checklist.index.steps.get(original.event.stepId)?.requiresFleetClearance === true;
    const event = {
      ...original.event,
      ...(needsCount ? { fleet: await countDevicesByStatus(run.runId, db) } : {}),
      replayedFrom: { hash: original.hash, runId: original.runId },
    } as LogEntry['event'];
    const r = applyEvent(checklist, state, event);
    if (!r.ok) {
      refused.push({
        from: original.hash,
        what: describe(original.event),
        why: r.rejection.message,
      });
      continue;
    }
    state = r.state;
    const entry = nextEntry(header, head, r.event);
    written.push(entry);
    replayed.push({ from: original.hash, to: entry.hash });
    head = entry;
  }
  const last = written.at(-1) ?? kept.at(-1);
  const resolvedAt = new Date().toISOString();
  await Promise.all([
    addEvents(db, written),
    db.runs.put({
      ...run,
      snapshot: state,
      head: last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: '' },
      progress: progressOf(stepStatuses(checklist, state)),
      updatedAt: resolvedAt,
      updatedBy: input.actor,
    }),
    db.resolutions.add({
      id: crypto.randomUUID(),
      runId: input.runId,
      keptHead: input.keepHead,
      abandonedHead: input.abandonHead,
      ...(abandonedRunId ? { abandonedRunId } : {}),
      resolvedBy: input.actor,
      resolvedAt,
      replayed,
      refused,
    }),
    run.kind === 'device' && run.deviceId && !abandonedRunId
      ? db.deviceStates.update(run.deviceId, {
          status: clearanceStatus(checklist, state),
          updatedAt: resolvedAt,
        })
      : undefined,
  ]);
  forgetRun(db, run.runId);
  return { replayed: replayed.length, refused };
}
