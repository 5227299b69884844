// The last bundle made on this device, for the home page: apart from the other exchange hooks so
// the first page does not load the signing code.
import { useLiveQuery } from 'dexie-react-hooks';
import { getDatabase, type ExchangeRow } from './database.ts';
import { loaded, type Loading } from './liveLists.ts';

/** The last bundle made on this device (a backup or a hand-over), or null. */
export function useLastExport(): Loading<ExchangeRow | null> {
  return loaded(
    useLiveQuery(async () => {
      const rows = await getDatabase().exchanges.orderBy('at').reverse().toArray();
      return rows.find((r) => r.direction === 'export') ?? null;
    }, []),
  );
}
