// Bundles between devices through the one import door: a record handed over arrives whole; the
// same bundle twice changes nothing; a changed byte is refused with nothing written; two laptops'
// work merges as a union, and a run both extended is kept as a fork until a person resolves it.
import { describe, expect, it } from 'vitest';
import type { ReconnectDatabase } from '../../src/db/database.ts';
import { loadDevices, startClearance } from '../../src/db/devices.ts';
import { exportBundle, gatherParts, type ExportScope } from '../../src/db/exportBundle.ts';
import { BundleRefusedError, importBundle } from '../../src/db/importBundle.ts';
import { recordForks, resolveDeviceFork, resolveFork } from '../../src/db/merge.ts';
import { appendEvent, createRun, readAllEvents, readEvents } from '../../src/db/runs.ts';
import { verifyChain } from '../../src/run/log.ts';
import { headerOf } from '../../src/db/runs.ts';
import { attachFile } from '../../src/db/files.ts';
import { ev, fixture, shipped } from '../helpers/checklists.ts';
import { freshDatabase, importCsv } from './helpers.ts';
import { allEvents, countEvents } from '../../src/db/eventStore.ts';

const org = fixture('prerequisites');
const device = shipped('device-clearance');
const deviceChecklist = { definition: device.definition, contentHash: device.contentHash };

const who = (person: string) => ({ person, deviceName: `${person}’s laptop` });

async function exportFrom(db: ReconnectDatabase, scope: ExportScope, person = 'Sam') {
  return (await exportBundle(scope, who(person), db)).text;
}

async function snapshotOf(db: ReconnectDatabase) {
  const byHash = (a: { hash: string }, b: { hash: string }) => a.hash.localeCompare(b.hash);
  return {
    runs: (await db.runs.toArray()).sort((a, b) => a.runId.localeCompare(b.runId)),
    events: (await allEvents(db)).sort(byHash),
    inventories: await db.inventories.toArray(),
    deviceStates: (await db.deviceStates.toArray()).sort((a, b) =>
      a.deviceId.localeCompare(b.deviceId),
    ),
    files: (await db.files.toArray()).map(({ blob: _b, ...f }) => f),
    approvers: await db.approvers.toArray(),
    resolutions: await db.resolutions.toArray(),
  };
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
  await importCsv(db, run.runId, 'Hostname,Ward\nPC1,Ward 3\nPC2,Ward 4\nPC3,Ward 5\n');
  return run.runId;
}

async function clear(db: ReconnectDatabase, orgRunId: string, hostname: string, actor: string) {
  const d = (await loadDevices(orgRunId, db)).find((x) => x.hostname === hostname);
  if (!d) throw new Error(hostname);
  return startClearance(d, deviceChecklist, actor, db);
}

describe('a record handed to another device', () => {
  it('arrives whole: events, run rows, inventory, device runs and files', async () => {
    const a = freshDatabase();
    const runId = await startedRecord(a);
    await clear(a, runId, 'PC1', 'Sam');
    await attachFile(
      {
        runId,
        stepId: 'b',
        fieldId: 'note',
        file: new File(['scan output'], 'scan.txt', { type: 'text/plain' }),
        actor: 'Sam',
        files: [],
        base: {},
        maxFiles: 5,
      },
      a,
    );
    const text = await exportFrom(a, { kind: 'handoff', orgRunId: runId });

    const b = freshDatabase();
    const result = await importBundle(text, { db: b });
    expect(result.summary.newRuns).toBe(2);
    const [before, after] = [await snapshotOf(a), await snapshotOf(b)];
    expect(after.events).toEqual(before.events);
    expect(after.runs).toEqual(before.runs);
    expect(after.inventories).toEqual(before.inventories);
    expect(after.deviceStates).toEqual(before.deviceStates);
    expect(before.files).toHaveLength(1);
    expect(after.files).toEqual(before.files);
    const blob = (await b.files.toArray())[0]?.blob;
    expect(await blob?.text()).toBe('scan output');
    expect(await b.exchanges.count()).toBe(1);
  });

  it('imported twice changes nothing the second time', async () => {
    const a = freshDatabase();
    const runId = await startedRecord(a);
    await clear(a, runId, 'PC1', 'Sam');
    const text = await exportFrom(a, { kind: 'handoff', orgRunId: runId });
    const b = freshDatabase();
    await importBundle(text, { db: b });
    const first = await snapshotOf(b);
    const again = await importBundle(text, { db: b });
    expect(again.summary).toMatchObject({ newRuns: 0, newEvents: 0, updatedRuns: 0 });
    expect(await snapshotOf(b)).toEqual(first);
  });

  it('with one byte changed is refused, naming the part, and nothing is written', async () => {
    const a = freshDatabase();
    const runId = await startedRecord(a);
    const text = await exportFrom(a, { kind: 'handoff', orgRunId: runId });
    const b = freshDatabase();
    const other = await startedRecord(b);
    const before = await snapshotOf(b);
    const at = text.indexOf('first-answer');
    const tampered = `${text.slice(0, at + 1)}F${text.slice(at + 2)}`;
    await expect(importBundle(tampered, { db: b })).rejects.toThrow(
      /events part has been changed since the bundle was made/,
    );
    await expect(importBundle(text.slice(0, text.length / 2), { db: b })).rejects.toThrow(
      /not a whole JSON document/,
    );
    await expect(importBundle('{"hello":1}', { db: b })).rejects.toThrow(BundleRefusedError);
    expect(await snapshotOf(b)).toEqual(before);
    expect(other).toBeTruthy();
  });
});

