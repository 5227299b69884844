// The rules that decide whether a checklist machine accepts an event. The machine's named
// guards call these, and so does `explainRejection`, so the reason a user is shown is the
// reason the machine refused — there is no second copy of the rules in the UI.
import {
  createEvaluation,
  resolvedPhases,
  type Evaluation,
  type RunContext,
  type StepContext,
} from './evaluate.ts';
import type { ChecklistIndex } from './graph.ts';
import { validateEvidence, type EvidenceIssue } from './fields.ts';
import type { MachineEvent } from './events.ts';
import type { ChecklistDefinition, Outcome, Step } from './schema.ts';
import { describeCondition } from './describe.ts';
import { roleTitle, stageGate, stageRefusal, stagesOf } from './signoffs.ts';

export interface CheckTarget {
  definition: ChecklistDefinition;
  index: ChecklistIndex;
}

export type RejectionCode =
  | 'invalid-event'
  | 'run-locked'
  | 'unknown-step'
  | 'step-locked'
  | 'approval-needed'
  | 'prerequisite-missing'
  | 'condition-unknown'
  | 'condition-false'
  | 'evidence-invalid'
  | 'outcome-not-allowed'
  | 'reason-missing'
  | 'not-awaiting-approval'
  | 'fleet-not-cleared'
  | 'draft-conflict'
  | 'checklist-incomplete'
  | 'signoff-needed'
  | 'role-missing'
  | 'held-for-approval';

export interface Rejection {
  code: RejectionCode;
  message: string;
  /** Steps the user must deal with first, when that is the reason. */
  steps?: string[];
  /** Field-level problems, when the evidence is the reason. */
  issues?: EvidenceIssue[];
}

const phaseWords: Record<string, string> = {
  completed: 'completed',
  notApplicable: 'marked not applicable',
  riskAccepted: 'resolved by risk acceptance',
};

