// Live queries for the first page: the records list. Read straight from IndexedDB
// (nativeRead.ts), so the home page loads neither Dexie nor the checklist engine.
import type { PinnedChecklistRow, RunRow } from './database.ts';
import { idbRequest, readNative, useNativeQuery } from './nativeRead.ts';

export type Loading<T> = { state: 'loading' } | { state: 'ready'; value: T };

export function loaded<T>(value: T | undefined): Loading<T> {
  return value === undefined ? { state: 'loading' } : { state: 'ready', value };
}

/** Organisation records on this device, newest change first (as the runs' updatedAt index). */
export function readOrganisationRuns(name?: string): Promise<RunRow[]> {
  return readNative(
    ['runs'],
    async (tx) => {
      // A read: readNative's transactions are read-only, so this writes no run row.
      // eslint-disable-next-line no-restricted-syntax
      const store = tx.objectStore('runs');
      const runs = (await idbRequest(store.index('kind').getAll('organisation'))) as RunRow[];
      // Newest first; equal times in reverse key order, as a reversed index walk gives them.
      const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      return runs.sort((a, b) => order(b.updatedAt, a.updatedAt) || order(b.runId, a.runId));
    },
    [],
    name,
  );
}

/** Titles of the checklist versions records on this device pinned, by content hash. */
export function readChecklistTitles(name?: string): Promise<Map<string, string>> {
  return readNative(
    ['checklists'],
    async (tx) => {
      const rows = (await idbRequest(
        tx.objectStore('checklists').getAll(),
      )) as PinnedChecklistRow[];
      return new Map(rows.map((r) => [r.contentHash, r.definition.title]));
    },
    new Map<string, string>(),
    name,
  );
}

export function useOrganisationRuns(): Loading<RunRow[]> {
  return loaded(useNativeQuery(() => readOrganisationRuns(), []));
}

export function useChecklistTitles(): Loading<Map<string, string>> {
  return loaded(useNativeQuery(() => readChecklistTitles(), []));
}
