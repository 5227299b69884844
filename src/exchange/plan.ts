// Planning a merge: given verified parts from outside (a bundle, a sync) and what this device
// already holds of the same runs, work out what to write — never overwriting, only adding.
// Events merge as a set keyed by hash; each chain is checked link by link and the branch a run
// will show is replayed through its checklist machine. A run that both sides extended from the
// same point keeps both branches (a fork, for a person to resolve). Pure: the door in
// src/db/merge.ts reads the local side and writes the plan in one transaction.
import { canonicalJson, contentHash } from '../checklist/canonical.ts';
import type { ChecklistDefinition, HashedChecklist } from '../checklist/schema.ts';
import type { CompiledChecklist } from '../checklist/machine.ts';
import { clearanceStatus, type ClearanceStatus } from '../run/fleet.ts';
import type { RunHeader } from '../run/header.ts';
import { genesisHash, hashEntry, type LogEntry } from '../run/log.ts';
import { applyParsedEvent, initialRunState, type RunState } from '../run/replay.ts';
import { progressOf, stepStatuses, type Progress } from '../run/status.ts';
import { chainTo } from './forks.ts';
import type { Manifest, Parts } from './format.ts';

/**
 * A record that came to this device in a sign-off request, to be approved here: it is shown
 * read-only, and only an approver's actions (approve, send back, sign) are written to it.
 */
export interface HeldForApproval {
  /** Who made the request, on which device, and when. */
  by: string;
  device: string;
  at: string;
}

/**
 * The setting under which a backup carries which of its runs are held for approval on the
 * device it was made on (a hold belongs to that device, not to the record, so runs' headers do
 * not carry it). Value: { [runId]: HeldForApproval }.
 */
export const HELD_SETTING = 'held-for-approval';

function heldInBackup(settings: Parts['settings']): Map<string, HeldForApproval> {
  const held = new Map<string, HeldForApproval>();
  const value = settings.find((s) => s.key === HELD_SETTING)?.value;
  if (value === undefined) return held;
  const valid =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(([runId, h]) => {
      if (typeof h !== 'object' || h === null || Array.isArray(h)) return false;
      const { by, device, at, ...rest } = h as Record<string, unknown>;
      if (
        typeof by !== 'string' ||
        typeof device !== 'string' ||
        typeof at !== 'string' ||
        Object.keys(rest).length > 0
      )
        return false;
      held.set(runId, { by, device, at });
      return true;
    });
  if (!valid)
    throw new MergeRefusedError(
      'The backup’s list of records held for approval is not in the expected form.',
    );
  return held;
}

/** A run row as the database keeps it (the header, its cached replay and head). */
export interface PlannedRun extends RunHeader {
  snapshot: RunState;
  head: { seq: number; hash: string };
  progress: Progress;
  updatedAt: string;
  updatedBy: string;
  heldForApproval?: HeldForApproval;
}

export interface LocalDeviceState {
  deviceId: string;
  orgRunId: string;
  clearanceRunId: string;
  status: ClearanceStatus;
  updatedAt: string;
}

/** What this device holds that the merge needs, read inside the import transaction. */
export interface LocalSide {
  runs: ReadonlyMap<string, PlannedRun>;
  /** Local events among those the parts name (by hash), and those they follow. */
  events: ReadonlyMap<string, LogEntry>;
  checklists: ReadonlySet<string>;
  deviceStates: ReadonlyMap<string, LocalDeviceState>;
  inventories: ReadonlyMap<string, Parts['inventories'][number]>;
  files: ReadonlySet<string>;
  signedRecords: ReadonlySet<string>;
  approverFingerprints: ReadonlySet<string>;
  resolutions: ReadonlySet<string>;
  settings: ReadonlySet<string>;
}

