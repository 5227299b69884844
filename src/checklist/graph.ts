// The shape of a checklist as a graph: its steps indexed by id, the fields and steps each
// condition reads, what each step waits for, and any cycle in that "waits for" graph. The
// build (definition.ts), the machine and the verifier all read a checklist through these.
import type { ChecklistDefinition, Condition, Field, Step } from './schema.ts';

export type IssuePath = (string | number)[];

export interface ChecklistIndex {
  steps: Map<string, Step>;
  order: string[];
  phaseOf: Map<string, string>;
  /** `step.field` → field. */
  fields: Map<string, Field>;
  /** Where each step sits in the file, for error paths. */
  pathOf: Map<string, IssuePath>;
}

export function indexChecklist(definition: Pick<ChecklistDefinition, 'phases'>): ChecklistIndex {
  const index: ChecklistIndex = {
    steps: new Map(),
    order: [],
    phaseOf: new Map(),
    fields: new Map(),
    pathOf: new Map(),
  };
  definition.phases.forEach((phase, p) => {
    phase.steps.forEach((step, s) => {
      index.steps.set(step.id, step);
      index.order.push(step.id);
      index.phaseOf.set(step.id, phase.id);
      index.pathOf.set(step.id, ['phases', p, 'steps', s]);
      for (const field of step.fields) index.fields.set(`${step.id}.${field.id}`, field);
    });
  });
  return index;
}

/** Every `step.field` a condition reads, and every step whose outcome it reads. */
export function conditionInputs(condition: Condition): { fields: string[]; steps: string[] } {
  const fields: string[] = [];
  const steps: string[] = [];
  const visit = (c: Condition) => {
    if (c.equals) fields.push(c.equals.field);
    if (c.oneOf) fields.push(c.oneOf.field);
    if (c.includes) fields.push(c.includes.field);
    if (c.answered) fields.push(c.answered);
    for (const cmp of [c.atLeast, c.atMost, c.greaterThan, c.lessThan])
      if (cmp) fields.push(cmp.field);
    if (c.versionAtLeast) {
      fields.push(c.versionAtLeast.field);
      if (c.versionAtLeast.reference) fields.push(c.versionAtLeast.reference.key);
    }
    if (c.kbIncludesAny) {
      fields.push(c.kbIncludesAny.field);
      if (c.kbIncludesAny.reference) fields.push(c.kbIncludesAny.reference.key);
    }
    if (c.outcome) steps.push(c.outcome.step);
    c.all?.forEach(visit);
    c.any?.forEach(visit);
    if (c.not) visit(c.not);
  };
  visit(condition);
  return { fields, steps };
}

/** The steps a step waits for: its `requires`, and the steps its condition reads. */
export function dependenciesOf(step: Step): string[] {
  const deps = new Set(step.requires);
  if (step.when) {
    const inputs = conditionInputs(step.when);
    for (const ref of inputs.fields) deps.add(ref.split('.')[0] ?? ref);
    for (const id of inputs.steps) deps.add(id);
  }
  deps.delete(step.id);
  return [...deps];
}

/** Finds a cycle in the "waits for" graph (requires and condition inputs), if there is one. */
export function findDependencyCycle(index: ChecklistIndex): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    const mark = state.get(id);
    if (mark === 'done') return null;
    if (mark === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    const step = index.steps.get(id);
    for (const dep of step ? dependenciesOf(step) : []) {
      if (!index.steps.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of index.order) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return null;
}
