// The compiler: a checklist definition becomes a plain machine config (JSON: states, event
// names, named guards and actions with plain parameters) and then an XState machine through
// the one shared `setup()` below. Guards find the checklist they judge by its key, so the
// config never holds functions.
import { assign, setup, type SnapshotFrom } from 'xstate';
import { explainRejection, isChecklistComplete, type CheckTarget } from './checks.ts';
import { indexChecklist, type ChecklistIndex } from './definition.ts';
import type { RunContext, StepContext, StepPhase } from './evaluate.ts';
import type { MachineEvent } from './events.ts';
import { validateEvidence } from './fields.ts';
import type { HashedChecklist, Outcome, Step } from './schema.ts';

const targets = new Map<string, CheckTarget>();

export function checklistKey(checklist: HashedChecklist): string {
  return `${checklist.definition.id}@${checklist.definition.version}#${checklist.contentHash}`;
}

function targetFor(key: string): CheckTarget {
  const target = targets.get(key);
  if (!target) throw new Error(`checklist ${key} has not been compiled`);
  return target;
}

interface StepParams {
  checklist: string;
  stepId: string;
}

/** Step events go to their own step's region only; the rules decide the rest. */
const accepts = (params: StepParams, context: RunContext, event: MachineEvent) =>
  (!('stepId' in event) || event.stepId === params.stepId) &&
  explainRejection(targetFor(params.checklist), context, event) === null;

function stepContext(context: RunContext, stepId: string): StepContext | undefined {
  return context.steps[stepId];
}

function withStep(
  context: RunContext,
  stepId: string,
  update: (previous: StepContext | undefined) => StepContext,
): RunContext['steps'] {
  return { ...context.steps, [stepId]: update(stepContext(context, stepId)) };
}

const outcomePhase: Record<Outcome, StepPhase> = {
  completed: 'completed',
  'not-applicable': 'notApplicable',
  'risk-accepted': 'riskAccepted',
};

