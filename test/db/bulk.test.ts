// A bulk action over an estate without asset tags: identity from the inventory, one event per
// device in one transaction, and a device its checklist refuses left exactly as it was.
import { describe, expect, it } from 'vitest';
import { inventoryAnswers, loadDevices } from '../../src/db/devices.ts';
import { recordForDevices } from '../../src/db/bulkDevices.ts';
import { createRun, readEvents } from '../../src/db/runs.ts';
import type { MachineEvent } from '../../src/checklist/events.ts';
import type { DeviceRow } from '../../src/db/database.ts';
import { fixture, shipped } from '../helpers/checklists.ts';
import { freshDatabase, importCsv } from './helpers.ts';
import { countEvents } from '../../src/db/eventStore.ts';

const org = fixture('prerequisites');
const orgChecklist = { definition: org.definition, contentHash: org.contentHash };
const device = shipped('device-clearance');
const deviceChecklist = { definition: device.definition, contentHash: device.contentHash };

function adExport(count: number): string {
  const lines = [
    'DNSHostName,OperatingSystem,OperatingSystemVersion,OperatingSystemServicePack,ObjectGUID,SID',
  ];
  for (let i = 1; i <= count; i++)
    lines.push(
      `PC${String(i).padStart(4, '0')}.trust.nhs.uk,Windows 7 Enterprise,6.1 (7601),Service Pack 1,6f1d2a3b-0000-4000-8000-${String(i).padStart(12, '0')},S-1-5-21-1-2-3-${String(1000 + i)}`,
    );
  return `${lines.join('\n')}\n`;
}

/** The identify step for each device: the inventory's answers, then the ones given for all. */
function identify(devices: readonly DeviceRow[], shared: Record<string, string>) {
  return devices.map((d) => ({
    deviceId: d.id,
    event: (): MachineEvent => ({
      type: 'step.complete',
      stepId: 'identify',
      evidence: {
        ...Object.fromEntries(Object.entries(inventoryAnswers(d)).filter(([, v]) => v)),
        ...shared,
      } as never,
      actor: { name: 'Sam' },
      at: new Date().toISOString(),
    }),
  }));
}

const everyDevice = {
  location: 'Main site',
  owner: 'IT Services',
  'device-class': 'desktop',
  architecture: 'x64',
  'vendor-controlled': 'no',
};

describe('bulk identify', () => {
  it('clears the identify step for every device of an estate with no asset tags', async () => {
    const db = freshDatabase();
    const { runId } = await createRun(
      { organisation: { name: 'Trust' }, checklist: orgChecklist, actor: 'Sam' },
      db,
    );
    await importCsv(db, runId, adExport(60));
    const devices = await loadDevices(runId, db);
    expect(devices.every((d) => d.assetTag === undefined && d.osRow === 'windows-7-sp1')).toBe(
      true,
    );

    const outcome = await recordForDevices(
      runId,
      deviceChecklist,
      'Sam',
      identify(devices, everyDevice),
      db,
    );
    expect(outcome.refused).toEqual([]);
    expect(outcome.recorded).toHaveLength(60);
    const after = await loadDevices(runId, db);
    expect(after.every((d) => d.status === 'in-progress' && d.clearanceRunId)).toBe(true);
    const first = after[0];
    const run = await db.runs.get(first?.clearanceRunId ?? '');
    const step = run?.snapshot.context.steps.identify;
    expect(step?.phase).toBe('completed');
    expect(step?.evidence).toMatchObject({
      hostname: 'PC0001.trust.nhs.uk',
      identifiers: 'ObjectGUID: 6f1d2a3b-0000-4000-8000-000000000001\nSID: S-1-5-21-1-2-3-1001',
      os: 'windows-7-sp1',
      location: 'Main site',
    });
    expect(step?.evidence?.['asset-tag']).toBeUndefined();
    // One event per device, the first link of its own chain.
    const events = await readEvents(first?.clearanceRunId ?? '', db);
    expect(events.map((e) => [e.seq, e.event.type])).toEqual([[1, 'step.complete']]);
  });

  it('changes nothing for a device its checklist refuses, and records the rest', async () => {
    const db = freshDatabase();
    const { runId } = await createRun(
      { organisation: { name: 'Trust' }, checklist: orgChecklist, actor: 'Sam' },
      db,
    );
    await importCsv(db, runId, adExport(3));
    const devices = await loadDevices(runId, db);
    const runsBefore = await db.runs.count();

    // No location, owner or class for anyone: every device refuses, and none has started.
    const none = await recordForDevices(runId, deviceChecklist, 'Sam', identify(devices, {}), db);
    expect(none.recorded).toEqual([]);
    expect(none.refused).toHaveLength(3);
    expect(none.refused[0]?.rejection.message).toMatch(/Some answers need correcting/);
    expect(await db.runs.count()).toBe(runsBefore);
    expect(await countEvents(db)).toBe(0);
    expect((await loadDevices(runId, db)).map((d) => d.status)).toEqual([
      'not-started',
      'not-started',
      'not-started',
    ]);

    // A later step before identification: refused the same way.
    const early = await recordForDevices(
      runId,
      deviceChecklist,
      'Sam',
      devices.map((d) => ({
        deviceId: d.id,
        event: (): MachineEvent => ({
          type: 'step.complete',
          stepId: 'infection-check',
          evidence: {},
          actor: { name: 'Sam' },
          at: new Date().toISOString(),
        }),
      })),
      db,
    );
    expect(early.recorded).toEqual([]);
    expect(await db.deviceStates.count()).toBe(0);

    // One device given what it lacks is recorded; the others stay as they were.
    const [one, ...rest] = devices;
    if (!one) throw new Error('no device');
    const mixed = await recordForDevices(
      runId,
      deviceChecklist,
      'Sam',
      [...identify([one], everyDevice), ...identify(rest, {})],
      db,
    );
    expect(mixed.recorded).toEqual([one.id]);
    expect((await loadDevices(runId, db)).map((d) => d.status)).toEqual([
      'in-progress',
      'not-started',
      'not-started',
    ]);
  });
});
