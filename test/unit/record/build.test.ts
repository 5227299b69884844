// Building the completion record from a run, in Node: what goes in, and what stops it.
import { describe, expect, it } from 'vitest';
import {
  buildCompletionRecord,
  RecordNotReadyError,
  type RecordSource,
} from '../../../src/record/build.ts';
import { readiness } from '../../../src/run/readiness.ts';
import type { RunHeader } from '../../../src/run/header.ts';
import type { MachineEvent } from '../../../src/checklist/events.ts';
import { applyEvent, initialRunState } from '../../../src/run/replay.ts';
import { ev, fixture, run } from '../../helpers/checklists.ts';

const c = fixture('risk-acceptance');
const header: RunHeader = {
  runId: 'run-1',
  kind: 'organisation',
  organisation: { name: 'Test Trust', odsCode: 'RNQ' },
  checklist: { id: c.definition.id, version: c.definition.version, contentHash: c.contentHash },
  createdAt: '2017-05-15T09:00:00.000Z',
  createdBy: 'Sam',
};
const signer = {
  name: 'Pat Manager',
  role: 'SIRO',
  keyFingerprint: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
};
const complete = [
  ev.risk('patch-all', 'MRI scanners isolated on VLAN 240', '2017-08-01'),
  ev.approve('patch-all'),
  ev.complete('go-ahead', { approver: { name: 'Jo Director', role: 'IT director' } }),
  ev.approve('go-ahead', 'IT director'),
];

function source(events = complete, devices: RecordSource['devices'] = []): RecordSource {
  return {
    recordId: '6c1f3a0e-1d8b-4a5e-9d0c-6f5a2b7e9c11',
    revision: { number: 1 },
    header,
    compiled: c,
    state: run(c, events),
    devices,
    auditLog: { events: events.length, headHash: 'a'.repeat(64) },
    decision: {
      outcome: 'approved',
      statement: 'Reconnect.',
      decidedAt: '2017-05-16T11:00:00.000Z',
    },
    signer,
    createdAt: '2017-05-16T11:00:00.000Z',
  };
}

describe('buildCompletionRecord', () => {
  it('lists every step with its outcome, answers as people read them, and the risk accepted', () => {
    const record = buildCompletionRecord(source());
    expect(record.steps.map((s) => [s.id, s.status])).toEqual([
      ['patch-all', 'risk-accepted'],
      ['go-ahead', 'completed'],
    ]);
    expect(record.steps[1]?.evidence).toEqual([
      {
        field: 'approver',
        label: 'Person giving the go-ahead',
        display: 'Jo Director, IT director',
        value: { name: 'Jo Director', role: 'IT director' },
      },
    ]);
    expect(record.exceptions).toEqual([
      {
        kind: 'step',
        subject: 'patch-all',
        reason: 'MRI scanners isolated on VLAN 240',
        approver: { name: 'Pat Manager', role: 'SIRO' },
        reviewDate: '2017-08-01',
      },
    ]);
    expect(record.checklist).toEqual({
      id: 'risk-acceptance',
      version: '1.0.0',
      contentHash: c.contentHash,
      title: 'Risk-acceptance fixture',
    });
    expect(record.organisation).toEqual({ name: 'Test Trust', odsCode: 'RNQ' });
  });

  it('counts the devices and lists each excepted one as an exception', () => {
    const record = buildCompletionRecord(
      source(complete, [
        { hostname: 'PC1', os: 'Windows 7 SP1', status: 'cleared' },
        {
          hostname: 'MRI1',
          assetTag: 'A9',
          os: 'Windows XP SP3',
          status: 'excepted',
          exception: {
            reason: 'Supplier-controlled',
            reviewDate: '2017-09-01',
            approver: { name: 'Pat', role: 'SIRO' },
          },
        },
        { hostname: 'PC2', os: 'Windows 7 SP1', status: 'cleared' },
      ]),
    );
    expect(record.devices.summary).toEqual({
      total: 3,
      cleared: 2,
      excepted: 1,
      outstanding: 0,
      byOs: [
        { os: 'Windows 7 SP1', count: 2 },
        { os: 'Windows XP SP3', count: 1 },
      ],
    });
    expect(record.exceptions.filter((x) => x.kind === 'device')).toEqual([
      {
        kind: 'device',
        subject: 'MRI1',
        reason: 'Supplier-controlled',
        reviewDate: '2017-09-01',
        approver: { name: 'Pat', role: 'SIRO' },
      },
    ]);
  });

  it('refuses an incomplete run, naming what is unresolved', () => {
    expect(() => buildCompletionRecord(source(complete.slice(0, 2)))).toThrow(RecordNotReadyError);
    expect(() => buildCompletionRecord(source(complete.slice(0, 2)))).toThrow(
      '“Go-ahead” is not resolved',
    );
  });
});

describe('a step resolved only by accepting the risk', () => {
  const r = fixture('risk-only');
  const events = [
    {
      ...ev.risk('exception', 'Cannot be patched', '2017-08-01'),
      evidence: { how: 'Own VLAN, SMB blocked', monitored: true },
    } as MachineEvent,
    ev.approve('exception'),
  ];

  it('keeps its answers with the risk accepted, in the record', () => {
    const record = buildCompletionRecord({
      ...source(),
      header: {
        ...header,
        checklist: { id: 'risk-only', version: '1.0.0', contentHash: r.contentHash },
      },
      compiled: r,
      state: run(r, events),
    });
    expect(record.steps[0]).toMatchObject({
      status: 'risk-accepted',
      reason: 'Cannot be patched',
      evidence: [
        { field: 'how', display: 'Own VLAN, SMB blocked' },
        { field: 'monitored', display: 'Yes' },
      ],
    });
  });

  it('is not sent for acceptance without them', () => {
    const attempt = applyEvent(r, initialRunState(r), ev.risk('exception', 'Cannot be patched'));
    expect(attempt.ok ? null : attempt.rejection).toMatchObject({
      code: 'evidence-invalid',
      issues: [{ field: 'how' }, { field: 'monitored' }],
    });
  });
});

describe('readiness', () => {
  const fleet = { total: 0, cleared: 0, excepted: 0, outstanding: 0 };
  it('is ready when every step is resolved, no device is outstanding and the log is intact', () => {
    expect(readiness(c, run(c, complete), fleet, { intact: true }).ready).toBe(true);
  });

  it('names each blocker', () => {
    const r = readiness(
      c,
      run(c, complete.slice(0, 3)),
      { total: 5, cleared: 3, excepted: 1, outstanding: 1 },
      { intact: false, problem: 'event 2 has been altered' },
    );
    expect(r.ready).toBe(false);
    expect(r.blockers).toEqual([
      {
        kind: 'step',
        stepId: 'go-ahead',
        message: '“Go-ahead” is waiting for an approver’s decision',
      },
      {
        kind: 'fleet',
        message: '1 of 5 devices are neither cleared nor isolated under an approved exception',
      },
      { kind: 'chain', message: 'The audit log is broken: event 2 has been altered' },
    ]);
    expect(r.riskAcceptances).toEqual([
      {
        stepId: 'patch-all',
        title: 'Patch every device',
        reason: 'MRI scanners isolated on VLAN 240',
        reviewDate: '2017-08-01',
        approver: { name: 'Pat Manager', role: 'SIRO' },
      },
    ]);
  });
});
