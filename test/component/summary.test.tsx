// The readiness summary follows the devices: their runs are separate records, and a device
// cleared in another tab must change what the summary says without a reload.
import { screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { getDatabase } from '../../src/db/database.ts';
import { importDevices, loadDevices, startClearance } from '../../src/db/devices.ts';
import { detectMapping } from '../../src/inventory/columns.ts';
import { parseInventoryCsv } from '../../src/inventory/csv.ts';
import { validateInventory } from '../../src/inventory/validate.ts';
import { shipped } from '../helpers/checklists.ts';
import { renderAt, startRecord } from './helpers.tsx';

describe('the readiness summary', () => {
  it('changes when a device is cleared, with no reload', async () => {
    const run = await startRecord('fleet');
    const parsed = parseInventoryCsv('Hostname\nPC1\n');
    if (!parsed.ok) throw new Error(parsed.message);
    await importDevices(
      run.runId,
      validateInventory(parsed.csv, detectMapping(parsed.csv.headings)).devices,
      { file: 'a.csv', actor: 'Sam' },
    );
    renderAt(`/records/${run.runId}/summary`);
    const blocker = '1 of 1 device is neither cleared nor isolated under an approved exception';
    expect(await screen.findByText(blocker, { exact: false })).toBeInTheDocument();

    const device = shipped('device-clearance');
    const [row] = await loadDevices(run.runId);
    if (!row) throw new Error('no device');
    await startClearance(
      row,
      { definition: device.definition, contentHash: device.contentHash },
      'Sam',
    );
    // As the device's own run would when its last step is done (tested in the db tests).
    await getDatabase().deviceStates.update(row.id, { status: 'cleared' });
    await waitFor(() => {
      expect(screen.queryByText(blocker, { exact: false })).not.toBeInTheDocument();
    });
    // What still blocks it is the fleet step itself, not yet completed.
    expect(screen.getByText(/Every device cleared/, { selector: 'a' })).toBeInTheDocument();
  });
});
