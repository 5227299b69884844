// Working through a record in the UI (jsdom, real Dexie on fake-indexeddb, real machines):
// queries by role and label only.
import { screen, waitFor, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDatabase } from '../../src/db/database.ts';
import { readEvents } from '../../src/db/runs.ts';
import { registerApprover } from '../../src/db/signoff.ts';
import { setActor } from '../../src/ui/useActor.ts';
import { renderAt, resetDatabase, startRecord } from './helpers.tsx';
import { runEvents } from '../../src/db/eventStore.ts';

beforeEach(async () => {
  await resetDatabase();
});

describe('home', () => {
  it('asks who is working, and remembers it', async () => {
    renderAt('/');
    const name = await screen.findByLabelText('Who is working?');
    await userEvent.click(screen.getByRole('button', { name: 'Save name' }));
    expect(await screen.findByText('Enter your name')).toBeInTheDocument();
    await userEvent.type(name, 'Alex Smith');
    await userEvent.click(screen.getByRole('button', { name: 'Save name' }));
    expect(await screen.findByText('Alex Smith')).toBeInTheDocument();
    expect(screen.getByText(/Working as/)).toBeInTheDocument();
  });

  it('lists the records on this device with progress and status', async () => {
    await startRecord('prerequisites');
    renderAt('/');
    const table = await screen.findByRole('table');
    expect(within(table).getByRole('link', { name: 'Test Trust' })).toBeInTheDocument();
    expect(within(table).getByText('0 of 4 steps')).toBeInTheDocument();
    expect(within(table).getByText('Not started')).toBeInTheDocument();
    expect(within(table).getByText('by Sam Technician')).toBeInTheDocument();
  });

  it('deletes a record only after confirmation', async () => {
    const run = await startRecord('prerequisites');
    renderAt('/');
    await userEvent.click(
      await screen.findByRole('link', { name: 'Delete the record for Test Trust' }),
    );
    expect(
      await screen.findByRole('heading', {
        name: 'Are you sure you want to delete the record for Test Trust?',
      }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'No, keep it' }));
    expect(await getDatabase().runs.get(run.runId)).toBeDefined();
    window.history.pushState(null, '', `/records/${run.runId}/delete`);
    window.dispatchEvent(new PopStateEvent('popstate'));
    await userEvent.click(await screen.findByRole('button', { name: 'Yes, delete this record' }));
    await waitFor(async () => {
      expect(await getDatabase().runs.get(run.runId)).toBeUndefined();
    });
    expect(await screen.findByText('There are no records on this device yet.')).toBeInTheDocument();
  });
});

