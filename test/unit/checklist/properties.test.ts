// Property tests: whatever a user (or a corrupted log) throws at a run, the machine never
// resolves a step whose prerequisites are unmet or whose condition is false or unknown, its
// regions always mirror its context, and a replay always reproduces the same state.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Condition } from '../../../src/checklist/schema.ts';
import type { MachineEvent } from '../../../src/checklist/events.ts';
import type { CompiledChecklist } from '../../../src/checklist/machine.ts';
import { canonicalValue } from '../../../src/checklist/verify.ts';
import { applyEvent, initialRunState, replay, type RunState } from '../../../src/run/replay.ts';
import { fixture, shipped } from '../../helpers/checklists.ts';

// Each property replays hundreds of random runs: about half a second on an idle machine, and
// more than ten times that on a busy one (stress-ng --cpu 4 on two cores).
vi.setConfig({ testTimeout: 60_000 });

const resolvedPhases = ['completed', 'notApplicable', 'riskAccepted'];
const actingTypes = ['step.save', 'step.complete', 'step.not-applicable', 'step.risk-accept'];

/**
 * An independent oracle for "may this step be acted on", written separately from the engine:
 * it reads only the machine's state value (not its context phases) and the raw answers.
 */
function oracle(compiled: CompiledChecklist, state: RunState) {
  const regions = (state.value as { steps: Record<string, string> }).steps;
  const answer = (ref: string): { pending: boolean; value?: unknown } => {
    const [stepId = '', field = ''] = ref.split('.');
    if (regions[stepId] === 'completed')
      return { pending: false, value: state.context.steps[stepId]?.evidence?.[field] };
    if (resolvedPhases.includes(regions[stepId] ?? '')) return { pending: false };
    const holder = compiled.index.steps.get(stepId);
    if (holder?.when && holds(holder.when) === false) return { pending: false };
    return { pending: true };
  };
  const table = (lookup: { table: string; key: string; column: string }) => {
    const key = answer(lookup.key);
    if (key.pending) return { pending: true };
    const cell = compiled.definition.referenceTables[lookup.table]?.rows.find(
      (r) => r.id === key.value,
    )?.cells[lookup.column];
    return { pending: false, value: cell?.value ?? null };
  };
  const versionNumber = (v: string) => v.split('.').map(Number);
  const geq = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    return true;
  };
  function holds(c: Condition): boolean | 'unknown' {
    const on = (ref: string, test: (v: unknown) => boolean) => {
      const a = answer(ref);
      return a.pending ? 'unknown' : a.value === undefined ? false : test(a.value);
    };
    if (c.equals) return on(c.equals.field, (v) => v === c.equals?.value);
    if (c.oneOf) return on(c.oneOf.field, (v) => c.oneOf?.values.some((x) => x === v) ?? false);
    if (c.includes)
      return on(c.includes.field, (v) => Array.isArray(v) && v.includes(c.includes?.value));
    if (c.answered !== undefined) {
      const a = answer(c.answered);
      return a.pending ? 'unknown' : a.value !== undefined;
    }
    const number = (
      cmp: { field: string; value: number } | undefined,
      test: (a: number, b: number) => boolean,
    ) => cmp && on(cmp.field, (v) => typeof v === 'number' && test(v, cmp.value));
    const compared =
      number(c.atLeast, (a, b) => a >= b) ??
      number(c.atMost, (a, b) => a <= b) ??
      number(c.lessThan, (a, b) => a < b);
    if (compared !== undefined) return compared;
    if (c.greaterThan)
      return on(
        c.greaterThan.field,
        (v) => typeof v === 'number' && v > (c.greaterThan?.value ?? 0),
      );
    if (c.outcome) {
      const region = regions[c.outcome.step] ?? '';
      const word = {
        completed: 'completed',
        notApplicable: 'not-applicable',
        riskAccepted: 'risk-accepted',
      }[region];
      if (word) return c.outcome.is.includes(word as never);
      const step = compiled.index.steps.get(c.outcome.step);
      return step?.when && holds(step.when) === false ? false : 'unknown';
    }
    if (c.versionAtLeast) {
      const ref = c.versionAtLeast.reference;
      const min = ref ? table(ref) : { pending: false, value: c.versionAtLeast.value };
      const a = answer(c.versionAtLeast.field);
      if (min.pending || a.pending) return 'unknown';
      if (typeof min.value !== 'string' || typeof a.value !== 'string') return false;
      return geq(versionNumber(a.value), versionNumber(min.value));
    }
    if (c.kbIncludesAny) {
      const ref = c.kbIncludesAny.reference;
      const list = ref ? table(ref) : { pending: false, value: c.kbIncludesAny.values };
      const a = answer(c.kbIncludesAny.field);
      if (list.pending || a.pending) return 'unknown';
      if (!Array.isArray(list.value) || !Array.isArray(a.value)) return false;
      return (a.value as string[]).some((kb) => (list.value as string[]).includes(kb));
    }
    if (c.not) {
      const t = holds(c.not);
      return t === 'unknown' ? t : !t;
    }
    if (c.all) {
      const ts = c.all.map(holds);
      return ts.includes(false) ? false : ts.includes('unknown') ? 'unknown' : true;
    }
    if (c.any) {
      const ts = c.any.map(holds);
      return ts.includes(true) ? true : ts.includes('unknown') ? 'unknown' : false;
    }
    throw new Error(`oracle does not know ${JSON.stringify(c)}`);
  }
  const resolved = (id: string) => {
    if (resolvedPhases.includes(regions[id] ?? '')) return true;
    const step = compiled.index.steps.get(id);
    return step?.when !== undefined && holds(step.when) === false;
  };
  return {
    mayAct(stepId: string): boolean {
      const step = compiled.index.steps.get(stepId);
      if (!step) return false;
      if (!step.requires.every(resolved)) return false;
      return step.when === undefined || holds(step.when) === true;
    },
  };
}

