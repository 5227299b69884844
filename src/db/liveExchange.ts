// Live queries for sharing and backing up: this device's bundle-signing identity, the history
// of bundles made and taken in, and the open forks of a record. Kept apart from the record
// hooks so the home page's small "last backup" block stays light.
import { useLiveQuery } from 'dexie-react-hooks';
import type { DeviceIdentity } from '../exchange/format.ts';
import { getDatabase, type ExchangeRow } from './database.ts';
import { readDeviceKey } from './deviceKey.ts';
import { loaded, type Loading } from './liveLists.ts';

/** This device's signing identity, or null before its first bundle. */
export function useDeviceIdentity(): Loading<DeviceIdentity | null> {
  return loaded(useLiveQuery(async () => (await readDeviceKey())?.identity ?? null, []));
}

/** Bundles made here and taken in here, newest first. */
export function useExchanges(): Loading<ExchangeRow[]> {
  return loaded(
    useLiveQuery(() => getDatabase().exchanges.orderBy('at').reverse().limit(50).toArray(), []),
  );
}