describe('a file previewed, then imported', () => {
  it('imports what the preview showed, as an import without a preview does', async () => {
    const a = freshDatabase();
    const runId = await startedRecord(a);
    await clear(a, runId, 'PC1', 'Sam');
    const text = await exportFrom(a, { kind: 'handoff', orgRunId: runId });
    const [b, c] = [freshDatabase(), freshDatabase()];
    const preview = await importBundle(text, { db: b, preview: true });
    expect(await countEvents(b)).toBe(0);
    const result = await importBundle(text, { db: b });
    expect(result.summary).toEqual(preview.summary);
    await importBundle(text, { db: c });
    const [viaPreview, direct] = [await snapshotOf(b), await snapshotOf(c)];
    expect(viaPreview).toEqual(direct);
    expect(viaPreview.events).toEqual((await snapshotOf(a)).events);
  });

  it('plans again when this device changed between the preview and the import', async () => {
    const a = freshDatabase();
    const runId = await startedRecord(a);
    const first = await exportFrom(a, { kind: 'handoff', orgRunId: runId });
    await clear(a, runId, 'PC1', 'Sam');
    const later = await exportFrom(a, { kind: 'handoff', orgRunId: runId });
    const b = freshDatabase();
    const preview = await importBundle(first, { db: b, preview: true });
    expect(preview.summary).toMatchObject({ newRuns: 1, newEvents: 1 });
    // Meanwhile the same record, further on, arrives by another file (or sync).
    await importBundle(later, { db: b });
    const result = await importBundle(first, { db: b });
    expect(result.summary).toMatchObject({ newRuns: 0, newEvents: 0, unchangedRuns: 1 });
    const c = freshDatabase();
    await importBundle(later, { db: c });
    expect(await snapshotOf(b)).toEqual(await snapshotOf(c));
    expect((await b.runs.get(runId))?.head).toEqual((await a.runs.get(runId))?.head);
    expect(await b.exchanges.count()).toBe(2);
  });

  it('checks a file other than the one previewed in full: a changed byte is refused', async () => {
    const a = freshDatabase();
    const runId = await startedRecord(a);
    const text = await exportFrom(a, { kind: 'handoff', orgRunId: runId });
    const b = freshDatabase();
    await importBundle(text, { db: b, preview: true });
    const at = text.indexOf('first-answer');
    const tampered = `${text.slice(0, at + 1)}F${text.slice(at + 2)}`;
    await expect(importBundle(tampered, { db: b })).rejects.toThrow(
      /events part has been changed since the bundle was made/,
    );
    expect(await b.runs.count()).toBe(0);
    expect(await countEvents(b)).toBe(0);
  });
});

describe('an export made while someone saves', () => {
  it('lists heads that match the events it carries, every time', async () => {
    const db = freshDatabase();
    const runId = await startedRecord(db);
    const progress = { saving: true };
    const saves = (async () => {
      for (let i = 0; i < 15; i++)
        await appendEvent(runId, ev.save('a', { note: `answer ${String(i)}` }), db);
      progress.saving = false;
    })();
    let exports = 0;
    while (progress.saving || exports === 0) {
      const { parts, heads } = await gatherParts({ kind: 'handoff', orgRunId: runId }, db);
      exports += 1;
      for (const head of heads) {
        const events = parts.events.filter((e) => e.runId === head.runId);
        expect(Math.max(0, ...events.map((e) => e.seq))).toBe(head.seq);
        expect(events.find((e) => e.seq === head.seq)?.hash ?? '').toBe(head.hash);
      }
    }
    await saves;
    expect(exports).toBeGreaterThan(1);
  });
});

