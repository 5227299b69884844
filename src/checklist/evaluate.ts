// Evaluates a run's context against a checklist: which steps are resolved, which conditions
// hold, and what each step is still waiting for. Conditions are three-valued: a condition that
// reads an answer not given yet is "unknown", and its step waits for the step that holds it.
import { dependenciesOf, type ChecklistIndex } from './graph.ts';
import type { Evidence, EvidenceValue } from './fields.ts';
import type { Condition, Outcome, ReferenceTable } from './schema.ts';
import { parseVersion, versionAtLeast } from './version.ts';
import { parseKbList } from './kb.ts';

/** Where a step is in its own life, as the machine records it. */
export type StepPhase =
  'notStarted' | 'inProgress' | 'awaitingApproval' | 'completed' | 'notApplicable' | 'riskAccepted';

export interface ActorRef {
  name: string;
}

export interface Approval {
  name: string;
  role: string;
  /** RFC 7638 thumbprint of the approver's public key (Part 6). */
  keyFingerprint?: string;
  /** Compact JWS by the approver over the decision (Part 6). */
  signature?: string;
  /** The checklist role (its id) the decision was taken under, when the checklist declares roles. */
  roleId?: string;
  statement?: string;
  at: string;
}

export interface StepContext {
  phase: StepPhase;
  /** The answers submitted when the step was completed (or sent for approval). */
  evidence?: Evidence;
  /** Work in progress, as the user left the form. */
  draft?: Record<string, unknown>;
  /** Who last saved each field of the draft (saves that carry only their changes). */
  draftBy?: Record<string, { by: string; at: string }>;
  /** Draft fields two writers saved differently without seeing each other's: for a person to choose. */
  conflicts?: Record<string, { value: unknown; by: string; at: string }[]>;
  /** What is waiting for an approver's decision. */
  pending?: {
    outcome: Outcome;
    reason?: string;
    reviewDate?: string;
    by: string;
    at: string;
  };
  /** How the step was resolved. */
  resolution?: {
    outcome: Outcome;
    reason?: string;
    reviewDate?: string;
    approval?: Approval;
    by: string;
    at: string;
  };
  /** The latest time an approver or reviewer sent the step back, and why. */
  returned?: { by: string; role?: string; reason: string; at: string };
  /** Why a completed step was reopened for correction. */
  reopened?: { by: string; reason: string; at: string };
  updatedBy: string;
  updatedAt: string;
}

export interface RunContext {
  steps: Record<string, StepContext | undefined>;
  /** Set when the record is signed off; no step event is accepted after it. */
  locked?: { at: string; by: string; recordDigest: string };
  /** Staged sign-offs signed so far (all but the last, which is the lock), by id. */
  signoffs?: Record<string, { at: string; by: string; recordDigest: string }>;
}

export type Truth = true | false | 'unknown';

export interface Evaluation {
  /** Completed, not applicable, risk accepted, or not needed (its condition is false). */
  isResolved: (stepId: string) => boolean;
  /** Whether the step applies: true, false (not needed), or unknown (answers pending). */
  applies: (stepId: string) => Truth;
  /** The steps this one is waiting for (prerequisites and unanswered conditions). */
  waitingFor: (stepId: string) => string[];
  fieldValue: (ref: string) => FieldState;
  evaluate: (condition: Condition) => Truth;
}

export type FieldState =
  | { state: 'known'; value: EvidenceValue }
  | { state: 'absent' }
  | { state: 'pending'; step: string };

export const resolvedPhases: readonly StepPhase[] = ['completed', 'notApplicable', 'riskAccepted'];

export function outcomeOfPhase(phase: StepPhase): Outcome | undefined {
  if (phase === 'completed') return 'completed';
  if (phase === 'notApplicable') return 'not-applicable';
  if (phase === 'riskAccepted') return 'risk-accepted';
  return undefined;
}

export interface EvaluationTarget {
  index: ChecklistIndex;
  referenceTables: Record<string, ReferenceTable>;
}

const evaluations = new WeakMap<ChecklistIndex, WeakMap<RunContext, Evaluation>>();

/**
 * The evaluation of a context, made once per context object: contexts are never mutated (every
 * change makes a new one), so the guards, the completion check and the status view of the same
 * state share one evaluation and its memo.
 */
export function createEvaluation(target: EvaluationTarget, context: RunContext): Evaluation {
  let byContext = evaluations.get(target.index);
  if (!byContext) {
    byContext = new WeakMap();
    evaluations.set(target.index, byContext);
  }
  let evaluation = byContext.get(context);
  if (!evaluation) {
    evaluation = new ContextEvaluation(target, context);
    byContext.set(context, evaluation);
  }
  return evaluation;
}

// One class rather than a bundle of closures: an evaluation is built for every new context (every
// event), so its methods live once on the prototype instead of being made afresh each time.
class ContextEvaluation implements Evaluation {
  private readonly appliesMemo = new Map<string, Truth>();

  constructor(
    private readonly target: EvaluationTarget,
    private readonly context: RunContext,
  ) {}

  private phaseOf(id: string): StepPhase {
    return this.context.steps[id]?.phase ?? 'notStarted';
  }

  isResolved(id: string): boolean {
    if (resolvedPhases.includes(this.phaseOf(id))) return true;
    return this.applies(id) === false;
  }

  fieldValue(ref: string): FieldState {
    const [stepId = '', fieldId = ''] = ref.split('.');
    const phase = this.phaseOf(stepId);
    if (phase === 'completed') {
      const value = this.context.steps[stepId]?.evidence?.[fieldId];
      return value === undefined ? { state: 'absent' } : { state: 'known', value };
    }
    if (this.isResolved(stepId)) return { state: 'absent' };
    return { state: 'pending', step: stepId };
  }

