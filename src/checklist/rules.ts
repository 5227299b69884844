// The named guards and actions of every checklist machine, as plain functions of
// (context, event, params). XState runs them through the shared `setup()` in machine.ts; the
// config interpreter (interpreter.ts) runs the very same functions for fast replays. Guards
// find the checklist they judge by its key, so machine configs never hold functions.
import { explainRejection, isChecklistComplete, isRiskOnly, type CheckTarget } from './checks.ts';
import type { RunContext, StepContext, StepPhase } from './evaluate.ts';
import type { MachineEvent } from './events.ts';
import { mergeDraft } from './draftMerge.ts';
import { validateEvidence } from './fields.ts';
import type { Outcome } from './schema.ts';

const targets = new Map<string, CheckTarget>();

export function registerTarget(key: string, target: CheckTarget): void {
  targets.set(key, target);
}

function targetFor(key: string): CheckTarget {
  const target = targets.get(key);
  if (!target) throw new Error(`checklist ${key} has not been compiled`);
  return target;
}

export interface StepParams {
  checklist: string;
  stepId: string;
}
export interface WholeParams {
  checklist: string;
}

/** Step events go to their own step's region only; the rules decide the rest. */
function accepts(params: StepParams, context: RunContext, event: MachineEvent): boolean {
  return (
    (!('stepId' in event) || event.stepId === params.stepId) &&
    explainRejection(targetFor(params.checklist), context, event) === null
  );
}

export const outcomePhase: Record<Outcome, StepPhase> = {
  completed: 'completed',
  'not-applicable': 'notApplicable',
  'risk-accepted': 'riskAccepted',
};

export const guardImplementations = {
  canSave: (context: RunContext, event: MachineEvent, params: StepParams) =>
    event.type === 'step.save' && accepts(params, context, event),
  canComplete: (context: RunContext, event: MachineEvent, params: StepParams) =>
    event.type === 'step.complete' && accepts(params, context, event),
  canMarkNotApplicable: (context: RunContext, event: MachineEvent, params: StepParams) =>
    event.type === 'step.not-applicable' && accepts(params, context, event),
  canRequestRiskAcceptance: (context: RunContext, event: MachineEvent, params: StepParams) =>
    event.type === 'step.risk-accept' && accepts(params, context, event),
  canReject: (context: RunContext, event: MachineEvent, params: StepParams) =>
    event.type === 'step.reject' && accepts(params, context, event),
  canReopen: (context: RunContext, event: MachineEvent, params: StepParams) =>
    event.type === 'step.reopen' && accepts(params, context, event),
  canApproveAs: (
    context: RunContext,
    event: MachineEvent,
    params: StepParams & { outcome: Outcome },
  ) =>
    event.type === 'step.approve' &&
    context.steps[params.stepId]?.pending?.outcome === params.outcome &&
    accepts(params, context, event),
  isReturned: (context: RunContext, event: MachineEvent, params: StepParams) =>
    event.type === 'run.return' &&
    event.returns.some((r) => r.stepId === params.stepId) &&
    accepts(params, context, event),
  canSignOff: (context: RunContext, event: MachineEvent, params: WholeParams) =>
    event.type === 'run.signoff' &&
    explainRejection(targetFor(params.checklist), context, event) === null,
  canLock: (context: RunContext, event: MachineEvent, params: WholeParams) =>
    event.type === 'run.lock' &&
    explainRejection(targetFor(params.checklist), context, event) === null,
  isChecklistComplete: (context: RunContext, _event: MachineEvent, params: WholeParams) =>
    isChecklistComplete(targetFor(params.checklist), context),
  isChecklistIncomplete: (context: RunContext, _event: MachineEvent, params: WholeParams) =>
    !isChecklistComplete(targetFor(params.checklist), context),
};

export type GuardName = keyof typeof guardImplementations;

const blankStep: StepContext = { phase: 'notStarted', updatedBy: '', updatedAt: '' };