export const checklistSetup = setup({
  types: {
    context: {} as RunContext,
    events: {} as MachineEvent,
  },
  guards: {
    canSave: ({ context, event }, params: StepParams) => accepts(params, context, event),
    canComplete: ({ context, event }, params: StepParams) => accepts(params, context, event),
    canMarkNotApplicable: ({ context, event }, params: StepParams) =>
      accepts(params, context, event),
    canRequestRiskAcceptance: ({ context, event }, params: StepParams) =>
      accepts(params, context, event),
    canReject: ({ context, event }, params: StepParams) => accepts(params, context, event),
    canReopen: ({ context, event }, params: StepParams) => accepts(params, context, event),
    canApproveAs: ({ context, event }, params: StepParams & { outcome: Outcome }) =>
      accepts(params, context, event) &&
      stepContext(context, params.stepId)?.pending?.outcome === params.outcome,
    isReturned: ({ context, event }, params: StepParams) =>
      event.type === 'run.return' &&
      event.returns.some((r) => r.stepId === params.stepId) &&
      accepts(params, context, event),
    canLock: ({ context, event }, params: { checklist: string }) =>
      explainRejection(targetFor(params.checklist), context, event) === null,
    isChecklistComplete: ({ context }, params: { checklist: string }) =>
      isChecklistComplete(targetFor(params.checklist), context),
    isChecklistIncomplete: ({ context }, params: { checklist: string }) =>
      !isChecklistComplete(targetFor(params.checklist), context),
  },
  actions: {
    recordDraft: assign({
      steps: ({ context, event }, params: StepParams) => {
        if (event.type !== 'step.save') return context.steps;
        return withStep(context, params.stepId, (previous) => ({
          ...previous,
          phase: 'inProgress',
          draft: event.draft,
          updatedBy: event.actor.name,
          updatedAt: event.at,
        }));
      },
    }),
    recordSubmission: assign({
      steps: ({ context, event }, params: StepParams & { needsApproval: boolean }) => {
        if (event.type !== 'step.complete') return context.steps;
        const target = targetFor(params.checklist);
        const step = target.index.steps.get(params.stepId);
        const parsed = step ? validateEvidence(step, event.evidence) : null;
        const evidence = parsed?.ok ? parsed.evidence : {};
        return withStep(context, params.stepId, (previous) => {
          const {
            draft: _draft,
            pending: _pending,
            resolution: _resolution,
            ...rest
          } = previous ?? {
            phase: 'notStarted' as StepPhase,
            updatedBy: '',
            updatedAt: '',
          };
          const by = { by: event.actor.name, at: event.at };
          return {
            ...rest,
            evidence,
            ...(params.needsApproval
              ? {
                  phase: 'awaitingApproval' as const,
                  pending: { outcome: 'completed' as const, ...by },
                }
              : {
                  phase: 'completed' as const,
                  resolution: { outcome: 'completed' as const, ...by },
                }),
            updatedBy: event.actor.name,
            updatedAt: event.at,
          };
        });
      },
    }),
    recordNotApplicable: assign({
      steps: ({ context, event }, params: StepParams & { needsApproval: boolean }) => {
        if (event.type !== 'step.not-applicable') return context.steps;
        return withStep(context, params.stepId, (previous) => {
          const {
            pending: _pending,
            resolution: _resolution,
            ...rest
          } = previous ?? {
            phase: 'notStarted' as StepPhase,
            updatedBy: '',
            updatedAt: '',
          };
          const decision = {
            outcome: 'not-applicable' as const,
            reason: event.reason.trim(),
            by: event.actor.name,
            at: event.at,
          };
          return {
            ...rest,
            ...(params.needsApproval
              ? { phase: 'awaitingApproval' as const, pending: decision }
              : { phase: 'notApplicable' as const, resolution: decision }),
            updatedBy: event.actor.name,
            updatedAt: event.at,
          };
        });
      },
    }),
    recordRiskRequest: assign({
      steps: ({ context, event }, params: StepParams) => {
        if (event.type !== 'step.risk-accept') return context.steps;
        return withStep(context, params.stepId, (previous) => {
          const {
            pending: _pending,
            resolution: _resolution,
            ...rest
          } = previous ?? {
            phase: 'notStarted' as StepPhase,
            updatedBy: '',
            updatedAt: '',
          };
          return {
            ...rest,
            ...(event.evidence ? { draft: event.evidence } : {}),
            phase: 'awaitingApproval' as const,
            pending: {
              outcome: 'risk-accepted' as const,
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
    }),
    recordApproval: assign({
      steps: ({ context, event }, params: StepParams) => {
        if (event.type !== 'step.approve') return context.steps;
        return withStep(context, params.stepId, (previous) => {
          const { pending, ...rest } = previous ?? {
            phase: 'notStarted' as StepPhase,
            updatedBy: '',
            updatedAt: '',
          };
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
    }),
    recordReturn: assign({
      steps: ({ context, event }, params: StepParams) => {
        if (event.type !== 'step.reject' && event.type !== 'run.return') return context.steps;
        const reason =
          event.type === 'step.reject'
            ? event.reason
            : (event.returns.find((r) => r.stepId === params.stepId)?.reason ?? '');
        return withStep(context, params.stepId, (previous) => {
          const {
            pending: _pending,
            resolution: _resolution,
            ...rest
          } = previous ?? {
            phase: 'notStarted' as StepPhase,
            updatedBy: '',
            updatedAt: '',
          };
          return {
            ...rest,
            phase: 'inProgress' as const,
            // Keep the submitted answers as the starting point for the fix.
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
    }),
    recordReopen: assign({
      steps: ({ context, event }, params: StepParams) => {
        if (event.type !== 'step.reopen') return context.steps;
        return withStep(context, params.stepId, (previous) => {
          const {
            pending: _pending,
            resolution: _resolution,
            ...rest
          } = previous ?? {
            phase: 'notStarted' as StepPhase,
            updatedBy: '',
            updatedAt: '',
          };
          return {
            ...rest,
            phase: 'inProgress' as const,
            ...(rest.evidence ? { draft: { ...rest.evidence } } : {}),
            reopened: { by: event.actor.name, reason: event.reason.trim(), at: event.at },
            updatedBy: event.actor.name,
            updatedAt: event.at,
          };
        });
      },
    }),
    recordLock: assign({
      locked: ({ context, event }) =>
        event.type === 'run.lock'
          ? { at: event.at, by: event.actor.name, recordDigest: event.recordDigest }
          : context.locked,
    }),
  },
});

// ---------------------------------------------------------------------------------------------
// Plain config
// ---------------------------------------------------------------------------------------------

interface TransitionConfig {
  guard: { type: string; params: Record<string, unknown> };
  target: string;
  actions: { type: string; params: Record<string, unknown> };
}

export interface StepRegionConfig {
  initial: 'notStarted';
  states: Record<
    StepPhase,
    { tags?: string[]; on?: Record<string, TransitionConfig | TransitionConfig[]> }
  >;
}

export interface MachineConfig {
  id: string;
  type: 'parallel';
  context: RunContext;
  states: {
    steps: { type: 'parallel'; states: Record<string, StepRegionConfig> };
    progress: {
      initial: 'incomplete';
      states: {
        incomplete: {
          always: { guard: { type: string; params: { checklist: string } }; target: string };
        };
        complete: {
          tags: string[];
          always: { guard: { type: string; params: { checklist: string } }; target: string };
        };
      };
    };
    record: {
      initial: 'open';
      states: {
        open: {
          on: {
            'run.lock': {
              guard: { type: string; params: { checklist: string } };
              target: string;
              actions: { type: string };
            };
          };
        };
        locked: { tags: string[] };
      };
    };
  };
}

function stepRegion(checklist: string, step: Step): StepRegionConfig {
  const params = { checklist, stepId: step.id };
  const needsApproval = step.approval !== undefined;
  const t = (
    guard: string,
    target: StepPhase,
    action: string,
    extra: Record<string, unknown> = {},
  ): TransitionConfig => ({
    guard: { type: guard, params: { ...params, ...extra } },
    target,
    actions: { type: action, params: { ...params, ...extra } },
  });
  const openTransitions: Record<string, TransitionConfig> = {
    'step.save': t('canSave', 'inProgress', 'recordDraft'),
  };
  if (step.outcomes.includes('completed'))
    openTransitions['step.complete'] = {
      ...t('canComplete', needsApproval ? 'awaitingApproval' : 'completed', 'recordSubmission'),
      actions: { type: 'recordSubmission', params: { ...params, needsApproval } },
    };
  if (step.outcomes.includes('not-applicable'))
    openTransitions['step.not-applicable'] = {
      ...t(
        'canMarkNotApplicable',
        needsApproval ? 'awaitingApproval' : 'notApplicable',
        'recordNotApplicable',
      ),
      actions: { type: 'recordNotApplicable', params: { ...params, needsApproval } },
    };
  if (step.outcomes.includes('risk-accepted'))
    openTransitions['step.risk-accept'] = t(
      'canRequestRiskAcceptance',
      'awaitingApproval',
      'recordRiskRequest',
    );

  const reopen = {
    'step.reopen': t('canReopen', 'inProgress', 'recordReopen'),
    'run.return': t('isReturned', 'inProgress', 'recordReturn'),
  };
  return {
    initial: 'notStarted',
    states: {
      notStarted: { on: openTransitions },
      inProgress: { on: openTransitions },
      awaitingApproval: {
        tags: ['needs-approval'],
        on: {
          'step.approve': (['completed', 'not-applicable', 'risk-accepted'] as const)
            .filter((o) => step.outcomes.includes(o))
            .map((outcome) =>
              t('canApproveAs', outcomePhase[outcome], 'recordApproval', { outcome }),
            ),
          'step.reject': t('canReject', 'inProgress', 'recordReturn'),
          ...reopen,
        },
      },
      completed: { on: reopen },
      notApplicable: { on: reopen },
      riskAccepted: { on: reopen },
    },
  };
}

/** The plain, JSON-serialisable machine config for a checklist. */
export function buildMachineConfig(checklist: HashedChecklist): MachineConfig {
  const key = checklistKey(checklist);
  const steps: Record<string, StepRegionConfig> = {};
  for (const phase of checklist.definition.phases)
    for (const step of phase.steps) steps[step.id] = stepRegion(key, step);
  const whole = { checklist: key };
  return {
    id: checklist.definition.id,
    type: 'parallel',
    context: { steps: {} },
    states: {
      steps: { type: 'parallel', states: steps },
      progress: {
        initial: 'incomplete',
        states: {
          incomplete: {
            always: { guard: { type: 'isChecklistComplete', params: whole }, target: 'complete' },
          },
          complete: {
            tags: ['complete'],
            always: {
              guard: { type: 'isChecklistIncomplete', params: whole },
              target: 'incomplete',
            },
          },
        },
      },
      record: {
        initial: 'open',
        states: {
          open: {
            on: {
              'run.lock': {
                guard: { type: 'canLock', params: whole },
                target: 'locked',
                actions: { type: 'recordLock' },
              },
            },
          },
          locked: { tags: ['locked'] },
        },
      },
    },
  };
}

export interface CompiledChecklist extends HashedChecklist, CheckTarget {
  key: string;
  index: ChecklistIndex;
  config: MachineConfig;
  machine: ReturnType<typeof createChecklistMachine>;
}

function createChecklistMachine(config: MachineConfig) {
  // The config is built to match the setup's guard and action names; XState checks them.
  return checklistSetup.createMachine(
    config as unknown as Parameters<typeof checklistSetup.createMachine>[0],
  );
}

const compiled = new Map<string, CompiledChecklist>();

/** Compiles a hashed checklist (once per content hash) into its machine and indexes. */
export function compileChecklist(checklist: HashedChecklist): CompiledChecklist {
  const key = checklistKey(checklist);
  const existing = compiled.get(key);
  if (existing) return existing;
  const index = indexChecklist(checklist.definition);
  targets.set(key, { definition: checklist.definition, index });
  const config = buildMachineConfig(checklist);
  const result: CompiledChecklist = {
    ...checklist,
    key,
    index,
    config,
    machine: createChecklistMachine(config),
  };
  compiled.set(key, result);
  return result;
}

export type ChecklistSnapshot = SnapshotFrom<CompiledChecklist['machine']>;
