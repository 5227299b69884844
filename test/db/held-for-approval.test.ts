// A record that arrives in a sign-off request is on the approver's device to be approved, not
// worked on: it is marked held, every change but an approver's is refused with a plain reason
// (and nothing is written), while a device that already works on the record is never held.
import { describe, expect, it } from 'vitest';
import type { ReconnectDatabase } from '../../src/db/database.ts';
import { importDevices, loadDevices, startClearance } from '../../src/db/devices.ts';
import { exportBundle, type ExportScope } from '../../src/db/exportBundle.ts';
import { importBundle } from '../../src/db/importBundle.ts';
import {
  ActionRejectedError,
  appendEvent,
  createRun,
  heldRefusal,
  readAllEvents,
} from '../../src/db/runs.ts';
import { ev, fixture, shipped } from '../helpers/checklists.ts';
import { freshDatabase, importCsv } from './helpers.ts';

const org = fixture('prerequisites');
const device = shipped('device-clearance');
const deviceChecklist = { definition: device.definition, contentHash: device.contentHash };

async function exportFrom(db: ReconnectDatabase, scope: ExportScope) {
  return (await exportBundle(scope, { person: 'Sam', deviceName: 'Sam’s laptop' }, db)).text;
}

async function startedRecord(db: ReconnectDatabase) {
  const run = await createRun(
    {
      organisation: { name: 'Trust' },
      checklist: { definition: org.definition, contentHash: org.contentHash },
      actor: 'Sam',
    },
    db,
  );
  await appendEvent(run.runId, ev.save('a', { note: 'first-answer' }), db);
  await importCsv(db, run.runId, 'Hostname,Ward\nPC1,Ward 3\nPC2,Ward 4\n');
  const pc1 = (await loadDevices(run.runId, db)).find((d) => d.hostname === 'PC1');
  if (!pc1) throw new Error('PC1');
  const deviceRunId = await startClearance(pc1, deviceChecklist, 'Sam', db);
  return { runId: run.runId, deviceRunId };
}