function eventArbitrary(compiled: CompiledChecklist): fc.Arbitrary<MachineEvent> {
  const steps = compiled.index.order;
  const stepId = fc.constantFrom(...steps);
  const actor = { name: 'Tester' };
  const at = '2017-05-15T10:00:00.000Z';
  const evidenceFor = (id: string) => {
    const step = compiled.index.steps.get(id);
    const valid: Record<string, unknown> = {};
    for (const f of step?.fields ?? []) valid[f.id] = canonicalValue(f);
    const variants: fc.Arbitrary<Record<string, unknown>>[] = [fc.constant(valid), fc.constant({})];
    for (const f of step?.fields ?? []) {
      if (f.type === 'yes-no') variants.push(fc.boolean().map((b) => ({ ...valid, [f.id]: b })));
      if (f.type === 'number')
        variants.push(fc.integer({ min: -5, max: 20 }).map((n) => ({ ...valid, [f.id]: n })));
      if (f.type === 'choice')
        variants.push(
          fc
            .constantFrom(...f.options.map((o) => o.value), 'bogus')
            .map((v) => ({ ...valid, [f.id]: v })),
        );
      if (f.type === 'version')
        variants.push(
          fc
            .constantFrom('1.0', '6.1.7601.23689', '6.1.7601.23688', '10.0.1', 'x')
            .map((v) => ({ ...valid, [f.id]: v })),
        );
      if (f.type === 'kb-list')
        variants.push(
          fc
            .constantFrom(['KB4012212'], ['KB3205409'], ['KB4012598'], 'nonsense')
            .map((v) => ({ ...valid, [f.id]: v })),
        );
    }
    return fc.oneof(...variants);
  };
  return stepId.chain((id) =>
    fc.oneof<fc.Arbitrary<MachineEvent>[]>(
      evidenceFor(id).map(
        (evidence) => ({ type: 'step.complete', stepId: id, evidence, actor, at }) as MachineEvent,
      ),
      fc.constant({ type: 'step.save', stepId: id, draft: {}, actor, at }),
      fc
        .constantFrom('', 'reason')
        .map((reason) => ({ type: 'step.not-applicable', stepId: id, reason, actor, at })),
      fc.constant({
        type: 'step.risk-accept',
        stepId: id,
        reason: 'accepted',
        reviewDate: '2017-09-01',
        actor,
        at,
      }),
      fc.constant({
        type: 'step.approve',
        stepId: id,
        approver: { name: 'A', role: 'B' },
        actor,
        at,
      }),
      fc.constant({
        type: 'step.reject',
        stepId: id,
        approver: { name: 'A', role: 'B' },
        reason: 'no',
        actor,
        at,
      }),
      fc
        .constantFrom('', 'fix')
        .map((reason) => ({ type: 'step.reopen', stepId: id, reason, actor, at })),
    ),
  );
}

const subjects = [
  'branching',
  'prerequisites',
  'not-applicable',
  'risk-acceptance',
  'per-device',
  'field-types',
];

describe.each(subjects)('random runs of %s', (id) => {
  const compiled = fixture(id);

  it('never acts on a step whose prerequisites are unmet or whose condition is not true', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary(compiled), { maxLength: 40 }), (events) => {
        let state = initialRunState(compiled);
        for (const event of events) {
          const allowed = oracle(compiled, state).mayAct('stepId' in event ? event.stepId : '');
          const result = applyEvent(compiled, state, event);
          if (result.ok && actingTypes.includes(event.type)) expect(allowed).toBe(true);
          if (result.ok) state = result.state;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps each step region equal to its recorded phase, and replays to the same state', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary(compiled), { maxLength: 40 }), (events) => {
        let state = initialRunState(compiled);
        const accepted: MachineEvent[] = [];
        for (const event of events) {
          const result = applyEvent(compiled, state, event);
          if (!result.ok) continue;
          state = result.state;
          accepted.push(result.event);
        }
        const regions = (state.value as { steps: Record<string, string> }).steps;
        for (const stepId of compiled.index.order)
          expect(regions[stepId]).toBe(state.context.steps[stepId]?.phase ?? 'notStarted');
        const again = replay(compiled, accepted);
        expect(again.rejected).toEqual([]);
        expect(again.state).toEqual(state);
      }),
      { numRuns: 200 },
    );
  });
});

describe('random runs of the shipped checklists', () => {
  const compiled = shipped('smb-boundary-block');
  it('never acts on a blocked step', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary(compiled), { maxLength: 30 }), (events) => {
        let state = initialRunState(compiled);
        for (const event of events) {
          const allowed = oracle(compiled, state).mayAct('stepId' in event ? event.stepId : '');
          const result = applyEvent(compiled, state, event);
          if (result.ok && actingTypes.includes(event.type)) expect(allowed).toBe(true);
          if (result.ok) state = result.state;
        }
      }),
      { numRuns: 200 },
    );
  });
});
