// Static verification of a compiled checklist with @xstate/graph path search: every step can be
// reached, and from every reachable state the checklist can still be completed.
//
// The search explores forward progress (save is irrelevant; complete, not applicable, risk
// acceptance, approve) and, at each state, acts only on the first actionable step in document
// order, once per distinct answer that some condition cares about. This is sound: acting on a
// step never disables another actionable step (conditions read only resolved steps, which do
// not change during the search) and steps commute, so every dead end of the full state space is
// also reached by this reduced search — and a checklist completes from every state exactly
// when no reachable dead end is incomplete. Corrections and returns reopen a step and are
// covered by the replay property tests instead.
import { isRiskOnly } from './checks.ts';
import { getShortestPaths } from '@xstate/graph';
import { conditionInputs } from './graph.ts';
import { createEvaluation, resolvedPhases, type RunContext } from './evaluate.ts';
import type { MachineEvent } from './events.ts';
import type { Evidence, EvidenceValue } from './fields.ts';
import type { CompiledChecklist, ChecklistSnapshot } from './machine.ts';
import type { Condition, Field, Step } from './schema.ts';
import { signedStage, stageGate, stageRefusal, stagesOf } from './signoffs.ts';

export interface VerifyProblem {
  stepId?: string;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  problems: VerifyProblem[];
  states: number;
  /** Steps acted on in at least one reachable state. */
  reachedSteps: string[];
  /** Staged sign-offs signed on some path (the last, the lock, is signed where it completes). */
  reachedSignOffs: string[];
  /** The shortest run to completion found, as the events taken. */
  witness: MachineEvent[] | null;
}

const ACTOR = { name: 'verifier' };
const AT = '2017-05-15T09:00:00.000Z';
const REVIEW = '2017-06-15';

/** Values of a field that some condition distinguishes; other fields get one valid value. */
function interestingValues(
  field: Field,
  ref: string,
  conditions: Condition[],
  compiled: CompiledChecklist,
): (EvidenceValue | undefined)[] {
  const mentions: Condition[] = [];
  const visit = (c: Condition) => {
    if (conditionInputs(c).fields.includes(ref)) mentions.push(c);
    c.all?.forEach(visit);
    c.any?.forEach(visit);
    if (c.not) visit(c.not);
  };
  conditions.forEach(visit);
  const leaf = mentions.filter((c) => !c.all && !c.any && !c.not);
  const base = canonicalValue(field);
  if (leaf.length === 0) return [base];
  const values: (EvidenceValue | undefined)[] = [];
  const add = (v: EvidenceValue | undefined) => {
    if (!values.some((x) => JSON.stringify(x) === JSON.stringify(v))) values.push(v);
  };
  switch (field.type) {
    case 'yes-no':
      add(true);
      add(false);
      break;
    case 'choice':
      field.options.forEach((o) => {
        add(o.value);
      });
      break;
    case 'multi-choice':
      field.options.forEach((o) => {
        add([o.value]);
      });
      if (!field.required) add(undefined);
      break;
    case 'number':
      for (const c of leaf)
        for (const cmp of [c.atLeast, c.atMost, c.greaterThan, c.lessThan])
          if (cmp?.field === ref)
            [cmp.value - 1, cmp.value, cmp.value + 1].forEach((v) => {
              if (
                (field.min === undefined || v >= field.min) &&
                (field.max === undefined || v <= field.max)
              )
                add(v);
            });
      for (const c of leaf) {
        if (c.equals?.field === ref) add(c.equals.value);
        c.oneOf?.values.forEach((v) => {
          if (c.oneOf?.field === ref) add(v);
        });
      }
      add(base);
      break;
    case 'version': {
      add('0.0.0.1');
      for (const c of leaf) {
        const v = c.versionAtLeast;
        if (v?.field !== ref) continue;
        if (v.value) add(v.value);
        if (v.reference) {
          const table = compiled.definition.referenceTables[v.reference.table];
          for (const row of table?.rows ?? []) {
            const cell = row.cells[v.reference.column];
            if (typeof cell?.value === 'string') add(cell.value);
          }
        }
      }
      break;
    }
    case 'kb-list': {
      add(['KB1000000']);
      for (const c of leaf) {
        const k = c.kbIncludesAny;
        if (k?.field !== ref) continue;
        if (k.values?.[0]) add([k.values[0]]);
        if (k.reference) {
          const table = compiled.definition.referenceTables[k.reference.table];
          for (const row of table?.rows ?? []) {
            const cell = row.cells[k.reference.column];
            if (Array.isArray(cell?.value) && cell.value[0]) add([cell.value[0]]);
          }
        }
        if (c.includes?.field === ref) add([c.includes.value]);
      }
      break;
    }
    default:
      add(base);
  }
  if (!field.required && leaf.some((c) => c.answered === ref)) add(undefined);
  return values;
}