async function refusal(write: Promise<unknown>) {
  try {
    await write;
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('a record held for approval on the approver’s device', () => {
  it('is marked held, with who sent it, and refuses every change but an approver’s', async () => {
    const sam = freshDatabase();
    const { runId, deviceRunId } = await startedRecord(sam);
    const pat = freshDatabase();
    await importBundle(await exportFrom(sam, { kind: 'signoff-request', orgRunId: runId }), {
      db: pat,
    });
    const held = await pat.runs.get(runId);
    expect(held?.heldForApproval).toMatchObject({ by: 'Sam' });
    expect(held?.heldForApproval?.device).toContain('Sam’s laptop');
    expect((await pat.runs.get(deviceRunId))?.heldForApproval).toBeDefined();
    const before = await readAllEvents(runId, pat);
    const inventory = await pat.inventories.get(runId);

    const saved = await refusal(appendEvent(runId, ev.save('a', { note: 'changed' }), pat));
    expect(saved).toBeInstanceOf(ActionRejectedError);
    expect((saved as ActionRejectedError).rejection.code).toBe('held-for-approval');
    expect((saved as Error).message).toMatch(
      /came to this device for approval .*from Sam.* can be approved, signed or sent back here, but not changed/,
    );
    const onDevice = await refusal(
      appendEvent(deviceRunId, ev.save('identify', { location: 'Ward 9' }), pat),
    );
    expect((onDevice as ActionRejectedError).rejection.code).toBe('held-for-approval');
    const pc2 = (await loadDevices(runId, pat)).find((d) => d.hostname === 'PC2');
    if (!pc2) throw new Error('PC2');
    expect(await refusal(startClearance(pc2, deviceChecklist, 'Pat', pat))).toBeInstanceOf(
      ActionRejectedError,
    );
    expect(
      await refusal(importDevices(runId, [], { file: 'new.csv', actor: 'Pat' }, {}, pat)),
    ).toBeInstanceOf(ActionRejectedError);

    expect(await readAllEvents(runId, pat)).toEqual(before);
    expect(await pat.inventories.get(runId)).toEqual(inventory);
    expect((await pat.runs.toArray()).map((r) => r.runId).sort()).toEqual(
      [runId, deviceRunId].sort(),
    );
    // What an approver does is still taken (the browser tests sign and approve for real).
    for (const type of ['step.approve', 'step.reject', 'run.return', 'run.lock'] as const)
      expect(heldRefusal(held, { type } as never)).toBeUndefined();
    expect(heldRefusal(held, ev.save('a', {}))).toBeDefined();
  });

  it('stays held when a later request moves it on, and is never held where the work is done', async () => {
    const sam = freshDatabase();
    const { runId } = await startedRecord(sam);
    const pat = freshDatabase();
    await importBundle(await exportFrom(sam, { kind: 'signoff-request', orgRunId: runId }), {
      db: pat,
    });
    await appendEvent(runId, ev.save('a', { note: 'second-answer' }), sam);
    await importBundle(await exportFrom(sam, { kind: 'signoff-request', orgRunId: runId }), {
      db: pat,
    });
    const moved = await pat.runs.get(runId);
    expect(moved?.head).toEqual((await sam.runs.get(runId))?.head);
    expect(moved?.heldForApproval).toBeDefined();

    // A colleague's laptop that carries on with the record takes a request for it as it is.
    const ben = freshDatabase();
    await importBundle(await exportFrom(sam, { kind: 'handoff', orgRunId: runId }), { db: ben });
    await importBundle(await exportFrom(sam, { kind: 'signoff-request', orgRunId: runId }), {
      db: ben,
    });
    expect((await ben.runs.get(runId))?.heldForApproval).toBeUndefined();
    await appendEvent(runId, ev.save('a', { note: 'ben' }), ben);
    // And the request's own maker never holds its record.
    expect((await sam.runs.get(runId))?.heldForApproval).toBeUndefined();
  });

  it('is released by a hand-off, with nothing new in it or with more work', async () => {
    const sam = freshDatabase();
    const { runId, deviceRunId } = await startedRecord(sam);
    const pat = freshDatabase();
    await importBundle(await exportFrom(sam, { kind: 'signoff-request', orgRunId: runId }), {
      db: pat,
    });
    const events = await readAllEvents(runId, pat);
    // The same record handed on, with nothing new: the preview says what changes, then it does.
    const handoff = await exportFrom(sam, { kind: 'handoff', orgRunId: runId });
    const preview = await importBundle(handoff, { db: pat, preview: true });
    expect(preview.summary.releasedRuns).toBe(2);
    expect((await pat.runs.get(runId))?.heldForApproval).toBeDefined();
    const done = await importBundle(handoff, { db: pat });
    expect(done.summary).toMatchObject({ releasedRuns: 2, newEvents: 0 });
    expect((await pat.runs.get(runId))?.heldForApproval).toBeUndefined();
    expect((await pat.runs.get(deviceRunId))?.heldForApproval).toBeUndefined();
    expect(await readAllEvents(runId, pat)).toEqual(events);
    await appendEvent(runId, ev.save('a', { note: 'pat carries on' }), pat);

    // Held again by a new request, then released by a hand-off that carries more work.
    const kim = freshDatabase();
    await importBundle(await exportFrom(sam, { kind: 'signoff-request', orgRunId: runId }), {
      db: kim,
    });
    await appendEvent(runId, ev.save('a', { note: 'third-answer' }), sam);
    const moved = await importBundle(await exportFrom(sam, { kind: 'handoff', orgRunId: runId }), {
      db: kim,
    });
    expect(moved.summary).toMatchObject({ releasedRuns: 2, newEvents: 1 });
    const run = await kim.runs.get(runId);
    expect(run?.heldForApproval).toBeUndefined();
    expect(run?.head).toEqual((await sam.runs.get(runId))?.head);
  });

  it('stays held when the approver’s device is backed up and restored elsewhere', async () => {
    const sam = freshDatabase();
    const { runId, deviceRunId } = await startedRecord(sam);
    const pat = freshDatabase();
    await importBundle(await exportFrom(sam, { kind: 'signoff-request', orgRunId: runId }), {
      db: pat,
    });
    const held = (await pat.runs.get(runId))?.heldForApproval;
    expect(held).toBeDefined();
    const backup = await exportFrom(pat, { kind: 'backup', includeWrappedKeys: false });
    const fresh = freshDatabase();
    await importBundle(backup, { db: fresh });
    expect((await fresh.runs.get(runId))?.heldForApproval).toEqual(held);
    expect((await fresh.runs.get(deviceRunId))?.heldForApproval).toEqual(held);
    expect(await fresh.settings.get('held-for-approval')).toBeUndefined();
    const saved = await refusal(appendEvent(runId, ev.save('a', { note: 'changed' }), fresh));
    expect((saved as ActionRejectedError).rejection.code).toBe('held-for-approval');
    // Sam's own backup holds nothing.
    const samFresh = freshDatabase();
    await importBundle(await exportFrom(sam, { kind: 'backup', includeWrappedKeys: false }), {
      db: samFresh,
    });
    expect((await samFresh.runs.get(runId))?.heldForApproval).toBeUndefined();
  });
});
