// Records started on the checklists as they were before the review of November 2026 keep their
// version after the corrected ones ship: the definition is stored by content hash, the run goes
// on accepting what its own version accepts, and its log replays to its snapshot.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MachineEvent } from '../../src/checklist/events.ts';
import type { CompiledChecklist } from '../../src/checklist/machine.ts';
import { appendEvent, createRun, loadPinnedChecklist, readEvents } from '../../src/db/runs.ts';
import { applyEvent, replay } from '../../src/run/replay.ts';
import { sharedFacts } from '../../src/run/facts.ts';
import { progressOf, stepStatuses } from '../../src/run/status.ts';
import { ev, fixture, kinds, shipped } from '../helpers/checklists.ts';
import { answers, walk } from '../helpers/walk.ts';
import { freshDatabase } from './helpers.ts';

const previousDir = join(import.meta.dirname, '../fixtures/previous-checklists');

const hashed = (c: CompiledChecklist) => ({ definition: c.definition, contentHash: c.contentHash });
const organisation = { name: 'Test Trust', odsCode: 'RNQ' };

async function appendAll(
  runId: string,
  events: MachineEvent[],
  db: ReturnType<typeof freshDatabase>,
) {
  for (const event of events) await appendEvent(runId, event, db);
}

describe('a record started on a previous checklist version', () => {
  it('keeps the boundary checklist 1.1.0 rules after 1.2.0 ships', async () => {
    const db = freshDatabase();
    const before = fixture('smb-boundary-block', previousDir);
    const now = shipped('smb-boundary-block');
    expect([before.definition.version, now.definition.version]).toEqual(['1.1.0', '1.2.0']);

    const oldRun = await createRun({ organisation, checklist: hashed(before), actor: 'Sam' }, db);
    const upToTest = walk(before, { 'block-smb-ports': { 'blocked-at-all': true } }, 'test-block');
    await appendAll(oldRun.runId, upToTest, db);

    // The corrected version arrives, and a new record starts on it.
    const newRun = await createRun({ organisation, checklist: hashed(now), actor: 'Sam' }, db);
    await appendAll(
      newRun.runId,
      walk(now, { 'block-smb-ports': { 'blocked-at-all': true } }, 'test-block'),
      db,
    );

    // Each record loads the definition it pinned, by content hash.
    const oldPinned = await loadPinnedChecklist(oldRun.checklist, db);
    const newPinned = await loadPinnedChecklist(newRun.checklist, db);
    expect(oldPinned.definition.version).toBe('1.1.0');
    expect(newPinned.definition.version).toBe('1.2.0');
    expect((await db.checklists.get(before.contentHash))?.definition.version).toBe('1.1.0');

    // The old record may still skip the test as its version allowed; the new one may not.
    const skip = ev.na('test-block', 'No outside host available');
    await expect(appendEvent(newRun.runId, skip, db)).rejects.toMatchObject({
      rejection: { code: 'outcome-not-allowed' },
    });
    const { run } = await appendEvent(oldRun.runId, skip, db);
    expect(run.checklist.version).toBe('1.1.0');
    expect(run.progress.complete).toBe(true);

    // Its log replays, through its own version, to exactly its snapshot.
    const entries = await readEvents(oldRun.runId, db);
    const replayed = replay(
      oldPinned,
      entries.map((e) => e.event),
    );
    expect(replayed.rejected).toEqual([]);
    expect((await db.runs.get(oldRun.runId))?.snapshot).toEqual(replayed.state);
    expect(progressOf(stepStatuses(oldPinned, replayed.state)).complete).toBe(true);
  }, 30_000);

  it('keeps the device checklist 1.0.1 scan answers after 1.1.0 ships', async () => {
    const db = freshDatabase();
    const before = fixture('device-clearance', previousDir);
    const now = shipped('device-clearance');
    const given = {
      identify: { os: 'windows-10-1511', 'vendor-controlled': false },
      'infection-check': { infected: false },
      'patch-evidence': { 'srv-sys-version': '10.0.10586.9999' },
    };
    const oldRun = await createRun({ organisation, checklist: hashed(before), actor: 'Sam' }, db);
    await appendAll(oldRun.runId, walk(before, given, 'network-scan'), db);
    const newRun = await createRun({ organisation, checklist: hashed(now), actor: 'Sam' }, db);
    await appendAll(newRun.runId, walk(now, given, 'network-scan'), db);

    // "Not vulnerable" is an answer only the old version knows.
    const oldScan = ev.complete(
      'network-scan',
      answers(before, 'network-scan', { result: 'not-vulnerable' }),
    );
    await expect(appendEvent(newRun.runId, oldScan, db)).rejects.toMatchObject({
      rejection: { code: 'evidence-invalid' },
    });
    await appendEvent(oldRun.runId, oldScan, db);

    const oldPinned = await loadPinnedChecklist(oldRun.checklist, db);
    const entries = await readEvents(oldRun.runId, db);
    const replayed = replay(
      oldPinned,
      entries.map((e) => e.event),
    );
    expect(replayed.rejected).toEqual([]);
    expect(kinds(oldPinned, replayed.state)['network-scan']).toBe('completed');
    expect((await db.runs.get(oldRun.runId))?.snapshot).toEqual(replayed.state);
  });

  it('keeps the organisation checklist 1.1.0 whole-record sign-off after 1.2.0 stages it', async () => {
    const db = freshDatabase();
    const staged = join(previousDir, 'before-staged-signoff');
    const before = fixture('org-reconnection', staged);
    const now = fixture('org-reconnection', join(previousDir, 'before-prefill'));
    expect([before.definition.version, now.definition.version]).toEqual(['1.1.0', '1.2.0']);
    const given = { 'infection-status': { 'any-infected': false, 'device-count': 0 } };

    // Both versions pinned on this device, each record loading its own by content hash.
    const oldRun = await createRun({ organisation, checklist: hashed(before), actor: 'Sam' }, db);
    const newRun = await createRun({ organisation, checklist: hashed(now), actor: 'Sam' }, db);
    const oldPinned = await loadPinnedChecklist(oldRun.checklist, db);
    const newPinned = await loadPinnedChecklist(newRun.checklist, db);
    expect(oldPinned.definition.signoffs).toBeUndefined();
    expect(newPinned.definition.signoffs?.map((s) => s.id)).toEqual(['go-ahead', 'closure']);

    // (The fleet step counts devices in the database, so the walks replay through the machine.)
    const links = oldPinned.index.order.filter((id) => id.startsWith('go-'));
    const oldUpTo = walk(oldPinned, given, links);
    const newUpTo = walk(newPinned, given, links).filter((e) => e.type !== 'run.signoff');
    const open = kinds(oldPinned, replay(oldPinned, oldUpTo).state);
    const link = links.find((id) => open[id] === 'not-started') ?? '';
    const go = ev.complete(link, answers(oldPinned, link));
    // A link decision: the new version waits for the go-ahead; the old takes it at once, by
    // an approver in any role, as it always did.
    const refused = applyEvent(newPinned, replay(newPinned, newUpTo).state, go);
    expect(refused.ok ? null : refused.rejection.code).toBe('signoff-needed');
    const decided = [...oldUpTo, go, ev.approve(link, 'Incident lead')];
    expect(replay(oldPinned, decided).rejected).toEqual([]);

    // It still completes and closes with one lock, no go-ahead in between.
    const complete = walk(oldPinned, given);
    expect(complete.some((e) => e.type === 'run.signoff')).toBe(false);
    const lock: MachineEvent = {
      type: 'run.lock',
      recordDigest: 'c'.repeat(64),
      actor: { name: 'Pat Manager' },
      at: '2017-06-01T09:00:00.000Z',
    };
    const replayed = replay(oldPinned, [...complete, lock]);
    expect(replayed.rejected).toEqual([]);
    expect(replayed.state.context.locked?.recordDigest).toBe('c'.repeat(64));
    expect(progressOf(stepStatuses(oldPinned, replayed.state)).complete).toBe(true);
  }, 60_000);

  it('keeps the organisation checklist 1.2.0 facts as given after 1.3.0 carries them into its first step', async () => {
    const db = freshDatabase();
    const before = fixture('org-reconnection', join(previousDir, 'before-prefill'));
    const now = shipped('org-reconnection');
    expect([before.definition.version, now.definition.version]).toEqual(['1.2.0', '1.3.0']);
    const started = { name: 'Test Trust', odsCode: 'RNQ', incidentReference: 'INC-1' };
    const answered = {
      'open-record': { organisation: 'Test Trust (Acute)', 'ods-code': 'rnq01' },
    };
    const oldRun = await createRun(
      { organisation: started, checklist: hashed(before), actor: 'Sam' },
      db,
    );
    const newRun = await createRun(
      { organisation: started, checklist: hashed(now), actor: 'Sam' },
      db,
    );
    await appendAll(oldRun.runId, walk(before, answered, 'infection-status'), db);
    await appendAll(newRun.runId, walk(now, answered, 'infection-status'), db);

    // The old version's log replays as it was; its fields carry nothing, so the record keeps
    // the facts as given when it started.
    const oldPinned = await loadPinnedChecklist(oldRun.checklist, db);
    const oldEntries = await readEvents(oldRun.runId, db);
    const oldState = replay(
      oldPinned,
      oldEntries.map((e) => e.event),
    );
    expect(oldState.rejected).toEqual([]);
    expect(sharedFacts(oldPinned.definition, started, oldState.state.context.steps)).toEqual(
      started,
    );
    // The new version's first step carries them: its answers are what the record shows.
    const newPinned = await loadPinnedChecklist(newRun.checklist, db);
    const newState = replay(
      newPinned,
      (await readEvents(newRun.runId, db)).map((e) => e.event),
    );
    expect(sharedFacts(newPinned.definition, started, newState.state.context.steps)).toEqual({
      name: 'Test Trust (Acute)',
      odsCode: 'RNQ01',
      incidentReference: 'INC-1',
    });
  });

  it('keeps the device checklist 1.1.0 exception approval by any approver after 1.2.0 names its role', async () => {
    const db = freshDatabase();
    const before = fixture('device-clearance', join(previousDir, 'before-device-roles'));
    const now = shipped('device-clearance');
    expect([before.definition.version, now.definition.version]).toEqual(['1.1.0', '1.4.0']);
    // A medical device: always the exception path.
    const given = {
      identify: { os: 'windows-7-sp1', 'vendor-controlled': true },
      'infection-check': { infected: false },
    };
    const oldRun = await createRun({ organisation, checklist: hashed(before), actor: 'Sam' }, db);
    const newRun = await createRun({ organisation, checklist: hashed(now), actor: 'Sam' }, db);
    const risk = (c: CompiledChecklist): MachineEvent =>
      ({
        ...ev.risk('exception', 'Isolated on VLAN 240'),
        evidence: answers(c, 'exception'),
      }) as MachineEvent;
    await appendAll(oldRun.runId, [...walk(before, given, 'exception'), risk(before)], db);
    await appendAll(newRun.runId, [...walk(now, given, 'exception'), risk(now)], db);

    // The old version takes the approval from an approver in any role, as it always did …
    await appendEvent(oldRun.runId, ev.approve('exception', 'Information asset owner'), db);
    expect((await db.runs.get(oldRun.runId))?.snapshot.context.steps.exception?.phase).toBe(
      'riskAccepted',
    );
    // … the new one only under the role it names.
    await expect(
      appendEvent(newRun.runId, ev.approve('exception', 'Information asset owner'), db),
    ).rejects.toMatchObject({ rejection: { code: 'role-missing' } });
    const approval = ev.approve('exception');
    if (approval.type !== 'step.approve') throw new Error('not an approval');
    await appendEvent(
      newRun.runId,
      { ...approval, approver: { ...approval.approver, roleId: 'siro' } },
      db,
    );
    expect((await db.runs.get(newRun.runId))?.snapshot.context.steps.exception?.phase).toBe(
      'riskAccepted',
    );
  });

  it('keeps the device checklist 1.2.0 exception without a review date after 1.3.0 asks for one', async () => {
    const db = freshDatabase();
    const before = fixture('device-clearance', join(previousDir, 'before-review-date'));
    const now = fixture('device-clearance', join(previousDir, 'with-review-field'));
    expect([before.definition.version, now.definition.version]).toEqual(['1.2.0', '1.3.0']);
    const given = {
      identify: { os: 'windows-7-sp1', 'vendor-controlled': true },
      'infection-check': { infected: false },
    };
    const withoutDate = (c: CompiledChecklist): MachineEvent => {
      const { 'review-on': _date, ...evidence } = answers(c, 'exception') as Record<
        string,
        unknown
      >;
      return { ...ev.risk('exception', 'Isolated on VLAN 240'), evidence } as MachineEvent;
    };
    const oldRun = await createRun({ organisation, checklist: hashed(before), actor: 'Sam' }, db);
    const newRun = await createRun({ organisation, checklist: hashed(now), actor: 'Sam' }, db);
    await appendAll(oldRun.runId, walk(before, given, 'exception'), db);
    await appendAll(newRun.runId, walk(now, given, 'exception'), db);

    // The old version takes the exception as it always did …
    await appendEvent(oldRun.runId, withoutDate(before), db);
    expect((await db.runs.get(oldRun.runId))?.snapshot.context.steps.exception?.phase).toBe(
      'awaitingApproval',
    );
    // … the new one asks when the exception will be reviewed, by name.
    await expect(appendEvent(newRun.runId, withoutDate(now), db)).rejects.toMatchObject({
      message: expect.stringMatching(/date to review the exception/i) as unknown,
    });
    await appendEvent(
      newRun.runId,
      {
        ...ev.risk('exception', 'Isolated on VLAN 240'),
        evidence: {
          ...(answers(now, 'exception') as Record<string, unknown>),
          'review-on': '2017-08-01',
        },
      } as MachineEvent,
      db,
    );
    expect(
      (await db.runs.get(newRun.runId))?.snapshot.context.steps.exception?.evidence?.['review-on'],
    ).toBe('2017-08-01');
  });
  it('keeps the device checklist 1.3.0 review-date field after 1.4.0 leaves the date to the risk acceptance', async () => {
    // 1.3.0 asked for the review date twice: in the step's form and in the risk acceptance
    // beside it. 1.4.0 asks once, in the acceptance, which the machine checks against the day
    // the acceptance was made.
    const db = freshDatabase();
    const before = fixture('device-clearance', join(previousDir, 'with-review-field'));
    const now = shipped('device-clearance');
    expect([before.definition.version, now.definition.version]).toEqual(['1.3.0', '1.4.0']);
    const fieldsOf = (c: CompiledChecklist) =>
      c.index.steps.get('exception')?.fields.map((f) => f.id);
    expect(fieldsOf(before)).toContain('review-on');
    expect(fieldsOf(now)).not.toContain('review-on');

    const given = {
      identify: { os: 'windows-7-sp1', 'vendor-controlled': true },
      'infection-check': { infected: false },
    };
    const risk = (c: CompiledChecklist, reviewDate: string): MachineEvent => {
      const { 'review-on': _date, ...evidence } = answers(c, 'exception') as Record<
        string,
        unknown
      >;
      return {
        ...ev.risk('exception', 'Isolated on VLAN 240', reviewDate),
        evidence,
      } as MachineEvent;
    };
    const oldRun = await createRun({ organisation, checklist: hashed(before), actor: 'Sam' }, db);
    const newRun = await createRun({ organisation, checklist: hashed(now), actor: 'Sam' }, db);
    await appendAll(oldRun.runId, walk(before, given, 'exception'), db);
    await appendAll(newRun.runId, walk(now, given, 'exception'), db);

    // The record on 1.3.0 still wants its own field …
    await expect(appendEvent(oldRun.runId, risk(before, '2017-08-01'), db)).rejects.toMatchObject({
      message: expect.stringMatching(/date to review the exception/i) as unknown,
    });
    // … the one on 1.4.0 takes the acceptance's date, which must come after the day it is made.
    const sameDay = risk(now, '2017-08-01');
    await expect(
      appendEvent(newRun.runId, { ...sameDay, at: '2017-08-01T09:00:00.000Z' }, db),
    ).rejects.toMatchObject({ rejection: { code: 'reason-missing' } });
    const accepted = risk(now, '2017-11-01');
    await appendEvent(newRun.runId, accepted, db);
    const step = (await db.runs.get(newRun.runId))?.snapshot.context.steps.exception;
    expect(step?.phase).toBe('awaitingApproval');
    expect(step?.evidence?.['review-on']).toBeUndefined();
    expect(JSON.stringify(step)).toContain('2017-11-01');
  });
});
