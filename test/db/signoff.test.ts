// Sign-off end to end on the database: approvers' keys, signed step decisions, readiness, the
// signed record stored and the run locked, a return with reasons on the affected steps.
import { describe, expect, it, vi } from 'vitest';
import { loadDevices, startClearance } from '../../src/db/devices.ts';
import { startRevision } from '../../src/db/revisions.ts';
import {
  appendEvent,
  createRun,
  deleteRun,
  readEvents,
  RevisedRecordError,
} from '../../src/db/runs.ts';
import { readinessReport } from '../../src/db/readiness.ts';
import { decideStep, registerApprover, returnRecord, signOff } from '../../src/db/signoff.ts';
import { WrongPassphraseError } from '../../src/record/keys.ts';
import { verifyRecordFile } from '../../src/record/verify.ts';
import { ev, fixture, shipped } from '../helpers/checklists.ts';
import { freshDatabase, importCsv } from './helpers.ts';

const passphrase = 'correct horse battery staple';

/** Signs a record off as approved, by the given approver with the test passphrase. */
function signApproved(
  db: ReturnType<typeof freshDatabase>,
  runId: string,
  approver: Awaited<ReturnType<typeof registerApprover>>,
  statement: string,
) {
  return signOff(
    { runId, approver, passphrase, decision: { outcome: 'approved' }, statement, actor: 'Pat' },
    db,
  );
}

async function completeRun(db: ReturnType<typeof freshDatabase>) {
  const c = fixture('prerequisites');
  const run = await createRun(
    {
      organisation: { name: 'Signed Trust', odsCode: 'RNQ' },
      checklist: { definition: c.definition, contentHash: c.contentHash },
      actor: 'Sam',
    },
    db,
  );
  for (const e of [
    ev.complete('a', { note: 'A done' }),
    ev.na('b', 'No such link'),
    ev.complete('c', { note: 'C done' }),
    ev.complete('d', { note: 'D done' }),
  ])
    await appendEvent(run.runId, e, db);
  return run.runId;
}

describe('sign-off', () => {
  it('signs a ready record, stores the exact file, and locks the run', async () => {
    const db = freshDatabase();
    const runId = await completeRun(db);
    const approver = await registerApprover({ name: 'Pat Manager', role: 'SIRO', passphrase }, db);
    const report = await readinessReport(runId, db);
    expect(report.ready).toBe(true);
    const { digest } = await signOff(
      {
        runId,
        approver,
        passphrase,
        decision: { outcome: 'approved' },
        statement: 'Safe to reconnect.',
        actor: 'Pat Manager',
      },
      db,
    );
    const stored = await db.signedRecords.where('runId').equals(runId).first();
    expect(stored?.digest).toBe(digest);
    const verified = await verifyRecordFile(stored?.text ?? '');
    expect(verified.valid).toBe(true);
    if (!verified.valid) return;
    expect(verified.record.organisation).toEqual({ name: 'Signed Trust', odsCode: 'RNQ' });
    expect(verified.record.steps.map((s) => [s.id, s.status])).toEqual([
      ['a', 'completed'],
      ['b', 'not-applicable'],
      ['c', 'completed'],
      ['d', 'completed'],
    ]);
    expect(verified.record.auditLog.events).toBe(4);
    expect(verified.signer.fingerprint).toBe(approver.fingerprint);
    const run = await db.runs.get(runId);
    expect(run?.snapshot.context.locked?.recordDigest).toBe(digest);
    await expect(appendEvent(runId, ev.reopen('a', 'late change'), db)).rejects.toMatchObject({
      rejection: { code: 'run-locked' },
    });
  }, 30_000);

  it('cannot sign with the wrong passphrase, and changes nothing', async () => {
    const db = freshDatabase();
    const runId = await completeRun(db);
    const approver = await registerApprover({ name: 'Pat Manager', role: 'SIRO', passphrase }, db);
    await expect(
      signOff(
        {
          runId,
          approver,
          passphrase: 'not the passphrase',
          decision: { outcome: 'approved' },
          statement: 'x',
          actor: 'Pat',
        },
        db,
      ),
    ).rejects.toBeInstanceOf(WrongPassphraseError);
    expect(await db.signedRecords.count()).toBe(0);
    expect((await db.runs.get(runId))?.snapshot.context.locked).toBeUndefined();
  }, 30_000);

  it('refuses a record that is not ready, saying what blocks it', async () => {
    const db = freshDatabase();
    const c = fixture('prerequisites');
    const { runId } = await createRun(
      {
        organisation: { name: 'T' },
        checklist: { definition: c.definition, contentHash: c.contentHash },
        actor: 'Sam',
      },
      db,
    );
    await appendEvent(runId, ev.complete('a', { note: 'x' }), db);
    const approver = await registerApprover({ name: 'Pat Manager', role: 'SIRO', passphrase }, db);
    const report = await readinessReport(runId, db);
    expect(report.blockers.map((b) => b.message)).toEqual([
      '“Step B” is not started',
      '“Step C” cannot start until “Step B” is done',
      '“Step D” cannot start until “Step C” is done',
    ]);
    await expect(signApproved(db, runId, approver, 'x')).rejects.toThrow(
      'Not ready for sign-off: “Step B” is not started',
    );
  }, 30_000);

  it('is blocked by outstanding devices', async () => {
    const db = freshDatabase();
    const runId = await completeRun(db);
    await importCsv(db, runId, 'Hostname\nPC1\n');
    const report = await readinessReport(runId, db);
    expect(report.ready).toBe(false);
    expect(report.blockers.map((b) => b.message)).toEqual([
      '1 of 1 device is neither cleared nor isolated under an approved exception',
    ]);
  });

  it('sends the record back with reasons on the affected steps, signed by the approver', async () => {
    const db = freshDatabase();
    const runId = await completeRun(db);
    const approver = await registerApprover({ name: 'Pat Manager', role: 'SIRO', passphrase }, db);
    await returnRecord(
      {
        runId,
        approver,
        passphrase,
        returns: [{ stepId: 'c', reason: 'Attach the scan report' }],
        actor: 'Pat Manager',
      },
      db,
    );
    const run = await db.runs.get(runId);
    expect(run?.snapshot.context.steps.c).toMatchObject({
      phase: 'inProgress',
      returned: { reason: 'Attach the scan report', by: 'Pat Manager', role: 'SIRO' },
    });
    // Events are keyed by hash: read them in the run's order.
    const events = await readEvents(runId, db);
    const last = events[events.length - 1]?.event;
    expect(last?.type === 'run.return' ? last.approver.keyFingerprint : null).toBe(
      approver.fingerprint,
    );
  }, 30_000);
});

