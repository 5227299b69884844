// A run's state is what the checklist machine reaches by replaying the run's events. This is
// the pure heart of persistence: the cached snapshot in IndexedDB must always equal replay().
import { initialTransition, transition, type StateValue } from 'xstate';
import { explainRejection, type Rejection } from '../checklist/checks.ts';
import type { RunContext } from '../checklist/evaluate.ts';
import { MachineEventSchema, type MachineEvent } from '../checklist/events.ts';
import { interpret, type InterpretedState } from '../checklist/interpreter.ts';
import type { ChecklistSnapshot, CompiledChecklist } from '../checklist/machine.ts';

/** The part of a machine snapshot worth keeping: from it the snapshot is rebuilt exactly. */
export interface RunState {
  value: StateValue;
  context: RunContext;
}

export type ApplyResult =
  { ok: true; state: RunState; event: MachineEvent } | { ok: false; rejection: Rejection };

function malformed(error: { issues: { path: PropertyKey[]; message: string }[] }): Rejection {
  return {
    code: 'invalid-event',
    message: `The action is malformed: ${error.issues.map((i) => `${i.path.map(String).join('.') || 'event'}: ${i.message}`).join('; ')}`,
  };
}

export function toRunState(snapshot: ChecklistSnapshot): RunState {
  return { value: snapshot.value, context: snapshot.context };
}

export function initialRunState(compiled: CompiledChecklist): RunState {
  return toRunState(initialTransition(compiled.machine)[0]);
}

export function toSnapshot(compiled: CompiledChecklist, state: RunState): ChecklistSnapshot {
  return compiled.machine.resolveState({ value: state.value, context: state.context });
}

/** Checks an event's shape, then asks the machine; says why when it refuses. */
export function applyToSnapshot(
  compiled: CompiledChecklist,
  snapshot: ChecklistSnapshot,
  raw: unknown,
):
  | { ok: true; snapshot: ChecklistSnapshot; event: MachineEvent }
  | { ok: false; rejection: Rejection } {
  const parsed = MachineEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, rejection: malformed(parsed.error) };
  const event = parsed.data;
  const rejection = explainRejection(compiled, snapshot.context, event);
  if (rejection) return { ok: false, rejection };
  const [next] = transition(compiled.machine, snapshot, event);
  if (next === snapshot) {
    // The rules said yes but the machine took no transition: a compiler bug, never a user error.
    throw new Error(`machine ignored an accepted ${event.type} event`);
  }
  return { ok: true, snapshot: next, event };
}

export function applyEvent(
  compiled: CompiledChecklist,
  state: RunState,
  raw: unknown,
): ApplyResult {
  const result = applyToSnapshot(compiled, toSnapshot(compiled, state), raw);
  return result.ok ? { ok: true, state: toRunState(result.snapshot), event: result.event } : result;
}

export interface ReplayResult {
  state: RunState;
  /** Events the machine refused, by position; a valid log has none. */
  rejected: { index: number; rejection: Rejection }[];
}

/**
 * Replays events from the start. Refused events are skipped and reported, never applied. Uses
 * the config interpreter (same guards and actions as the XState machine, proven equal to it by
 * test/unit/checklist/interpreter.test.ts), because replaying through XState takes ~0.1 ms an
 * event.
 */
export function replay(compiled: CompiledChecklist, events: readonly unknown[]): ReplayResult {
  let state = initialRunState(compiled) as InterpretedState;
  const rejected: ReplayResult['rejected'] = [];
  events.forEach((raw, index) => {
    const parsed = MachineEventSchema.safeParse(raw);
    if (!parsed.success) {
      rejected.push({ index, rejection: malformed(parsed.error) });
      return;
    }
    const event = parsed.data;
    const rejection = explainRejection(compiled, state.context, event);
    if (rejection) {
      rejected.push({ index, rejection });
      return;
    }
    const next = interpret(compiled, state, event);
    if (!next) throw new Error(`machine ignored an accepted ${event.type} event`);
    state = next;
  });
  return { state, rejected };
}
