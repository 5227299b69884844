import { describe, expect, it } from 'vitest';
import type { RunHeader } from '../../src/run/header.ts';
import { genesisHash, nextEntry, verifyChain, type LogEntry } from '../../src/run/log.ts';
import { ev } from '../helpers/checklists.ts';

const header: RunHeader = {
  runId: 'run-1',
  kind: 'organisation',
  organisation: { name: 'Kettering General Hospital', odsCode: 'RNQ' },
  checklist: { id: 'x', version: '1.0.0', contentHash: 'a'.repeat(64) },
  createdAt: '2017-05-15T09:00:00.000Z',
  createdBy: 'Sam',
};

function chain(n: number): LogEntry[] {
  const entries: LogEntry[] = [];
  for (let i = 0; i < n; i++)
    entries.push(nextEntry(header, entries[entries.length - 1], ev.save('a', { i })));
  return entries;
}

describe('hash chain', () => {
  it('is intact as written, and its head is the last hash', () => {
    const entries = chain(5);
    expect(verifyChain(header, entries)).toEqual({
      intact: true,
      head: entries[4]?.hash,
      length: 5,
    });
    expect(verifyChain(header, [])).toEqual({ intact: true, head: genesisHash(header), length: 0 });
  });

  it('names the first altered event', () => {
    const entries = chain(5);
    const altered = entries.map((e) =>
      e.seq === 3 ? { ...e, event: { ...e.event, actor: { name: 'Mallory' } } } : e,
    );
    expect(verifyChain(header, altered)).toMatchObject({
      intact: false,
      brokenAt: 3,
      reason: 'event 3 has been altered',
    });
  });

  it('notices a removed event and a reordering', () => {
    const entries = chain(5);
    expect(
      verifyChain(
        header,
        entries.filter((e) => e.seq !== 2),
      ),
    ).toMatchObject({ intact: false, brokenAt: 2 });
    const swapped = [entries[0], entries[2], entries[1], entries[3]].filter(
      (e): e is LogEntry => e !== undefined,
    );
    expect(verifyChain(header, swapped)).toMatchObject({ intact: false, brokenAt: 2 });
  });

  it('notices an event re-hashed after being changed (the next link breaks)', () => {
    const entries = chain(4);
    const forged = nextEntry(header, entries[0], ev.save('a', { forged: true }));
    const list = [entries[0], forged, entries[2], entries[3]].filter(
      (e): e is LogEntry => e !== undefined,
    );
    expect(verifyChain(header, list)).toMatchObject({ intact: false, brokenAt: 3 });
  });

  it('notices a changed header (organisation renamed after the fact)', () => {
    const entries = chain(2);
    const renamed = { ...header, organisation: { name: 'Another Trust' } };
    expect(verifyChain(renamed, entries)).toMatchObject({
      intact: false,
      brokenAt: 1,
      reason: 'the record’s details (organisation, checklist or start) have been altered',
    });
  });

  it('rejects an event from another record', () => {
    const other = nextEntry({ ...header, runId: 'run-2' }, undefined, ev.save('a'));
    expect(verifyChain(header, [other])).toMatchObject({ intact: false, brokenAt: 1 });
  });
});