describe('two laptops working on one record', () => {
  it('merges their devices as a union and keeps both versions of the organisation run', async () => {
    const coordinator = freshDatabase();
    const runId = await startedRecord(coordinator);
    const start = await exportFrom(coordinator, { kind: 'handoff', orgRunId: runId }, 'Cat');
    const [one, two] = [freshDatabase(), freshDatabase()];
    await importBundle(start, { db: one });
    await importBundle(start, { db: two });

    // Each clears a different device, and both answer step b differently from the same point.
    await clear(one, runId, 'PC1', 'Ann');
    await clear(two, runId, 'PC2', 'Ben');
    await appendEvent(
      runId,
      { ...ev.complete('a', { note: 'from Ann' }), actor: { name: 'Ann' } },
      one,
    );
    await appendEvent(
      runId,
      { ...ev.complete('b', { note: 'from Ben' }), actor: { name: 'Ben' } },
      two,
    );

    const r1 = await importBundle(
      await exportFrom(one, { kind: 'handoff', orgRunId: runId }, 'Ann'),
      {
        db: coordinator,
      },
    );
    expect(r1.summary.forks).toEqual([]);
    const r2 = await importBundle(
      await exportFrom(two, { kind: 'handoff', orgRunId: runId }, 'Ben'),
      {
        db: coordinator,
      },
    );
    expect(r2.summary.forks).toEqual([{ runId, kind: 'organisation' }]);

    const devices = await loadDevices(runId, coordinator);
    expect(
      devices
        .filter((d) => d.clearanceRunId)
        .map((d) => d.hostname)
        .sort(),
    ).toEqual(['PC1', 'PC2']);
    const forks = await recordForks(runId, coordinator);
    expect(forks.runForks).toHaveLength(1);
    const fork = forks.runForks[0];
    if (!fork) throw new Error('no fork');
    expect(fork.sinceSeq).toBe(1);
    expect(fork.current.events.map((e) => e.event.actor.name)).toEqual(['Ann']);
    expect(fork.other.events.map((e) => e.event.actor.name)).toEqual(['Ben']);
    expect(fork.otherFrom?.device.name).toBe('Ben’s laptop');

    // Resolve: keep Ann's, replay Ben's on top. Nothing is lost or deleted.
    const outcome = await resolveFork(
      { runId, keepHead: fork.current.head.hash, abandonHead: fork.other.head.hash, actor: 'Cat' },
      coordinator,
    );
    expect(outcome).toEqual({ replayed: 1, refused: [] });
    const run = await coordinator.runs.get(runId);
    expect(run?.snapshot.context.steps.a?.evidence).toEqual({ note: 'from Ann' });
    expect(run?.snapshot.context.steps.b?.evidence).toEqual({ note: 'from Ben' });
    const shown = await readEvents(runId, coordinator);
    expect(
      verifyChain(headerOf(run ?? (await Promise.reject(new Error('no run')))), shown).intact,
    ).toBe(true);
    expect(shown.at(-1)?.event.replayedFrom?.hash).toBe(fork.other.head.hash);
    expect(await readAllEvents(runId, coordinator)).toHaveLength(shown.length + 1);
    expect((await recordForks(runId, coordinator)).runForks).toEqual([]);

    // The resolution travels: a laptop that still has the fork sees it settled after import.
    await importBundle(await exportFrom(coordinator, { kind: 'handoff', orgRunId: runId }, 'Cat'), {
      db: two,
    });
    expect((await recordForks(runId, two)).runForks).toEqual([]);
    expect((await two.runs.get(runId))?.head).toEqual(run?.head);
  });

  it('flags one device started on two laptops, and resolves it by replaying one run on the other', async () => {
    const coordinator = freshDatabase();
    const runId = await startedRecord(coordinator);
    const start = await exportFrom(coordinator, { kind: 'handoff', orgRunId: runId }, 'Cat');
    const [one, two] = [freshDatabase(), freshDatabase()];
    await importBundle(start, { db: one });
    await importBundle(start, { db: two });
    const runOne = await clear(one, runId, 'PC3', 'Ann');
    const runTwo = await clear(two, runId, 'PC3', 'Ben');
    await importBundle(await exportFrom(one, { kind: 'handoff', orgRunId: runId }, 'Ann'), {
      db: coordinator,
    });
    const r = await importBundle(
      await exportFrom(two, { kind: 'handoff', orgRunId: runId }, 'Ben'),
      {
        db: coordinator,
      },
    );
    expect(r.summary.deviceForks).toHaveLength(1);
    const forks = await recordForks(runId, coordinator);
    expect(forks.deviceForks.map((f) => [f.current.runId, f.other.runId])).toEqual([
      [runOne, runTwo],
    ]);
    const outcome = await resolveDeviceFork(
      { keepRunId: runOne, abandonRunId: runTwo, actor: 'Cat' },
      coordinator,
    );
    expect(outcome.replayed).toBe(1);
    expect((await recordForks(runId, coordinator)).deviceForks).toEqual([]);
    expect(await coordinator.runs.get(runTwo)).toBeDefined();
  });
});

describe('backup and restore', () => {
  it('gives back every record on an empty device, event for event', async () => {
    const a = freshDatabase();
    const runId = await startedRecord(a);
    await clear(a, runId, 'PC1', 'Sam');
    await a.settings.put({ key: 'who', value: { name: 'Sam' } });
    const text = await exportFrom(a, { kind: 'backup', includeWrappedKeys: false });
    const b = freshDatabase();
    await importBundle(text, { db: b });
    const [before, after] = [await snapshotOf(a), await snapshotOf(b)];
    expect(after.runs).toEqual(before.runs);
    expect(after.events).toEqual(before.events);
    expect(after.inventories).toEqual(before.inventories);
    expect((await b.settings.get('who'))?.value).toEqual({ name: 'Sam' });
    // This device's own signing key never travels.
    expect(text).not.toContain('device-signing-key');
  });
});
