// Which actions a step offers right now, asked of the machine's own rules with probe events, so
// the UI never offers what the machine would refuse (and can say why it is not offered).
import { explainRejection, type Rejection } from '../checklist/checks.ts';
import type { MachineEvent } from '../checklist/events.ts';
import type { CompiledChecklist } from '../checklist/machine.ts';
import type { RunState } from './replay.ts';

export type StepAction =
  'save' | 'complete' | 'notApplicable' | 'riskAccept' | 'approve' | 'reject' | 'reopen';

export type Availability = { available: true } | { available: false; rejection: Rejection };

/** Refusals that depend only on what the user has yet to type: the action is still offered. */
const dependsOnInput = new Set([
  'evidence-invalid',
  'reason-missing',
  'fleet-not-cleared',
  // The person chooses between the saved answers on the form, then completes.
  'draft-conflict',
]);

function probe(compiled: CompiledChecklist, stepId: string, action: StepAction): MachineEvent {
  const meta = { actor: { name: 'probe' }, at: new Date().toISOString() };
  // Who approves is chosen on the form, which offers the decision only to holders of the role
  // the step names: the probe takes it under that role, so the step still offers it.
  const role = compiled.index.steps.get(stepId)?.approval?.role;
  const approver = {
    name: 'probe',
    role: 'probe',
    ...(role && compiled.definition.roles?.some((r) => r.id === role) ? { roleId: role } : {}),
  };
  switch (action) {
    case 'save':
      return { type: 'step.save', stepId, changes: {}, ...meta };
    case 'complete':
      return { type: 'step.complete', stepId, evidence: {}, ...meta };
    case 'notApplicable':
      return { type: 'step.not-applicable', stepId, reason: 'probe', ...meta };
    case 'riskAccept':
      return {
        type: 'step.risk-accept',
        stepId,
        reason: 'probe',
        reviewDate: '9999-12-31',
        ...meta,
      };
    case 'approve':
      return { type: 'step.approve', stepId, approver, ...meta };
    case 'reject':
      return { type: 'step.reject', stepId, approver, reason: 'probe', ...meta };
    case 'reopen':
      return { type: 'step.reopen', stepId, reason: 'probe', ...meta };
  }
}

export function availableActions(
  compiled: CompiledChecklist,
  state: RunState,
  stepId: string,
): Record<StepAction, Availability> {
  const actions: StepAction[] = [
    'save',
    'complete',
    'notApplicable',
    'riskAccept',
    'approve',
    'reject',
    'reopen',
  ];
  const result = {} as Record<StepAction, Availability>;
  for (const action of actions) {
    const rejection = explainRejection(compiled, state.context, probe(compiled, stepId, action));
    result[action] =
      rejection === null || dependsOnInput.has(rejection.code)
        ? { available: true }
        : { available: false, rejection };
  }
  return result;
}
