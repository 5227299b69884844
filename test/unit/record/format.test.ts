import { describe, expect, it } from 'vitest';
import { CompletionRecordSchema, type CompletionRecord } from '../../../src/record/format.ts';
import { buildSampleRecord } from '../../../scripts/lib/sampleRecord.ts';

/** A deep copy to edit: the schema must judge the edited copy, never the shared sample. */
function copy(record: CompletionRecord): CompletionRecord {
  return structuredClone(record);
}

function problems(value: unknown): string[] {
  const result = CompletionRecordSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const sample = buildSampleRecord({ devices: 40 });

describe('the sample record', () => {
  it('is a valid record, at the default size and at sizes from one to 20,000 devices', () => {
    expect(problems(buildSampleRecord())).toEqual([]);
    for (const devices of [1, 2, 3, 40, 20_000])
      expect(problems(buildSampleRecord({ devices }))).toEqual([]);
  });

  it('cannot be made for an organisation with no devices, as the app refuses too', () => {
    // The fleet step is gated on a cleared inventory: the machine refuses it with none.
    expect(() => buildSampleRecord({ devices: 0 })).toThrow(/No devices are on this record yet/);
  });

  it('is the same every time it is built', () => {
    expect(buildSampleRecord({ devices: 500 })).toEqual(buildSampleRecord({ devices: 500 }));
  });

  it('covers 30 or more steps in order, with evidence on every completed step', () => {
    const record = buildSampleRecord();
    expect(record.steps.length).toBeGreaterThanOrEqual(30);
    expect(record.steps[0]?.id).toBe('open-record');
    expect(record.steps.at(-1)?.id).toBe('recovery-complete');
    for (const step of record.steps)
      if (step.status === 'completed') expect(step.evidence.length).toBeGreaterThan(0);
    const statuses = new Set(record.steps.map((s) => s.status));
    expect(statuses).toEqual(
      new Set(['completed', 'not-applicable', 'risk-accepted', 'not-needed']),
    );
  });

  it('accepts the risk of MRI scanners isolated on their own VLAN, with device exceptions', () => {
    const record = buildSampleRecord();
    const risk = record.steps.find((s) => s.status === 'risk-accepted');
    expect(risk?.status === 'risk-accepted' && risk.reason).toMatch(/MRI.*VLAN 240/s);
    const mri = record.devices.list.filter((d) => d.hostname.includes('MRI'));
    expect(mri).toHaveLength(3);
    for (const device of mri) {
      expect(device.status).toBe('excepted');
      expect(device.zone).toContain('VLAN 240');
      expect(record.exceptions).toContainEqual(
        expect.objectContaining({ kind: 'device', subject: device.hostname }),
      );
    }
  });

  it('lists exactly the requested number of devices, each hostname once', () => {
    const record = buildSampleRecord({ devices: 20_000 });
    expect(record.devices.list).toHaveLength(20_000);
    expect(new Set(record.devices.list.map((d) => d.hostname)).size).toBe(20_000);
    expect(record.devices.summary.byOs[0]?.os).toBe('Windows 7 Enterprise SP1');
  });
});

describe('the record schema', () => {
  it.each(['not-started', 'in-progress', 'needs-approval', 'cannot-start'])(
    'rejects a step whose status is %s: only resolved steps belong in a record',
    (status) => {
      const record = copy(sample) as unknown as { steps: Record<string, unknown>[] };
      const step = record.steps[1];
      if (!step) throw new Error('the sample has no second step');
      step.status = status;
      expect(problems(record).some((p) => p.startsWith('steps.1'))).toBe(true);
    },
  );

  it('rejects members it does not know, at the top and inside a step', () => {
    expect(problems({ ...sample, comment: 'added later' })).not.toEqual([]);
    const record = copy(sample);
    Object.assign(record.steps[0] ?? {}, { note: 'extra' });
    expect(problems(record)).not.toEqual([]);
  });

  it('rejects a record with a member missing', () => {
    const { decision: _decision, ...withoutDecision } = sample;
    expect(problems(withoutDecision)).toContainEqual(expect.stringMatching(/^decision/));
  });

  it('rejects another format id or version', () => {
    expect(problems({ ...sample, format: 'something-else' })).not.toEqual([]);
    expect(problems({ ...sample, formatVersion: 2 })).not.toEqual([]);
  });

  it('requires a risk-accepted step to carry a reason, review date and approval', () => {
    for (const member of ['reason', 'reviewDate', 'approval']) {
      const record = copy(sample);
      const step = record.steps.find((s) => s.status === 'risk-accepted');
      if (!step) throw new Error('no risk-accepted step');
      Reflect.deleteProperty(step, member);
      expect(problems(record), member).not.toEqual([]);
    }
  });

  it('gives a step that was not needed no actor and no evidence', () => {
    const index = sample.steps.findIndex((s) => s.status === 'not-needed');
    const withActor = copy(sample);
    Object.assign(withActor.steps[index] ?? {}, { by: 'Someone', at: '2017-05-15T09:00:00.000Z' });
    expect(problems(withActor)).not.toEqual([]);
  });

  it('rejects a device summary that does not count the list', () => {
    const total = copy(sample);
    total.devices.summary.total += 1;
    expect(problems(total)).toContainEqual(
      expect.stringMatching(/summary counts 41 devices but 40/),
    );

    const byOs = copy(sample);
    const first = byOs.devices.summary.byOs[0];
    if (!first) throw new Error('no OS count');
    first.count += 1;
    expect(problems(byOs)).toContainEqual(expect.stringMatching(/count by OS/));

    const outstanding = copy(sample) as unknown as {
      devices: { summary: { outstanding: number } };
    };
    outstanding.devices.summary.outstanding = 2;
    expect(problems(outstanding)).not.toEqual([]);
  });

  it('rejects the same device listed twice', () => {
    const record = copy(sample);
    const first = record.devices.list[5];
    if (!first) throw new Error('no device');
    record.devices.list[6] = { ...first };
    expect(problems(record)).toContainEqual(expect.stringMatching(/appears more than once/));
  });

  it('rejects an excepted device without an exception, and an exception without a device', () => {
    const missing = copy(sample);
    missing.exceptions = missing.exceptions.filter((e) => e.subject !== 'WVH-MRI-02');
    expect(problems(missing)).toContainEqual(expect.stringMatching(/WVH-MRI-02.*no exception/));

    const stray = copy(sample);
    stray.exceptions.push({
      kind: 'device',
      subject: 'WVH-PC-99999',
      reason: 'Not in the list',
      approver: { name: 'A', role: 'B' },
      reviewDate: '2017-08-31',
    });
    expect(problems(stray)).toContainEqual(
      expect.stringMatching(/WVH-PC-99999.*no excepted device/),
    );
  });

  it('rejects a risk acceptance whose exception is missing or disagrees with the step', () => {
    const missing = copy(sample);
    missing.exceptions = missing.exceptions.filter((e) => e.kind !== 'step');
    expect(problems(missing)).toContainEqual(
      expect.stringMatching(/risk-accepted but has no exception/),
    );

    const later = copy(sample);
    const exception = later.exceptions.find((e) => e.kind === 'step');
    if (!exception) throw new Error('no step exception');
    exception.reviewDate = '2018-01-31';
    expect(problems(later)).toContainEqual(expect.stringMatching(/differs from the step/));
  });

  it('rejects a files list that is not exactly the files attached as evidence', () => {
    const record = copy(sample);
    const file = record.files[0];
    if (!file) throw new Error('no file');
    file.sha256 = '0'.repeat(64);
    expect(problems(record)).toContainEqual(expect.stringMatching(/^files: /));
    const dropped = copy(sample);
    dropped.files.pop();
    expect(problems(dropped)).toContainEqual(expect.stringMatching(/^files: /));
  });

  it('requires a later revision to name the record it revises, and the first not to', () => {
    expect(problems({ ...sample, revision: { number: 2 } })).not.toEqual([]);
    expect(
      problems({ ...sample, revision: { number: 1, previousRecordDigest: 'a'.repeat(64) } }),
    ).not.toEqual([]);
    expect(
      problems({ ...sample, revision: { number: 2, previousRecordDigest: 'a'.repeat(64) } }),
    ).toEqual([]);
  });

  it('requires conditions for an approval with conditions, and reasons for a rejection', () => {
    const at = { statement: 'Decided.', decidedAt: '2017-05-25T15:30:00.000Z' };
    expect(
      problems({ ...sample, decision: { outcome: 'approved-with-conditions', ...at } }),
    ).not.toEqual([]);
    expect(problems({ ...sample, decision: { outcome: 'rejected', ...at } })).not.toEqual([]);
    expect(
      problems({
        ...sample,
        decision: { outcome: 'rejected', reasons: ['Backups untested'], ...at },
      }),
    ).toEqual([]);
    expect(
      problems({ ...sample, decision: { outcome: 'approved', conditions: ['x'], ...at } }),
    ).not.toEqual([]);
  });

  it('rejects blank text where a person must have written something', () => {
    expect(
      problems({ ...sample, organisation: { ...sample.organisation, name: '   ' } }),
    ).not.toEqual([]);
    expect(problems({ ...sample, decision: { ...sample.decision, statement: '' } })).not.toEqual(
      [],
    );
  });

  it('parses a valid record to an equal value: it never transforms what was signed', () => {
    expect(CompletionRecordSchema.parse(sample)).toEqual(sample);
  });
});
