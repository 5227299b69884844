// The device inventory of an organisation record: importing (all or nothing, updating devices
// already known by their key), mapping unknown operating systems by hand, starting a device's
// clearance run, and the fleet roll-up.
import type { MachineEvent } from '../checklist/events.ts';
import type { HashedChecklist } from '../checklist/schema.ts';
import { osKey } from '../inventory/osRecognition.ts';
import type { ImportedDevice } from '../inventory/validate.ts';
import { fleetSummary, type ClearanceStatus } from '../run/fleet.ts';
import { getDatabase, type DeviceRow, type ReconnectDatabase } from './database.ts';
import { appendEvent, createRun, RecordNotFoundError, StorageFullError } from './runs.ts';
import { Dexie } from 'dexie';

export interface ImportOutcome {
  added: number;
  updated: number;
}

function isQuota(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'QuotaExceededError' ||
      (error as { inner?: { name?: string } }).inner?.name === 'QuotaExceededError')
  );
}

/**
 * Stores a validated inventory in one transaction: every device or none. A device already on
 * the record (same key: hostname, else asset tag) is updated, keeping its clearance run.
 */
export async function importDevices(
  orgRunId: string,
  devices: readonly ImportedDevice[],
  source: { file: string; actor: string },
  manualOs: Readonly<Record<string, string>> = {},
  db: ReconnectDatabase = getDatabase(),
): Promise<ImportOutcome> {
  const importedAt = new Date().toISOString();
  try {
    return await db.transaction('rw', db.runs, db.devices, async () => {
      const org = await db.runs.get(orgRunId);
      if (org?.kind !== 'organisation') throw new RecordNotFoundError(orgRunId);
      if (org.snapshot.context.locked)
        throw new Error(
          'This record is signed off and locked: start a new revision to change its devices.',
        );
      const existing = await db.devices.where('orgRunId').equals(orgRunId).toArray();
      const byKey = new Map(existing.map((d) => [d.key, d]));
      const byTag = new Map(
        existing.filter((d) => d.assetTag).map((d) => [(d.assetTag ?? '').toLowerCase(), d]),
      );
      let added = 0;
      let updated = 0;
      const rows: DeviceRow[] = devices.map((device) => {
        const { line, osRow, osBecause, ...fields } = device;
        const previous =
          byKey.get(device.key) ??
          (device.assetTag ? byTag.get(device.assetTag.toLowerCase()) : undefined);
        if (previous) updated++;
        else added++;
        const manual =
          osRow === null
            ? manualOs[
                osKey({
                  caption: device.osCaption,
                  version: device.osVersion,
                  servicePack: device.servicePack,
                })
              ]
            : undefined;
        return {
          ...fields,
          id: previous?.id ?? crypto.randomUUID(),
          orgRunId,
          osRow: osRow ?? manual ?? null,
          osBecause: osRow ? osBecause : manual ? 'mapped by hand' : osBecause,
          source: { file: source.file, line, importedAt, importedBy: source.actor },
          ...(previous?.clearanceRunId ? { clearanceRunId: previous.clearanceRunId } : {}),
          status: previous?.status ?? 'not-started',
          updatedAt: importedAt,
        };
      });
      await db.devices.bulkPut(rows);
      return { added, updated };
    });
  } catch (error) {
    if (isQuota(error)) throw new StorageFullError();
    throw error;
  }
}

/** Sets the OS of every device on the record whose OS text has this key. */
export async function mapOs(
  orgRunId: string,
  key: string,
  row: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<number> {
  return db.transaction('rw', db.devices, async () => {
    let count = 0;
    await db.devices
      .where('orgRunId')
      .equals(orgRunId)
      .filter(
        (d) =>
          osKey({ caption: d.osCaption, version: d.osVersion, servicePack: d.servicePack }) === key,
      )
      .modify((d) => {
        d.osRow = row;
        d.osBecause = 'mapped by hand';
        count++;
      });
    return count;
  });
}

/** What the inventory already says, as a draft of the clearance checklist's identify step. */
function identifyDraft(
  device: DeviceRow,
  checklist: HashedChecklist,
): Record<string, unknown> | null {
  const identify = checklist.definition.phases
    .flatMap((p) => p.steps)
    .find((s) => s.id === 'identify');
  if (!identify) return null;
  const known: Record<string, unknown> = {
    'asset-tag': device.assetTag,
    hostname: device.hostname,
    address: device.ip ?? device.mac,
    location: device.location,
    owner: device.owner,
    os: device.osRow ?? undefined,
    edition: device.osCaption,
    build: [device.osVersion, device.servicePack].filter(Boolean).join(' ') || undefined,
  };
  const draft: Record<string, unknown> = {};
  for (const field of identify.fields) {
    const value = known[field.id];
    if (typeof value === 'string' && value.trim()) draft[field.id] = value;
  }
  return Object.keys(draft).length ? draft : null;
}

/**
 * Starts a device's clearance run (once): pins the clearance checklist, and saves what the
 * inventory knows as a draft of the identify step, for the technician to confirm.
 */
export async function startClearance(
  deviceId: string,
  checklist: HashedChecklist,
  actor: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<string> {
  const device = await db.devices.get(deviceId);
  if (!device) throw new Error('There is no such device on this record.');
  if (device.clearanceRunId && (await db.runs.get(device.clearanceRunId)))
    return device.clearanceRunId;
  const org = await db.runs.get(device.orgRunId);
  if (!org) throw new RecordNotFoundError(device.orgRunId);
  const run = await createRun(
    {
      organisation: org.organisation,
      checklist,
      actor,
      kind: 'device',
      parentRunId: org.runId,
      deviceId,
    },
    db,
  );
  await db.devices.update(deviceId, {
    clearanceRunId: run.runId,
    updatedAt: new Date().toISOString(),
  });
  const draft = identifyDraft(device, checklist);
  if (draft) {
    const event: MachineEvent = {
      type: 'step.save',
      stepId: 'identify',
      draft: draft as never,
      actor: { name: actor },
      at: new Date().toISOString(),
    };
    await appendEvent(run.runId, event, db);
  }
  return run.runId;
}

export async function countDevicesByStatus(
  orgRunId: string,
  db: ReconnectDatabase = getDatabase(),
) {
  const statuses: ClearanceStatus[] = [];
  await db.devices
    .where('[orgRunId+status]')
    .between([orgRunId, Dexie.minKey], [orgRunId, Dexie.maxKey])
    .each((d) => {
      statuses.push(d.status);
    });
  return fleetSummary(statuses);
}
