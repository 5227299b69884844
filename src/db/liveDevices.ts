// Live queries over a record's devices.
import { useLiveQuery } from 'dexie-react-hooks';
import { Dexie } from 'dexie';
import type { FleetSummary } from '../checklist/events.ts';
import { getDatabase, type DeviceRow } from './database.ts';
import { countDevicesByStatus } from './devices.ts';
import { loaded, type Loading } from './liveLists.ts';

export function useDevices(orgRunId: string): Loading<DeviceRow[]> {
  return loaded(
    useLiveQuery(
      () => getDatabase().devices.where('orgRunId').equals(orgRunId).toArray(),
      [orgRunId],
    ),
  );
}

export function useDevice(deviceId: string): Loading<DeviceRow | null> {
  return loaded(
    useLiveQuery(async () => (await getDatabase().devices.get(deviceId)) ?? null, [deviceId]),
  );
}

/** The roll-up the organisation record depends on, kept live. */
export function useFleetSummary(orgRunId: string | undefined): Loading<FleetSummary> {
  return loaded(
    useLiveQuery(
      async () =>
        orgRunId
          ? countDevicesByStatus(orgRunId)
          : { total: 0, cleared: 0, excepted: 0, outstanding: 0 },
      [orgRunId],
    ),
  );
}

export async function deviceCount(orgRunId: string): Promise<number> {
  return getDatabase()
    .devices.where('[orgRunId+status]')
    .between([orgRunId, Dexie.minKey], [orgRunId, Dexie.maxKey])
    .count();
}
