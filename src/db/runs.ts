// Records (runs) in IndexedDB. Every user action is one transaction that appends an event to
// the run's log and updates its cached snapshot; the promise resolves only after the
// transaction has committed, so "Saved" on screen means saved on disk.
import { Dexie } from 'dexie';
import type { Rejection } from '../checklist/checks.ts';
import type { MachineEvent } from '../checklist/events.ts';
import { compileChecklist, type CompiledChecklist } from '../checklist/machine.ts';
import type { HashedChecklist } from '../checklist/schema.ts';
import type { ChecklistPin, Organisation, RunHeader } from '../run/header.ts';
import { nextEntry, type LogEntry } from '../run/log.ts';
import { chainTo } from '../exchange/forks.ts';
import { applyEvent, initialRunState, type ApplyResult, type RunState } from '../run/replay.ts';
import { clearanceStatus } from '../run/fleet.ts';
import { progressOf, stepStatuses } from '../run/status.ts';
import {
  announce,
  appendDirect,
  attempt,
  forgetRun,
  lastWrittenRow,
  usesDexie,
  rebase,
  rememberRun,
  sameHead,
  type Decision,
  type Written,
} from './directAppend.ts';
import { countDevicesByStatus } from './fleetCount.ts';
import { getDatabase, type FileRow, type ReconnectDatabase, type RunRow } from './database.ts';
import { addEvent, deleteRunEvents, eventTable, runEvents } from './eventStore.ts';

/** The machine refused the action; nothing was written. */
export class ActionRejectedError extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.message);
    this.name = 'ActionRejectedError';
  }
}

/** What an approver does to a record: the only actions written to one held for approval. */
const APPROVER_ACTIONS: ReadonlySet<MachineEvent['type']> = new Set([
  'step.approve',
  'step.reject',
  'run.return',
  'run.signoff',
  'run.lock',
]);

/**
 * Why `event` (or, without one, any change but an approver's) may not be written to `run`:
 * the record came to this device in a sign-off request, to be approved here, not worked on.
 */
export function heldRefusal(
  run: Pick<RunRow, 'heldForApproval'> | undefined,
  event?: MachineEvent,
): Rejection | undefined {
  const held = run?.heldForApproval;
  if (!held || (event && APPROVER_ACTIONS.has(event.type))) return undefined;
  return {
    code: 'held-for-approval',
    message: `This record came to this device for approval (a sign-off request from ${held.by}). It can be approved, signed or sent back here, but not changed: make changes on the device that sent it, then send a new request.`,
  };
}

/** Refuses, with the reason, a change to a record held for approval on this device. */
export function refuseIfHeld(run: Pick<RunRow, 'heldForApproval'> | undefined): void {
  const refusal = heldRefusal(run);
  if (refusal) throw new ActionRejectedError(refusal);
}

/** The browser refused to store more; nothing was written, and nothing saved before was lost. */
export class StorageFullError extends Error {
  constructor() {
    super(
      'This device has run out of storage space for Reconnect, so this change was not saved. Everything saved before is safe. Free some space (or export and delete old records) and try again.',
    );
    this.name = 'StorageFullError';
  }
}

export class RecordNotFoundError extends Error {
  constructor(runId: string) {
    super(`There is no record ${runId} on this device.`);
    this.name = 'RecordNotFoundError';
  }
}

function isQuotaError(error: unknown): boolean {
  const names = [Dexie.errnames.QuotaExceeded, 'QuotaExceededError'];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { name?: string; inner?: unknown };
    if (e.name && names.includes(e.name)) return true;
    current = e.inner;
  }
  return false;
}

/** Turns the browser's storage errors into ones the UI can explain. */
export async function guardWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError();
    throw error;
  }
}

export function headerOf(run: RunHeader): RunHeader {
  const header: RunHeader = {
    runId: run.runId,
    kind: run.kind,
    organisation: run.organisation,
    checklist: run.checklist,
    createdAt: run.createdAt,
    createdBy: run.createdBy,
  };
  if (run.parentRunId !== undefined) header.parentRunId = run.parentRunId;
  if (run.deviceId !== undefined) header.deviceId = run.deviceId;
  if (run.revisionOf !== undefined) header.revisionOf = run.revisionOf;
  return header;
}