/** Replaces one step's context; the rest of the run is shared, not copied. */
function updateStep(
  context: RunContext,
  stepId: string,
  update: (previous: StepContext) => StepContext,
): Partial<RunContext> {
  return { steps: { ...context.steps, [stepId]: update(context.steps[stepId] ?? blankStep) } };
}

/** A step's context without its draft and what goes with it (who wrote it, its conflicts). */
function withoutDraft(step: StepContext): StepContext {
  const { draft: _draft, draftBy: _draftBy, conflicts: _conflicts, ...rest } = step;
  return rest;
}

/** A step's context without what a new decision replaces. */
function withoutDecision(step: StepContext): StepContext {
  const { pending: _pending, resolution: _resolution, ...rest } = step;
  return rest;
}

export const actionImplementations = {
  recordDraft: (
    context: RunContext,
    event: MachineEvent,
    params: StepParams,
  ): Partial<RunContext> => {
    if (event.type !== 'step.save') return {};
    return updateStep(context, params.stepId, (previous) => {
      const meta = {
        phase: 'inProgress' as const,
        updatedBy: event.actor.name,
        updatedAt: event.at,
      };
      // An old whole-draft save replaces the draft, as it did when it was written.
      if (event.draft) return { ...previous, ...meta, draft: event.draft };
      const { state } = mergeDraft(
        {
          draft: previous.draft ?? {},
          draftBy: previous.draftBy ?? {},
          conflicts: previous.conflicts ?? {},
        },
        {
          changes: event.changes ?? {},
          ...(event.base ? { base: event.base } : {}),
          ...(event.resolves ? { resolves: event.resolves } : {}),
        },
        { by: event.actor.name, at: event.at },
        { by: previous.updatedBy, at: previous.updatedAt },
      );
      const { draftBy: _by, conflicts: _conflicts, ...rest } = previous;
      return {
        ...rest,
        ...meta,
        draft: state.draft,
        draftBy: state.draftBy,
        ...(Object.keys(state.conflicts).length > 0
          ? { conflicts: state.conflicts as StepContext['conflicts'] & object }
          : {}),
      };
    });
  },

  recordSubmission: (
    context: RunContext,
    event: MachineEvent,
    params: StepParams & { needsApproval: boolean },
  ): Partial<RunContext> => {
    if (event.type !== 'step.complete') return {};
    const step = targetFor(params.checklist).index.steps.get(params.stepId);
    const parsed = step ? validateEvidence(step, event.evidence) : null;
    const by = { by: event.actor.name, at: event.at };
    return updateStep(context, params.stepId, (previous) => {
      const { draft: _draft, ...rest } = withoutDraft(withoutDecision(previous));
      return {
        ...rest,
        evidence: parsed?.ok ? parsed.evidence : {},
        ...(params.needsApproval
          ? {
              phase: 'awaitingApproval' as const,
              pending: { outcome: 'completed' as const, ...by },
            }
          : { phase: 'completed' as const, resolution: { outcome: 'completed' as const, ...by } }),
        updatedBy: event.actor.name,
        updatedAt: event.at,
      };
    });
  },

  recordNotApplicable: (
    context: RunContext,
    event: MachineEvent,
    params: StepParams & { needsApproval: boolean },
  ): Partial<RunContext> => {
    if (event.type !== 'step.not-applicable') return {};
    const decision = {
      outcome: 'not-applicable' as const,
      reason: event.reason.trim(),
      by: event.actor.name,
      at: event.at,
    };
    return updateStep(context, params.stepId, (previous) => ({
      ...withoutDecision(previous),
      ...(params.needsApproval
        ? { phase: 'awaitingApproval' as const, pending: decision }
        : { phase: 'notApplicable' as const, resolution: decision }),
      updatedBy: event.actor.name,
      updatedAt: event.at,
    }));
  },

  recordRiskRequest: (
    context: RunContext,
    event: MachineEvent,
    params: StepParams,
  ): Partial<RunContext> => {
    if (event.type !== 'step.risk-accept') return {};
    const step = targetFor(params.checklist).index.steps.get(params.stepId);
    const parsed = step && isRiskOnly(step) ? validateEvidence(step, event.evidence ?? {}) : null;
    return updateStep(context, params.stepId, (previous) => {
      const base = withoutDecision(previous);
      return {
        // A risk-only step's answers are its evidence; elsewhere they stay a draft for later.
        ...(parsed?.ok
          ? { ...withoutDraft(base), evidence: parsed.evidence }
          : event.evidence
            ? { ...withoutDraft(base), draft: event.evidence }
            : base),
        phase: 'awaitingApproval',
        pending: {
          outcome: 'risk-accepted',
          reason: event.reason.trim(),
          reviewDate: event.reviewDate,
          by: event.actor.name,
          at: event.at,
        },
        updatedBy: event.actor.name,
        updatedAt: event.at,
      };
    });
  },

  recordApproval: (
    context: RunContext,
    event: MachineEvent,
    params: StepParams,
  ): Partial<RunContext> => {
    if (event.type !== 'step.approve') return {};
    return updateStep(context, params.stepId, (previous) => {
      const { pending, ...rest } = previous;
      if (!pending) return { ...rest, updatedBy: event.actor.name, updatedAt: event.at };
      return {
        ...rest,
        phase: outcomePhase[pending.outcome],
        resolution: {
          ...pending,
          approval: {
            ...event.approver,
            ...(event.statement ? { statement: event.statement } : {}),
            at: event.at,
          },
        },
        updatedBy: event.actor.name,
        updatedAt: event.at,
      };
    });
  },

  recordReturn: (
    context: RunContext,
    event: MachineEvent,
    params: StepParams,
  ): Partial<RunContext> => {
    if (event.type !== 'step.reject' && event.type !== 'run.return') return {};
    const reason =
      event.type === 'step.reject'
        ? event.reason
        : (event.returns.find((r) => r.stepId === params.stepId)?.reason ?? '');
    return updateStep(context, params.stepId, (previous) => {
      const rest = withoutDecision(previous);
      return {
        ...rest,
        phase: 'inProgress',
        // The submitted answers become the starting point for the fix.
        ...(rest.evidence && !rest.draft ? { draft: { ...rest.evidence } } : {}),
        returned: {
          by: event.approver.name,
          role: event.approver.role,
          reason: reason.trim(),
          at: event.at,
        },
        updatedBy: event.actor.name,
        updatedAt: event.at,
      };
    });
  },

  recordReopen: (
    context: RunContext,
    event: MachineEvent,
    params: StepParams,
  ): Partial<RunContext> => {
    if (event.type !== 'step.reopen') return {};
    return updateStep(context, params.stepId, (previous) => {
      const rest = withoutDecision(previous);
      return {
        ...(rest.evidence ? { ...withoutDraft(rest), draft: { ...rest.evidence } } : rest),
        phase: 'inProgress',
        reopened: { by: event.actor.name, reason: event.reason.trim(), at: event.at },
        updatedBy: event.actor.name,
        updatedAt: event.at,
      };
    });
  },

  recordSignOff: (
    context: RunContext,
    event: MachineEvent,
    _params: WholeParams,
  ): Partial<RunContext> => {
    if (event.type !== 'run.signoff') return {};
    return {
      signoffs: {
        ...context.signoffs,
        [event.signoff]: { at: event.at, by: event.actor.name, recordDigest: event.recordDigest },
      },
    };
  },

  recordLock: (
    _context: RunContext,
    event: MachineEvent,
    _params: WholeParams,
  ): Partial<RunContext> => {
    if (event.type !== 'run.lock') return {};
    return { locked: { at: event.at, by: event.actor.name, recordDigest: event.recordDigest } };
  },
};

export type ActionName = keyof typeof actionImplementations;
