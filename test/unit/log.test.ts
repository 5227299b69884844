import { describe, expect, it } from 'vitest';
import { nextEntry, verifyChain, type LogEntry } from '../../src/run/log.ts';
import { ev } from '../helpers/checklists.ts';

function chain(n: number): LogEntry[] {
  const entries: LogEntry[] = [];
  for (let i = 0; i < n; i++)
    entries.push(nextEntry('run-1', entries[entries.length - 1], ev.save('a', { i })));
  return entries;
}

describe('hash chain', () => {
  it('is intact as written, and its head is the last hash', () => {
    const entries = chain(5);
    expect(verifyChain('run-1', entries)).toEqual({
      intact: true,
      head: entries[4]?.hash,
      length: 5,
    });
  });

  it('names the first altered event', () => {
    const entries = chain(5);
    const altered = entries.map((e) =>
      e.seq === 3 ? { ...e, event: { ...e.event, actor: { name: 'Mallory' } } } : e,
    );
    expect(verifyChain('run-1', altered)).toMatchObject({ intact: false, brokenAt: 3 });
  });

  it('notices a removed event and a reordering', () => {
    const entries = chain(5);
    expect(
      verifyChain(
        'run-1',
        entries.filter((e) => e.seq !== 2),
      ),
    ).toMatchObject({ intact: false, brokenAt: 2 });
    const swapped = [entries[0], entries[2], entries[1], entries[3]].filter(
      (e): e is LogEntry => e !== undefined,
    );
    expect(verifyChain('run-1', swapped)).toMatchObject({ intact: false, brokenAt: 2 });
  });

  it('notices an event re-hashed after being changed (the next link breaks)', () => {
    const entries = chain(4);
    const second = entries[1];
    if (!second) throw new Error();
    const forged = nextEntry('run-1', entries[0], ev.save('a', { forged: true }));
    const list = [entries[0], { ...forged, seq: second.seq }, entries[2], entries[3]].filter(
      (e): e is LogEntry => e !== undefined,
    );
    expect(verifyChain('run-1', list)).toMatchObject({ intact: false, brokenAt: 3 });
  });

  it('rejects an event from another record', () => {
    const other = nextEntry('run-2', undefined, ev.save('a'));
    expect(verifyChain('run-1', [other])).toMatchObject({ intact: false, brokenAt: 1 });
  });
});
