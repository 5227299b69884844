// The device inventory in IndexedDB: imports all-or-nothing, re-imports update by key, the
// clearance run keeps the device's status in step, and the roll-up counts what is done.
import { describe, expect, it, vi } from 'vitest';
import { importDevices, loadDevices, mapOs, startClearance } from '../../src/db/devices.ts';
import { countDevicesByStatus } from '../../src/db/fleetCount.ts';
import { appendEvent, createRun, StorageFullError } from '../../src/db/runs.ts';
import { ev, fixture, shipped } from '../helpers/checklists.ts';
import { freshDatabase, importCsv, inventory } from './helpers.ts';
import { runEvents } from '../../src/db/eventStore.ts';

const org = fixture('prerequisites');
const device = shipped('device-clearance');
const deviceChecklist = { definition: device.definition, contentHash: device.contentHash };

async function newOrg(db: ReturnType<typeof freshDatabase>) {
  return createRun(
    {
      organisation: { name: 'Trust' },
      checklist: { definition: org.definition, contentHash: org.contentHash },
      actor: 'Sam',
    },
    db,
  );
}

describe('device import', () => {
  it('stores every device, recognised OS and source line included', async () => {
    const db = freshDatabase();
    const { runId } = await newOrg(db);
    const outcome = await importDevices(
      runId,
      inventory(
        'Hostname,OS,Version,Ward\nPC1,Microsoft Windows 7 Professional,6.1.7601,Ward 3\nPC2,Windows 10 Pro,,Pharmacy\n',
      ),
      { file: 'sccm.csv', actor: 'Sam' },
      {},
      db,
    );
    expect(outcome).toEqual({ added: 2, updated: 0 });
    const rows = (await loadDevices(runId, db)).sort((a, b) => a.key.localeCompare(b.key));
    expect(rows.map((r) => [r.hostname, r.osRow, r.location, r.status, r.source.line])).toEqual([
      ['PC1', 'windows-7-sp1', 'Ward 3', 'not-started', 2],
      ['PC2', null, 'Pharmacy', 'not-started', 3],
    ]);
  });

  it('updates devices already known by hostname or asset tag instead of duplicating them', async () => {
    const db = freshDatabase();
    const { runId } = await newOrg(db);
    await importCsv(db, runId, 'Hostname,Asset tag,Ward\nPC1,A1,Ward 3\n,A2,Store\n');
    const before = await loadDevices(runId, db);
    const outcome = await importCsv(
      db,
      runId,
      'Hostname,Asset tag,Ward\npc1,A1,Ward 4\n,A2,Store room\nPC9,A9,ED\n',
      'b.csv',
    );
    expect(outcome).toEqual({ added: 1, updated: 2 });
    const after = await loadDevices(runId, db);
    expect(after).toHaveLength(3);
    const pc1 = after.find((d) => d.key === 'pc1');
    expect(pc1?.id).toBe(before.find((d) => d.key === 'pc1')?.id);
    expect(pc1?.location).toBe('Ward 4');
  });

  it('finds a renamed device by its asset tag, whatever comes before it', async () => {
    const db = freshDatabase();
    const { runId } = await newOrg(db);
    await importCsv(db, runId, 'Hostname,Asset tag\nPC1,\nPC2,T2\n');
    const before = await loadDevices(runId, db);
    const outcome = await importCsv(db, runId, 'Hostname,Asset tag\nPC2-RENAMED,T2\n', 'b.csv');
    expect(outcome).toEqual({ added: 0, updated: 1 });
    const after = await loadDevices(runId, db);
    expect(after.map((d) => [d.id, d.hostname, d.assetTag])).toEqual([
      [before[0]?.id, 'PC1', undefined],
      [before[1]?.id, 'PC2-RENAMED', 'T2'],
    ]);
  });

  it('merges a second source: what it leaves empty, and an OS mapped by hand, are kept', async () => {
    const db = freshDatabase();
    const { runId } = await newOrg(db);
    await importDevices(
      runId,
      inventory(
        'Hostname,OS,Version,Ward\nPC1,Microsoft Windows 7 Professional,6.1.7601,Ward 3\nPC2,Windows 10 Pro,,ED\n',
      ),
      { file: 'sccm.csv', actor: 'Sam' },
      {},
      db,
    );
    await mapOs(runId, 'windows 10 pro |  | ', 'windows-10-1607', db);
    // A network scan: hostnames and addresses only.
    await importCsv(db, runId, 'Hostname,IP address\nPC1,10.0.0.1\nPC2,10.0.0.2\n', 'scan.csv');
    const rows = await loadDevices(runId, db);
    expect(rows.map((r) => [r.hostname, r.ip, r.location, r.osRow, r.osBecause])).toEqual([
      ['PC1', '10.0.0.1', 'Ward 3', 'windows-7-sp1', expect.any(String)],
      ['PC2', '10.0.0.2', 'ED', 'windows-10-1607', 'mapped by hand'],
    ]);
    expect(rows[1]?.source.file).toBe('scan.csv');
    // New OS text replaces the old, and the hand mapping with it.
    await importCsv(
      db,
      runId,
      'Hostname,OS,Version\nPC2,Microsoft Windows 7 Professional,6.1.7601\n',
      'sccm2.csv',
    );
    expect((await loadDevices(runId, db))[1]?.osRow).toBe('windows-7-sp1');
  });

  it('leaves stored devices untouched when the store fails part-way', async () => {
    const db = freshDatabase();
    const { runId } = await newOrg(db);
    await importCsv(db, runId, 'Hostname\nPC1\n');
    const spy = vi
      .spyOn(db.inventories, 'put')
      .mockRejectedValueOnce(new DOMException('full', 'QuotaExceededError'));
    await expect(importCsv(db, runId, 'Hostname\nPC2\nPC3\n', 'b.csv')).rejects.toBeInstanceOf(
      StorageFullError,
    );
    spy.mockRestore();
    expect((await loadDevices(runId, db)).map((d) => d.hostname)).toEqual(['PC1']);
  });

  it('maps an unknown OS by hand, for every device with that OS text', async () => {
    const db = freshDatabase();
    const { runId } = await newOrg(db);
    await importDevices(
      runId,
      inventory(
        'Hostname,OS\nPC1,Windows 10 Pro\nPC2,Windows 10 Pro\nPC3,Microsoft Windows 7 Professional\n',
      ),
      { file: 'a.csv', actor: 'Sam' },
      {},
      db,
    );
    const count = await mapOs(runId, 'windows 10 pro |  | ', 'windows-10-1607', db);
    expect(count).toBe(2);
    const rows = (await loadDevices(runId, db)).sort((a, b) => a.key.localeCompare(b.key));
    expect(rows.map((r) => [r.hostname, r.osRow, r.osBecause])).toEqual([
      ['PC1', 'windows-10-1607', 'mapped by hand'],
      ['PC2', 'windows-10-1607', 'mapped by hand'],
      ['PC3', null, expect.stringContaining('service pack')],
    ]);
  });
});

