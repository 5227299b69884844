// The device fleet rolled up: each device's clearance status from its clearance run, and the
// counts the organisation record depends on. A device counts as done only when it is cleared,
// or isolated under an exception an approver accepted.
import type { FleetSummary } from '../checklist/events.ts';
import type { CompiledChecklist } from '../checklist/machine.ts';
import type { RunState } from './replay.ts';
import { progressOf, stepStatuses } from './status.ts';

export { clearanceLabels, type ClearanceStatus } from './statusWords.ts';
import type { ClearanceStatus } from './statusWords.ts';

/** A device's status from its clearance run (a device with no run has not started). */
export function clearanceStatus(
  compiled: CompiledChecklist,
  state: RunState,
  /** The run's step statuses, when the caller has them already. */
  statuses: ReturnType<typeof stepStatuses> = stepStatuses(compiled, state),
): ClearanceStatus {
  const progress = progressOf(statuses);
  const kinds = [...statuses.values()].map((s) => s.kind);
  if (progress.complete) return kinds.includes('risk-accepted') ? 'excepted' : 'cleared';
  if (kinds.includes('needs-approval')) return 'needs-approval';
  const acted = Object.values(state.context.steps).some((s) => s !== undefined);
  return acted ? 'in-progress' : 'not-started';
}

export function fleetSummary(statuses: Iterable<ClearanceStatus>): FleetSummary {
  let total = 0;
  let cleared = 0;
  let excepted = 0;
  for (const status of statuses) {
    total++;
    if (status === 'cleared') cleared++;
    else if (status === 'excepted') excepted++;
  }
  return { total, cleared, excepted, outstanding: total - cleared - excepted };
}

export function isFleetClear(summary: FleetSummary): boolean {
  return summary.outstanding === 0;
}