/** One valid answer for a field, as a form would produce it. */
export function canonicalValue(field: Field): EvidenceValue | undefined {
  switch (field.type) {
    case 'text':
    case 'long-text':
      return 'Recorded by the verifier';
    case 'number':
      return field.min ?? (field.max !== undefined ? Math.min(0, field.max) : 0);
    case 'date':
      return '2017-05-15';
    case 'date-time':
      return '2017-05-15T09:00';
    case 'yes-no':
      return true;
    case 'choice':
      return field.options[0]?.value;
    case 'multi-choice':
      return field.options[0] ? [field.options[0].value] : [];
    case 'person':
      return { name: 'A Person', role: 'A role' };
    case 'kb-list':
      return ['KB4012212'];
    case 'version':
      return '10.0.14393.953';
    case 'file':
      return [
        {
          id: 'verifier-file',
          name: 'evidence.txt',
          size: 1,
          type: 'text/plain',
          sha256: '0'.repeat(64),
        },
      ];
  }
}

function evidenceVariants(
  step: Step,
  compiled: CompiledChecklist,
  conditions: Condition[],
  cap: number,
): Evidence[] {
  let variants: Evidence[] = [{}];
  for (const field of step.fields) {
    const values = interestingValues(field, `${step.id}.${field.id}`, conditions, compiled);
    const next: Evidence[] = [];
    for (const variant of variants)
      for (const value of values)
        next.push(value === undefined ? variant : { ...variant, [field.id]: value });
    variants = next;
    if (variants.length > cap)
      throw new Error(
        `step "${step.id}" has more than ${String(cap)} combinations of answers that conditions distinguish`,
      );
  }
  return variants;
}

export interface VerifyOptions {
  /** Most states to explore before giving up (the answer is then "too complex to verify"). */
  stateLimit?: number;
  /** Most answer combinations per step. */
  variantCap?: number;
}