describe('step decisions by a registered approver', () => {
  it('records the approver, their key and a signature over what they approved', async () => {
    const db = freshDatabase();
    const c = fixture('risk-acceptance');
    const { runId } = await createRun(
      {
        organisation: { name: 'T' },
        checklist: { definition: c.definition, contentHash: c.contentHash },
        actor: 'Sam',
      },
      db,
    );
    await appendEvent(runId, ev.risk('patch-all', 'MRI isolated on VLAN 240', '2017-08-01'), db);
    const approver = await registerApprover({ name: 'Pat Manager', role: 'SIRO', passphrase }, db);
    await expect(
      decideStep(
        {
          runId,
          stepId: 'patch-all',
          approver,
          passphrase: 'wrong wrong wrong',
          decision: 'approve',
          text: '',
          actor: 'Pat',
        },
        db,
      ),
    ).rejects.toBeInstanceOf(WrongPassphraseError);
    await decideStep(
      {
        runId,
        stepId: 'patch-all',
        approver,
        passphrase,
        decision: 'approve',
        text: 'Accepted until replacement',
        actor: 'Pat',
      },
      db,
    );
    const approval = (await db.runs.get(runId))?.snapshot.context.steps['patch-all']?.resolution
      ?.approval;
    expect(approval).toMatchObject({
      name: 'Pat Manager',
      role: 'SIRO',
      keyFingerprint: approver.fingerprint,
      statement: 'Accepted until replacement',
    });
    expect(approval?.signature?.split('.')).toHaveLength(3);
  }, 30_000);
});

describe('a new revision', () => {
  it('starts from the same answers, names the signed record, and is signed as revision 2', async () => {
    const db = freshDatabase();
    const runId = await completeRun(db);
    const approver = await registerApprover({ name: 'Pat Manager', role: 'SIRO', passphrase }, db);
    const first = await signApproved(db, runId, approver, 'Reconnect.');
    const next = await startRevision(runId, 'Sam', db);
    const revision = await db.runs.get(next);
    expect(revision?.revisionOf).toEqual({ runId, recordDigest: first.digest });
    expect(revision?.snapshot.context.locked).toBeUndefined();
    expect(revision?.progress).toMatchObject({ done: 4, total: 4 });
    await appendEvent(next, ev.reopen('c', 'New scan result'), db);
    await appendEvent(next, ev.complete('c', { note: 'C rescanned' }), db);
    const second = await signApproved(db, next, approver, 'Still safe.');
    const stored = await db.signedRecords.where('runId').equals(next).first();
    const verified = await verifyRecordFile(stored?.text ?? '');
    expect(verified.valid && verified.record.revision).toEqual({
      number: 2,
      previousRecordDigest: first.digest,
    });
    expect(second.digest).not.toBe(first.digest);
    // The first record is untouched.
    expect((await db.runs.get(runId))?.snapshot.context.locked?.recordDigest).toBe(first.digest);
  }, 30_000);
});

