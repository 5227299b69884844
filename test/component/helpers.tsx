// Component-test helpers: a fresh database per test, a record started on a fixture checklist,
// and the app rendered at a path.
import { render } from '@testing-library/preact';
import { App } from '../../src/app/App.tsx';
import { getDatabase } from '../../src/db/database.ts';
import { createRun } from '../../src/db/runs.ts';
import { setActor } from '../../src/ui/useActor.ts';
import { fixture } from '../helpers/checklists.ts';

export async function resetDatabase(): Promise<void> {
  const db = getDatabase();
  await db.transaction('rw', db.tables, async () => {
    for (const table of db.tables) await table.clear();
  });
}

export async function startRecord(checklistId: string, actor = 'Sam Technician') {
  const compiled = fixture(checklistId);
  await setActor(actor);
  return createRun({
    organisation: { name: 'Test Trust', odsCode: 'RNQ' },
    checklist: { definition: compiled.definition, contentHash: compiled.contentHash },
    actor,
  });
}

export function renderAt(path: string) {
  window.history.replaceState(null, '', path);
  return render(<App />);
}
