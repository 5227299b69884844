// The config interpreter used for replays must agree with XState, event for event: same state
// value, same context, same events ignored.
import fc from 'fast-check';
import { transition, initialTransition } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { MachineEvent } from '../../../src/checklist/events.ts';
import { interpret, type InterpretedState } from '../../../src/checklist/interpreter.ts';
import type { CompiledChecklist } from '../../../src/checklist/machine.ts';
import { canonicalValue } from '../../../src/checklist/verify.ts';
import { fixture, shipped } from '../../helpers/checklists.ts';

function events(compiled: CompiledChecklist): fc.Arbitrary<MachineEvent[]> {
  const actor = { name: 'T' };
  const at = '2017-05-15T10:00:00.000Z';
  const one = fc.constantFrom(...compiled.index.order).chain((stepId) => {
    const step = compiled.index.steps.get(stepId);
    const valid: Record<string, unknown> = {};
    for (const f of step?.fields ?? []) valid[f.id] = canonicalValue(f);
    const answers = fc.oneof(
      fc.constant(valid),
      ...(step?.fields ?? []).flatMap((f) =>
        f.type === 'yes-no'
          ? [fc.boolean().map((b) => ({ ...valid, [f.id]: b }))]
          : f.type === 'choice'
            ? [
                fc
                  .constantFrom(...f.options.map((o) => o.value))
                  .map((v) => ({ ...valid, [f.id]: v })),
              ]
            : f.type === 'number'
              ? [fc.integer({ min: 0, max: 20 }).map((n) => ({ ...valid, [f.id]: n }))]
              : [],
      ),
    );
    return fc.oneof<fc.Arbitrary<MachineEvent>[]>(
      answers.map(
        (evidence) => ({ type: 'step.complete', stepId, evidence, actor, at }) as MachineEvent,
      ),
      fc.constant({ type: 'step.save', stepId, draft: {}, actor, at }),
      // Saves of changes only, some on a stale base: merged, or kept as a conflict.
      ...(step?.fields[0]
        ? [
            fc
              .tuple(
                fc.constantFrom('p', 'q', 'r'),
                fc.option(fc.constantFrom('p', 'q'), { nil: undefined }),
                fc.boolean(),
              )
              .map(([value, base, settle]) => {
                const field = step.fields[0]?.id ?? '';
                return {
                  type: 'step.save' as const,
                  stepId,
                  changes: { [field]: value },
                  ...(base === undefined ? {} : { base: { [field]: base } }),
                  ...(settle ? { resolves: { [field]: ['p', 'q', 'r'] } } : {}),
                  actor,
                  at,
                };
              }),
          ]
        : []),
      fc.constant({ type: 'step.not-applicable', stepId, reason: 'r', actor, at }),
      fc.constant({
        type: 'step.risk-accept',
        stepId,
        reason: 'r',
        reviewDate: '2017-09-01',
        actor,
        at,
      }),
      fc.constant({
        type: 'step.approve',
        stepId,
        approver: { name: 'A', role: 'B' },
        actor,
        at,
      }),
      fc.constant({
        type: 'step.reject',
        stepId,
        approver: { name: 'A', role: 'B' },
        reason: 'r',
        actor,
        at,
      }),
      fc.constant({ type: 'step.reopen', stepId, reason: 'r', actor, at }),
      fc.constant({
        type: 'run.return',
        returns: [{ stepId, reason: 'r' }],
        approver: { name: 'A', role: 'B' },
        actor,
        at,
      }),
      fc.constant({ type: 'run.lock', recordDigest: 'a'.repeat(64), actor, at }),
    );
  });
  return fc.array(one, { maxLength: 40 });
}

const subjects: [string, () => CompiledChecklist][] = [
  ...[
    'branching',
    'prerequisites',
    'not-applicable',
    'risk-acceptance',
    'per-device',
    'field-types',
  ].map((id): [string, () => CompiledChecklist] => [id, () => fixture(id)]),
  ['smb-boundary-block', () => shipped('smb-boundary-block')],
];

describe.each(subjects)('interpreter agrees with XState on %s', (_name, load) => {
  const compiled = load();
  it('for random event sequences', () => {
    fc.assert(
      fc.property(events(compiled), (sequence) => {
        let snapshot = initialTransition(compiled.machine)[0];
        let state: InterpretedState = {
          value: snapshot.value as InterpretedState['value'],
          context: snapshot.context,
        };
        for (const event of sequence) {
          const [next] = transition(compiled.machine, snapshot, event);
          const interpreted = interpret(compiled, state, event);
          if (next === snapshot) {
            expect(interpreted).toBeNull();
            continue;
          }
          expect(interpreted).not.toBeNull();
          expect(interpreted?.value).toEqual(next.value);
          expect(interpreted?.context).toEqual(next.context);
          snapshot = next;
          state = interpreted ?? state;
        }
      }),
      { numRuns: 250 },
    );
  });
});
