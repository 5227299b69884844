// The device inventory of an organisation record: importing (all or nothing, updating devices
// already known by their key), mapping unknown operating systems by hand, starting a device's
// clearance run, and the fleet roll-up. The inventory is one row per record, so importing
// 10,000 devices is one write; a device gets its own small row once its clearance starts.
import { sha256Hex } from '../checklist/canonical.ts';
import type { MachineEvent } from '../checklist/events.ts';
import type { HashedChecklist } from '../checklist/schema.ts';
import { osKey } from '../inventory/osRecognition.ts';
import { deviceKey, type ImportedDevice } from '../inventory/validate.ts';
import {
  getDatabase,
  type DeviceRow,
  type InventoryDevice,
  type ReconnectDatabase,
} from './database.ts';
import {
  appendEvent,
  createRun,
  RecordNotFoundError,
  refuseIfHeld,
  StorageFullError,
} from './runs.ts';

export interface ImportOutcome {
  added: number;
  updated: number;
}

function isQuota(error: unknown): boolean {
  const e = error as { name?: string; inner?: { name?: string } } | null;
  return e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError';
}

/**
 * Stores a validated inventory in one transaction: every device or none. A device already on
 * the record (same key: hostname, else asset tag) is updated in place, keeping its id and so
 * its clearance run.
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
    return await db.transaction('rw', db.runs, db.inventories, async () => {
      const org = await db.runs.get(orgRunId);
      if (org?.kind !== 'organisation') throw new RecordNotFoundError(orgRunId);
      refuseIfHeld(org);
      if (org.snapshot.context.locked)
        throw new Error(
          'This record is signed off and locked: start a new revision to change its devices.',
        );
      const existing = (await db.inventories.get(orgRunId))?.devices ?? [];
      const merged = [...existing];
      // Where each device sits in `merged`, by key and by asset tag, kept up to date as rows
      // are updated or added.
      const byKey = new Map<string, number>();
      const byTag = new Map<string, number>();
      const index = (row: InventoryDevice, at: number) => {
        byKey.set(row.key, at);
        if (row.assetTag) byTag.set(row.assetTag.toLowerCase(), at);
      };
      merged.forEach((row, at) => {
        index(row, at);
      });
      let added = 0;
      let updated = 0;
      for (const device of devices) {
        const at =
          byKey.get(device.key) ??
          (device.assetTag ? byTag.get(device.assetTag.toLowerCase()) : undefined);
        const row = mergeDevice(at === undefined ? undefined : merged[at], device, {
          orgRunId,
          manualOs,
          source: { file: source.file, line: device.line, importedAt, importedBy: source.actor },
        });
        if (at === undefined) {
          index(row, merged.length);
          merged.push(row);
          added++;
        } else {
          merged[at] = row;
          index(row, at);
          updated++;
        }
      }
      await db.inventories.put({ orgRunId, devices: merged, updatedAt: importedAt });
      return { added, updated };
    });
  } catch (error) {
    if (isQuota(error)) throw new StorageFullError();
    throw error;
  }
}

/**
 * A device's id: derived from its record and its key (hostname, else asset tag), so the same
 * device imported on two laptops into the same record is one device when their work is merged.
 */
export function deviceIdFor(orgRunId: string, key: string): string {
  return `dev-${sha256Hex(`${orgRunId}\n${key}`).slice(0, 32)}`;
}

const detailFields = [
  'hostname',
  'assetTag',
  'ip',
  'mac',
  'osCaption',
  'osVersion',
  'servicePack',
  'location',
  'owner',
  'deviceClass',
  'lastLogon',
] as const;

const osKeyOf = (d: Pick<InventoryDevice, 'osCaption' | 'osVersion' | 'servicePack'>) =>
  osKey({ caption: d.osCaption, version: d.osVersion, servicePack: d.servicePack });

/**
 * One imported row over what the record already holds for that device. Several sources
 * describe one estate (a management export, a network scan), so a value the new file leaves
 * empty keeps the one known before; the device keeps its id, and so its clearance run. An OS
 * mapped by hand stays mapped while the OS text is the same.
 */
function mergeDevice(
  previous: InventoryDevice | undefined,
  device: ImportedDevice,
  context: {
    orgRunId: string;
    manualOs: Readonly<Record<string, string>>;
    source: InventoryDevice['source'];
  },
): InventoryDevice {
  const details: Partial<Pick<InventoryDevice, (typeof detailFields)[number]>> = {};
  for (const field of detailFields) {
    const value = device[field] ?? previous?.[field];
    if (value) details[field] = value;
  }
  let osRow: string | null;
  let osBecause: string;
  if (previous && device.osRow === null && osKeyOf(previous) === osKeyOf(details)) {
    // Nothing new about the OS (or the same text, still unrecognised): keep what was known,
    // a hand mapping included.
    osRow = previous.osRow;
    osBecause = previous.osBecause;
  } else if (device.osRow !== null) {
    osRow = device.osRow;
    osBecause = device.osBecause;
  } else {
    const manual = context.manualOs[osKeyOf(device)];
    osRow = manual ?? null;
    osBecause = manual ? 'mapped by hand' : device.osBecause;
  }
  const identifiers = { ...previous?.identifiers, ...device.identifiers };
  return {
    ...details,
    ...(Object.keys(identifiers).length > 0 ? { identifiers } : {}),
    id:
      previous?.id ?? deviceIdFor(context.orgRunId, deviceKey(details.hostname, details.assetTag)),
    key: deviceKey(details.hostname, details.assetTag),
    osRow,
    osBecause,
    source: context.source,
  };
}

