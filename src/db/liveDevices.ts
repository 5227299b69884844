// Live queries over a record's devices.
import { useLiveQuery } from 'dexie-react-hooks';
import type { FleetSummary } from '../checklist/events.ts';
import type { DeviceRow } from './database.ts';
import { loadDevices } from './devices.ts';
import { countDevicesByStatus } from './fleetCount.ts';
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
  const counted = useLiveQuery(
    // Tagged with the record it counts, so a count kept from an earlier render (or none yet)
    // reads as "loading", never as a fleet of nought.
    async () => (orgRunId ? { orgRunId, summary: await countDevicesByStatus(orgRunId) } : null),
    [orgRunId],
  );
  return counted && orgRunId && counted.orgRunId === orgRunId
    ? { state: 'ready', value: counted.summary }
    : { state: 'loading' };
}
