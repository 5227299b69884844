// A small interpreter for the machine configs this compiler generates, running the same named
// guards and actions as XState (rules.ts). XState's general-purpose interpreter costs about
// 0.1 ms per event even for a tiny checklist, which makes replaying a long run slow; this one
// follows the same semantics for the shapes we generate — parallel regions select their
// transitions against the same context, actions run in document order, then eventless
// transitions settle — and a property test holds it equal to XState on random runs.
import type { RunContext } from './evaluate.ts';
import type { MachineEvent } from './events.ts';
import type { CompiledChecklist, MachineConfig } from './machine.ts';
import {
  actionImplementations,
  guardImplementations,
  type ActionName,
  type GuardName,
} from './rules.ts';

export interface InterpretedState {
  value: { steps: Record<string, string>; progress: string; record: string };
  context: RunContext;
}

interface Transition {
  guard: { type: string; params: unknown };
  target: string;
  actions?: { type: string; params?: unknown };
}

function guardHolds(guard: Transition['guard'], context: RunContext, event: MachineEvent): boolean {
  const impl = guardImplementations[guard.type as GuardName] as (
    c: RunContext,
    e: MachineEvent,
    p: unknown,
  ) => boolean;
  return impl(context, event, guard.params);
}

function select(
  candidates: Transition | Transition[] | undefined,
  context: RunContext,
  event: MachineEvent,
): Transition | undefined {
  if (!candidates) return undefined;
  const list = Array.isArray(candidates) ? candidates : [candidates];
  return list.find((t) => guardHolds(t.guard, context, event));
}

function settleProgress(
  config: MachineConfig,
  progress: string,
  context: RunContext,
  event: MachineEvent,
): string {
  let current = progress;
  for (let i = 0; i < 10; i++) {
    const node = config.states.progress.states[current as 'incomplete' | 'complete'];
    if (!guardHolds(node.always.guard, context, event)) return current;
    current = node.always.target;
  }
  throw new Error('eventless transitions did not settle');
}

/** The next state, or null when no transition is enabled (the machine ignores the event). */
export function interpret(
  compiled: CompiledChecklist,
  state: InterpretedState,
  event: MachineEvent,
): InterpretedState | null {
  const { config } = compiled;
  // region: a step id, or 'record' for the record region.
  const selected: { region: string; transition: Transition }[] = [];
  const regionIds = 'stepId' in event ? [event.stepId] : compiled.index.order;
  for (const stepId of regionIds) {
    const region = config.states.steps.states[stepId];
    const phase = state.value.steps[stepId];
    if (!region || !phase) continue;
    const on = region.states[phase as keyof typeof region.states].on as
      Record<string, Transition | Transition[]> | undefined;
    const transition = select(on?.[event.type], state.context, event);
    if (transition) selected.push({ region: stepId, transition });
  }
  const recordNode = config.states.record.states[state.value.record as 'open' | 'locked'];
  const recordOn = 'on' in recordNode ? (recordNode.on as Record<string, Transition>) : undefined;
  const recordTransition = select(recordOn?.[event.type], state.context, event);
  if (recordTransition) selected.push({ region: 'record', transition: recordTransition });
  if (selected.length === 0) return null;

  let context = state.context;
  const steps = { ...state.value.steps };
  let record = state.value.record;
  for (const { region, transition } of selected) {
    if (transition.actions) {
      const impl = actionImplementations[transition.actions.type as ActionName] as (
        c: RunContext,
        e: MachineEvent,
        p: unknown,
      ) => Partial<RunContext>;
      context = { ...context, ...impl(context, event, transition.actions.params) };
    }
    if (region === 'record') record = transition.target;
    else steps[region] = transition.target;
  }
  return {
    value: {
      steps,
      record,
      progress: settleProgress(config, state.value.progress, context, event),
    },
    context,
  };
}
