// Draft saves merge field by field: changes on one side are kept, the same field changed on two
// sides is a conflict for a person to choose, and no saved value leaves without an event that
// names it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyDraftState,
  mergeDraft,
  sameValue,
  type DraftSave,
  type DraftState,
} from '../../../src/checklist/draftMerge.ts';
import { applyEvent, replay } from '../../../src/run/replay.ts';
import { availableActions } from '../../../src/run/actions.ts';
import { describeLog } from '../../../src/run/audit.ts';
import type { MachineEvent } from '../../../src/checklist/events.ts';
import { shipped } from '../../helpers/checklists.ts';

const alice = { by: 'Alice', at: '2026-11-30T10:00:00.000Z' };
const bob = { by: 'Bob', at: '2026-11-30T10:01:00.000Z' };

function saved(state: DraftState, save: DraftSave, who = alice): DraftState {
  return mergeDraft(state, save, who).state;
}

describe('merging a draft save', () => {
  it('applies a change to a field nobody else changed since the form loaded', () => {
    const start = saved(emptyDraftState, { changes: { a: 'x', b: 'one' } });
    const { state, outcome } = mergeDraft(start, { changes: { a: 'y' }, base: { a: 'x' } }, bob);
    expect(state.draft).toEqual({ a: 'y', b: 'one' });
    expect(state.draftBy.a).toEqual(bob);
    expect(state.draftBy.b).toEqual(alice);
    expect(state.conflicts).toEqual({});
    expect(outcome.applied).toEqual([{ field: 'a', from: 'x', to: 'y' }]);
    expect(outcome.dropped).toEqual([{ field: 'a', value: 'x', because: 'replaced' }]);
  });

  it('keeps both tabs’ answers when they changed different fields from the same base', () => {
    // Both forms opened on an empty draft; each saves only its own field.
    const afterA = saved(emptyDraftState, { changes: { a: 'from A' } }, alice);
    const afterB = saved(afterA, { changes: { b: 'from B' } }, bob);
    expect(afterB.draft).toEqual({ a: 'from A', b: 'from B' });
    expect(afterB.conflicts).toEqual({});
  });

  it('keeps both values, with who wrote them, when two tabs changed the same field', () => {
    const afterA = saved(emptyDraftState, { changes: { a: 'from A' } }, alice);
    const { state, outcome } = mergeDraft(afterA, { changes: { a: 'from B' } }, bob);
    expect(state.conflicts.a).toEqual([
      { value: 'from A', ...alice },
      { value: 'from B', ...bob },
    ]);
    expect(state.draft.a).toBe('from A');
    expect(outcome.dropped).toEqual([]);
    expect(outcome.conflicted.map((c) => c.field)).toEqual(['a']);
  });

  it('is no conflict when the other side saved the very same value', () => {
    const afterA = saved(emptyDraftState, { changes: { a: ['x', 'y'] } }, alice);
    const { state } = mergeDraft(afterA, { changes: { a: ['x', 'y'] } }, bob);
    expect(state.conflicts).toEqual({});
    expect(state.draftBy.a).toEqual(alice);
  });

  it('settles a conflict with the value a person chose, naming the values set aside', () => {
    const conflicted = saved(
      saved(emptyDraftState, { changes: { a: 'from A' } }, alice),
      { changes: { a: 'from B' } },
      bob,
    );
    const pickB = mergeDraft(
      conflicted,
      { changes: { a: 'from B' }, resolves: { a: ['from A', 'from B'] } },
      alice,
    );
    expect(pickB.state.draft.a).toBe('from B');
    expect(pickB.state.conflicts).toEqual({});
    expect(pickB.outcome.dropped).toEqual([{ field: 'a', value: 'from A', because: 'settled' }]);
    // Keeping the value already shown needs no change, only the choice.
    const keepA = mergeDraft(
      conflicted,
      { changes: {}, resolves: { a: ['from A', 'from B'] } },
      alice,
    );
    expect(keepA.state.draft.a).toBe('from A');
    expect(keepA.state.conflicts).toEqual({});
  });

  it('does not settle away a value saved after the person was shown the choice', () => {
    let state = saved(emptyDraftState, { changes: { a: 'x' } }, alice);
    state = saved(state, { changes: { a: 'y' } }, bob);
    state = saved(state, { changes: { a: 'z' } }, { by: 'Cat', at: alice.at });
    const result = mergeDraft(state, { changes: { a: 'y' }, resolves: { a: ['x', 'y'] } }, alice);
    expect(result.state.conflicts.a?.map((c) => c.value)).toEqual(['y', 'z']);
  });
});