const compiledByHash = new Map<string, CompiledChecklist>();

/** A checklist compiled once per content hash, however many runs use it. */
export function compiledOnce(checklist: HashedChecklist): CompiledChecklist {
  const cached = compiledByHash.get(checklist.contentHash);
  if (cached) return cached;
  const compiled = compileChecklist(checklist);
  compiledByHash.set(checklist.contentHash, compiled);
  return compiled;
}

/** The checklist a run pinned, compiled. Old versions stay in the database for old runs. */
export async function loadPinnedChecklist(
  pin: ChecklistPin,
  db: ReconnectDatabase = getDatabase(),
): Promise<CompiledChecklist> {
  const cached = compiledByHash.get(pin.contentHash);
  if (cached) return cached;
  const row = await db.checklists.get(pin.contentHash);
  if (!row)
    throw new Error(
      `The checklist ${pin.id} ${pin.version} this record uses is missing from this device.`,
    );
  const compiled = compileChecklist({ definition: row.definition, contentHash: row.contentHash });
  compiledByHash.set(pin.contentHash, compiled);
  return compiled;
}

type AcceptedEvent = Extract<ApplyResult, { ok: true }>;

export function summarise(compiled: CompiledChecklist, snapshot: RunState): RunRow['progress'] {
  return progressOf(stepStatuses(compiled, snapshot));
}

export interface NewRun {
  organisation: Organisation;
  checklist: HashedChecklist;
  actor: string;
  kind?: RunHeader['kind'];
  parentRunId?: string;
  deviceId?: string;
  revisionOf?: RunHeader['revisionOf'];
  runId?: string;
}

/** Starts a record: pins the checklist version and stores the empty run, in one transaction. */
export async function createRun(
  input: NewRun,
  db: ReconnectDatabase = getDatabase(),
): Promise<RunRow> {
  const compiled = compileChecklist(input.checklist);
  const now = new Date().toISOString();
  const snapshot = initialRunState(compiled);
  const header: RunHeader = {
    runId: input.runId ?? crypto.randomUUID(),
    kind: input.kind ?? 'organisation',
    organisation: input.organisation,
    checklist: {
      id: input.checklist.definition.id,
      version: input.checklist.definition.version,
      contentHash: input.checklist.contentHash,
    },
    createdAt: now,
    createdBy: input.actor,
  };
  if (input.parentRunId) header.parentRunId = input.parentRunId;
  if (input.deviceId) header.deviceId = input.deviceId;
  if (input.revisionOf) header.revisionOf = input.revisionOf;
  const row: RunRow = {
    ...header,
    snapshot,
    head: { seq: 0, hash: '' },
    progress: summarise(compiled, snapshot),
    updatedAt: now,
    updatedBy: input.actor,
  };
  await guardWrite(() =>
    db.transaction('rw', db.checklists, db.runs, async () => {
      if (input.parentRunId) refuseIfHeld(await db.runs.get(input.parentRunId));
      if (!(await db.checklists.get(input.checklist.contentHash))) {
        await db.checklists.put({ ...input.checklist, id: input.checklist.definition.id });
      }
      await db.runs.add(row);
    }),
  );
  return row;
}

export interface Committed {
  run: RunRow;
  entry: LogEntry;
}

/** The run after an accepted event, and the event as the next link of its hash chain. */
function commitOf(run: RunRow, compiled: CompiledChecklist, result: AcceptedEvent): Committed {
  const entry = nextEntry(headerOf(run), run.head.seq === 0 ? undefined : run.head, result.event);
  const updated: RunRow = {
    ...run,
    snapshot: result.state,
    head: { seq: entry.seq, hash: entry.hash },
    progress: summarise(compiled, result.state),
    updatedAt: result.event.at,
    updatedBy: result.event.actor.name,
  };
  return { run: updated, entry };
}

/** A completion that the fleet roll-up judges, which must be counted from the stored devices. */
function needsFleetCount(run: RunRow, compiled: CompiledChecklist, event: MachineEvent): boolean {
  return (
    event.type === 'step.complete' &&
    run.kind === 'organisation' &&
    compiled.index.steps.get(event.stepId)?.requiresFleetClearance === true
  );
}

