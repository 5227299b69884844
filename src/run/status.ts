// What each step's status is, as a user sees it, derived from a run's state: the task-list
// tags, what a blocked step waits for, progress, and the next step to do.
import { createEvaluation, type StepContext } from '../checklist/evaluate.ts';
import { describeCondition } from '../checklist/describe.ts';
import type { CompiledChecklist } from '../checklist/machine.ts';
import { stageGate } from '../checklist/signoffs.ts';
import type { RunState } from './replay.ts';

export type StepStatus =
  | { kind: 'not-needed'; because: string }
  | {
      kind: 'cannot-start';
      waitingFor: string[];
      /** The sign-off (its title) that must be signed before this step can start. */
      signOff?: string;
    }
  | { kind: 'not-started' }
  | { kind: 'in-progress'; returned?: StepContext['returned']; reopened?: StepContext['reopened'] }
  | { kind: 'needs-approval'; pending: NonNullable<StepContext['pending']> }
  | { kind: 'completed' }
  | { kind: 'not-applicable'; reason: string }
  | { kind: 'risk-accepted'; reason: string; reviewDate: string };

export type StepStatusKind = StepStatus['kind'];
export { statusLabels } from './statusWords.ts';

export function stepStatuses(
  compiled: CompiledChecklist,
  state: RunState,
): Map<string, StepStatus> {
  const { index } = compiled;
  const evaluation = createEvaluation(
    { index, referenceTables: compiled.definition.referenceTables },
    state.context,
  );
  const statuses = new Map<string, StepStatus>();
  for (const id of index.order) {
    const step = index.steps.get(id);
    const s = state.context.steps[id];
    const phase = s?.phase ?? 'notStarted';
    let status: StepStatus;
    if (phase === 'completed') status = { kind: 'completed' };
    else if (phase === 'notApplicable')
      status = { kind: 'not-applicable', reason: s?.resolution?.reason ?? '' };
    else if (phase === 'riskAccepted')
      status = {
        kind: 'risk-accepted',
        reason: s?.resolution?.reason ?? '',
        reviewDate: s?.resolution?.reviewDate ?? '',
      };
    else if (phase === 'awaitingApproval' && s?.pending)
      status = { kind: 'needs-approval', pending: s.pending };
    else if (evaluation.applies(id) === false && step?.when)
      status = {
        kind: 'not-needed',
        because: `needed only when ${describeCondition(step.when, index)}`,
      };
    else {
      const waiting = evaluation.waitingFor(id);
      const gate = stageGate(compiled, state.context, id);
      if (gate?.kind === 'waiting')
        status = { kind: 'cannot-start', waitingFor: waiting, signOff: gate.stage.title };
      else if (waiting.length > 0) status = { kind: 'cannot-start', waitingFor: waiting };
      else if (phase === 'inProgress')
        status = {
          kind: 'in-progress',
          ...(s?.returned ? { returned: s.returned } : {}),
          ...(s?.reopened ? { reopened: s.reopened } : {}),
        };
      else status = { kind: 'not-started' };
    }
    // A resolved step whose condition has since turned false (after a correction upstream)
    // no longer counts: say so rather than show a stale outcome.
    if (
      (status.kind === 'completed' ||
        status.kind === 'not-applicable' ||
        status.kind === 'risk-accepted') &&
      step?.when &&
      evaluation.applies(id) === false
    ) {
      status = {
        kind: 'not-needed',
        because: `needed only when ${describeCondition(step.when, index)}`,
      };
    }
    statuses.set(id, status);
  }
  return statuses;
}

export interface Progress {
  /** Steps resolved in any way, including not needed. */
  done: number;
  /** All steps. */
  total: number;
  /** Steps waiting for an approver. */
  awaitingApproval: number;
  complete: boolean;
}

const doneKinds: readonly StepStatusKind[] = [
  'completed',
  'not-applicable',
  'risk-accepted',
  'not-needed',
];

export function progressOf(statuses: ReadonlyMap<string, StepStatus>): Progress {
  let done = 0;
  let awaitingApproval = 0;
  for (const status of statuses.values()) {
    if (doneKinds.includes(status.kind)) done++;
    if (status.kind === 'needs-approval') awaitingApproval++;
  }
  return { done, total: statuses.size, awaitingApproval, complete: done === statuses.size };
}

/** The step a user would do next: the first open one, else the first waiting for approval. */
export function nextStep(
  compiled: CompiledChecklist,
  statuses: ReadonlyMap<string, StepStatus>,
): string | null {
  const order = compiled.index.order;
  const open = order.find((id) => {
    const kind = statuses.get(id)?.kind;
    return kind === 'in-progress' || kind === 'not-started';
  });
  if (open) return open;
  return order.find((id) => statuses.get(id)?.kind === 'needs-approval') ?? null;
}