export function verifyChecklist(
  compiled: CompiledChecklist,
  options: VerifyOptions = {},
): VerifyResult {
  const { index } = compiled;
  const stateLimit = options.stateLimit ?? 50_000;
  const variantCap = options.variantCap ?? 512;
  const conditions = [...index.steps.values()].flatMap((s) => (s.when ? [s.when] : []));
  const problems: VerifyProblem[] = [];
  const relevantFields = new Set(conditions.flatMap((c) => conditionInputs(c).fields));

  const variantCache = new Map<string, Evidence[]>();
  const variantsOf = (step: Step) => {
    let v = variantCache.get(step.id);
    if (!v) {
      v = evidenceVariants(step, compiled, conditions, variantCap);
      variantCache.set(step.id, v);
    }
    return v;
  };

  const eventsFor = (snapshot: ChecklistSnapshot): MachineEvent[] => {
    const context = snapshot.context;
    const evaluation = createEvaluation(
      { index, referenceTables: compiled.definition.referenceTables },
      context,
    );
    for (const id of index.order) {
      const step = index.steps.get(id);
      if (!step) continue;
      const phase = context.steps[id]?.phase ?? 'notStarted';
      if (phase === 'awaitingApproval')
        return [
          {
            type: 'step.approve',
            stepId: id,
            approver: {
              name: 'Approver',
              role: step.approval?.role ?? 'Approver',
              ...(step.approval && compiled.definition.roles ? { roleId: step.approval.role } : {}),
            },
            actor: ACTOR,
            at: AT,
          },
        ];
      if (resolvedPhases.includes(phase) || evaluation.applies(id) === false) continue;
      if (evaluation.waitingFor(id).length > 0) continue;
      if (stageGate(compiled, context, id)) continue;
      const events: MachineEvent[] = [];
      if (step.outcomes.includes('completed'))
        for (const evidence of variantsOf(step))
          events.push({
            type: 'step.complete',
            stepId: id,
            evidence,
            ...(step.requiresFleetClearance
              ? { fleet: { total: 1, cleared: 1, excepted: 0, outstanding: 0 } }
              : {}),
            actor: ACTOR,
            at: AT,
          });
      if (step.outcomes.includes('not-applicable'))
        events.push({
          type: 'step.not-applicable',
          stepId: id,
          reason: 'Checked by the verifier',
          actor: ACTOR,
          at: AT,
        });
      if (step.outcomes.includes('risk-accepted'))
        for (const evidence of isRiskOnly(step) ? variantsOf(step) : [undefined])
          events.push({
            type: 'step.risk-accept',
            stepId: id,
            reason: 'Checked by the verifier',
            reviewDate: REVIEW,
            ...(evidence ? { evidence } : {}),
            actor: ACTOR,
            at: AT,
          });
      return events;
    }
    // Nothing to act on: sign the next staged sign-off (not the last, which is the lock), so
    // the steps it holds back can be reached.
    if (compiled.definition.signoffs) {
      const stages = stagesOf(compiled.definition).slice(0, -1);
      const next = stages.find((s) => !signedStage(compiled.definition, context, s.id));
      if (next && stageRefusal(compiled, context, next.id) === null)
        return [
          {
            type: 'run.signoff',
            signoff: next.id,
            recordDigest: '0'.repeat(64),
            actor: ACTOR,
            at: AT,
          },
        ];
    }
    return [];
  };

  const serializeState = (snapshot: ChecklistSnapshot): string => {
    const context: RunContext = snapshot.context;
    // Never the empty string: @xstate/graph treats a falsy serialisation as "no previous state".
    const parts: string[] = ['run', ...Object.keys(context.signoffs ?? {}).sort()];
    for (const id of index.order) {
      const s = context.steps[id];
      if (!s) continue;
      const answers: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(s.evidence ?? {}))
        if (relevantFields.has(`${id}.${field}`)) answers[field] = value;
      parts.push(`${id}:${s.phase}:${s.pending?.outcome ?? ''}:${JSON.stringify(answers)}`);
    }
    return parts.join('|');
  };

  let paths: ReturnType<typeof getShortestPaths<CompiledChecklist['machine']>>;
  try {
    paths = getShortestPaths(compiled.machine, {
      events: eventsFor,
      serializeState,
      serializeEvent: (event) => JSON.stringify(event),
      limit: stateLimit,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [
        {
          message: message.includes('limit')
            ? `the checklist has more than ${String(stateLimit)} states to explore; reduce the answers that conditions branch on`
            : message,
        },
      ],
      states: 0,
      reachedSteps: [],
      reachedSignOffs: [],
      witness: null,
    };
  }

  const reached = new Set<string>();
  const signed = new Set<string>();
  let witness: MachineEvent[] | null = null;
  const deadEnds: { stuck: string[]; path: MachineEvent[] }[] = [];
  for (const path of paths) {
    const context = path.state.context;
    for (const [id, s] of Object.entries(context.steps))
      if (s && (resolvedPhases.includes(s.phase) || s.phase === 'awaitingApproval'))
        reached.add(id);
    for (const id of Object.keys(context.signoffs ?? {})) signed.add(id);
    const complete = path.state.hasTag('complete');
    const events = path.steps
      .map((step) => step.event as MachineEvent | { type: 'xstate.init' })
      .filter((e): e is MachineEvent => e.type !== 'xstate.init');
    if (complete) {
      if (witness === null || events.length < witness.length) witness = events;
      continue;
    }
    if (eventsFor(path.state).length === 0) {
      const evaluation = createEvaluation(
        { index, referenceTables: compiled.definition.referenceTables },
        context,
      );
      deadEnds.push({
        stuck: index.order.filter((id) => !evaluation.isResolved(id)),
        path: events,
      });
    }
  }

  for (const dead of deadEnds.slice(0, 5)) {
    const taken = dead.path
      .map((e) => `${e.type.replace('step.', '')} ${'stepId' in e ? e.stepId : ''}`)
      .join(', ');
    const first = dead.stuck[0];
    problems.push({
      ...(first ? { stepId: first } : {}),
      message: `completion cannot be reached after [${taken}]: ${dead.stuck.map((id) => `"${id}"`).join(', ')} can never be resolved`,
    });
  }
  if (deadEnds.length > 5)
    problems.push({ message: `…and ${String(deadEnds.length - 5)} more dead ends` });

  for (const id of index.order) {
    if (!reached.has(id))
      problems.push({
        stepId: id,
        message: `step "${id}" can never be reached: no sequence of answers makes it available`,
      });
  }
  // Every staged sign-off can be signed: those before the last on some path, the last (the
  // lock) wherever the checklist completes.
  for (const stage of stagesOf(compiled.definition).slice(0, -1))
    if (compiled.definition.signoffs && !signed.has(stage.id))
      problems.push({
        message: `sign-off "${stage.id}" can never be signed: no sequence of answers resolves every step it covers`,
      });
  if (witness === null && deadEnds.length === 0)
    problems.push({ message: 'no run reaches completion' });

  return {
    ok: problems.length === 0,
    problems,
    states: paths.length,
    reachedSteps: index.order.filter((id) => reached.has(id)),
    reachedSignOffs: compiled.definition.signoffs
      ? stagesOf(compiled.definition)
          .map((s) => s.id)
          .filter((id, i, all) => signed.has(id) || (i === all.length - 1 && witness !== null))
      : [],
    witness,
  };
}
