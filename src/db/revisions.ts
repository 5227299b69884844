// A new revision of a signed record: a new run that names the record it revises (by digest),
// starts from the same answers (the earlier events copied, the lock left out) and takes over
// the devices, so later changes never touch what was signed.
import { getDatabase, type ReconnectDatabase, type RunRow } from './database.ts';
import { appendEvent, createRun, readEvents } from './runs.ts';
import { eventTable } from './eventStore.ts';

/**
 * All or nothing, in one transaction: a revision that fails part-way (storage full, an answer
 * the machine no longer accepts) leaves no half-built record behind and the devices where they
 * were. The devices move first, so a step that counts them (the fleet roll-up) finds them.
 */
export async function startRevision(
  runId: string,
  actor: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<string> {
  return db.transaction(
    'rw',
    [db.runs, eventTable(db), db.checklists, db.inventories, db.deviceStates],
    async () => {
      const previous = await db.runs.get(runId);
      const locked = previous?.snapshot.context.locked;
      if (!previous || !locked) throw new Error('Only a signed record can be revised.');
      const pinned = await db.checklists.get(previous.checklist.contentHash);
      if (!pinned) throw new Error('The checklist this record used is missing from this device.');
      const next: RunRow = await createRun(
        {
          organisation: previous.organisation,
          checklist: { definition: pinned.definition, contentHash: pinned.contentHash },
          actor,
          revisionOf: { runId, recordDigest: locked.recordDigest },
        },
        db,
      );
      // The signed record keeps its own copy of the inventory as it was signed.
      const inventory = await db.inventories.get(runId);
      if (inventory) await db.inventories.put({ ...inventory, orgRunId: next.runId });
      await db.deviceStates.where('orgRunId').equals(runId).modify({ orgRunId: next.runId });
      for (const entry of await readEvents(runId, db)) {
        if (entry.event.type === 'run.lock') continue;
        await appendEvent(next.runId, entry.event, db);
      }
      return next.runId;
    },
  );
}
