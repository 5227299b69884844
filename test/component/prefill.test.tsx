// Facts given when a record starts are not asked for again: the first step's form starts from
// them, editable, and what is completed is the person's answer — which the summary then shows.
import { screen, waitFor, within } from '@testing-library/preact';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDatabase } from '../../src/db/database.ts';
import { appendEvent, createRun } from '../../src/db/runs.ts';
import type { Organisation } from '../../src/run/header.ts';
import { setActor } from '../../src/ui/useActor.ts';
import { ev, shipped } from '../helpers/checklists.ts';
import { answers } from '../helpers/walk.ts';
import { renderAt, resetDatabase } from './helpers.tsx';
import { runEvents } from '../../src/db/eventStore.ts';

beforeEach(async () => {
  await resetDatabase();
});

const given = { name: 'Test Trust', odsCode: 'RNQ', incidentReference: 'INC-0512' };

async function startOrganisationRecord(organisation: Organisation = given) {
  const compiled = shipped('org-reconnection');
  await setActor('Sam Technician');
  return createRun({
    organisation,
    checklist: { definition: compiled.definition, contentHash: compiled.contentHash },
    actor: 'Sam Technician',
  });
}

describe('the first step of an organisation record', () => {
  it('starts from the organisation, ODS code and incident reference given at the start', async () => {
    const run = await startOrganisationRecord();
    renderAt(`/records/${run.runId}/steps/open-record`);
    const name = await screen.findByLabelText(/^Organisation name/, undefined, {
      timeout: 10_000,
    });
    expect(name).toHaveValue('Test Trust');
    expect(screen.getByLabelText(/^ODS code/)).toHaveValue('RNQ');
    expect(screen.getByLabelText(/^Local incident reference/)).toHaveValue('INC-0512');
    // Only looking at the form records nothing.
    expect((await runEvents(getDatabase(), run.runId)).length).toBe(0);

    // Editable: the corrected name is what the step records, with the others as given.
    await userEvent.clear(name);
    await userEvent.type(name, 'Test Trust (Acute)');
    for (const [legend, person] of [
      ['Incident lead', 'Ines Lead'],
      ['IT lead', 'Ian Tech'],
      ['Board data-security lead (SIRO)', 'Sasha Siro'],
    ] as const) {
      const group = screen.getByRole('group', { name: legend });
      await userEvent.type(within(group).getByLabelText('Name'), person);
      await userEvent.type(within(group).getByLabelText('Role'), legend);
    }
    await userEvent.type(
      screen.getByLabelText(/^Out-of-band contacts/),
      'Incident room ext 4400; mobiles on the call-out sheet.',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Mark as complete' }));
    await waitFor(
      async () => {
        const snapshot = (await getDatabase().runs.get(run.runId))?.snapshot;
        expect(snapshot?.context.steps['open-record']?.evidence).toMatchObject({
          organisation: 'Test Trust (Acute)',
          'ods-code': 'RNQ',
          'incident-reference': 'INC-0512',
        });
      },
      { timeout: 10_000 },
    );
  });

  it('shows one value in the summary: the step’s answer, else the fact as given', async () => {
    const run = await startOrganisationRecord({ name: 'Test Trust', odsCode: 'RNQ' });
    const view = renderAt(`/records/${run.runId}/summary`);
    await screen.findByRole(
      'heading',
      { level: 1, name: 'Readiness summary' },
      { timeout: 10_000 },
    );
    const shown = () => screen.queryAllByRole('definition').map((d) => d.textContent);
    // The heading shows first; the summary's checks fill in below it.
    await waitFor(() => {
      expect(shown()).toEqual(expect.arrayContaining(['Test Trust, RNQ', 'None given']));
    });
    view.unmount();

    // The first step records a corrected name and the incident reference given only there.
    const c = shipped('org-reconnection');
    await appendEvent(
      run.runId,
      ev.complete(
        'open-record',
        answers(c, 'open-record', {
          organisation: 'Test Trust (Acute)',
          'ods-code': 'RNQ',
          'incident-reference': 'INC-0999',
        }),
      ),
    );
    renderAt(`/records/${run.runId}/summary`);
    await screen.findByRole(
      'heading',
      { level: 1, name: 'Readiness summary' },
      { timeout: 10_000 },
    );
    await waitFor(() => {
      expect(shown()).toEqual(expect.arrayContaining(['Test Trust (Acute), RNQ', 'INC-0999']));
    });
  });
});