describe('device clearance', () => {
  it('starts once, prefilled from the inventory, and keeps the device status in step', async () => {
    const db = freshDatabase();
    const { runId } = await newOrg(db);
    await importDevices(
      runId,
      inventory(
        'Hostname,Asset tag,OS,Version,Ward,Owner\nPC1,A1,Microsoft Windows 7 Professional,6.1.7601,Ward 3,Estates\n',
      ),
      { file: 'a.csv', actor: 'Sam' },
      {},
      db,
    );
    const [row] = await loadDevices(runId, db);
    if (!row) throw new Error('no device');
    const deviceRunId = await startClearance(row, deviceChecklist, 'Sam', db);
    expect(await startClearance(row, deviceChecklist, 'Sam', db)).toBe(deviceRunId);
    const run = await db.runs.get(deviceRunId);
    expect(run).toMatchObject({ kind: 'device', parentRunId: runId, deviceId: row.id });
    expect(run?.snapshot.context.steps.identify?.draft).toMatchObject({
      hostname: 'PC1',
      'asset-tag': 'A1',
      os: 'windows-7-sp1',
      location: 'Ward 3',
      owner: 'Estates',
    });
    expect((await loadDevices(runId, db))[0]?.status).toBe('in-progress');
    expect((await loadDevices(runId, db))[0]?.clearanceRunId).toBe(deviceRunId);
    expect(await countDevicesByStatus(runId, db)).toEqual({
      total: 1,
      cleared: 0,
      excepted: 0,
      outstanding: 1,
    });
  });

  it('refuses device changes once the organisation record is signed off', async () => {
    const db = freshDatabase();
    const { runId } = await newOrg(db);
    await importCsv(db, runId, 'Hostname\nPC1\n');
    const [row] = await loadDevices(runId, db);
    if (!row) throw new Error('no device');
    const deviceRunId = await startClearance(row, deviceChecklist, 'Sam', db);
    // Sign the organisation record off (the prerequisites fixture: resolve every step, lock).
    for (const e of [
      ev.complete('a', { note: 'x' }),
      ev.complete('b', { note: 'x' }),
      ev.complete('c', { note: 'x' }),
      ev.complete('d', { note: 'x' }),
    ])
      await appendEvent(runId, e, db);
    await appendEvent(
      runId,
      {
        type: 'run.lock',
        recordDigest: 'a'.repeat(64),
        actor: { name: 'Pat' },
        at: new Date().toISOString(),
      },
      db,
    );
    await expect(
      appendEvent(deviceRunId, ev.save('identify', { hostname: 'PC1' }), db),
    ).rejects.toMatchObject({ rejection: { code: 'run-locked' } });
    await expect(
      importDevices(runId, inventory('Hostname\nPC2\n'), { file: 'b.csv', actor: 'Sam' }, {}, db),
    ).rejects.toThrow('signed off and locked');
    await expect(mapOs(runId, 'windows 10 pro |  | ', 'windows-10-1607', db)).rejects.toThrow(
      'signed off and locked',
    );
  });
});