  private lookup(table: string, key: string, column: string): FieldState | { state: 'missing' } {
    const keyState = this.fieldValue(key);
    if (keyState.state !== 'known') return keyState;
    const row = this.target.referenceTables[table]?.rows.find((r) => r.id === keyState.value);
    const cell = row?.cells[column];
    if (cell?.value === undefined || cell.value === null) return { state: 'missing' };
    return { state: 'known', value: cell.value };
  }

  // A condition on one field: unknown while its step is pending, false when it has no answer.
  private compareField(ref: string, test: (value: EvidenceValue) => boolean): Truth {
    const state = this.fieldValue(ref);
    if (state.state === 'pending') return 'unknown';
    if (state.state === 'absent') return false;
    return test(state.value);
  }

  private numeric(
    cmp: { field: string; value: number } | undefined,
    test: (a: number, b: number) => boolean,
  ): Truth | null {
    if (!cmp) return null;
    return this.compareField(cmp.field, (v) => typeof v === 'number' && test(v, cmp.value));
  }

  evaluate(c: Condition): Truth {
    if (c.equals) {
      const expected = c.equals.value;
      return this.compareField(c.equals.field, (v) => v === expected);
    }
    if (c.oneOf) {
      const values = c.oneOf.values;
      return this.compareField(c.oneOf.field, (v) => values.some((x) => x === v));
    }
    if (c.includes) {
      const wanted = c.includes.value;
      return this.compareField(
        c.includes.field,
        (v) => Array.isArray(v) && (v as unknown[]).includes(wanted),
      );
    }
    if (c.answered !== undefined) {
      const state = this.fieldValue(c.answered);
      return state.state === 'pending' ? 'unknown' : state.state === 'known';
    }
    const numberResult =
      this.numeric(c.atLeast, atLeast) ??
      this.numeric(c.atMost, atMost) ??
      this.numeric(c.greaterThan, greaterThan) ??
      this.numeric(c.lessThan, lessThan);
    if (numberResult !== null) return numberResult;
    if (c.versionAtLeast) {
      const { field, value, reference } = c.versionAtLeast;
      let minimum: string | undefined = value;
      if (reference) {
        const found = this.lookup(reference.table, reference.key, reference.column);
        if (found.state === 'pending') return 'unknown';
        if (found.state !== 'known' || typeof found.value !== 'string') {
          // No minimum is known for this row: the version cannot prove anything.
          return this.fieldValue(field).state === 'pending' ? 'unknown' : false;
        }
        minimum = found.value;
      }
      const min = minimum ?? '';
      return this.compareField(
        field,
        (v) => typeof v === 'string' && parseVersion(v) !== null && versionAtLeast(v, min),
      );
    }
    if (c.kbIncludesAny) {
      const { field, values, reference } = c.kbIncludesAny;
      let wanted: readonly string[] = values ?? [];
      if (reference) {
        const found = this.lookup(reference.table, reference.key, reference.column);
        if (found.state === 'pending') return 'unknown';
        if (found.state !== 'known' || !Array.isArray(found.value)) {
          return this.fieldValue(field).state === 'pending' ? 'unknown' : false;
        }
        wanted = found.value as string[];
      }
      return this.compareField(field, (v) => {
        if (!Array.isArray(v)) return false;
        const kbs = parseKbList(v as string[]).kbs;
        return kbs.some((kb) => wanted.includes(kb));
      });
    }
    if (c.outcome) {
      const { step, is } = c.outcome;
      const phase = this.phaseOf(step);
      const outcome = outcomeOfPhase(phase);
      if (outcome) return is.includes(outcome);
      if (this.applies(step) === false) return false;
      return 'unknown';
    }
    if (c.all) {
      let unknown = false;
      for (const sub of c.all) {
        const t = this.evaluate(sub);
        if (t === false) return false;
        if (t === 'unknown') unknown = true;
      }
      return unknown ? 'unknown' : true;
    }
    if (c.any) {
      let unknown = false;
      for (const sub of c.any) {
        const t = this.evaluate(sub);
        if (t === true) return true;
        if (t === 'unknown') unknown = true;
      }
      return unknown ? 'unknown' : false;
    }
    if (c.not) {
      const t = this.evaluate(c.not);
      return t === 'unknown' ? 'unknown' : !t;
    }
    throw new Error(`a condition with no operator: ${JSON.stringify(c)}`);
  }

  applies(id: string): Truth {
    const memo = this.appliesMemo.get(id);
    if (memo !== undefined) return memo;
    const step = this.target.index.steps.get(id);
    // Mark before recursing: definitions are checked for cycles, but be safe regardless.
    this.appliesMemo.set(id, 'unknown');
    const result: Truth = step?.when ? this.evaluate(step.when) : true;
    this.appliesMemo.set(id, result);
    return result;
  }

  waitingFor(id: string): string[] {
    const { index } = this.target;
    const step = index.steps.get(id);
    if (!step) return [];
    const waiting = new Set<string>();
    for (const dep of step.requires) if (!this.isResolved(dep)) waiting.add(dep);
    if (this.applies(id) === 'unknown') {
      for (const dep of dependenciesOf(step)) if (!this.isResolved(dep)) waiting.add(dep);
    }
    return index.order.filter((s) => waiting.has(s));
  }
}

const atLeast = (a: number, b: number) => a >= b;
const atMost = (a: number, b: number) => a <= b;
const greaterThan = (a: number, b: number) => a > b;
const lessThan = (a: number, b: number) => a < b;
