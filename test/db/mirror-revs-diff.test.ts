// The mirror's one-read revsDiff gives PouchDB's own answer for every shape of document a
// replication asks about: absent, the same single revision, another revision, deleted, several
// revisions asked, and a document with a conflict. Both ways it reads are checked: the whole
// mirror (asked about more ids than it holds documents) and a lookup per id.
import { describe, expect, it } from 'vitest';
import { mirrorRevsDiff } from '../../src/sync/mirrorAccess.ts';
import { pouch } from './pouchHelpers.ts';

const rev = (n: number, tag: string) => `${String(n)}-${tag.padEnd(32, '0')}`;

describe('the mirror’s revsDiff', () => {
  it('answers as PouchDB’s revsDiff does, in one read for the common case', async () => {
    const mirror = pouch('mirror');
    const docs = [
      { _id: 'event:same', _rev: rev(1, 'a'), body: 1 },
      { _id: 'event:other', _rev: rev(1, 'b'), body: 2 },
      { _id: 'header:gone', _rev: rev(1, 'c'), body: 3 },
      { _id: 'header:two', _rev: rev(1, 'd'), body: 4 },
      { _id: 'inventory:conflict', _rev: rev(1, 'e'), body: 5 },
      { _id: 'inventory:conflict', _rev: rev(1, 'f'), body: 6 },
    ];
    await mirror.bulkDocs(docs, { new_edits: false });
    const gone = await mirror.get('header:gone');
    await mirror.put({ ...gone, _deleted: true });
    const latest = await mirror.get('header:two');
    await mirror.put({ ...latest, body: 5 });
    const asked: Record<string, string[]> = {
      'event:same': [rev(1, 'a')],
      'event:other': [rev(1, 'x')],
      'event:absent': [rev(1, 'y')],
      'header:gone': [rev(1, 'c')],
      'header:two': [rev(1, 'd'), rev(2, 'z')],
      'inventory:conflict': [rev(1, 'e')],
      'inventory:conflict-absent': [rev(1, 'e'), rev(1, 'f')],
    };
    const missing = (d: Record<string, { missing: string[] }>) =>
      Object.fromEntries(
        Object.entries(d)
          .map(([id, e]) => [id, [...e.missing].sort()] as const)
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    const check = async () => {
      const ours = await mirrorRevsDiff(mirror, asked);
      expect(missing(ours)).toEqual(missing(await mirror.revsDiff(asked)));
      // And what that answer is, so the comparison cannot pass by both being empty.
      expect(missing(ours)).toEqual({
        'event:absent': [rev(1, 'y')],
        'event:other': [rev(1, 'x')],
        'header:two': [rev(2, 'z')],
        'inventory:conflict-absent': [rev(1, 'e'), rev(1, 'f')],
      });
    };
    // 4 live documents, 7 ids asked: the mirror is read whole.
    expect((await mirror.info()).doc_count).toBeLessThan(Object.keys(asked).length);
    await check();
    // More documents than ids asked: each id is looked up.
    await mirror.bulkDocs(
      Array.from({ length: 10 }, (_, i) => ({ _id: `device:${String(i)}`, _rev: rev(1, 'g') })),
      { new_edits: false },
    );
    expect((await mirror.info()).doc_count).toBeGreaterThanOrEqual(Object.keys(asked).length);
    await check();
    expect(await mirrorRevsDiff(mirror, {})).toEqual({});
  });
});
