// Events and run headers map to CouchDB documents whose id and revision derive from their hash,
// and a pulled document is accepted only when its content still matches that hash.
import { describe, expect, it } from 'vitest';
import {
  docToEvent,
  docToRun,
  eventToDoc,
  revisionFor,
  runToDoc,
} from '../../../src/sync/couchDocs.ts';
import { chain, header } from '../../../scripts/lib/syncSample.ts';

const run = header('run-1');
const [entry] = chain(run, 1);
if (!entry) throw new Error('no event');

describe('event documents', () => {
  it('derive id and revision from the hash, the same on every laptop', () => {
    const doc = eventToDoc(entry);
    expect(doc._id).toBe(`event:run-1:${entry.hash}`);
    expect(doc._rev).toBe(`1-${entry.hash.slice(0, 32)}`);
    expect(eventToDoc(structuredClone(entry))).toEqual(doc);
  });

  it('read back to the same entry', () => {
    expect(docToEvent(JSON.parse(JSON.stringify(eventToDoc(entry))))).toEqual({
      ok: true,
      value: entry,
    });
  });

  it('are refused when altered, misnamed or not events', () => {
    const doc = eventToDoc(entry);
    const altered = { ...doc, event: { ...doc.event, actor: { name: 'Mallory' } } };
    expect(docToEvent(altered)).toMatchObject({ ok: false, reason: /altered/ });
    expect(docToEvent({ ...doc, seq: 2 })).toMatchObject({ ok: false, reason: /altered/ });
    expect(docToEvent({ ...doc, _id: 'event:run-1:' + 'b'.repeat(64) })).toMatchObject({
      ok: false,
      reason: /id does not match/,
    });
    expect(docToEvent({ ...doc, event: { type: 'format.disk' } })).toMatchObject({
      ok: false,
      reason: /action is not one/,
    });
    expect(docToEvent({ ...doc, type: 'run' })).toMatchObject({
      ok: false,
      reason: /not an event/,
    });
    expect(docToEvent('text')).toMatchObject({ ok: false, id: '(a document without an id)' });
  });

  it('refuse a revision for something that is not a content hash', () => {
    expect(() => revisionFor('abc')).toThrow(/64/);
  });
});

describe('run documents', () => {
  it('carry the header and its genesis hash', () => {
    const doc = runToDoc(run);
    expect(doc._id).toBe('run:run-1');
    expect(docToRun(JSON.parse(JSON.stringify(doc)))).toEqual({ ok: true, value: run });
  });

  it('are refused when the header was changed', () => {
    const doc = runToDoc(run);
    const changed = { ...doc, header: { ...doc.header, createdBy: 'Mallory' } };
    expect(docToRun(changed)).toMatchObject({ ok: false, reason: /altered/ });
    expect(docToRun({ ...doc, _id: 'run:other' })).toMatchObject({
      ok: false,
      reason: /does not match the record/,
    });
  });
});