export interface MergePlan {
  checklists: Parts['checklists'];
  /** Runs new to this device, and runs whose shown branch moves on: written whole. */
  runs: PlannedRun[];
  events: LogEntry[];
  deviceStates: LocalDeviceState[];
  inventories: Parts['inventories'];
  files: Parts['files'];
  signedRecords: Parts['signedRecords'];
  approvers: Parts['approvers'];
  resolutions: Parts['resolutions'];
  settings: Parts['settings'];
  /** Per run, what happens to it: for the preview and the note afterwards. */
  summary: {
    newRuns: number;
    updatedRuns: number;
    newEvents: number;
    unchangedRuns: number;
    /** Runs held here for approval that a hand-off releases for work on this device. */
    releasedRuns: number;
    /** Runs where both sides added from the same point: both branches are kept. */
    forks: { runId: string; kind: RunHeader['kind']; deviceId?: string }[];
    /** Devices whose clearance was started on both devices, as two runs. */
    deviceForks: { deviceId: string; runIds: [string, string] }[];
  };
}

export class MergeRefusedError extends Error {
  override name = 'MergeRefusedError';
}

// The machine's initial state, once per compiled checklist: XState takes about a millisecond to
// make it, and a bundle starts thousands of runs from it. Replay never mutates a state (each
// step makes a new one), so every run may start from the same object.
const initialStates = new WeakMap<CompiledChecklist, RunState>();
function initialStateOf(compiled: CompiledChecklist): RunState {
  let state = initialStates.get(compiled);
  if (!state) {
    state = initialRunState(compiled);
    initialStates.set(compiled, state);
  }
  return state;
}

function label(header: RunHeader): string {
  return header.kind === 'organisation'
    ? `the record for ${header.organisation.name}`
    : `the clearance of device ${header.deviceId ?? header.runId}`;
}

export interface PlanOptions {
  /** Compiles a pinned checklist (from this device or the parts). */
  compile: (checklist: HashedChecklist) => CompiledChecklist;
  /** Checklists already on this device, for runs that pin them. */
  localChecklist: (contentHash: string) => HashedChecklist | undefined;
  now: string;
  /**
   * Set for a sign-off request: runs new to this device are held for approval here. A record
   * this device already works on is never held (the approver signs where the work is done).
   */
  holdNewRuns?: HeldForApproval;
  /**
   * Set for a hand-off: the sender passes the record on to be worked on here, so a run held
   * for approval on this device (from an earlier sign-off request) is released.
   */
  releaseHolds?: boolean;
  /**
   * Set for a backup: runs new to this device are held as they were on the device that made
   * it (its HELD_SETTING).
   */
  restoreHolds?: boolean;
  /**
   * Incoming events whose hash an earlier plan of the very same parts has checked (the preview
   * of a file, before the person chose to import it): they are not hashed again. Events whose
   * hash is checked here are added to it. The parts must not have changed since (the import
   * door keeps them frozen).
   */
  hashChecked?: WeakSet<LogEntry>;
}

/**
 * Plans the merge of `parts` (already parsed and their signatures checked) into `local`.
 * Throws MergeRefusedError, naming the run and the event, when anything does not fit: then
 * nothing may be written.
 */
