// Bulk actions over an organisation's devices: one event on each device's clearance run, each
// checked by that run's own machine, all written in one transaction.
import type { Rejection } from '../checklist/checks.ts';
import type { MachineEvent } from '../checklist/events.ts';
import type { CompiledChecklist } from '../checklist/machine.ts';
import type { HashedChecklist } from '../checklist/schema.ts';
import { clearanceStatus } from '../run/fleet.ts';
import { nextEntry, type LogEntry } from '../run/log.ts';
import { applyEvent, initialRunState, type RunState } from '../run/replay.ts';
import { progressOf, stepStatuses } from '../run/status.ts';
import {
  getDatabase,
  type DeviceStateRow,
  type ReconnectDatabase,
  type RunRow,
} from './database.ts';
import { addEvents, eventTable } from './eventStore.ts';
import {
  ActionRejectedError,
  RecordNotFoundError,
  compiledOnce,
  guardWrite,
  headerOf,
  loadPinnedChecklist,
  refuseIfHeld,
  summarise,
} from './runs.ts';

/** One device's part of a bulk action: its event, worked out from its clearance run so far. */
export interface DeviceAction {
  deviceId: string;
  /** The event for this device, given its run's state (undefined: not started yet). */
  event: (state: RunState | undefined) => MachineEvent;
}

export interface BulkOutcome {
  /** Devices whose event was recorded. */
  recorded: string[];
  /** Devices whose own checklist refused the event: for these nothing was written. */
  refused: { deviceId: string; rejection: Rejection }[];
}

/**
 * A bulk action over devices: for each, one event on its clearance run (started here, pinned
 * to `checklist`, if it has none), checked by that run's own machine. What a device's machine
 * refuses leaves that device exactly as it was — not even started; the rest is written in one
 * transaction (all of it, or none if the browser fails), so thousands of devices cost one
 * commit rather than thousands.
 */
export async function recordForDevices(
  orgRunId: string,
  checklist: HashedChecklist,
  actor: string,
  actions: readonly DeviceAction[],
  db: ReconnectDatabase = getDatabase(),
): Promise<BulkOutcome> {
  const compiledNew = compiledOnce(checklist);
  const initial = initialRunState(compiledNew);
  const initialProgress = summarise(compiledNew, initial);
  return guardWrite(() =>
    db.transaction(
      'rw',
      [db.runs, eventTable(db), db.deviceStates, db.checklists, db.inventories],
      async () => {
        const org = await db.runs.get(orgRunId);
        if (org?.kind !== 'organisation') throw new RecordNotFoundError(orgRunId);
        if (org.snapshot.context.locked || org.snapshot.context.signoffs)
          throw new ActionRejectedError({
            code: 'run-locked',
            message:
              'This record is signed off and locked: start a new revision to change its devices.',
          });
        refuseIfHeld(org);
        if (!(await db.checklists.get(checklist.contentHash)))
          await db.checklists.put({ ...checklist, id: checklist.definition.id });
        const states = await db.deviceStates.bulkGet(actions.map((a) => a.deviceId));
        const runs = await db.runs.bulkGet(states.map((s) => s?.clearanceRunId ?? ''));
        const compiledOf = new Map<string, CompiledChecklist>([
          [checklist.contentHash, compiledNew],
        ]);
        for (const run of runs)
          if (run && !compiledOf.has(run.checklist.contentHash))
            compiledOf.set(run.checklist.contentHash, await loadPinnedChecklist(run.checklist, db));

        const now = new Date().toISOString();
        const outcome: BulkOutcome = { recorded: [], refused: [] };
        const entries: LogEntry[] = [];
        const rows: RunRow[] = [];
        const deviceRows: DeviceStateRow[] = [];
        actions.forEach((action, i) => {
          const state = states[i];
          const stored = runs[i];
          if (state && stored && state.orgRunId !== orgRunId) {
            outcome.refused.push({
              deviceId: action.deviceId,
              rejection: {
                code: 'invalid-event',
                message: 'This device belongs to another record.',
              },
            });
            return;
          }
          const run: RunRow =
            stored ??
            ({
              runId: crypto.randomUUID(),
              kind: 'device',
              organisation: org.organisation,
              checklist: {
                id: checklist.definition.id,
                version: checklist.definition.version,
                contentHash: checklist.contentHash,
              },
              createdAt: now,
              createdBy: actor,
              parentRunId: orgRunId,
              deviceId: action.deviceId,
              snapshot: initial,
              head: { seq: 0, hash: '' },
              progress: initialProgress,
              updatedAt: now,
              updatedBy: actor,
            } satisfies RunRow);
          const compiled = compiledOf.get(run.checklist.contentHash) ?? compiledNew;
          const result = applyEvent(compiled, run.snapshot, action.event(stored?.snapshot));
          if (!result.ok) {
            outcome.refused.push({ deviceId: action.deviceId, rejection: result.rejection });
            return;
          }
          // As commitOf, with the step statuses worked out once for the row and the device.
          const statuses = stepStatuses(compiled, result.state);
          const entry = nextEntry(
            headerOf(run),
            run.head.seq === 0 ? undefined : run.head,
            result.event,
          );
          entries.push(entry);
          rows.push({
            ...run,
            snapshot: result.state,
            head: { seq: entry.seq, hash: entry.hash },
            progress: progressOf(statuses),
            updatedAt: result.event.at,
            updatedBy: result.event.actor.name,
          });
          deviceRows.push({
            deviceId: action.deviceId,
            orgRunId,
            clearanceRunId: run.runId,
            status: clearanceStatus(compiled, result.state, statuses),
            updatedAt: result.event.at,
          });
          outcome.recorded.push(action.deviceId);
        });
        if (rows.length > 0)
          await Promise.all([
            addEvents(db, entries),
            db.runs.bulkPut(rows),
            db.deviceStates.bulkPut(deviceRows),
          ]);
        return outcome;
      },
    ),
  );
}
