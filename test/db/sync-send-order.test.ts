// The order the outbox sends documents in, which is the order other laptops pull them in:
// checklists first, then record by record (organisation records first) the header and its events
// in order, then the other parts. A pulled batch then holds whole records.
import { describe, expect, it } from 'vitest';
import { sortForSending } from '../../src/db/syncOutbox.ts';
import { eventToDoc, runToDoc } from '../../src/sync/couchDocs.ts';
import type { SyncDoc } from '../../src/sync/partDocs.ts';
import { chain, header } from '../../scripts/lib/syncSample.ts';

const asDoc = (d: object | undefined): SyncDoc => {
  if (!d) throw new Error('missing document');
  return d as unknown as SyncDoc;
};

describe('sortForSending', () => {
  it('sends each record whole, header first, organisation records before devices', () => {
    const a = header('device-a');
    const b = header('device-b');
    const org = { ...header('org-z'), kind: 'organisation' as const };
    const eventsA = chain(a, 3).map(eventToDoc);
    const eventsB = chain(b, 3).map(eventToDoc);
    const eventsOrg = chain(org, 2).map(eventToDoc);
    const checklist = asDoc({ _id: 'checklist:x', _rev: '1-x', type: 'checklist' });
    const device = asDoc({ _id: 'device:org-z:y', _rev: '1-y', type: 'device' });
    // As a database might hand them over: by kind, and every record's nth event together.
    const docs = [
      device,
      runToDoc(b),
      runToDoc(a),
      runToDoc(org),
      eventsB[2],
      eventsA[2],
      eventsOrg[1],
      eventsA[0],
      eventsB[0],
      eventsOrg[0],
      eventsB[1],
      eventsA[1],
      checklist,
    ].map(asDoc);
    const ids = sortForSending(docs).map((d) => d._id);
    expect(ids).toEqual([
      'checklist:x',
      'run:org-z',
      ...eventsOrg.map((e) => e._id),
      'run:device-a',
      ...eventsA.map((e) => e._id),
      'run:device-b',
      ...eventsB.map((e) => e._id),
      'device:org-z:y',
    ]);
  });

  it('keeps the events of a record whose header went earlier together and in order', () => {
    const a = header('device-a');
    const events = chain(a, 4).map(eventToDoc);
    const docs = [events[3], events[1], events[0], events[2]].map(asDoc);
    expect(sortForSending(docs).map((d) => d._id)).toEqual(events.map((e) => e._id));
  });
});
