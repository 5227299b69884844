// The last bundle made on this device, for the home page: apart from the other exchange hooks so
// the first page does not load the signing code, and read straight from IndexedDB
// (nativeRead.ts) so it does not load Dexie either.
import type { ExchangeRow } from './database.ts';
import { loaded, type Loading } from './liveLists.ts';
import { readNative, useNativeQuery } from './nativeRead.ts';

/** The last bundle made on this device (a backup or a hand-over), or null. */
export function readLastExport(name?: string): Promise<ExchangeRow | null> {
  return readNative(
    ['exchanges'],
    (tx) =>
      new Promise<ExchangeRow | null>((resolve, reject) => {
        // Newest first, as the exchanges' `at` index orders them, to the first export.
        const cursor = tx.objectStore('exchanges').index('at').openCursor(null, 'prev');
        cursor.onsuccess = () => {
          const current = cursor.result;
          if (!current) resolve(null);
          else if ((current.value as ExchangeRow).direction === 'export')
            resolve(current.value as ExchangeRow);
          else current.continue();
        };
        cursor.onerror = () => {
          reject(cursor.error ?? new Error('The browser could not read this device’s records.'));
        };
      }),
    null,
    name,
  );
}

export function useLastExport(): Loading<ExchangeRow | null> {
  return loaded(useNativeQuery(() => readLastExport(), []));
}
