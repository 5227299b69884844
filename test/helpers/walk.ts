// Walking a checklist the quickest allowed way: valid answers for every required field, the
// approval when a step needs one, and given answers where a test cares about them.
import type { MachineEvent } from '../../src/checklist/events.ts';
import type { EvidenceValue } from '../../src/checklist/fields.ts';
import type { CompiledChecklist } from '../../src/checklist/machine.ts';
import { canonicalValue } from '../../src/checklist/verify.ts';
import { signedStage, stageRefusal, stagesOf } from '../../src/checklist/signoffs.ts';
import { ev, kinds, run } from './checklists.ts';

export type Answers = Record<string, EvidenceValue | undefined>;

/** Valid evidence for a step: one answer for each required field, then the given answers. */
export function answers(c: CompiledChecklist, stepId: string, given: Answers = {}) {
  const step = c.index.steps.get(stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  const evidence: Record<string, EvidenceValue> = {};
  for (const field of step.fields) {
    const value =
      field.id in given ? given[field.id] : field.required ? canonicalValue(field) : undefined;
    if (value !== undefined) evidence[field.id] = value;
  }
  return evidence;
}

/** A request for risk acceptance, with the step's answers when it is resolved only that way. */
export function risk(c: CompiledChecklist, stepId: string, reason?: string): MachineEvent {
  return { ...ev.risk(stepId, reason), evidence: answers(c, stepId) } as MachineEvent;
}

/** The events that complete a step, with its approval when it needs one. */
export function complete(
  c: CompiledChecklist,
  stepId: string,
  given: Answers = {},
): MachineEvent[] {
  const events = [ev.complete(stepId, answers(c, stepId, given))];
  if (c.index.steps.get(stepId)?.approval) events.push(approve(c, stepId));
  return events;
}

/** The events that resolve a step the quickest allowed way. */
export function resolve(c: CompiledChecklist, stepId: string, given: Answers = {}): MachineEvent[] {
  const step = c.index.steps.get(stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  if (step.outcomes.includes('completed')) {
    const extra = step.requiresFleetClearance
      ? { fleet: { total: 3, cleared: 2, excepted: 1, outstanding: 0 } }
      : {};
    const events = [ev.complete(stepId, answers(c, stepId, given), extra)];
    if (step.approval) events.push(approve(c, stepId));
    return events;
  }
  // A step resolved only by accepting the risk carries its answers with the request.
  return [
    { ...ev.risk(stepId), evidence: answers(c, stepId, given) } as MachineEvent,
    approve(c, stepId),
  ];
}

/** An approval, taken under the role the step names when the checklist declares roles. */
export function approve(c: CompiledChecklist, stepId: string): MachineEvent {
  const event = ev.approve(stepId);
  const role = c.index.steps.get(stepId)?.approval?.role;
  if (event.type !== 'step.approve' || !role || !c.definition.roles) return event;
  return { ...event, approver: { ...event.approver, roleId: role } };
}

/** Signs the next staged sign-off that can be signed, if any (with a stand-in digest). */
function nextStage(c: CompiledChecklist, events: MachineEvent[]): MachineEvent | null {
  if (!c.definition.signoffs) return null;
  const state = run(c, events);
  const stage = stagesOf(c.definition)
    .slice(0, -1)
    .find(
      (s) =>
        !signedStage(c.definition, state.context, s.id) &&
        stageRefusal(c, state.context, s.id) === null,
    );
  return stage
    ? {
        type: 'run.signoff',
        signoff: stage.id,
        recordDigest: 'a'.repeat(64),
        actor: { name: 'Pat Manager' },
        at: new Date(Date.UTC(2017, 4, 16)).toISOString(),
      }
    : null;
}

/**
 * Resolves open steps in document order, with the given answers, until one of `stop` is the
 * next step to do (or everything is resolved). Returns the events taken.
 */
export function walk(
  c: CompiledChecklist,
  given: Record<string, Answers>,
  stop: string | string[] = [],
): MachineEvent[] {
  const stops = typeof stop === 'string' ? [stop] : stop;
  const events: MachineEvent[] = [];
  for (let guard = 0; guard < 200; guard++) {
    const statuses = kinds(c, run(c, events));
    const next = c.index.order.find(
      (id) => statuses[id] === 'not-started' || statuses[id] === 'in-progress',
    );
    if (!next) {
      const stage = nextStage(c, events);
      if (!stage) return events;
      events.push(stage);
      continue;
    }
    if (stops.includes(next)) return events;
    events.push(...resolve(c, next, given[next]));
  }
  throw new Error('walk did not finish');
}
