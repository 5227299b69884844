// The compiler: a checklist definition becomes a plain machine config (JSON: states, event
// names, named guards and actions with plain parameters) and then an XState machine through
// the one shared `setup()` below, whose guards and actions are the functions in rules.ts.
import { assign, setup, type SnapshotFrom } from 'xstate';
import type { CheckTarget } from './checks.ts';
import { indexChecklist, type ChecklistIndex } from './graph.ts';
import type { RunContext, StepPhase } from './evaluate.ts';
import type { MachineEvent } from './events.ts';
import {
  actionImplementations as act,
  guardImplementations as can,
  outcomePhase,
  registerTarget,
  type StepParams,
  type WholeParams,
} from './rules.ts';
import type { HashedChecklist, Outcome, Step } from './schema.ts';

export function checklistKey(checklist: HashedChecklist): string {
  return `${checklist.definition.id}@${checklist.definition.version}#${checklist.contentHash}`;
}

type WithNeeds = StepParams & { needsApproval: boolean };

/** The one shared setup: every checklist machine uses these named guards and actions. */
export const checklistSetup = setup({
  types: {
    context: {} as RunContext,
    events: {} as MachineEvent,
  },
  guards: {
    canSave: ({ context, event }, p: StepParams) => can.canSave(context, event, p),
    canComplete: ({ context, event }, p: StepParams) => can.canComplete(context, event, p),
    canMarkNotApplicable: ({ context, event }, p: StepParams) =>
      can.canMarkNotApplicable(context, event, p),
    canRequestRiskAcceptance: ({ context, event }, p: StepParams) =>
      can.canRequestRiskAcceptance(context, event, p),
    canReject: ({ context, event }, p: StepParams) => can.canReject(context, event, p),
    canReopen: ({ context, event }, p: StepParams) => can.canReopen(context, event, p),
    canApproveAs: ({ context, event }, p: StepParams & { outcome: Outcome }) =>
      can.canApproveAs(context, event, p),
    isReturned: ({ context, event }, p: StepParams) => can.isReturned(context, event, p),
    canLock: ({ context, event }, p: WholeParams) => can.canLock(context, event, p),
    canSignOff: ({ context, event }, p: WholeParams) => can.canSignOff(context, event, p),
    isChecklistComplete: ({ context, event }, p: WholeParams) =>
      can.isChecklistComplete(context, event, p),
    isChecklistIncomplete: ({ context, event }, p: WholeParams) =>
      can.isChecklistIncomplete(context, event, p),
  },
  actions: {
    recordDraft: assign(({ context, event }, p: StepParams) => act.recordDraft(context, event, p)),
    recordSubmission: assign(({ context, event }, p: WithNeeds) =>
      act.recordSubmission(context, event, p),
    ),
    recordNotApplicable: assign(({ context, event }, p: WithNeeds) =>
      act.recordNotApplicable(context, event, p),
    ),
    recordRiskRequest: assign(({ context, event }, p: StepParams) =>
      act.recordRiskRequest(context, event, p),
    ),
    recordApproval: assign(({ context, event }, p: StepParams) =>
      act.recordApproval(context, event, p),
    ),
    recordReturn: assign(({ context, event }, p: StepParams) =>
      act.recordReturn(context, event, p),
    ),
    recordReopen: assign(({ context, event }, p: StepParams) =>
      act.recordReopen(context, event, p),
    ),
    recordLock: assign(({ context, event }, p: WholeParams) => act.recordLock(context, event, p)),
    recordSignOff: assign(({ context, event }, p: WholeParams) =>
      act.recordSignOff(context, event, p),
    ),
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
            'run.signoff'?: {
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
              // Staged sign-offs before the last lock what they cover; the record stays open.
              ...(checklist.definition.signoffs
                ? {
                    'run.signoff': {
                      guard: { type: 'canSignOff', params: whole },
                      target: 'open',
                      actions: { type: 'recordSignOff' },
                    },
                  }
                : {}),
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

/**
 * Compiles a hashed checklist into its machine and indexes; once per content hash unless
 * `fresh` is asked for (the benchmark measures compiling from scratch).
 */
export function compileChecklist(
  checklist: HashedChecklist,
  options: { fresh?: boolean } = {},
): CompiledChecklist {
  const key = checklistKey(checklist);
  const existing = compiled.get(key);
  if (existing && !options.fresh) return existing;
  const index = indexChecklist(checklist.definition);
  registerTarget(key, { definition: checklist.definition, index });
  const config = buildMachineConfig(checklist);
  // The machine is made when first asked for: a page that only shows statuses (the task list,
  // the fleet) reads the index and the stored snapshot and never needs it.
  let machine: CompiledChecklist['machine'] | undefined;
  const result: CompiledChecklist = {
    ...checklist,
    key,
    index,
    config,
    get machine() {
      machine ??= createChecklistMachine(config);
      return machine;
    },
  };
  compiled.set(key, result);
  return result;
}

export type ChecklistSnapshot = SnapshotFrom<CompiledChecklist['machine']>;
