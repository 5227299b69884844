// A setting kept on this device, read live for the UI straight from IndexedDB (nativeRead.ts):
// every page shows who is working, the first one included, and none needs Dexie for it.
import type { SettingRow } from './database.ts';
import { idbRequest, readNative, useNativeQuery } from './nativeRead.ts';

export function readSettingNative(key: string, name?: string): Promise<unknown> {
  return readNative(
    ['settings'],
    async (tx) =>
      ((await idbRequest(tx.objectStore('settings').get(key))) as SettingRow | undefined)?.value,
    undefined,
    name,
  );
}

/**
 * The setting's value, checked by `parse` (which returns undefined for anything unusable);
 * re-renders on any change, from this tab or another.
 */
export function useSetting<T>(
  key: string,
  parse: (value: unknown) => T | undefined,
): { loaded: boolean; value: T | undefined } {
  const result = useNativeQuery(
    async () => ({ value: parse(await readSettingNative(key)) }),
    [key],
  );
  return { loaded: result !== undefined, value: result?.value };
}