function titles(target: CheckTarget, ids: string[]): string {
  const names = ids.map((id) => `“${target.index.steps.get(id)?.title ?? id}”`);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

function stepState(context: RunContext, stepId: string): StepContext['phase'] {
  return context.steps[stepId]?.phase ?? 'notStarted';
}

/** Rules shared by every action that works on an open step. */
function checkOpenStep(
  target: CheckTarget,
  context: RunContext,
  evaluation: Evaluation,
  step: Step,
): Rejection | null {
  const phase = stepState(context, step.id);
  if (phase === 'awaitingApproval') {
    return {
      code: 'approval-needed',
      message: `“${step.title}” is waiting for a decision by ${step.approval ? roleTitle(target.definition, step.approval.role) : 'an approver'}. It can be changed once it is approved or sent back.`,
    };
  }
  if (phase !== 'notStarted' && phase !== 'inProgress') {
    return {
      code: 'step-locked',
      message: `“${step.title}” is already ${phaseWords[phase] ?? phase}. To change it, correct it and give a reason.`,
    };
  }
  const missing = step.requires.filter((id) => !evaluation.isResolved(id));
  if (missing.length > 0) {
    return {
      code: 'prerequisite-missing',
      message: `Complete ${titles(target, missing)} first.`,
      steps: missing,
    };
  }
  const applies = evaluation.applies(step.id);
  if (applies === 'unknown') {
    const waiting = evaluation.waitingFor(step.id);
    return {
      code: 'condition-unknown',
      message: `Whether this step applies depends on answers in ${titles(target, waiting)}. Complete ${waiting.length === 1 ? 'it' : 'them'} first.`,
      steps: waiting,
    };
  }
  if (!applies && step.when) {
    return {
      code: 'condition-false',
      message: `This step does not apply, given the answers so far: it is needed only when ${describeCondition(step.when, target.index)}.`,
    };
  }
  return null;
}

function reasonRejection(reason: string, what: string): Rejection | null {
  return reason.trim().length === 0
    ? { code: 'reason-missing', message: `Give a reason ${what}.` }
    : reason.length > 5000
      ? { code: 'reason-missing', message: 'The reason must be 5000 characters or fewer.' }
      : null;
}

function isRealIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

const completeMemo = new WeakMap<CheckTarget, WeakMap<RunContext, boolean>>();

/** True when every step is resolved: the checklist can be signed off. */
export function isChecklistComplete(target: CheckTarget, context: RunContext): boolean {
  let memo = completeMemo.get(target);
  if (!memo) {
    memo = new WeakMap();
    completeMemo.set(target, memo);
  }
  const known = memo.get(context);
  if (known !== undefined) return known;
  const result = computeComplete(target, context);
  memo.set(context, result);
  return result;
}

function computeComplete(target: CheckTarget, context: RunContext): boolean {
  // Cheap answer first: a step that is not resolved and has no condition always applies, so
  // the checklist cannot be complete. This is most of the time while a run is being worked.
  for (const id of target.index.order) {
    const phase = context.steps[id]?.phase ?? 'notStarted';
    if (!resolvedPhases.includes(phase) && !target.index.steps.get(id)?.when) return false;
  }
  const evaluation = createEvaluation(
    { index: target.index, referenceTables: target.definition.referenceTables },
    context,
  );
  return target.index.order.every((id) => evaluation.isResolved(id));
}

/**
 * A step whose draft holds answers saved differently by two writers cannot turn the draft into
 * evidence until a person has chosen: completing would drop one of them unseen.
 */
function conflictRejection(step: Step, context: RunContext): Rejection | null {
  const conflicts = context.steps[step.id]?.conflicts;
  const fields = conflicts ? Object.keys(conflicts) : [];
  if (fields.length === 0) return null;
  const labels = fields.map((id) => `“${step.fields.find((f) => f.id === id)?.label ?? id}”`);
  return {
    code: 'draft-conflict',
    message: `Two different answers were saved for ${labels.join(', ')}: choose which to keep first.`,
    issues: fields.map((field) => ({
      field,
      message: 'Two different answers were saved here: choose which to keep',
    })),
  };
}

/**
 * Why the machine would refuse `event` in `context`, or null if it would accept it. The event
 * must already have passed MachineEventSchema.
 */
export function explainRejection(
  target: CheckTarget,
  context: RunContext,
  event: MachineEvent,
): Rejection | null {
  // The machine's guard and the caller usually ask the same question in a row: answer once.
  if (last?.target === target && last.context === context && last.event === event)
    return last.result;
  const result = explain(target, context, event);
  last = { target, context, event, result };
  return result;
}

let last:
  | { target: CheckTarget; context: RunContext; event: MachineEvent; result: Rejection | null }
  | undefined;

function explain(target: CheckTarget, context: RunContext, event: MachineEvent): Rejection | null {
  if (context.locked) {
    return {
      code: 'run-locked',
      message:
        'This record has been signed off and is locked. Start a new revision to make changes.',
    };
  }
  const evaluation = createEvaluation(
    { index: target.index, referenceTables: target.definition.referenceTables },
    context,
  );

  if (event.type === 'run.signoff') {
    const stages = stagesOf(target.definition);
    if (!target.definition.signoffs || stages[stages.length - 1]?.id === event.signoff)
      return {
        code: 'invalid-event',
        message: `“${event.signoff}” is not a sign-off signed before the record is closed.`,
      };
    const refusal = stageRefusal(target, context, event.signoff);
    return refusal
      ? {
          code: refusal.steps ? 'checklist-incomplete' : 'signoff-needed',
          message: refusal.message,
          ...(refusal.steps ? { steps: refusal.steps } : {}),
        }
      : null;
  }
  if (event.type === 'run.lock' && target.definition.signoffs) {
    // The closing sign-off: every earlier one signed, and every step resolved.
    const stages = stagesOf(target.definition);
    const refusal = stageRefusal(target, context, stages[stages.length - 1]?.id ?? '');
    if (refusal?.steps === undefined && refusal)
      return { code: 'signoff-needed', message: refusal.message };
  }
  if (event.type === 'run.lock') {
    const open = target.index.order.filter((id) => !evaluation.isResolved(id));
    return open.length === 0
      ? null
      : {
          code: 'checklist-incomplete',
          message: `Every step must be resolved before sign-off; ${String(open.length)} ${open.length === 1 ? 'is' : 'are'} not.`,
          steps: open,
        };
  }
  if (event.type === 'run.return') {
    for (const { stepId } of event.returns) {
      if (!target.index.steps.has(stepId))
        return { code: 'unknown-step', message: `This checklist has no step “${stepId}”.` };
      const gate = stageRejection(target, context, stepId);
      if (gate) return gate;
      const phase = stepState(context, stepId);
      if (phase === 'notStarted' || phase === 'inProgress')
        return {
          code: 'not-awaiting-approval',
          message: `“${target.index.steps.get(stepId)?.title ?? stepId}” has not been submitted, so it cannot be sent back.`,
        };
    }
    return null;
  }

  const step = target.index.steps.get(event.stepId);
  if (!step)
    return { code: 'unknown-step', message: `This checklist has no step “${event.stepId}”.` };
  const phase = stepState(context, step.id);
  const gate = stageRejection(target, context, step.id);
  if (gate) return gate;

  switch (event.type) {
    case 'step.save': {
      const open = checkOpenStep(target, context, evaluation, step);
      if (open) return open;
      const known = new Set(step.fields.map((f) => f.id));
      if ((event.draft === undefined) === (event.changes === undefined))
        return {
          code: 'invalid-event',
          message: 'A draft save carries either the whole draft or only its changes.',
        };
      if (event.draft && (event.base || event.resolves))
        return {
          code: 'invalid-event',
          message: 'A whole-draft save cannot name a base or settle a conflict.',
        };
      const named = [
        ...Object.keys(event.draft ?? {}),
        ...Object.keys(event.changes ?? {}),
        ...Object.keys(event.base ?? {}),
        ...Object.keys(event.resolves ?? {}),
      ];
      const unknown = [...new Set(named)].filter((k) => !known.has(k));
      return unknown.length > 0
        ? {
            code: 'evidence-invalid',
            message: `This step has no field ${unknown.map((k) => `“${k}”`).join(', ')}.`,
          }
        : null;
    }
    case 'step.complete': {
      const open = checkOpenStep(target, context, evaluation, step);
      if (open) return open;
      if (!step.outcomes.includes('completed'))
        return {
          code: 'outcome-not-allowed',
          message: `“${step.title}” cannot be marked complete; ${outcomeList(step.outcomes)}.`,
        };
      const conflict = conflictRejection(step, context);
      if (conflict) return conflict;
      const result = validateEvidence(step, event.evidence);
      if (!result.ok)
        return {
          code: 'evidence-invalid',
          message: `Some answers need correcting: ${result.issues.map((i) => i.message).join('; ')}.`,
          issues: result.issues,
        };
      if (step.requiresFleetClearance) {
        const fleet = event.fleet;
        if (!fleet)
          return {
            code: 'fleet-not-cleared',
            message: 'This step needs the device roll-up, and none was given.',
          };
        if (fleet.total === 0)
          return {
            code: 'fleet-not-cleared',
            message:
              'No devices are on this record yet. Import the device inventory, then clear or except every device.',
          };
        if (fleet.outstanding > 0 || fleet.cleared + fleet.excepted < fleet.total)
          return {
            code: 'fleet-not-cleared',
            message: `${String(fleet.outstanding)} of ${String(fleet.total)} devices are neither cleared nor isolated under an approved exception.`,
          };
      }
      return null;
    }
    case 'step.not-applicable': {
      const open = checkOpenStep(target, context, evaluation, step);
      if (open) return open;
      if (!step.outcomes.includes('not-applicable'))
        return {
          code: 'outcome-not-allowed',
          message: `“${step.title}” cannot be marked not applicable; ${outcomeList(step.outcomes)}.`,
        };
      return reasonRejection(event.reason, 'why this step does not apply');
    }
    case 'step.risk-accept': {
      const open = checkOpenStep(target, context, evaluation, step);
      if (open) return open;
      if (!step.outcomes.includes('risk-accepted'))
        return {
          code: 'outcome-not-allowed',
          message: `Risk acceptance is not allowed for “${step.title}”; ${outcomeList(step.outcomes)}.`,
        };
      const reason = reasonRejection(event.reason, 'for accepting the risk');
      if (reason) return reason;
      if (!isRealIsoDate(event.reviewDate) || event.reviewDate <= event.at.slice(0, 10))
        return {
          code: 'reason-missing',
          message: 'Give a review date in the future for the risk acceptance.',
        };
      if (isRiskOnly(step)) {
        const conflict = conflictRejection(step, context);
        if (conflict) return conflict;
        // The answers are the substance of the exception (how the device is isolated, what
        // watches it): checked like a completion's, and kept with the decision.
        const result = validateEvidence(step, event.evidence ?? {});
        if (!result.ok)
          return {
            code: 'evidence-invalid',
            message: `Some answers need correcting: ${result.issues.map((i) => i.message).join('; ')}.`,
            issues: result.issues,
          };
      } else if (event.evidence) {
        const known = new Set(step.fields.map((f) => f.id));
        const unknown = Object.keys(event.evidence).filter((k) => !known.has(k));
        if (unknown.length > 0)
          return {
            code: 'evidence-invalid',
            message: `This step has no field ${unknown.map((k) => `“${k}”`).join(', ')}.`,
          };
      }
      return null;
    }
    case 'step.approve':
    case 'step.reject': {
      if (phase !== 'awaitingApproval')
        return {
          code: 'not-awaiting-approval',
          message: `“${step.title}” is not waiting for approval.`,
        };
      if (event.type === 'step.reject')
        return reasonRejection(event.reason, 'for sending the step back');
      // Where the checklist declares the role, the decision must be taken under it.
      const required = step.approval?.role;
      if (
        required !== undefined &&
        target.definition.roles?.some((r) => r.id === required) &&
        event.approver.roleId !== required
      )
        return {
          code: 'role-missing',
          message: `“${step.title}” needs a decision by the ${roleTitle(target.definition, required)}; ${event.approver.name} did not take it in that role.`,
        };
      // What the step stood on when it was sent may have been reopened since: an approver must
      // not sign a step off while a step it requires is open again.
      const missing = step.requires.filter((id) => !evaluation.isResolved(id));
      if (missing.length > 0)
        return {
          code: 'prerequisite-missing',
          message: `“${step.title}” cannot be approved while ${titles(target, missing)} ${missing.length === 1 ? 'is' : 'are'} open again. Resolve ${missing.length === 1 ? 'it' : 'them'} first, or send this step back.`,
          steps: missing,
        };
      if (step.when && evaluation.applies(step.id) !== true)
        return {
          code: 'condition-false',
          message: `“${step.title}” cannot be approved: given the answers now, it is needed only when ${describeCondition(step.when, target.index)}.`,
        };
      return null;
    }
    case 'step.reopen': {
      if (phase === 'notStarted' || phase === 'inProgress')
        return {
          code: 'step-locked',
          message: `“${step.title}” is still open; there is nothing to correct.`,
        };
      return reasonRejection(event.reason, 'for the correction');
    }
  }
}

/** A step locked by a signed sign-off, or waiting for an earlier one to be signed. */
function stageRejection(
  target: CheckTarget,
  context: RunContext,
  stepId: string,
): Rejection | null {
  const gate = stageGate(target, context, stepId);
  if (!gate) return null;
  const title = target.index.steps.get(stepId)?.title ?? stepId;
  return gate.kind === 'locked'
    ? {
        code: 'step-locked',
        message: `“${title}” is covered by “${gate.stage.title}”, which has been signed, so it cannot change. Start a new revision to change it.`,
      }
    : {
        code: 'signoff-needed',
        message: `“${title}” cannot start until “${gate.stage.title}” is signed.`,
      };
}

/**
 * A step resolved only by accepting a risk (it cannot be completed) whose fields describe the
 * exception: its answers go with the request for risk acceptance.
 */
export function isRiskOnly(step: Step): boolean {
  return (
    !step.outcomes.includes('completed') &&
    step.outcomes.includes('risk-accepted') &&
    step.fields.length > 0
  );
}

function outcomeList(outcomes: readonly Outcome[]): string {
  const words: Record<Outcome, string> = {
    completed: 'completed',
    'not-applicable': 'not applicable',
    'risk-accepted': 'risk accepted',
  };
  return `it can be ${outcomes.map((o) => words[o]).join(' or ')}`;
}