describe('a revision of a record with devices', () => {
  const fleet = fixture('fleet');
  const device = shipped('device-clearance');

  /** A record whose one step needs every device cleared, with two cleared devices. */
  async function readyFleetRecord(db: ReturnType<typeof freshDatabase>) {
    const { runId } = await createRun(
      {
        organisation: { name: 'Fleet Trust' },
        checklist: { definition: fleet.definition, contentHash: fleet.contentHash },
        actor: 'Sam',
      },
      db,
    );
    await importCsv(db, runId, 'Hostname\nPC1\nPC2\n');
    // Clearing a device through its checklist is tested in devices.test.ts; the status counts here.
    for (const row of await loadDevices(runId, db)) {
      await startClearance(
        row,
        { definition: device.definition, contentHash: device.contentHash },
        'Sam',
        db,
      );
      await db.deviceStates.update(row.id, { status: 'cleared' });
    }
    await appendEvent(runId, ev.complete('all-clear', {}), db);
    const approver = await registerApprover({ name: 'Pat Manager', role: 'SIRO', passphrase }, db);
    return { runId, approver };
  }

  async function signedFleetRecord(db: ReturnType<typeof freshDatabase>) {
    const { runId, approver } = await readyFleetRecord(db);
    await signApproved(db, runId, approver, 'Reconnect.');
    return runId;
  }

  it('is not signed if a device changes while the record is being signed', async () => {
    const db = freshDatabase();
    const { runId, approver } = await readyFleetRecord(db);
    const [device] = await db.deviceStates.toArray();
    // Another tab changes a device between building the record and storing it: the record's
    // signature is the moment in between.
    const sign = crypto.subtle.sign.bind(crypto.subtle);
    const spy = vi.spyOn(crypto.subtle, 'sign').mockImplementationOnce(async (...args) => {
      await db.deviceStates.update(device?.deviceId ?? '', { status: 'excepted' });
      return sign(...args);
    });
    await expect(signApproved(db, runId, approver, 'Reconnect.')).rejects.toThrow(
      'The devices changed while the record was being signed.',
    );
    spy.mockRestore();
    expect((await db.runs.get(runId))?.snapshot.context.locked).toBeUndefined();
    expect(await db.signedRecords.count()).toBe(0);
  }, 30_000);

  it('takes the devices over and keeps the fleet step the signed record had', async () => {
    const db = freshDatabase();
    const runId = await signedFleetRecord(db);
    const next = await startRevision(runId, 'Sam', db);
    expect((await db.runs.get(next))?.snapshot.context.steps['all-clear']?.phase).toBe('completed');
    expect((await loadDevices(next, db)).map((d) => d.status)).toEqual(['cleared', 'cleared']);
    // The signed record keeps its inventory as signed.
    expect((await db.inventories.get(runId))?.devices).toHaveLength(2);
  }, 30_000);

  it('leaves nothing behind when it cannot be built', async () => {
    const db = freshDatabase();
    const runId = await signedFleetRecord(db);
    // A device no longer cleared: the copied fleet step is refused part-way through the copy.
    const [first] = await db.deviceStates.toArray();
    await db.deviceStates.update(first?.deviceId ?? '', { status: 'in-progress' });
    const runsBefore = await db.runs.count();
    await expect(startRevision(runId, 'Sam', db)).rejects.toMatchObject({
      rejection: { code: 'fleet-not-cleared' },
    });
    expect(await db.runs.count()).toBe(runsBefore);
    expect(await db.deviceStates.where('orgRunId').equals(runId).count()).toBe(2);
  }, 30_000);

  it('must be deleted before the record it revises, and gives the devices back', async () => {
    const db = freshDatabase();
    const runId = await signedFleetRecord(db);
    const next = await startRevision(runId, 'Sam', db);
    const deviceRuns = (await loadDevices(next, db)).map((d) => d.clearanceRunId);
    await expect(deleteRun(runId, db)).rejects.toBeInstanceOf(RevisedRecordError);
    expect(await db.runs.get(runId)).toBeDefined();
    await deleteRun(next, db);
    expect(await db.runs.get(next)).toBeUndefined();
    const back = await loadDevices(runId, db);
    expect(back.map((d) => [d.status, d.clearanceRunId])).toEqual(
      deviceRuns.map((id) => ['cleared', id]),
    );
    for (const id of deviceRuns) expect(await db.runs.get(id ?? '')).toBeDefined();
    // With no revision left, the signed record can go, devices and all.
    await deleteRun(runId, db);
    expect(await db.deviceStates.count()).toBe(0);
    expect(await db.runs.count()).toBe(0);
  }, 30_000);
});