// Random histories: writers save from what they last saw (or from nothing, or from an old
// copy), sometimes choosing between conflicting values they were shown.
const fields = ['a', 'b', 'c'] as const;
const values = ['x', 'y', 'z', 'w'];

interface Action {
  writer: number;
  refresh: boolean;
  changes: [string, string][];
  settle: boolean;
  pick: number;
}

const action: fc.Arbitrary<Action> = fc.record({
  writer: fc.integer({ min: 0, max: 2 }),
  refresh: fc.boolean(),
  changes: fc.array(fc.tuple(fc.constantFrom(...fields), fc.constantFrom(...values)), {
    maxLength: 3,
  }),
  settle: fc.boolean(),
  pick: fc.nat(),
});

function held(state: DraftState, field: string): unknown[] {
  return (
    state.conflicts[field]?.map((c) => c.value) ??
    (Object.hasOwn(state.draft, field) ? [state.draft[field]] : [])
  );
}

describe('property: no saved value is dropped without an event that says so', () => {
  it('holds over random histories of three writers', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        let state: DraftState = emptyDraftState;
        // What each writer's form last loaded.
        const seen: DraftState[] = [emptyDraftState, emptyDraftState, emptyDraftState];
        // Every value ever saved, and every value an event named when dropping it.
        const everSaved: { field: string; value: unknown }[] = [];
        const namedDrops: { field: string; value: unknown }[] = [];
        for (const act of actions) {
          if (act.refresh) seen[act.writer] = state;
          const view = seen[act.writer] ?? emptyDraftState;
          const changes: Record<string, unknown> = {};
          const base: Record<string, unknown> = {};
          const resolves: Record<string, unknown[]> = {};
          for (const [field, value] of act.changes) {
            changes[field] = value;
            if (Object.hasOwn(view.draft, field)) base[field] = view.draft[field];
            const shown = view.conflicts[field];
            if (act.settle && shown) resolves[field] = shown.map((c) => c.value);
          }
          if (act.settle && act.changes.length === 0) {
            // Choose among a conflict this writer was shown, without changing anything else.
            const open = Object.keys(view.conflicts);
            const field = open[act.pick % Math.max(open.length, 1)];
            const shown = field ? view.conflicts[field] : undefined;
            if (field && shown) {
              resolves[field] = shown.map((c) => c.value);
              const choice = shown[act.pick % shown.length];
              if (choice) {
                changes[field] = choice.value;
                base[field] = view.draft[field];
              }
            }
          }
          const save: DraftSave = { changes, base, resolves };
          const before = state;
          const { state: after, outcome } = mergeDraft(before, save, {
            by: `W${String(act.writer)}`,
            at: '2026-11-30T10:00:00.000Z',
          });
          for (const [field, value] of Object.entries(changes)) everSaved.push({ field, value });

          // Each value that left a field was named by the save: its base, or a value it settled.
          for (const field of fields) {
            const gone = held(before, field).filter(
              (v) => !held(after, field).some((w) => sameValue(v, w)),
            );
            for (const value of gone) {
              const named =
                (Object.hasOwn(base, field) && sameValue(base[field], value)) ||
                (resolves[field] ?? []).some((r) => sameValue(r, value));
              expect(named, `${field}: ${String(value)} dropped unnamed`).toBe(true);
              expect(outcome.dropped).toContainEqual(expect.objectContaining({ field, value }));
            }
          }
          for (const drop of outcome.dropped) namedDrops.push(drop);
          // A field in conflict shows the first of its values as the draft's.
          for (const [field, candidates] of Object.entries(after.conflicts)) {
            expect(candidates.length).toBeGreaterThan(1);
            expect(sameValue(after.draft[field], candidates[0]?.value)).toBe(true);
          }
          state = after;
        }
        // Every value ever saved is still held, or an event named it when it left.
        for (const { field, value } of everSaved) {
          const kept = held(state, field).some((v) => sameValue(v, value));
          const dropped = namedDrops.some((d) => d.field === field && sameValue(d.value, value));
          expect(kept || dropped).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('draft saves through the machine', () => {
  const compiled = shipped('device-clearance');
  const meta = (name: string, minute: number) => ({
    actor: { name },
    at: `2026-11-30T10:${String(minute).padStart(2, '0')}:00.000Z`,
  });
  const save = (
    name: string,
    minute: number,
    changes: Record<string, string>,
    extra: Partial<Pick<Extract<MachineEvent, { type: 'step.save' }>, 'base' | 'resolves'>> = {},
  ): MachineEvent => ({
    type: 'step.save',
    stepId: 'identify',
    changes,
    ...extra,
    ...meta(name, minute),
  });

  it('keeps both tabs’ fields, and a same-field conflict until someone chooses', () => {
    const events = [
      save('Alice', 1, { location: 'Ward 7' }),
      save('Bob', 2, { owner: 'Estates' }),
      save('Bob', 3, { location: 'Ward 8' }),
    ];
    const { state, rejected } = replay(compiled, events);
    expect(rejected).toEqual([]);
    const step = state.context.steps.identify;
    expect(step?.draft).toEqual({ location: 'Ward 7', owner: 'Estates' });
    expect(step?.conflicts?.location).toEqual([
      { value: 'Ward 7', by: 'Alice', at: '2026-11-30T10:01:00.000Z' },
      { value: 'Ward 8', by: 'Bob', at: '2026-11-30T10:03:00.000Z' },
    ]);
    // Completing now would drop one answer unseen: refused until a person chooses …
    const complete = applyEvent(compiled, state, {
      type: 'step.complete',
      stepId: 'identify',
      evidence: { location: 'Ward 7' },
      ...meta('Alice', 4),
    });
    expect(complete.ok).toBe(false);
    if (!complete.ok) expect(complete.rejection.code).toBe('draft-conflict');
    // … though the button stays offered: the choice is on the form.
    expect(availableActions(compiled, state, 'identify').complete.available).toBe(true);
    const chosen = applyEvent(
      compiled,
      state,
      save('Alice', 5, { location: 'Ward 8' }, { resolves: { location: ['Ward 7', 'Ward 8'] } }),
    );
    expect(chosen.ok).toBe(true);
    if (chosen.ok) {
      expect(chosen.state.context.steps.identify?.draft?.location).toBe('Ward 8');
      expect(chosen.state.context.steps.identify?.conflicts).toBeUndefined();
    }
    // The audit log says what each save did, the conflict and the choice included.
    const lines = describeLog(compiled, [
      ...events,
      save('Alice', 5, { location: 'Ward 8' }, { resolves: { location: ['Ward 7', 'Ward 8'] } }),
    ]);
    expect(lines[2]?.join('\n')).toMatch(/“Ward 7” by Alice; “Ward 8” by Bob/);
    expect(lines[3]?.join('\n')).toMatch(/chose another answer over “Ward 7”/);
  });

  it('refuses a save that is neither a whole draft nor changes, or names unknown fields', () => {
    const state = replay(compiled, []).state;
    const both = applyEvent(compiled, state, {
      type: 'step.save',
      stepId: 'identify',
      draft: {},
      changes: {},
      ...meta('A', 1),
    });
    expect(both.ok).toBe(false);
    const unknown = applyEvent(compiled, state, save('A', 1, {}, { base: { nope: 'x' } }));
    expect(unknown.ok).toBe(false);
  });
});