/** Sets the OS of every device on the record whose OS text has this key. */
export async function mapOs(
  orgRunId: string,
  key: string,
  row: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<number> {
  return db.transaction('rw', db.runs, db.inventories, async () => {
    const org = await db.runs.get(orgRunId);
    refuseIfHeld(org);
    if (org?.snapshot.context.locked)
      throw new Error(
        'This record is signed off and locked: start a new revision to change its devices.',
      );
    const inventory = await db.inventories.get(orgRunId);
    if (!inventory) return 0;
    let count = 0;
    const devices = inventory.devices.map((d) => {
      if (osKey({ caption: d.osCaption, version: d.osVersion, servicePack: d.servicePack }) !== key)
        return d;
      count++;
      return { ...d, osRow: row, osBecause: 'mapped by hand' };
    });
    await db.inventories.put({ ...inventory, devices, updatedAt: new Date().toISOString() });
    return count;
  });
}

/** A record's devices with their clearance state, in inventory order. */
export async function loadDevices(
  orgRunId: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<DeviceRow[]> {
  const [inventory, states] = await Promise.all([
    db.inventories.get(orgRunId),
    db.deviceStates.where('orgRunId').equals(orgRunId).toArray(),
  ]);
  const byDevice = new Map(states.map((s) => [s.deviceId, s]));
  return (inventory?.devices ?? []).map((d) => {
    const state = byDevice.get(d.id);
    return state
      ? { ...d, orgRunId, clearanceRunId: state.clearanceRunId, status: state.status }
      : { ...d, orgRunId, status: 'not-started' as const };
  });
}

/** An inventory's device class as one of the identify step's kinds of device, if it says. */
function kindOfDevice(text: string | undefined): string | undefined {
  const t = (text ?? '').toLowerCase();
  if (!t) return undefined;
  if (/laptop|notebook|tablet|portable|convertible|detachable/.test(t)) return 'laptop';
  if (/thin ?client|kiosk|till/.test(t)) return 'thin-client';
  if (/server|blade|rack/.test(t)) return 'server';
  if (t.includes('medical')) return 'medical-device';
  if (/desktop|workstation|tower|mini|all[ -]in[ -]one|pc\b/.test(t)) return 'desktop';
  return undefined;
}

/** Other identifiers the inventory had, one a line, as "Heading: value". */
export function identifiersText(device: Pick<InventoryDevice, 'identifiers'>): string | undefined {
  const lines = Object.entries(device.identifiers ?? {}).map(([k, v]) => `${k}: ${v}`);
  return lines.length ? lines.join('\n') : undefined;
}

/** What the inventory says of a device, as answers to the clearance checklist's identify step. */
export function inventoryAnswers(device: InventoryDevice): Record<string, string | undefined> {
  return {
    'asset-tag': device.assetTag,
    hostname: device.hostname,
    address: device.ip ?? device.mac,
    identifiers: identifiersText(device),
    location: device.location,
    owner: device.owner,
    'device-class': kindOfDevice(device.deviceClass),
    os: device.osRow ?? undefined,
    edition: device.osCaption,
    build: [device.osVersion, device.servicePack].filter(Boolean).join(' ') || undefined,
  };
}

/** What the inventory already says, as a draft of the clearance checklist's identify step. */
export function identifyDraft(
  device: InventoryDevice,
  checklist: HashedChecklist,
): Record<string, unknown> | null {
  const identify = checklist.definition.phases
    .flatMap((p) => p.steps)
    .find((s) => s.id === 'identify');
  if (!identify) return null;
  const known = inventoryAnswers(device);
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
  device: DeviceRow,
  checklist: HashedChecklist,
  actor: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<string> {
  const state = await db.deviceStates.get(device.id);
  if (state && (await db.runs.get(state.clearanceRunId))) return state.clearanceRunId;
  const org = await db.runs.get(device.orgRunId);
  if (!org) throw new RecordNotFoundError(device.orgRunId);
  refuseIfHeld(org);
  if (org.snapshot.context.locked)
    throw new Error(
      'This record is signed off and locked: start a new revision to change its devices.',
    );
  const run = await createRun(
    {
      organisation: org.organisation,
      checklist,
      actor,
      kind: 'device',
      parentRunId: org.runId,
      deviceId: device.id,
    },
    db,
  );
  await db.deviceStates.put({
    deviceId: device.id,
    orgRunId: device.orgRunId,
    clearanceRunId: run.runId,
    status: 'not-started',
    updatedAt: new Date().toISOString(),
  });
  const draft = identifyDraft(device, checklist);
  if (draft) {
    const event: MachineEvent = {
      type: 'step.save',
      stepId: 'identify',
      // A new run: no draft yet, so nothing for these values to be based on.
      changes: draft as never,
      actor: { name: actor },
      at: new Date().toISOString(),
    };
    await appendEvent(run.runId, event, db);
  }
  return run.runId;
}