/**
 * Appends one event to a run: reads the run inside the transaction (so two tabs never both
 * build on the same head), asks the machine, appends the event to the hash chain and updates
 * the cached snapshot — one transaction, resolved only once it has committed.
 */
export async function appendEvent(
  runId: string,
  event: MachineEvent,
  db: ReconnectDatabase = getDatabase(),
  /** More to write in the same transaction (a file, a signed record), given the run's head. */
  extra?: Extra,
): Promise<Committed> {
  const started = performance.now();
  // The common case (an organisation step, its checklist compiled, nothing else to write) goes
  // straight to IndexedDB; directAppend.ts says why. Everything else, and anything it declines,
  // goes through Dexie. Both read the run inside the transaction and write all or nothing.
  let path: 'direct' | 'dexie' = !extra && !usesDexie(runId) ? 'direct' : 'dexie';
  try {
    const direct = path === 'direct' ? await saveDirect(db, runId, event) : undefined;
    if (!direct) path = 'dexie';
    const committed = direct ?? (await appendThroughDexie(runId, event, db, extra));
    // The benchmark reads this: from the action to its committed transaction, and which path.
    performance.measure('reconnect:answer-commit', {
      start: started,
      end: performance.now(),
      detail: { path },
    });
    if (direct) {
      // Saved is saved: a live view that fails to refresh must not turn it into an error.
      try {
        announce(db, direct);
      } catch (error) {
        console.error(error);
      }
    }
    rememberRun(db, committed.run);
    return committed;
  } catch (error) {
    performance.mark('reconnect:answer-failed', { detail: { path } });
    throw error;
  }
}

/**
 * The direct save. While the browser reads the run, it works the action out on the row this
 * tab last wrote; the read then confirms that (the same head of the chain, so the same events
 * and snapshot), or the work is done again on what was read.
 */
function saveDirect(
  db: ReconnectDatabase,
  runId: string,
  event: MachineEvent,
): Promise<Written | undefined> {
  const guess = lastWrittenRow(db, runId);
  let prepared: { base: RunRow; decision: () => Decision } | undefined;
  return guardWrite(() =>
    appendDirect(db, runId, {
      whileReading: () => {
        if (guess) prepared = { base: guess, decision: attempt(() => decideDirect(guess, event)) };
      },
      decide: (run) =>
        run && prepared && sameHead(prepared.base, run)
          ? rebase(run, prepared.decision())
          : decideDirect(run, event),
    }),
  );
}

/** The direct path's decision on a stored run: what to write, a refusal (thrown), or decline. */
function decideDirect(run: RunRow | undefined, event: MachineEvent): Decision {
  const compiled = run && compiledByHash.get(run.checklist.contentHash);
  if (!run || !compiled || run.kind !== 'organisation') return 'decline';
  const held = heldRefusal(run, event);
  if (held) throw new ActionRejectedError(held);
  if (needsFleetCount(run, compiled, event)) return 'decline';
  const result = applyEvent(compiled, run.snapshot, event);
  if (!result.ok) throw new ActionRejectedError(result.rejection);
  return commitOf(run, compiled, result);
}

interface Extra {
  tables: ('files' | 'signedRecords')[];
  write: (ctx: { head: RunRow['head'] }) => Promise<void>;
}

