// Whether an organisation record is ready for a manager to sign off, and what still stands in
// the way: every step resolved, every device cleared or isolated under an approved exception,
// and an intact audit log.
import type { FleetSummary } from '../checklist/events.ts';
import type { CompiledChecklist } from '../checklist/machine.ts';
import type { RunState } from './replay.ts';
import { signedStage, stageRefusal, stagesOf, stepsOfStage } from '../checklist/signoffs.ts';
import type { SignOff } from '../checklist/schema.ts';
import {
  progressOf,
  statusLabels,
  stepStatuses,
  type Progress,
  type StepStatus,
} from './status.ts';

export interface Blocker {
  kind: 'step' | 'fleet' | 'chain' | 'locked';
  stepId?: string;
  message: string;
}

export interface RiskAcceptance {
  stepId: string;
  title: string;
  reason: string;
  reviewDate: string;
  approver: { name: string; role: string; keyFingerprint?: string };
}

export interface Readiness {
  /** The sign-off this is readiness for: the next one to sign (the only one, if not staged). */
  stage: SignOff;
  /** Whether the checklist stages its sign-off (a go-ahead, then a closure). */
  staged: boolean;
  /** The sign-offs already signed, in order, with their record digests. */
  signed: { stage: SignOff; at: string; by: string; recordDigest: string }[];
  ready: boolean;
  blockers: Blocker[];
  statuses: Map<string, StepStatus>;
  progress: Progress;
  riskAcceptances: RiskAcceptance[];
  fleet: FleetSummary;
}

export function readiness(
  compiled: CompiledChecklist,
  state: RunState,
  fleet: FleetSummary,
  chain: { intact: boolean; problem?: string },
): Readiness {
  const statuses = stepStatuses(compiled, state);
  const blockers: Blocker[] = [];
  const stages = stagesOf(compiled.definition);
  const signed = stages.flatMap((s) => {
    const at = signedStage(compiled.definition, state.context, s.id);
    return at ? [{ stage: s, ...at }] : [];
  });
  // The next sign-off to sign; once all are signed, the last (the record is then locked).
  const stage =
    stages.find((s) => !signedStage(compiled.definition, state.context, s.id)) ??
    stages[stages.length - 1] ??
    stages[0];
  if (!stage) throw new Error('a checklist has at least one sign-off');
  const covered = new Set(stepsOfStage(compiled, stage.id));
  const closes = stage.id === stages[stages.length - 1]?.id;
  if (state.context.locked)
    blockers.push({
      kind: 'locked',
      message: 'This record has already been signed off. Start a new revision to change it.',
    });
  else if (compiled.definition.signoffs) {
    const refusal = stageRefusal(compiled, state.context, stage.id);
    if (refusal && !refusal.steps) blockers.push({ kind: 'locked', message: refusal.message });
  }
  for (const id of compiled.index.order) {
    // A sign-off before the last waits only for the steps it covers.
    if (!closes && !covered.has(id)) continue;
    const status = statuses.get(id);
    const title = compiled.index.steps.get(id)?.title ?? id;
    if (!status) continue;
    switch (status.kind) {
      case 'not-started':
      case 'in-progress':
        blockers.push({
          kind: 'step',
          stepId: id,
          message: `“${title}” is ${statusLabels[status.kind].toLowerCase()}`,
        });
        break;
      case 'needs-approval':
        blockers.push({
          kind: 'step',
          stepId: id,
          message: `“${title}” is waiting for an approver’s decision`,
        });
        break;
      case 'cannot-start':
        blockers.push({
          kind: 'step',
          stepId: id,
          message: status.signOff
            ? `“${title}” cannot start until “${status.signOff}” is signed`
            : `“${title}” cannot start until ${status.waitingFor.map((w) => `“${compiled.index.steps.get(w)?.title ?? w}”`).join(', ')} ${status.waitingFor.length === 1 ? 'is' : 'are'} done`,
        });
        break;
      default:
        break;
    }
  }
  if (fleet.outstanding > 0)
    blockers.push({
      kind: 'fleet',
      message: `${String(fleet.outstanding)} of ${String(fleet.total)} ${fleet.total === 1 ? 'device is' : 'devices are'} neither cleared nor isolated under an approved exception`,
    });
  if (!chain.intact)
    blockers.push({
      kind: 'chain',
      message: `The audit log is broken: ${chain.problem ?? 'an event does not fit the chain'}`,
    });

  const riskAcceptances: RiskAcceptance[] = [];
  for (const id of compiled.index.order) {
    const status = statuses.get(id);
    const resolution = state.context.steps[id]?.resolution;
    if (status?.kind === 'risk-accepted' && resolution?.approval)
      riskAcceptances.push({
        stepId: id,
        title: compiled.index.steps.get(id)?.title ?? id,
        reason: status.reason,
        reviewDate: status.reviewDate,
        approver: {
          name: resolution.approval.name,
          role: resolution.approval.role,
          ...(resolution.approval.keyFingerprint
            ? { keyFingerprint: resolution.approval.keyFingerprint }
            : {}),
        },
      });
  }
  return {
    stage,
    staged: (compiled.definition.signoffs?.length ?? 0) > 0,
    signed,
    ready: blockers.length === 0,
    blockers,
    statuses,
    progress: progressOf(statuses),
    riskAcceptances,
    fleet,
  };
}
