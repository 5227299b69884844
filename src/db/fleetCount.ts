// The fleet roll-up of an organisation record, counted from what is stored: every device in its
// inventory, with the clearance status of its own run ("not started" until it has one).
import { fleetSummary, type ClearanceStatus } from '../run/fleet.ts';
import { getDatabase, type ReconnectDatabase } from './database.ts';

export async function countDevicesByStatus(
  orgRunId: string,
  db: ReconnectDatabase = getDatabase(),
) {
  const [inventory, states] = await Promise.all([
    db.inventories.get(orgRunId),
    db.deviceStates.where('orgRunId').equals(orgRunId).toArray(),
  ]);
  const known = new Set(inventory?.devices.map((d) => d.id));
  const statuses: ClearanceStatus[] = states
    .filter((s) => known.has(s.deviceId))
    .map((s) => s.status);
  for (let i = statuses.length; i < known.size; i++) statuses.push('not-started');
  return fleetSummary(statuses);
}
