// A run's state is what the checklist machine reaches by replaying the run's events. This is
// the pure heart of persistence: the cached snapshot in IndexedDB must always equal replay().
//
// Two interpreters run the same machine (config, named guards and actions): XState's own, the
// reference, which the graph verifier and the tests use; and the small config interpreter in
// checklist/interpreter.ts, which the app uses for every action and replay because XState
// takes about 4 ms an event on the 33-step reconnection checklist. Property tests hold the two
// equal, event for event, on random runs of every checklist.
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

function parse(
  raw: unknown,
): { ok: true; event: MachineEvent } | { ok: false; rejection: Rejection } {
  const parsed = MachineEventSchema.safeParse(raw);
  return parsed.success
    ? { ok: true, event: parsed.data }
    : { ok: false, rejection: malformed(parsed.error) };
}

/** Checks an event's shape, then asks the machine's rules; says why when they refuse. */
export function applyEvent(
  compiled: CompiledChecklist,
  state: RunState,
  raw: unknown,
): ApplyResult {
  const parsed = parse(raw);
  if (!parsed.ok) return parsed;
  return applyParsedEvent(compiled, state, parsed.event);
}

/**
 * applyEvent for an event already checked against MachineEventSchema (a bundle's events are,
 * with the rest of its parts, before any is replayed): the machine's rules, without parsing the
 * event's shape a second time.
 */
export function applyParsedEvent(
  compiled: CompiledChecklist,
  state: RunState,
  event: MachineEvent,
): ApplyResult {
  const rejection = explainRejection(compiled, state.context, event);
  if (rejection) return { ok: false, rejection };
  const next = interpret(compiled, state as InterpretedState, event);
  // The rules said yes but no transition was taken: a compiler bug, never a user error.
  if (!next) throw new Error(`machine ignored an accepted ${event.type} event`);
  return { ok: true, state: next, event };
}

/** The same as applyEvent, through XState's interpreter: the reference the fast path matches. */
export function applyEventWithXState(
  compiled: CompiledChecklist,
  state: RunState,
  raw: unknown,
): ApplyResult {
  const parsed = parse(raw);
  if (!parsed.ok) return parsed;
  const rejection = explainRejection(compiled, state.context, parsed.event);
  if (rejection) return { ok: false, rejection };
  const snapshot = toSnapshot(compiled, state);
  const [next] = transition(compiled.machine, snapshot, parsed.event);
  if (next === snapshot) throw new Error(`machine ignored an accepted ${parsed.event.type} event`);
  return { ok: true, state: toRunState(next), event: parsed.event };
}

export interface ReplayResult {
  state: RunState;
  /** Events the machine refused, by position; a valid log has none. */
  rejected: { index: number; rejection: Rejection }[];
}

/** Replays events from the start. Refused events are skipped and reported, never applied. */
export function replay(compiled: CompiledChecklist, events: readonly unknown[]): ReplayResult {
  let state = initialRunState(compiled);
  const rejected: ReplayResult['rejected'] = [];
  events.forEach((raw, index) => {
    const result = applyEvent(compiled, state, raw);
    if (result.ok) state = result.state;
    else rejected.push({ index, rejection: result.rejection });
  });
  return { state, rejected };
}
