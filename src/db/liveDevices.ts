// Live queries over a record's devices.
import { useLiveQuery } from 'dexie-react-hooks';
import type { FleetSummary } from '../checklist/events.ts';
import type { DeviceRow } from './database.ts';
import { countDevicesByStatus, loadDevices } from './devices.ts';
import { loaded, type Loading } from './liveLists.ts';

export function useDevices(orgRunId: string): Loading<DeviceRow[]> {
  return loaded(useLiveQuery(() => loadDevices(orgRunId), [orgRunId]));
}

export function useDevice(orgRunId: string, deviceId: string): Loading<DeviceRow | null> {
  return loaded(
    useLiveQuery(
      async () => (await loadDevices(orgRunId)).find((d) => d.id === deviceId) ?? null,
      [orgRunId, deviceId],
    ),
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