async function appendThroughDexie(
  runId: string,
  event: MachineEvent,
  db: ReconnectDatabase,
  extra: Extra | undefined,
): Promise<Committed> {
  // Every table the action might need: the devices (a device's status, its organisation's
  // lock, the fleet roll-up) and the checklists (a run whose checklist this page has not
  // compiled).
  const scope = [
    db.runs,
    eventTable(db),
    db.deviceStates,
    db.checklists,
    db.inventories,
    ...(extra?.tables ?? []).map((t) => db.table(t)),
  ];
  return guardWrite(() =>
    db.transaction('rw', scope, async () => {
      const run = await db.runs.get(runId);
      if (!run) throw new RecordNotFoundError(runId);
      const held = heldRefusal(run, event);
      if (held) throw new ActionRejectedError(held);
      const compiled =
        compiledByHash.get(run.checklist.contentHash) ??
        (await loadPinnedChecklist(run.checklist, db));
      if (run.kind === 'device' && run.deviceId) {
        // A device belongs to its organisation's record (the latest revision that holds it):
        // once that is signed, so is the device.
        const owner = (await db.deviceStates.get(run.deviceId))?.orgRunId ?? run.parentRunId;
        const parent = owner ? await db.runs.get(owner) : undefined;
        // A device of a record held for approval here is as read-only as the record.
        const parentHeld = heldRefusal(parent, event);
        if (parentHeld) throw new ActionRejectedError(parentHeld);
        // A signed go-ahead covers the fleet as well: its devices are locked from then on.
        if (parent?.snapshot.context.locked || parent?.snapshot.context.signoffs)
          throw new ActionRejectedError({
            code: 'run-locked',
            message:
              'The organisation record this device belongs to is signed off and locked. Start a new revision to make changes.',
          });
      }
      // The device roll-up a fleet step is judged on is counted here, in the same transaction,
      // from what is stored — never taken from the page, whose copy may be stale or still loading.
      const judged = needsFleetCount(run, compiled, event)
        ? { ...event, fleet: await countDevicesByStatus(run.runId, db) }
        : event;
      const result = applyEvent(compiled, run.snapshot, judged);
      if (!result.ok) throw new ActionRejectedError(result.rejection);
      if (extra) await extra.write({ head: run.head });
      const committed = commitOf(run, compiled, result);
      // Issue the writes together rather than one after another: they are one transaction, so
      // if any fails all are undone, and the browser need not reply to each before the next.
      await Promise.all([
        addEvent(db, committed.entry),
        db.runs.put(committed.run),
        run.kind === 'device' && run.deviceId
          ? db.deviceStates.update(run.deviceId, {
              status: clearanceStatus(compiled, result.state),
              updatedAt: result.event.at,
            })
          : undefined,
      ]);
      return committed;
    }),
  );
}

/** A record cannot be deleted while a later revision builds on it. */
export class RevisedRecordError extends Error {
  constructor(readonly revisionRunId: string) {
    super(
      'A later revision of this record uses its evidence files and devices. Delete the revision first.',
    );
    this.name = 'RevisedRecordError';
  }
}

/**
 * Deletes a record with its events, files and (for an organisation) its device runs. A revision
 * hands the devices it took over back to the record it revises, whose signed record holds their
 * evidence; a record that a revision builds on is refused (RevisedRecordError).
 */
export async function deleteRun(
  runId: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<void> {
  await db.transaction(
    'rw',
    [db.runs, eventTable(db), db.files, db.inventories, db.deviceStates],
    async () => {
      const run = await db.runs.get(runId);
      const revision = await db.runs.filter((r) => r.revisionOf?.runId === runId).first();
      if (revision) throw new RevisedRecordError(revision.runId);
      const revises = run?.revisionOf?.runId;
      const owned = await db.deviceStates.where('orgRunId').equals(runId).toArray();
      const reaches = revises ? [runId] : [runId, ...owned.map((d) => d.clearanceRunId)];
      for (const id of reaches) {
        await deleteRunEvents(db, id);
        await db.files.where('runId').equals(id).delete();
        await db.runs.delete(id);
      }
      await db.inventories.delete(runId);
      forgetRun(db, runId);
      if (revises)
        await db.deviceStates.where('orgRunId').equals(runId).modify({ orgRunId: revises });
      else await db.deviceStates.where('orgRunId').equals(runId).delete();
    },
  );
}

/**
 * The events of the branch a run shows (the one ending at its head), oldest first. A run
 * usually has one branch; after an import it may hold another (a fork), which stays stored and
 * is read with readAllEvents.
 */
export async function readEvents(
  runId: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<LogEntry[]> {
  const [all, run] = await Promise.all([readAllEvents(runId, db), db.runs.get(runId)]);
  return shownBranch(all, run?.head.hash);
}

/** Every event stored for a run, every branch, in order of place in the run. */
export function readAllEvents(
  runId: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<LogEntry[]> {
  return runEvents(db, runId);
}

/** The branch that ends at `head`; with one branch (no two events at one place), all of them. */
export function shownBranch(all: LogEntry[], head: string | undefined): LogEntry[] {
  let forked = false;
  for (let i = 1; i < all.length && !forked; i++) forked = all[i]?.seq === all[i - 1]?.seq;
  return forked ? chainTo(new Map(all.map((e) => [e.hash, e])), head) : all;
}

export type { FileRow };
