// The signed completion records of a run, live.
import { useLiveQuery } from 'dexie-react-hooks';
import { getDatabase, type SignedRecordRow } from './database.ts';
import { loaded, type Loading } from './liveLists.ts';

/** The latest signed record of a run, or null if it has none. */
export function useSignedRecord(runId: string): Loading<SignedRecordRow | null> {
  return loaded(
    useLiveQuery(async () => {
      const rows = await getDatabase().signedRecords.where('runId').equals(runId).toArray();
      return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null;
    }, [runId]),
  );
}

/** Every signed record of a run (a go-ahead, then a closure, when the sign-off is staged), oldest first. */
export function useSignedRecords(runId: string): Loading<SignedRecordRow[]> {
  return loaded(
    useLiveQuery(async () => {
      const rows = await getDatabase().signedRecords.where('runId').equals(runId).toArray();
      return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    }, [runId]),
  );
}
