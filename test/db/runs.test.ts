// Records in IndexedDB (Dexie on fake-indexeddb): one transaction per action, the snapshot
// always equal to the replay of the log, refusals and storage errors writing nothing, and two
// writers never losing or duplicating an event.
import { describe, expect, it, vi } from 'vitest';
import type { MachineEvent } from '../../src/checklist/events.ts';
import { ReconnectDatabase } from '../../src/db/database.ts';
import { FileRejectedError, attachFile, maxFileBytes } from '../../src/db/files.ts';
import {
  ActionRejectedError,
  StorageFullError,
  appendEvent,
  createRun,
  deleteRun,
  headerOf,
  loadPinnedChecklist,
  readEvents,
} from '../../src/db/runs.ts';
import { contentHash } from '../../src/checklist/canonical.ts';
import { verifyChain } from '../../src/run/log.ts';
import { replay } from '../../src/run/replay.ts';
import { ev, fixture } from '../helpers/checklists.ts';
import { freshDatabase } from './helpers.ts';
import { countEvents, runEvents } from '../../src/db/eventStore.ts';

const prerequisites = fixture('prerequisites');
const hashed = { definition: prerequisites.definition, contentHash: prerequisites.contentHash };

async function newRun(db: ReconnectDatabase) {
  return createRun(
    { organisation: { name: 'Test Trust', odsCode: 'RNQ' }, checklist: hashed, actor: 'Sam' },
    db,
  );
}

async function expectSnapshotEqualsReplay(db: ReconnectDatabase, runId: string) {
  const run = await db.runs.get(runId);
  const entries = await readEvents(runId, db);
  const replayed = replay(
    prerequisites,
    entries.map((e) => e.event),
  );
  expect(replayed.rejected).toEqual([]);
  expect(run?.snapshot).toEqual(replayed.state);
  if (!run) throw new Error('no run');
  expect(verifyChain(headerOf(run), entries)).toMatchObject({
    intact: true,
    length: entries.length,
  });
}

describe('a record', () => {
  it('pins the checklist version it started on', async () => {
    const db = freshDatabase();
    const run = await newRun(db);
    expect(run.checklist).toEqual({
      id: 'prerequisites',
      version: '1.0.0',
      contentHash: prerequisites.contentHash,
    });
    expect(await db.checklists.get(prerequisites.contentHash)).toMatchObject({
      id: 'prerequisites',
    });
  });

  it('appends each action as one event and keeps the snapshot equal to the replay', async () => {
    const db = freshDatabase();
    const { runId } = await newRun(db);
    const actions: MachineEvent[] = [
      ev.save('a', { note: 'draft' }),
      ev.complete('a', { note: 'done' }),
      ev.na('b', 'No such link'),
      ev.complete('c', { note: 'c' }),
      ev.reopen('a', 'Wrong note'),
      ev.complete('a', { note: 'fixed' }),
    ];
    for (const action of actions) {
      await appendEvent(runId, action, db);
      await expectSnapshotEqualsReplay(db, runId);
    }
    const entries = await readEvents(runId, db);
    expect(entries.map((e) => [e.seq, e.event.type])).toEqual([
      [1, 'step.save'],
      [2, 'step.complete'],
      [3, 'step.not-applicable'],
      [4, 'step.complete'],
      [5, 'step.reopen'],
      [6, 'step.complete'],
    ]);
    const run = await db.runs.get(runId);
    expect(run?.head.seq).toBe(6);
    expect(run?.updatedBy).toBe('Sam Technician');
    expect(run?.progress).toMatchObject({ done: 3, total: 4 });
  });

  it('writes nothing when the machine refuses an action', async () => {
    const db = freshDatabase();
    const { runId } = await newRun(db);
    await appendEvent(runId, ev.complete('a', { note: 'x' }), db);
    const before = await db.runs.get(runId);
    await expect(
      appendEvent(runId, ev.complete('d', { note: 'too early' }), db),
    ).rejects.toMatchObject({
      name: 'ActionRejectedError',
      rejection: { code: 'prerequisite-missing' },
    });
    expect(await db.runs.get(runId)).toEqual(before);
    expect(await countEvents(db)).toBe(1);
  });

  it('keeps a record on the checklist version it started on after a newer version arrives', async () => {
    const db = freshDatabase();
    const old = await newRun(db);
    await appendEvent(old.runId, ev.complete('a', { note: 'a' }), db);
    // Version 2 drops the wait for step B before step C and adds a step E.
    const v1 = prerequisites.definition;
    const v2Definition = {
      ...v1,
      version: '2.0.0',
      phases: v1.phases.map((phase) => ({
        ...phase,
        steps: [
          ...phase.steps.map((step) => (step.id === 'c' ? { ...step, requires: ['a'] } : step)),
          ...(phase.id === 'second' ? [{ ...phase.steps[0], id: 'e', title: 'Step E' }] : []),
        ],
      })),
    } as typeof v1;
    const v2 = { definition: v2Definition, contentHash: contentHash(v2Definition) };
    const fresh = await createRun(
      { organisation: { name: 'Test Trust', odsCode: 'RNQ' }, checklist: v2, actor: 'Sam' },
      db,
    );
    await appendEvent(fresh.runId, ev.complete('a', { note: 'a' }), db);

    // The new record follows version 2: C may start once A is done, and E exists.
    await appendEvent(fresh.runId, ev.complete('c', { note: 'c' }), db);
    expect((await loadPinnedChecklist(fresh.checklist, db)).index.steps.has('e')).toBe(true);

    // The old record still follows version 1: C waits for B, and there is no step E.
    await expect(appendEvent(old.runId, ev.complete('c', { note: 'c' }), db)).rejects.toMatchObject(
      {
        rejection: { code: 'prerequisite-missing' },
      },
    );
    await expect(appendEvent(old.runId, ev.complete('e', { note: 'e' }), db)).rejects.toMatchObject(
      {
        name: 'ActionRejectedError',
      },
    );
    await appendEvent(old.runId, ev.complete('b', { note: 'b' }), db);
    await appendEvent(old.runId, ev.complete('c', { note: 'c' }), db);
    const oldRow = await db.runs.get(old.runId);
    expect(oldRow?.checklist).toEqual({
      id: 'prerequisites',
      version: '1.0.0',
      contentHash: prerequisites.contentHash,
    });
    expect(oldRow?.progress).toMatchObject({ done: 3, total: 4 });
    expect(await db.checklists.count()).toBe(2);
    await expectSnapshotEqualsReplay(db, old.runId);
  });

  it('never loses or duplicates an event when two tabs write at once', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const tabA = freshDatabase(name);
    const tabB = new ReconnectDatabase(name);
    const { runId } = await newRun(tabA);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      writes.push(appendEvent(runId, ev.save('a', { note: `A${String(i)}` }), tabA));
      writes.push(appendEvent(runId, ev.save('b', { note: `B${String(i)}` }), tabB));
    }
    await Promise.all(writes);
    const entries = await readEvents(runId, tabA);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const notes = entries.map((e) => (e.event.type === 'step.save' ? e.event.draft?.note : null));
    expect(new Set(notes).size).toBe(40);
    await expectSnapshotEqualsReplay(tabA, runId);
    tabB.close();
  });

  it('reports a full disk clearly and keeps what was saved before', async () => {
    const db = freshDatabase();
    const { runId } = await newRun(db);
    await appendEvent(runId, ev.complete('a', { note: 'kept' }), db);
    // Refused by the browser's own store, whichever path (direct or Dexie) the save takes.
    const spy = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementationOnce(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await expect(
      appendEvent(runId, ev.complete('b', { note: 'lost?' }), db),
    ).rejects.toBeInstanceOf(StorageFullError);
    spy.mockRestore();
    const run = await db.runs.get(runId);
    expect(run?.head.seq).toBe(1);
    expect(run?.snapshot.context.steps.a?.evidence).toEqual({ note: 'kept' });
    expect(run?.snapshot.context.steps.b).toBeUndefined();
    await expectSnapshotEqualsReplay(db, runId);
  });

  it('deletes a record with its events and files', async () => {
    const db = freshDatabase();
    const { runId } = await newRun(db);
    const other = await newRun(db);
    await appendEvent(runId, ev.save('a', {}), db);
    await appendEvent(other.runId, ev.save('a', {}), db);
    await deleteRun(runId, db);
    expect(await db.runs.get(runId)).toBeUndefined();
    expect((await runEvents(db, runId)).length).toBe(0);
    expect((await runEvents(db, other.runId)).length).toBe(1);
  });

  it('is checked for an error type the UI can name', () => {
    expect(new ActionRejectedError({ code: 'step-locked', message: 'm' }).rejection.code).toBe(
      'step-locked',
    );
  });
});

