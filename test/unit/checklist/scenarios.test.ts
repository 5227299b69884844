// Each fixture checklist, driven through event sequences, must reach the statuses stated here.
import { describe, expect, it } from 'vitest';
import { applyEvent, initialRunState, replay } from '../../../src/run/replay.ts';
import { nextStep, progressOf, stepStatuses } from '../../../src/run/status.ts';
import { ev, fixture, kinds, run } from '../../helpers/checklists.ts';

describe('branching', () => {
  const c = fixture('branching');

  it('starts with only the triage step open; the branches wait for its answer', () => {
    const state = initialRunState(c);
    expect(kinds(c, state)).toEqual({
      triage: 'not-started',
      'clean-up': 'cannot-start',
      many: 'cannot-start',
      precaution: 'cannot-start',
    });
    const status = stepStatuses(c, state).get('clean-up');
    expect(status).toEqual({ kind: 'cannot-start', waitingFor: ['triage'] });
  });

  it('infected: clean-up applies, the precautionary step is not needed', () => {
    const state = run(c, [ev.complete('triage', { infected: true, count: 3 })]);
    expect(kinds(c, state)).toEqual({
      triage: 'completed',
      'clean-up': 'not-started',
      many: 'not-needed',
      precaution: 'not-needed',
    });
  });

  it('a large outbreak needs outside help as well', () => {
    const state = run(c, [ev.complete('triage', { infected: true, count: 11 })]);
    expect(kinds(c, state).many).toBe('not-started');
  });

  it('precautionary: clean-up is not needed and refuses to be completed', () => {
    const state = run(c, [ev.complete('triage', { infected: false })]);
    expect(kinds(c, state)).toMatchObject({ 'clean-up': 'not-needed', precaution: 'not-started' });
    const attempt = applyEvent(c, state, ev.complete('clean-up', { done: true }));
    expect(attempt.ok).toBe(false);
    if (!attempt.ok) {
      expect(attempt.rejection.code).toBe('condition-false');
      expect(attempt.rejection.message).toContain('“Any infection found?” is Yes');
    }
  });

  it('refuses a branch step before the answer it depends on', () => {
    const attempt = applyEvent(c, initialRunState(c), ev.complete('clean-up', { done: true }));
    expect(attempt.ok ? null : attempt.rejection.code).toBe('condition-unknown');
  });

  it('completes once the branch that applies is done', () => {
    const state = run(c, [
      ev.complete('triage', { infected: false }),
      ev.complete('precaution', { note: 'Precaution only' }),
    ]);
    expect(progressOf(stepStatuses(c, state))).toMatchObject({ done: 4, total: 4, complete: true });
  });

  it('re-evaluates the branches when the triage answer is corrected', () => {
    const state = run(c, [
      ev.complete('triage', { infected: false }),
      ev.complete('precaution', { note: 'n' }),
      ev.reopen('triage', 'Found an infected PC'),
      ev.complete('triage', { infected: true, count: 1 }),
    ]);
    expect(kinds(c, state)).toMatchObject({ precaution: 'not-needed', 'clean-up': 'not-started' });
    expect(progressOf(stepStatuses(c, state)).complete).toBe(false);
  });
});

describe('prerequisites', () => {
  const c = fixture('prerequisites');

  it('blocks a step until every step it requires is resolved, and says which', () => {
    const state = run(c, [ev.complete('a', { note: 'x' })]);
    expect(stepStatuses(c, state).get('c')).toEqual({ kind: 'cannot-start', waitingFor: ['b'] });
    const attempt = applyEvent(c, state, ev.complete('c', { note: 'x' }));
    expect(attempt.ok).toBe(false);
    if (!attempt.ok) {
      expect(attempt.rejection.code).toBe('prerequisite-missing');
      expect(attempt.rejection.message).toBe('Complete “Step B” first.');
      expect(attempt.rejection.steps).toEqual(['b']);
    }
  });

  it('counts a not-applicable prerequisite as resolved', () => {
    const state = run(c, [ev.complete('a', { note: 'x' }), ev.na('b')]);
    expect(kinds(c, state).c).toBe('not-started');
  });

  it('names the next step to do', () => {
    const state = run(c, [ev.complete('a', { note: 'x' })]);
    expect(nextStep(c, stepStatuses(c, state))).toBe('b');
  });

  it('refuses to complete a step twice; correcting needs a reason', () => {
    const state = run(c, [ev.complete('a', { note: 'x' })]);
    const again = applyEvent(c, state, ev.complete('a', { note: 'y' }));
    expect(again.ok ? null : again.rejection.code).toBe('step-locked');
    const noReason = applyEvent(c, state, ev.reopen('a', '  '));
    expect(noReason.ok ? null : noReason.rejection.code).toBe('reason-missing');
    const fixed = run(c, [
      ev.complete('a', { note: 'x' }),
      ev.reopen('a', 'Wrong note'),
      ev.complete('a', { note: 'y' }),
    ]);
    expect(fixed.context.steps.a?.evidence).toEqual({ note: 'y' });
    expect(fixed.context.steps.a?.reopened?.reason).toBe('Wrong note');
  });

  it('keeps a draft without completing the step', () => {
    const state = run(c, [ev.save('a', { note: 'half' })]);
    expect(kinds(c, state).a).toBe('in-progress');
    expect(state.context.steps.a?.draft).toEqual({ note: 'half' });
  });
});