describe('the fleet step', () => {
  const fleetChecklist = fixture('fleet');
  const claim = { total: 1, cleared: 1, excepted: 0, outstanding: 0 };

  async function fleetOrg(db: ReturnType<typeof freshDatabase>) {
    return createRun(
      {
        organisation: { name: 'Trust' },
        checklist: {
          definition: fleetChecklist.definition,
          contentHash: fleetChecklist.contentHash,
        },
        actor: 'Sam',
      },
      db,
    );
  }

  it('is judged on the devices stored, not on the roll-up the page sent', async () => {
    const db = freshDatabase();
    const { runId } = await fleetOrg(db);
    await importCsv(db, runId, 'Hostname\nPC1\n');
    const before = (await runEvents(db, runId)).length;
    // A page whose copy of the roll-up is stale claims the one device is cleared.
    await expect(
      appendEvent(runId, ev.complete('all-clear', {}, { fleet: claim }), db),
    ).rejects.toMatchObject({
      rejection: {
        code: 'fleet-not-cleared',
        message: '1 of 1 devices are neither cleared nor isolated under an approved exception.',
      },
    });
    expect((await runEvents(db, runId)).length).toBe(before);
  });

  it('refuses while no devices are on the record, whatever the page claims', async () => {
    const db = freshDatabase();
    const { runId } = await fleetOrg(db);
    await expect(
      appendEvent(runId, ev.complete('all-clear', {}, { fleet: claim }), db),
    ).rejects.toMatchObject({ rejection: { code: 'fleet-not-cleared' } });
  });

  it('records the roll-up it counted once every device is cleared', async () => {
    const db = freshDatabase();
    const { runId } = await fleetOrg(db);
    await importCsv(db, runId, 'Hostname\nPC1\nPC2\n');
    const rows = await loadDevices(runId, db);
    // Clearing a device through its own checklist is tested above; here only the status counts.
    for (const row of rows) {
      await startClearance(row, deviceChecklist, 'Sam', db);
      await db.deviceStates.update(row.id, { status: 'cleared' });
    }
    // Sent with no roll-up at all: the store fills it in.
    const { entry } = await appendEvent(runId, ev.complete('all-clear', {}), db);
    expect(entry.event).toMatchObject({
      type: 'step.complete',
      fleet: { total: 2, cleared: 2, excepted: 0, outstanding: 0 },
    });
  });
});