describe('starting a record', () => {
  it('checks the organisation and ODS code, then opens the new record', async () => {
    // Asking who is working is tested above; here the name is already known.
    await setActor('Sam');
    renderAt('/records/new');
    // The first render of a page loads its lazy chunk and live queries: slow on a busy machine.
    await screen.findByText(/Working as/, undefined, { timeout: 10_000 });
    await userEvent.type(screen.getByLabelText('ODS code (optional)'), 'R!');
    await userEvent.click(screen.getByRole('button', { name: 'Start record' }));
    const summary = await screen.findByRole('alert');
    expect(
      within(summary).getByRole('link', { name: 'Enter the organisation name' }),
    ).toHaveAttribute('href', '#field-name');
    expect(
      within(summary).getByRole('link', {
        name: /Enter an ODS code of 3 to 6 letters and numbers/,
      }),
    ).toBeInTheDocument();
    expect(await getDatabase().runs.count()).toBe(0);

    await userEvent.type(screen.getByLabelText('Organisation name'), 'Kettering General Hospital');
    await userEvent.clear(screen.getByLabelText('ODS code (optional)'));
    await userEvent.type(screen.getByLabelText('ODS code (optional)'), 'rnq');
    const [firstChecklist] = screen.getAllByRole('radio');
    if (!firstChecklist) throw new Error('no checklist offered');
    await userEvent.click(firstChecklist);
    await userEvent.click(screen.getByRole('button', { name: 'Start record' }));
    expect(
      await screen.findByRole(
        'heading',
        { level: 1, name: 'Kettering General Hospital' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    const [run] = await getDatabase().runs.toArray();
    expect(run?.organisation).toEqual({ name: 'Kettering General Hospital', odsCode: 'RNQ' });
    expect(run?.createdBy).toBe('Sam');
  }, 30_000);
});

describe('the record overview', () => {
  it('shows the task list with statuses, what blocked steps wait for, and the next step', async () => {
    const run = await startRecord('prerequisites');
    renderAt(`/records/${run.runId}`);
    expect(await screen.findByText('0 of 4 steps done')).toBeInTheDocument();
    // A step that cannot start is plain text, not a link, with a one-line hint: how many steps
    // it waits for and the one to do next.
    expect(screen.queryByRole('link', { name: 'Step C' })).not.toBeInTheDocument();
    const stepC = screen.getByText('Step C').closest('li');
    if (!stepC) throw new Error('no task-list item for Step C');
    expect(stepC).toHaveTextContent('Complete 2 earlier steps first, next “Step A”');
    expect(within(stepC).getByText('Cannot start yet')).toHaveClass('nhsuk-tag--grey');
    const stepD = screen.getByText('Step D').closest('li');
    expect(stepD).toHaveTextContent('Complete “Step C” first');
    expect(screen.getByRole('link', { name: 'Step A' })).toHaveAccessibleDescription('Not started');
    expect(screen.getByRole('link', { name: 'Continue: Step A' })).toHaveAttribute(
      'href',
      `/records/${run.runId}/steps/a`,
    );
  });
});

describe('a step', () => {
  it('validates with the step’s schema, shows the error summary, then completes and moves on', async () => {
    const run = await startRecord('field-types');
    renderAt(`/records/${run.runId}/steps/everything`);
    await userEvent.click(await screen.findByRole('button', { name: 'Mark as complete' }));
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Enter short text' })).toHaveAttribute(
      'href',
      '#field-short',
    );
    expect(
      within(summary).getByRole('link', { name: 'Select yes or no for “Is it ok?”' }),
    ).toHaveAttribute('href', '#field-ok-0');
    expect(screen.getByLabelText('Short text')).toHaveAccessibleDescription(
      'Error: Enter short text',
    );

    await userEvent.type(screen.getByLabelText('Short text'), 'Done');
    await userEvent.type(screen.getByLabelText(/^Count/), '12');
    const backup = screen.getByRole('group', { name: 'Backup date' });
    await userEvent.type(within(backup).getByLabelText('Day'), '14');
    await userEvent.type(within(backup).getByLabelText('Month'), '5');
    await userEvent.type(within(backup).getByLabelText('Year'), '2017');
    const moment = screen.getByRole('group', { name: 'Time of test' });
    await userEvent.type(within(moment).getByLabelText('Day'), '15');
    await userEvent.type(within(moment).getByLabelText('Month'), '5');
    await userEvent.type(within(moment).getByLabelText('Year'), '2017');
    await userEvent.type(within(moment).getByLabelText('Time (24-hour clock)'), '10:30');
    await userEvent.click(
      within(screen.getByRole('group', { name: 'Is it ok?' })).getByLabelText('Yes'),
    );
    await userEvent.click(screen.getByLabelText('Green'));
    await userEvent.click(screen.getByLabelText('N3'));
    const lead = screen.getByRole('group', { name: 'Incident lead' });
    await userEvent.type(within(lead).getByLabelText('Name'), 'Alex');
    await userEvent.type(within(lead).getByLabelText('Role'), 'IT lead');
    await userEvent.type(screen.getByLabelText('Installed KBs'), 'KB4012212');
    await userEvent.type(screen.getByLabelText('srv.sys version'), '6.1.7601.23689');
    await userEvent.click(screen.getByRole('button', { name: 'Mark as complete' }));

    await waitFor(async () => {
      const stored = await getDatabase().runs.get(run.runId);
      expect(stored?.snapshot.context.steps.everything?.phase).toBe('completed');
    });
    const stored = await getDatabase().runs.get(run.runId);
    expect(stored?.snapshot.context.steps.everything?.evidence).toMatchObject({
      short: 'Done',
      count: 12,
      day: '2017-05-14',
      moment: '2017-05-15T10:30',
      ok: true,
      colour: 'green',
      links: ['n3'],
      lead: { name: 'Alex', role: 'IT lead' },
      kbs: ['KB4012212'],
      srv: '6.1.7601.23689',
    });
    expect(await screen.findByText('Saved: “Every field type”')).toBeInTheDocument();
    // Typing into a dozen fields, each keystroke a render: sized for a busy 2-core machine.
  }, 30_000);

  it('saves a draft and says so only after it is stored', async () => {
    const run = await startRecord('prerequisites');
    renderAt(`/records/${run.runId}/steps/a`);
    await userEvent.type(await screen.findByLabelText('Note'), 'half done');
    await userEvent.click(screen.getByRole('button', { name: 'Save draft' }));
    expect(await screen.findByText(/^Saved at/)).toBeInTheDocument();
    const stored = await getDatabase().runs.get(run.runId);
    expect(stored?.snapshot.context.steps.a?.draft).toEqual({ note: 'half done' });
  });

  it('marks a step not applicable only with a reason', async () => {
    const run = await startRecord('prerequisites');
    renderAt(`/records/${run.runId}/steps/b`);
    await userEvent.click(await screen.findByText('This step does not apply here'));
    await userEvent.click(screen.getByRole('button', { name: 'Mark as not applicable' }));
    // The NHS pattern: a summary that takes focus and links to the field, and the field's message.
    const summary = await screen.findByRole('alert');
    expect(summary.parentElement).toHaveFocus();
    const link = within(summary).getByRole('link', { name: 'Enter why this step does not apply' });
    const target = document.getElementById(link.getAttribute('href')?.slice(1) ?? '');
    expect(target).toBe(screen.getByLabelText('Why does it not apply?'));
    expect(target).toHaveAccessibleDescription(/Error: Enter why this step does not apply$/);
    await userEvent.type(screen.getByLabelText('Why does it not apply?'), 'No such link here');
    await userEvent.click(screen.getByRole('button', { name: 'Mark as not applicable' }));
    await waitFor(async () => {
      expect((await getDatabase().runs.get(run.runId))?.snapshot.context.steps.b?.phase).toBe(
        'notApplicable',
      );
    });
  });

  it('does not offer what the machine would refuse, and says why a step cannot start', async () => {
    const run = await startRecord('prerequisites');
    renderAt(`/records/${run.runId}/steps/d`);
    expect(
      await screen.findByText('You cannot start this step yet. Complete these first:'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Step C' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Mark as complete' })).not.toBeInTheDocument();
    expect(screen.queryByText('This step does not apply here')).not.toBeInTheDocument();
  });

  it('sends a step for approval, and a registered approver can send it back with a reason', async () => {
    const run = await startRecord('risk-acceptance');
    await registerApprover({
      name: 'Pat Manager',
      role: 'SIRO',
      passphrase: 'a long enough passphrase',
    });
    renderAt(`/records/${run.runId}/steps/patch-all`);
    await userEvent.type(await screen.findByLabelText(/^Percentage patched/), '100');
    await userEvent.click(screen.getByRole('button', { name: 'Submit for approval' }));
    expect(await screen.findByText('Saved: “Patch every device”')).toBeInTheDocument();
    window.history.pushState(null, '', `/records/${run.runId}/steps/patch-all`);
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(
      await screen.findByRole('heading', { name: 'Waiting for approval' }),
    ).toBeInTheDocument();
    // Nothing chosen: each question says what is missing, tied to its group for screen readers.
    await userEvent.click(await screen.findByRole('button', { name: 'Sign and record decision' }));
    expect(screen.getByRole('group', { name: 'Approver' })).toHaveAccessibleDescription(
      'Error: Select the approver',
    );
    expect(screen.getByRole('group', { name: 'Decision' })).toHaveAccessibleDescription(
      'Error: Select whether you approve or send it back',
    );
    expect(screen.getByLabelText('Pat Manager, SIRO')).toHaveAccessibleDescription(/^Key /);
    // …and the panel's error summary links to each question.
    const summary = screen.getByRole('alert');
    expect(summary.parentElement).toHaveFocus();
    const targets = within(summary)
      .getAllByRole('link')
      .map((l) => [
        l.textContent,
        document.getElementById(l.getAttribute('href')?.slice(1) ?? '')?.getAttribute('type'),
      ]);
    expect(targets).toEqual([
      ['Select the approver', 'radio'],
      ['Enter the approver’s passphrase', 'password'],
      ['Select whether you approve or send it back', 'radio'],
    ]);
    await userEvent.click(screen.getByLabelText('Pat Manager, SIRO'));
    await userEvent.click(screen.getByLabelText('Send back with a reason'));
    await userEvent.type(screen.getByLabelText('What needs to change'), 'Attach the WSUS report');
    await userEvent.type(screen.getByLabelText('Approver’s passphrase'), 'not the passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Sign and record decision' }));
    expect(
      await within(await screen.findByRole('alert')).findByRole('link', {
        name: 'The passphrase is not right for Pat Manager',
      }),
    ).toBeInTheDocument();
    await userEvent.clear(screen.getByLabelText('Approver’s passphrase'));
    await userEvent.type(
      screen.getByLabelText('Approver’s passphrase'),
      'a long enough passphrase',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sign and record decision' }));
    expect(await screen.findByText('Sent back by Pat Manager')).toBeInTheDocument();
    expect(
      screen
        .getByText('Sent back with your reason, signed by Pat Manager')
        .closest('[role="alert"]'),
    ).toHaveFocus();
    expect(screen.getByText('Attach the WSUS report')).toBeInTheDocument();
    // The submitted answer is kept for the fix.
    expect(screen.getByLabelText(/^Percentage patched/)).toHaveValue('100');
  });

  it('sends a risk-only step with its answers, checked like a completion', async () => {
    const run = await startRecord('risk-only');
    renderAt(`/records/${run.runId}/steps/exception`);
    await screen.findByRole('heading', { name: 'Send for risk acceptance' });
    expect(screen.queryByRole('button', { name: /Mark as complete|Submit for approval/ })).toBe(
      null,
    );
    const send = within(screen.getByRole('form', { name: 'Send for risk acceptance' }));
    await userEvent.type(send.getByLabelText('Reason and controls'), 'Cannot be patched');
    const review = send.getByRole('group', { name: 'Review date' });
    await userEvent.type(within(review).getByLabelText('Day'), '1');
    await userEvent.type(within(review).getByLabelText('Month'), '8');
    await userEvent.type(within(review).getByLabelText('Year'), '2099');
    await userEvent.click(send.getByRole('button', { name: 'Send for risk acceptance' }));
    // The answers are missing: the step's own form says so, and nothing is sent.
    const summary = await screen.findByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Enter how it is isolated' })).toBeVisible();
    expect(
      (await getDatabase().runs.get(run.runId))?.snapshot.context.steps.exception?.phase,
    ).not.toBe('awaitingApproval');

    await userEvent.type(screen.getByLabelText('How it is isolated'), 'Own VLAN');
    await userEvent.click(
      within(screen.getByRole('group', { name: 'Is it monitored?' })).getByLabelText('Yes'),
    );
    await userEvent.click(send.getByRole('button', { name: 'Send for risk acceptance' }));
    await waitFor(async () => {
      const step = (await getDatabase().runs.get(run.runId))?.snapshot.context.steps.exception;
      expect(step?.phase).toBe('awaitingApproval');
      expect(step?.evidence).toEqual({ how: 'Own VLAN', monitored: true });
    });
  });

  it('corrects a completed step with a reason, as a new event', async () => {
    const run = await startRecord('prerequisites');
    renderAt(`/records/${run.runId}/steps/a`);
    await userEvent.type(await screen.findByLabelText('Note'), 'first');
    await userEvent.click(screen.getByRole('button', { name: 'Mark as complete' }));
    await waitFor(async () => {
      expect((await getDatabase().runs.get(run.runId))?.snapshot.context.steps.a?.phase).toBe(
        'completed',
      );
    });
    window.history.pushState(null, '', `/records/${run.runId}/steps/a`);
    window.dispatchEvent(new PopStateEvent('popstate'));
    await userEvent.click(await screen.findByText('Correct this step'));
    await userEvent.type(screen.getByLabelText('Why does it need correcting?'), 'Typo');
    await userEvent.click(screen.getByRole('button', { name: 'Reopen to correct' }));
    expect(await screen.findByLabelText('Note')).toHaveValue('first');
    // The correction form is gone; focus goes to what happened rather than the page's start.
    expect(
      screen
        .getByText('Reopened to correct: the answers given are filled in below')
        .closest('[role="alert"]'),
    ).toHaveFocus();
    const events = await readEvents(run.runId);
    // Drafts may have been saved along the way; the decisions are these, in order.
    expect(events.map((e) => e.event.type).filter((t) => t !== 'step.save')).toEqual([
      'step.complete',
      'step.reopen',
    ]);
  });
});