describe('not applicable', () => {
  const c = fixture('not-applicable');

  it('needs a reason', () => {
    const attempt = applyEvent(c, initialRunState(c), ev.na('optional-step', ''));
    expect(attempt.ok ? null : attempt.rejection.code).toBe('reason-missing');
  });

  it('is refused where the checklist does not allow it', () => {
    const attempt = applyEvent(c, initialRunState(c), ev.na('mandatory-step'));
    expect(attempt.ok ? null : attempt.rejection.code).toBe('outcome-not-allowed');
  });

  it('records the reason, and skips steps that depend on the step being done', () => {
    const state = run(c, [ev.na('optional-step', 'No third-party links')]);
    const status = stepStatuses(c, state);
    expect(status.get('optional-step')).toEqual({
      kind: 'not-applicable',
      reason: 'No third-party links',
    });
    expect(status.get('follow-up')?.kind).toBe('not-needed');
  });
});

describe('risk acceptance and approval', () => {
  const c = fixture('risk-acceptance');

  it('a risk acceptance waits for the approver, who resolves it', () => {
    let state = run(c, [ev.risk('patch-all', 'Two MRI scanners isolated', '2017-08-01')]);
    expect(stepStatuses(c, state).get('patch-all')).toMatchObject({
      kind: 'needs-approval',
      pending: {
        outcome: 'risk-accepted',
        reason: 'Two MRI scanners isolated',
        reviewDate: '2017-08-01',
      },
    });
    expect(kinds(c, state)['go-ahead']).toBe('cannot-start');
    state = run(c, [
      ev.risk('patch-all', 'Two MRI scanners isolated', '2017-08-01'),
      ev.approve('patch-all'),
    ]);
    expect(stepStatuses(c, state).get('patch-all')).toEqual({
      kind: 'risk-accepted',
      reason: 'Two MRI scanners isolated',
      reviewDate: '2017-08-01',
    });
    expect(state.context.steps['patch-all']?.resolution?.approval).toMatchObject({
      name: 'Pat Manager',
      role: 'SIRO',
    });
  });

  it('will not approve a step while a step it requires has been reopened', () => {
    const state = run(c, [
      ev.complete('patch-all', { percent: 100 }),
      ev.approve('patch-all'),
      ev.complete('go-ahead', { approver: { name: 'Jo', role: 'IT director' } }),
      ev.reopen('patch-all', 'The WSUS report was for the wrong site'),
    ]);
    expect(kinds(c, state)['go-ahead']).toBe('needs-approval');
    const attempt = applyEvent(c, state, ev.approve('go-ahead', 'IT director'));
    expect(attempt.ok ? null : attempt.rejection).toEqual({
      code: 'prerequisite-missing',
      message:
        '“Go-ahead” cannot be approved while “Patch every device” is open again. Resolve it first, or send this step back.',
      steps: ['patch-all'],
    });
    // Sending it back stays possible.
    expect(applyEvent(c, state, ev.reject('go-ahead')).ok).toBe(true);
  });

  it('needs a review date in the future', () => {
    const attempt = applyEvent(c, initialRunState(c), ev.risk('patch-all', 'reason', '2017-01-01'));
    expect(attempt.ok ? null : attempt.rejection.code).toBe('reason-missing');
  });

  it('a step with approval is not complete until approved, and can be sent back', () => {
    const submitted = [
      ev.complete('patch-all', { percent: 100 }),
      ev.approve('patch-all'),
      ev.complete('go-ahead', { approver: { name: 'Jo', role: 'IT director' } }),
    ];
    let state = run(c, submitted);
    expect(kinds(c, state)['go-ahead']).toBe('needs-approval');
    expect(progressOf(stepStatuses(c, state)).complete).toBe(false);
    const edit = applyEvent(c, state, ev.save('go-ahead', {}));
    expect(edit.ok ? null : edit.rejection.code).toBe('approval-needed');

    state = run(c, [...submitted, ev.reject('go-ahead', 'Name the countersignatory')]);
    expect(stepStatuses(c, state).get('go-ahead')).toMatchObject({
      kind: 'in-progress',
      returned: { reason: 'Name the countersignatory', role: 'SIRO' },
    });
    // The submitted answers come back as the draft to fix.
    expect(state.context.steps['go-ahead']?.draft).toEqual({
      approver: { name: 'Jo', role: 'IT director' },
    });

    state = run(c, [...submitted, ev.approve('go-ahead', 'IT director')]);
    expect(progressOf(stepStatuses(c, state)).complete).toBe(true);
  });

  it('cannot approve what is not waiting for approval', () => {
    const attempt = applyEvent(c, initialRunState(c), ev.approve('patch-all'));
    expect(attempt.ok ? null : attempt.rejection.code).toBe('not-awaiting-approval');
  });
});

