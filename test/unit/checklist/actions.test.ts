// Which actions a step offers: asked of the machine with probe events, so the UI never offers
// what it would refuse — and never hides what a person on the form can still do.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { availableActions } from '../../../src/run/actions.ts';
import { ev, fixture, run } from '../../helpers/checklists.ts';

const staged = () =>
  fixture('staged', join(import.meta.dirname, '../../fixtures/staged-checklist'));

describe('available actions', () => {
  it('offers the approval of a step whose checklist names the role that takes it', () => {
    const c = staged();
    const state = run(c, [ev.complete('patched', { note: 'All patched' })]);
    // The approver (and so the role) is chosen on the form, which offers the decision only to
    // holders of the role: the step still offers it.
    const actions = availableActions(c, state, 'patched');
    expect(actions.approve).toEqual({ available: true });
    expect(actions.reject).toEqual({ available: true });
  });

  it('does not offer an approval to a step that is not waiting for one', () => {
    const c = staged();
    const actions = availableActions(c, run(c, []), 'patched');
    expect(actions.approve).toMatchObject({
      available: false,
      rejection: { code: 'not-awaiting-approval' },
    });
  });
});