describe('file evidence', () => {
  const fields = fixture('field-types');
  const fileChecklist = { definition: fields.definition, contentHash: fields.contentHash };

  it('stores the blob with its SHA-256 and size, with the draft that lists it', async () => {
    const db = freshDatabase();
    const { runId } = await createRun(
      { organisation: { name: 'T' }, checklist: fileChecklist, actor: 'Sam' },
      db,
    );
    const file = new File(['hello'], 'scan.txt', { type: 'text/plain' });
    const ref = await attachFile(
      {
        runId,
        stepId: 'everything',
        fieldId: 'files',
        file,
        actor: 'Sam',
        files: [],
        base: {},
        maxFiles: 2,
      },
      db,
    );
    expect(ref).toMatchObject({
      name: 'scan.txt',
      size: 5,
      type: 'text/plain',
      sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    });
    const row = await db.files.get(ref.id);
    expect(row).toMatchObject({
      runId,
      stepId: 'everything',
      fieldId: 'files',
      sha256: ref.sha256,
    });
    const run = await db.runs.get(runId);
    expect(run?.snapshot.context.steps.everything?.draft).toEqual({ files: [ref] });
  });

  it('refuses an empty file, an oversized file and one too many, storing nothing', async () => {
    const db = freshDatabase();
    const { runId } = await createRun(
      { organisation: { name: 'T' }, checklist: fileChecklist, actor: 'Sam' },
      db,
    );
    const base = {
      runId,
      stepId: 'everything',
      fieldId: 'files',
      actor: 'Sam',
      files: [],
      base: {},
      maxFiles: 1,
    };
    await expect(attachFile({ ...base, file: new File([], 'empty.txt') }, db)).rejects.toThrow(
      '“empty.txt” is empty',
    );
    const big = new File(['x'], 'big.iso');
    Object.defineProperty(big, 'size', { value: maxFileBytes + 1 });
    await expect(attachFile({ ...base, file: big }, db)).rejects.toBeInstanceOf(FileRejectedError);
    const ref = { id: 'x', name: 'a', size: 1, type: '', sha256: 'a'.repeat(64) };
    await expect(
      attachFile({ ...base, files: [ref], file: new File(['y'], 'y.txt') }, db),
    ).rejects.toThrow('You can attach up to 1 files here');
    expect(await db.files.count()).toBe(0);
    expect(await countEvents(db)).toBe(0);
  });
});