describe('the audit log', () => {
  it('lists every event with who, when and what changed, and checks the chain', async () => {
    const run = await startRecord('prerequisites');
    renderAt(`/records/${run.runId}/steps/a`);
    await userEvent.type(await screen.findByLabelText('Note'), 'first');
    await userEvent.click(screen.getByRole('button', { name: 'Mark as complete' }));
    await waitFor(async () => {
      expect((await getDatabase().runs.get(run.runId))?.head.seq).toBeGreaterThan(0);
    });
    window.history.pushState(null, '', `/records/${run.runId}/log`);
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(await screen.findByText('Hash chain intact')).toBeInTheDocument();
    const table = screen.getByRole('table');
    expect(within(table).getAllByText('Completed: Step A').length).toBe(1);
    expect(within(table).getByText('Note: (blank) → “first”')).toBeInTheDocument();

    // Tamper with a stored event: the page names it.
    // It is stored in a pack (src/db/eventStore.ts): alter it in place there, as an attacker
    // with the browser's storage could.
    const first = (await runEvents(getDatabase(), run.runId)).find((e) => e.seq === 1);
    await getDatabase()
      .eventPacks.where('hashes')
      .equals(first?.hash ?? '')
      .modify((pack) => {
        for (const e of pack.events)
          if (e.hash === first?.hash) e.event = { ...e.event, actor: { name: 'Mallory' } };
      });
    expect(await screen.findByText('Hash chain broken')).toBeInTheDocument();
    expect(
      screen.getByText(/The first broken event is number 1: event 1 has been altered/),
    ).toBeInTheDocument();
  });
});
