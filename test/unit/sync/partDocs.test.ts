// Every part of a record becomes a document written once, named and revised by its content
// hash; reading documents back gives the same parts, and refuses — one by one, with a reason —
// a document that was altered, misnamed, edited or is not of a kind the app writes.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/checklist/canonical.ts';
import { encodeBase64 } from '../../../src/exchange/bundle.ts';
import { emptyParts, type Parts } from '../../../src/exchange/format.ts';
import { createApproverKey } from '../../../src/record/keys.ts';
import { docsToParts, partsToDocs, type SyncDoc } from '../../../src/sync/partDocs.ts';
import { chain, header } from '../../../scripts/lib/syncSample.ts';

const run = header('run-1');
const events = chain(run, 3);
const bytes = new TextEncoder().encode('scan report: no infection found\n');
const sha = sha256Hex(bytes);

async function sampleParts(): Promise<Parts> {
  const parts = emptyParts();
  parts.runs = [run];
  parts.events = events;
  parts.checklists = [{ contentHash: 'c'.repeat(64), definition: { id: 'x', version: '1.0.0' } }];
  parts.inventories = [
    {
      orgRunId: 'org-run',
      updatedAt: '2017-05-15T09:00:00.000Z',
      devices: ['PC-1', 'PC-2'].map((hostname) => ({
        id: `device-${hostname}`,
        key: `hostname:${hostname.toLowerCase()}`,
        hostname,
        assetTag: `A-${hostname}`,
        osRow: 'windows-7-sp1',
        osBecause: 'Windows 7 SP1',
        source: {
          file: 'ad.csv',
          line: 2,
          importedAt: '2017-05-15T09:00:00.000Z',
          importedBy: 'Sam Patel',
        },
      })),
    },
  ];
  parts.files = [
    {
      id: 'file-1',
      runId: 'run-1',
      stepId: 'scan',
      fieldId: 'report',
      name: 'scan.txt',
      type: 'text/plain',
      size: bytes.length,
      sha256: sha,
      addedAt: '2017-05-15T09:10:00.000Z',
      addedBy: 'Sam Patel',
    },
  ];
  parts.blobs = [{ sha256: sha, base64: encodeBase64(bytes) }];
  const approver = await createApproverKey({
    name: 'Dr Alison Hart',
    role: 'SIRO',
    passphrase: 'a long passphrase here',
  });
  parts.approvers = [{ ...approver, roles: ['siro'] }];
  parts.settings = [{ key: 'last-backup', value: 'setting-never-sent' }];
  return parts;
}

const roundTrip = (docs: SyncDoc[]) => JSON.parse(JSON.stringify(docs)) as unknown[];

describe('part documents', () => {
  it('read back to the same parts, leaving settings and private keys behind', async () => {
    const parts = await sampleParts();
    const docs = partsToDocs(parts);
    const ids = docs.map((d) => d._id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(`event:run-1:${events[0]?.hash ?? ''}`);
    expect(ids).toContain(`blob:${sha}`);
    for (const d of docs) expect(d._rev).toMatch(/^1-[0-9a-f]{32}$/);
    expect(JSON.stringify(docs)).not.toContain('"wrapped"');
    expect(JSON.stringify(docs)).not.toContain('setting-never-sent');

    const { parts: back, refused } = docsToParts(roundTrip(docs));
    expect(refused).toEqual([]);
    expect(back.runs).toEqual(parts.runs);
    expect(back.events).toEqual(parts.events);
    expect(back.checklists).toEqual(parts.checklists);
    expect(back.inventories).toEqual(parts.inventories);
    expect(back.files).toEqual(parts.files);
    expect(back.blobs).toEqual(parts.blobs);
    expect(back.approvers).toHaveLength(1);
    expect(back.approvers[0]).not.toHaveProperty('wrapped');
    expect(back.approvers[0]?.roles).toEqual(['siro']);
    expect(back.settings).toEqual([]);
  });

  it('are the same documents whichever laptop makes them', async () => {
    const parts = await sampleParts();
    expect(partsToDocs(structuredClone(parts))).toEqual(partsToDocs(parts));
  });

  it('refuse, one by one, what was altered, misnamed, edited or foreign', async () => {
    const docs = roundTrip(partsToDocs(await sampleParts())) as Record<string, unknown>[];
    const find = (type: string) => {
      const d = docs.find((x) => x.type === type);
      if (!d) throw new Error(`no ${type} document`);
      return d;
    };
    const device = find('device');
    const item = device.item as { device: Record<string, unknown> };
    const alteredDevice = {
      ...device,
      item: { ...item, device: { ...item.device, hostname: 'X' } },
    };
    const blob = find('blob');
    const alteredBlob = {
      ...blob,
      item: { ...(blob.item as object), base64: encodeBase64(new TextEncoder().encode('forged')) },
    };
    const file = find('file');
    const editedFile = { ...file, _rev: '2-' + 'f'.repeat(32) };
    const misnamed = { ...find('approver'), _id: 'approver:' + 'd'.repeat(64) };
    const foreign = { _id: 'note:1', _rev: '1-x', type: 'note', text: 'hello' };
    const { parts, refused } = docsToParts([
      ...docs.filter((d) => d.type === 'run' || d.type === 'event'),
      alteredDevice,
      alteredBlob,
      editedFile,
      misnamed,
      foreign,
    ]);
    expect(parts.events).toHaveLength(3);
    expect(parts.inventories).toEqual([]);
    expect(parts.blobs).toEqual([]);
    expect(parts.files).toEqual([]);
    expect(parts.approvers).toEqual([]);
    expect(refused).toEqual([
      { id: device._id, reason: expect.stringMatching(/altered/) as unknown },
      { id: blob._id, reason: expect.stringMatching(/file was altered/) as unknown },
      { id: file._id, reason: expect.stringMatching(/edited/) as unknown },
      { id: misnamed._id, reason: expect.stringMatching(/id does not match/) as unknown },
      { id: 'note:1', reason: expect.stringMatching(/not a kind/) as unknown },
    ]);
  });
});