describe('per device, with reference data', () => {
  const c = fixture('per-device');
  const identify = (os: string) => ev.complete('identify', { os });

  it('is marked per device and takes its options from the reference table', () => {
    expect(c.definition.perDevice).toBe(true);
    const field = c.index.fields.get('identify.os');
    expect(field?.type === 'choice' ? field.options.map((o) => o.value) : []).toEqual([
      'os-a',
      'os-b',
    ]);
  });

  it('a version at or above the minimum for the OS needs no exception', () => {
    const state = run(c, [
      identify('os-a'),
      ev.complete('patch', { 'driver-version': '6.1.7601.23689', kbs: 'KB4012215' }),
    ]);
    expect(kinds(c, state)).toMatchObject({ exception: 'not-needed', 'kb-note': 'not-started' });
  });

  it('compares versions numerically part by part', () => {
    const state = run(c, [
      identify('os-a'),
      ev.complete('patch', { 'driver-version': '6.1.7601.3689', kbs: ['KB3205409'] }),
    ]);
    expect(kinds(c, state)).toMatchObject({ exception: 'not-started', 'kb-note': 'not-needed' });
  });

  it('an OS whose minimum is unconfirmed cannot be cleared on the version alone', () => {
    const state = run(c, [
      identify('os-b'),
      ev.complete('patch', { 'driver-version': '99.0', kbs: 'KB4012598' }),
    ]);
    expect(kinds(c, state)).toMatchObject({ exception: 'not-started', 'kb-note': 'not-started' });
  });

  it('the exception is only ever resolved by an approved risk acceptance', () => {
    const state = run(c, [
      identify('os-a'),
      ev.complete('patch', { 'driver-version': '6.0', kbs: 'KB1000000' }),
      ev.risk('exception', 'Isolated on VLAN 99'),
      ev.approve('exception', 'Risk owner'),
    ]);
    expect(progressOf(stepStatuses(c, state)).complete).toBe(true);
  });
});

describe('field types', () => {
  const c = fixture('field-types');
  const valid = {
    short: 'ok',
    count: '12',
    day: '2017-05-14',
    moment: '2017-05-15T10:30',
    ok: 'yes',
    colour: 'green',
    links: ['n3'],
    lead: { name: 'Alex', role: 'IT lead' },
    kbs: 'kb4012212, KB4012215\n4012598',
    srv: '6.1.7601.23689',
  };

  it('accepts form answers and stores them typed', () => {
    const state = run(c, [ev.complete('everything', valid)]);
    expect(state.context.steps.everything?.evidence).toEqual({
      short: 'ok',
      count: 12,
      day: '2017-05-14',
      moment: '2017-05-15T10:30',
      ok: true,
      colour: 'green',
      links: ['n3'],
      lead: { name: 'Alex', role: 'IT lead' },
      kbs: ['KB4012212', 'KB4012215', 'KB4012598'],
      srv: '6.1.7601.23689',
    });
  });

  it('rejects invalid evidence with a message for each field', () => {
    const attempt = applyEvent(
      c,
      initialRunState(c),
      ev.complete('everything', {
        ...valid,
        short: 'far too long text',
        count: '-1',
        srv: '6.1',
        kbs: 'KB12',
        colour: 'blue',
      }),
    );
    expect(attempt.ok).toBe(false);
    if (attempt.ok) return;
    expect(attempt.rejection.code).toBe('evidence-invalid');
    expect(attempt.rejection.issues).toEqual([
      { field: 'short', message: 'Short text must be 10 characters or fewer' },
      { field: 'count', message: 'Count must be 0 or more' },
      { field: 'colour', message: 'Select one of the options for colour' },
      {
        field: 'kbs',
        message: '“KB12” is not a KB number: write KB followed by 6 or 7 digits, such as KB4012212',
      },
    ]);
  });

  it('is replayed to the same state from the stored (typed) evidence', () => {
    const once = run(c, [ev.complete('everything', valid)]);
    const typed = once.context.steps.everything?.evidence;
    const twice = replay(c, [
      { ...ev.complete('everything', typed), at: '2017-05-15T10:00:00.000Z' },
    ]);
    expect(twice.rejected).toEqual([]);
    expect(twice.state.context.steps.everything?.evidence).toEqual(typed);
  });
});
