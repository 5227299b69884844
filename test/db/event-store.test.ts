// The event store: events kept in packs of one branch each, read back as a flat list in order,
// found by hash, and forks (two branches sharing a place) told apart from a run of many packs.
import { describe, expect, it } from 'vitest';
import {
  addEvent,
  addEvents,
  allEvents,
  countEvents,
  deleteRunEvents,
  eventKeys,
  eventsByHash,
  forkedRuns,
  packsOf,
  runEvents,
} from '../../src/db/eventStore.ts';
import type { LogEntry } from '../../src/run/log.ts';
import { freshDatabase } from './helpers.ts';

function chain(runId: string, from: number, to: number, prev: string, tag: string): LogEntry[] {
  const out: LogEntry[] = [];
  for (let seq = from; seq <= to; seq++) {
    const hash = `${runId}-${tag}-${String(seq).padStart(3, '0')}`;
    out.push({
      runId,
      seq,
      event: { type: 'step.save', stepId: 'a', changes: { n: seq } },
      prevHash: prev,
      hash,
    } as unknown as LogEntry);
    prev = hash;
  }
  return out;
}

describe('event packs', () => {
  it('cuts new events into one pack per branch of each run, in any order given', () => {
    const main = chain('r', 1, 6, '', 'a');
    const branch = chain('r', 4, 5, 'r-a-003', 'b');
    const other = chain('s', 1, 2, '', 'a');
    const packs = packsOf([...other, ...branch, ...main].reverse());
    expect(packs.map((p) => [p.runId, p.first, p.last, p.hashes])).toEqual([
      ['r', 1, 6, main.map((e) => e.hash)],
      ['r', 4, 5, ['r-b-004', 'r-b-005']],
      ['s', 1, 2, ['s-a-001', 's-a-002']],
    ]);
    // Events that follow stored ones (not in the list) start a pack of their own.
    expect(packsOf(main.slice(3)).map((p) => [p.first, p.last])).toEqual([[4, 6]]);
  });

  it('reads a run of many packs back as one list in order, and finds any event', async () => {
    const db = freshDatabase();
    const events = chain('r', 1, 20, '', 'a');
    await addEvents(db, events.slice(0, 15)); // an import: one pack
    for (const e of events.slice(15)) await addEvent(db, e); // five saves: a pack each
    await addEvents(db, chain('s', 1, 3, '', 'a'));
    expect(await db.eventPacks.count()).toBe(7);
    expect(await runEvents(db, 'r')).toEqual(events);
    expect(await countEvents(db)).toBe(23);
    expect(await eventsByHash(db, ['r-a-007', 'r-a-018', 'x', 's-a-001'])).toEqual([
      events[6],
      events[17],
      undefined,
      expect.objectContaining({ hash: 's-a-001' }),
    ]);
    const keys = await eventKeys(db);
    expect(keys).toHaveLength(23);
    expect(keys).toContainEqual({ runId: 'r', hash: 'r-a-012' });
    expect(keys).toContainEqual({ runId: 's', hash: 's-a-003' });
    // Many packs one after another are not a fork.
    expect(await forkedRuns(db)).toEqual(new Set());
    // An event is stored once, whether alone or inside a pack.
    const [inPack, alone] = [events[9], events[16]];
    if (!inPack || !alone) throw new Error('unreachable');
    await expect(addEvent(db, inPack)).rejects.toThrow();
    await expect(addEvents(db, [alone])).rejects.toThrow();
    expect(await countEvents(db)).toBe(23);

    expect(await deleteRunEvents(db, 'r')).toBe(6);
    expect(await runEvents(db, 'r')).toEqual([]);
    expect((await allEvents(db)).map((e) => e.hash)).toEqual(['s-a-001', 's-a-002', 's-a-003']);
  });

  it('finds a fork wherever two branches share a place, and lists both', async () => {
    const db = freshDatabase();
    const main = chain('r', 1, 10, '', 'a');
    await addEvents(db, main.slice(0, 5));
    for (const e of main.slice(5)) await addEvent(db, e);
    expect(await forkedRuns(db)).toEqual(new Set());
    // Another device's branch from place 8, one save at a time.
    const branch = chain('r', 8, 9, 'r-a-007', 'b');
    await addEvents(db, branch.slice(0, 1));
    expect(await forkedRuns(db)).toEqual(new Set(['r']));
    await addEvents(db, branch.slice(1));
    const all = await runEvents(db, 'r');
    expect(all.map((e) => `${String(e.seq)}:${e.hash}`)).toEqual([
      ...main.slice(0, 7).map((e) => `${String(e.seq)}:${e.hash}`),
      '8:r-a-008',
      '8:r-b-008',
      '9:r-a-009',
      '9:r-b-009',
      '10:r-a-010',
    ]);
  });
});
