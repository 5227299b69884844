// Settings kept on this device (key/value), with live-query hooks for the UI.
import { useLiveQuery } from 'dexie-react-hooks';
import { getDatabase, type ReconnectDatabase } from './database.ts';

export async function readSetting(
  key: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<unknown> {
  const row = await db.settings.get(key);
  return row?.value;
}

export async function writeSetting(
  key: string,
  value: unknown,
  db: ReconnectDatabase = getDatabase(),
): Promise<void> {
  await db.settings.put({ key, value, updatedAt: new Date().toISOString() });
}

/**
 * The setting's value, checked by `parse` (which returns undefined for anything unusable);
 * re-renders on any change, from this tab or another.
 */
export function useSetting<T>(
  key: string,
  parse: (value: unknown) => T | undefined,
): { loaded: boolean; value: T | undefined } {
  const result = useLiveQuery(async () => ({ value: parse(await readSetting(key)) }), [key]);
  return { loaded: result !== undefined, value: result?.value };
}
