// Live queries for the first page: the records list. Kept apart from the record hooks so the
// home page does not pull the checklist engine into the first download.
import { useLiveQuery } from 'dexie-react-hooks';
import { getDatabase, type PinnedChecklistRow, type RunRow } from './database.ts';

export type Loading<T> = { state: 'loading' } | { state: 'ready'; value: T };

export function loaded<T>(value: T | undefined): Loading<T> {
  return value === undefined ? { state: 'loading' } : { state: 'ready', value };
}

/** Organisation records on this device, newest change first. */
export function useOrganisationRuns(): Loading<RunRow[]> {
  return loaded(
    useLiveQuery(async () => {
      const runs = await getDatabase().runs.orderBy('updatedAt').reverse().toArray();
      return runs.filter((r) => r.kind === 'organisation');
    }, []),
  );
}

/** Titles of the checklist versions records on this device pinned, by content hash. */
export function useChecklistTitles(): Loading<Map<string, string>> {
  return loaded(
    useLiveQuery(async () => {
      const rows: PinnedChecklistRow[] = await getDatabase().checklists.toArray();
      return new Map(rows.map((r) => [r.contentHash, r.definition.title]));
    }, []),
  );
}