export function planMerge(
  parts: Parts,
  heads: Manifest['heads'],
  local: LocalSide,
  options: PlanOptions,
): MergePlan {
  const plan: MergePlan = {
    checklists: [],
    runs: [],
    events: [],
    deviceStates: [],
    inventories: [],
    files: [],
    signedRecords: [],
    approvers: [],
    resolutions: [],
    settings: [],
    summary: {
      newRuns: 0,
      updatedRuns: 0,
      newEvents: 0,
      unchangedRuns: 0,
      releasedRuns: 0,
      forks: [],
      deviceForks: [],
    },
  };

  // Checklists: the content hash must be the hash of the definition carried.
  const incomingChecklists = new Map<string, HashedChecklist>();
  for (const c of parts.checklists) {
    const definition = c.definition as unknown as ChecklistDefinition;
    const hashed = { definition, contentHash: c.contentHash };
    if (options.localChecklist(c.contentHash)) continue;
    // Runs pin a checklist by this hash: it must be the hash of the definition carried.
    if (contentHash(definition) !== c.contentHash)
      throw new MergeRefusedError(
        `The checklist ${(definition as { id?: string }).id ?? c.contentHash} in the bundle has been altered (its content hash does not match).`,
      );
    incomingChecklists.set(c.contentHash, hashed);
  }
  const checklistOf = (hash: string) =>
    options.localChecklist(hash) ?? incomingChecklists.get(hash);

  const headOf = new Map(heads.map((h) => [h.runId, h]));
  const eventsByRun = new Map<string, LogEntry[]>();
  const incomingByHash = new Map<string, LogEntry>();
  for (const e of parts.events) {
    if (incomingByHash.has(e.hash)) continue;
    incomingByHash.set(e.hash, e);
    let list = eventsByRun.get(e.runId);
    if (!list) eventsByRun.set(e.runId, (list = []));
    list.push(e);
  }
  const headers = new Map(parts.runs.map((r) => [r.runId, r]));
  for (const runId of eventsByRun.keys())
    if (!headers.has(runId) && !local.runs.has(runId))
      throw new MergeRefusedError(
        `The bundle holds events of a record (${runId}) whose details it does not carry.`,
      );

  const compiledCache = new Map<string, CompiledChecklist>();
  const compiledFor = (header: RunHeader) => {
    const cached = compiledCache.get(header.checklist.contentHash);
    if (cached) return cached;
    const checklist = checklistOf(header.checklist.contentHash);
    if (!checklist)
      throw new MergeRefusedError(
        `The checklist ${header.checklist.id} ${header.checklist.version} that ${label(header)} uses is neither in the bundle nor on this device.`,
      );
    const compiled = options.compile(checklist);
    compiledCache.set(header.checklist.contentHash, compiled);
    if (
      incomingChecklists.has(header.checklist.contentHash) &&
      !plan.checklists.some((c) => c.contentHash === header.checklist.contentHash)
    )
      plan.checklists.push({
        contentHash: checklist.contentHash,
        definition: checklist.definition as unknown as Record<string, never>,
      });
    return compiled;
  };

  const plannedDeviceState = new Map<string, LocalDeviceState>();
  const ownerOf = new Map<string, string>();
  for (const inv of parts.inventories) for (const d of inv.devices) ownerOf.set(d.id, inv.orgRunId);

  const hashChecked = options.hashChecked;
  const restoredHolds = options.restoreHolds
    ? heldInBackup(parts.settings)
    : new Map<string, HeldForApproval>();
  const all = new Map<string, LogEntry>(local.events);
  for (const e of incomingByHash.values()) all.set(e.hash, e);

  for (const header of parts.runs) {
    const known = local.runs.get(header.runId);
    if (known) {
      const {
        snapshot: _s,
        head: _h,
        progress: _p,
        updatedAt: _u,
        updatedBy: _b,
        heldForApproval: _held,
        ...localHeader
      } = known;
      if (canonicalJson(localHeader) !== canonicalJson(header))
        throw new MergeRefusedError(
          `The bundle’s copy of ${label(header)} (${header.runId}) has different details from the one on this device (organisation, checklist or start), so they cannot be the same record.`,
        );
    }
    let genesis: string | undefined;
    const incoming = eventsByRun.get(header.runId) ?? [];
    const fresh: LogEntry[] = [];
    for (const e of incoming) {
      if (local.events.has(e.hash)) continue;
      if (!hashChecked?.has(e)) {
        if (hashEntry(e) !== e.hash)
          throw new MergeRefusedError(
            `Event ${String(e.seq)} of ${label(header)} has been altered (its hash does not match).`,
          );
        hashChecked?.add(e);
      }
      const prev =
        e.seq === 1 ? undefined : (incomingByHash.get(e.prevHash) ?? local.events.get(e.prevHash));
      const links =
        e.seq === 1
          ? e.prevHash === (genesis ??= genesisHash(header))
          : prev?.runId === e.runId && prev.seq === e.seq - 1;
      if (!links)
        throw new MergeRefusedError(
          `Event ${String(e.seq)} of ${label(header)} does not follow any event before it: the bundle is incomplete or has been altered.`,
        );
      fresh.push(e);
    }
    const manifestHead = headOf.get(header.runId);
    const sentHead = manifestHead && manifestHead.seq > 0 ? manifestHead.hash : undefined;
    if (sentHead && !all.has(sentHead))
      throw new MergeRefusedError(
        `The bundle names a last event for ${label(header)} that it does not carry.`,
      );
    plan.events.push(...fresh);
    plan.summary.newEvents += fresh.length;

    const compiled = compiledFor(header);
    const replayFrom = (state: RunState, events: readonly LogEntry[]) => {
      let s = state;
      for (const e of events) {
        // The parts were parsed whole (PartsSchema) before planning: each event has its shape.
        const result = applyParsedEvent(compiled, s, e.event);
        if (!result.ok)
          throw new MergeRefusedError(
            `Event ${String(e.seq)} of ${label(header)} is refused by its checklist (${result.rejection.message}).`,
          );
        s = result.state;
      }
      return s;
    };
    // The step statuses of the row last made, for the device's status (worked out once).
    let rowStatuses: ReturnType<typeof stepStatuses> | undefined;
    const rowFor = (state: RunState, head: LogEntry | undefined): PlannedRun => {
      const statuses = stepStatuses(compiled, state);
      rowStatuses = statuses;
      return {
        ...header,
        snapshot: state,
        head: head ? { seq: head.seq, hash: head.hash } : { seq: 0, hash: '' },
        progress: progressOf(statuses),
        updatedAt: head?.event.at ?? header.createdAt,
        updatedBy: head?.event.actor.name ?? header.createdBy,
        // A run held here stays held as later requests move it on; a new one from a request is.
        ...(known
          ? known.heldForApproval && !options.releaseHolds
            ? { heldForApproval: known.heldForApproval }
            : {}
          : options.holdNewRuns
            ? { heldForApproval: options.holdNewRuns }
            : restoredHolds.has(header.runId)
              ? { heldForApproval: restoredHolds.get(header.runId) }
              : {}),
      };
    };

    let row: PlannedRun | undefined;
    if (!known) {
      const chain = chainTo(all, sentHead);
      row = rowFor(replayFrom(initialStateOf(compiled), chain), chain[chain.length - 1]);
      plan.runs.push(row);
      plan.summary.newRuns++;
    } else if (!sentHead || sentHead === known.head.hash || local.events.has(sentHead)) {
      // Nothing of theirs goes past what is shown here (their branches, if any, are stored).
      if (fresh.length === 0) plan.summary.unchangedRuns++;
      else plan.summary.updatedRuns++;
    } else {
      // Does their branch grow out of our head? Then ours moves on to theirs.
      const theirs = chainTo(all, sentHead);
      const at = known.head.seq === 0 ? -1 : theirs.findIndex((e) => e.hash === known.head.hash);
      if (known.head.seq === 0 || at >= 0) {
        const added = theirs.slice(at + 1);
        row = rowFor(replayFrom(known.snapshot, added), theirs[theirs.length - 1]);
        plan.runs.push(row);
        plan.summary.updatedRuns++;
      } else if (
        parts.resolutions.some(
          (r) =>
            r.runId === header.runId &&
            !r.abandonedRunId &&
            theirs.some((e) => e.hash === r.keptHead) &&
            chainTo(all, r.abandonedHead).some((e) => e.hash === known.head.hash),
        )
      ) {
        // Someone already resolved this fork against the branch shown here: follow them.
        row = rowFor(replayFrom(initialStateOf(compiled), theirs), theirs[theirs.length - 1]);
        plan.runs.push(row);
        plan.summary.updatedRuns++;
      } else {
        // Both went on from the same point: keep ours shown, theirs stored, and say so.
        replayFrom(initialStateOf(compiled), theirs);
        plan.summary.updatedRuns++;
        plan.summary.forks.push({
          runId: header.runId,
          kind: header.kind,
          ...(header.deviceId ? { deviceId: header.deviceId } : {}),
        });
      }
    }

    if (known?.heldForApproval && options.releaseHolds) {
      plan.summary.releasedRuns++;
      if (!row) {
        const { heldForApproval: _released, ...free } = known;
        plan.runs.push(free);
      }
    }

    if (header.kind === 'device' && header.deviceId) {
      const deviceId = header.deviceId;
      const stored = plannedDeviceState.get(deviceId) ?? local.deviceStates.get(deviceId);
      // A resolution from elsewhere that left the run shown here behind: show the kept one.
      const overruled =
        stored &&
        parts.resolutions.some(
          (r) => r.runId === header.runId && r.abandonedRunId === stored.clearanceRunId,
        );
      const state = overruled ? undefined : stored;
      if (!state || state.clearanceRunId === header.runId) {
        const shown = row ?? known;
        if (shown && (row || !state || overruled)) {
          const next: LocalDeviceState = {
            deviceId,
            orgRunId: stored?.orgRunId ?? ownerOf.get(deviceId) ?? header.parentRunId ?? '',
            clearanceRunId: header.runId,
            status:
              row && rowStatuses
                ? clearanceStatus(compiled, row.snapshot, rowStatuses)
                : clearanceStatus(compiled, shown.snapshot),
            updatedAt: shown.updatedAt,
          };
          plannedDeviceState.set(deviceId, next);
        }
      } else if (!local.resolutions.has(`device:${header.runId}`)) {
        plan.summary.deviceForks.push({ deviceId, runIds: [state.clearanceRunId, header.runId] });
      }
    }
  }
  plan.deviceStates = [...plannedDeviceState.values()];

  // Inventories: the union of devices by id; of two copies of one device, the later import.
  for (const inv of parts.inventories) {
    const mine = local.inventories.get(inv.orgRunId);
    const orgRow = local.runs.get(inv.orgRunId) ?? plan.runs.find((r) => r.runId === inv.orgRunId);
    if (!orgRow)
      throw new MergeRefusedError(
        `The bundle holds an inventory for a record (${inv.orgRunId}) it does not carry.`,
      );
    if (!mine) {
      plan.inventories.push(inv);
      continue;
    }
    if (orgRow.snapshot.context.locked) continue; // what was signed stays as signed
    const merged = [...mine.devices];
    const at = new Map(merged.map((d, i) => [d.id, i]));
    let changed = false;
    for (const d of inv.devices) {
      const i = at.get(d.id);
      if (i === undefined) {
        at.set(d.id, merged.length);
        merged.push(d);
        changed = true;
      } else {
        const ours = merged[i];
        if (
          ours &&
          d.source.importedAt > ours.source.importedAt &&
          canonicalJson(d) !== canonicalJson(ours)
        ) {
          merged[i] = d;
          changed = true;
        }
      }
    }
    if (changed)
      plan.inventories.push({
        orgRunId: inv.orgRunId,
        devices: merged,
        updatedAt: inv.updatedAt > mine.updatedAt ? inv.updatedAt : mine.updatedAt,
      });
  }

  const runKnown = (runId: string) =>
    local.runs.has(runId) || plan.runs.some((r) => r.runId === runId);
  for (const f of parts.files) {
    if (local.files.has(f.id)) continue;
    if (!runKnown(f.runId))
      throw new MergeRefusedError(
        `The bundle holds a file (${f.name}) of a record it does not carry.`,
      );
    if (!parts.blobs.some((b) => b.sha256 === f.sha256))
      throw new MergeRefusedError(`The bundle lists the file ${f.name} but does not carry it.`);
    plan.files.push(f);
  }
  for (const r of parts.signedRecords) {
    if (local.signedRecords.has(r.recordId)) continue;
    if (!runKnown(r.runId))
      throw new MergeRefusedError(
        'The bundle holds a signed record of a record it does not carry.',
      );
    const lockedWith = [...incomingByHash.values(), ...local.events.values()].some(
      (e) =>
        e.runId === r.runId && e.event.type === 'run.lock' && e.event.recordDigest === r.digest,
    );
    if (!lockedWith)
      throw new MergeRefusedError(
        `The signed record ${r.recordId} does not match any sign-off in its record’s audit log.`,
      );
    plan.signedRecords.push(r);
  }
  for (const a of parts.approvers)
    if (!local.approverFingerprints.has(a.fingerprint)) plan.approvers.push(a);
  for (const r of parts.resolutions) if (!local.resolutions.has(r.id)) plan.resolutions.push(r);
  for (const s of parts.settings)
    if (s.key !== HELD_SETTING && !local.settings.has(s.key)) plan.settings.push(s);
  return plan;
}
