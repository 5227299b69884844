import { describe, expect, it } from 'vitest';
import { compareVersions, parseVersion, versionAtLeast } from '../../../src/checklist/version.ts';
import { parseKbList } from '../../../src/checklist/kb.ts';
import { parseGuidance } from '../../../src/checklist/guidance.ts';
import { evidenceSchema, validateEvidence } from '../../../src/checklist/fields.ts';
import { Field } from '../../../src/checklist/schema.ts';

describe('dotted versions', () => {
  it('compares part by part as numbers', () => {
    expect(versionAtLeast('6.1.7601.23689', '6.1.7601.23689')).toBe(true);
    expect(versionAtLeast('6.1.7601.23690', '6.1.7601.23689')).toBe(true);
    expect(versionAtLeast('6.1.7601.3689', '6.1.7601.23689')).toBe(false);
    expect(versionAtLeast('10.0.14393.953', '6.3.9600.18604')).toBe(true);
    expect(compareVersions('6.1', '6.1.0.0')).toBe(0);
  });
  it('rejects what is not a version', () => {
    expect(parseVersion('6')).toBeNull();
    expect(parseVersion('6.1.x')).toBeNull();
    expect(parseVersion('6.1.2.3.4')).toBeNull();
    expect(() => compareVersions('a', '1.0')).toThrow();
  });
});

describe('KB lists', () => {
  it('normalises, de-duplicates and reports what is not a KB', () => {
    expect(parseKbList('kb4012212, KB4012212;4012215\nKB12 hello')).toEqual({
      kbs: ['KB4012212', 'KB4012215'],
      invalid: ['KB12', 'hello'],
    });
    expect(parseKbList(['KB4013429'])).toEqual({ kbs: ['KB4013429'], invalid: [] });
  });
});

describe('guidance text', () => {
  it('parses paragraphs, bullet lists and inline code, never HTML', () => {
    expect(
      parseGuidance('First line\ncontinues.\n\n- one `sc.exe qc x`\n- two\n\n<b>bold</b>'),
    ).toEqual([
      { kind: 'paragraph', content: [{ kind: 'text', text: 'First line continues.' }] },
      {
        kind: 'list',
        items: [
          [
            { kind: 'text', text: 'one ' },
            { kind: 'code', text: 'sc.exe qc x' },
          ],
          [{ kind: 'text', text: 'two' }],
        ],
      },
      { kind: 'paragraph', content: [{ kind: 'text', text: '<b>bold</b>' }] },
    ]);
  });
});

describe('evidence schemas, one field type at a time', () => {
  const field = (input: Record<string, unknown>) =>
    Field.parse({ id: 'f', label: 'Backup date', ...input });
  const check = (input: Record<string, unknown>, value: unknown) =>
    validateEvidence({ fields: [field(input)] }, value === undefined ? {} : { f: value });
  const messages = (input: Record<string, unknown>, value: unknown) => {
    const r = check(input, value);
    return r.ok ? [] : r.issues.map((i) => i.message);
  };
  const now = () => new Date('2017-05-16T12:00:00Z');

  it('text: required, trimmed, length-limited', () => {
    expect(messages({ type: 'text' }, '   ')).toEqual(['Enter backup date']);
    expect(messages({ type: 'text', maxLength: 3 }, 'abcd')).toEqual([
      'Backup date must be 3 characters or fewer',
    ]);
    expect(check({ type: 'text' }, '  x  ')).toEqual({ ok: true, evidence: { f: 'x' } });
  });

  it('optional fields may be left blank and are then left out', () => {
    expect(check({ type: 'text', required: false }, '')).toEqual({ ok: true, evidence: {} });
    expect(check({ type: 'number', required: false }, '')).toEqual({ ok: true, evidence: {} });
  });

  it('number: parsed, range and whole numbers checked', () => {
    expect(messages({ type: 'number' }, 'abc')).toEqual(['Backup date must be a number']);
    expect(messages({ type: 'number', min: 1 }, '0')).toEqual(['Backup date must be 1 or more']);
    expect(messages({ type: 'number', max: 5 }, 6)).toEqual(['Backup date must be 5 or less']);
    expect(messages({ type: 'number', integer: true }, '1.5')).toEqual([
      'Backup date must be a whole number',
    ]);
    expect(check({ type: 'number' }, '1,200')).toEqual({ ok: true, evidence: { f: 1200 } });
  });

  it('date: a real calendar date, optionally not in the future', () => {
    expect(messages({ type: 'date' }, '2017-02-30')).toEqual([
      'Backup date must be a real date, for example 16 5 2017',
    ]);
    const schema = evidenceSchema([field({ type: 'date', notInFuture: true })], { now });
    expect(schema.safeParse({ f: '2017-05-20' }).error?.issues[0]?.message).toBe(
      'Backup date must be today or in the past',
    );
    expect(schema.safeParse({ f: '2017-05-16' }).success).toBe(true);
  });

  it('date-time: date and time', () => {
    expect(messages({ type: 'date-time' }, '2017-05-16')).toEqual([
      'Backup date must be a real date and time, for example 16 5 2017 and 11:00',
    ]);
    expect(check({ type: 'date-time' }, '2017-05-16T11:00').ok).toBe(true);
  });

  it('yes/no: yes and no become true and false', () => {
    expect(check({ type: 'yes-no' }, 'no')).toEqual({ ok: true, evidence: { f: false } });
    expect(messages({ type: 'yes-no' }, undefined)).toEqual(['Select yes or no for “Backup date”']);
  });

  it('choice and multi-choice: only the options offered', () => {
    const options = [
      { value: 'a', label: 'A' },
      { value: 'b', label: 'B' },
    ];
    expect(messages({ type: 'choice', options }, 'c')).toEqual([
      'Select one of the options for backup date',
    ]);
    expect(messages({ type: 'choice', options }, '')).toEqual(['Select backup date']);
    expect(check({ type: 'multi-choice', options }, 'a')).toEqual({
      ok: true,
      evidence: { f: ['a'] },
    });
    expect(messages({ type: 'multi-choice', options }, [])).toEqual([
      'Select at least one option for backup date',
    ]);
    expect(messages({ type: 'multi-choice', options }, ['a', 'z'])).toEqual([
      'Select only the options shown for backup date',
    ]);
  });

  it('person: a name and a role', () => {
    expect(messages({ type: 'person' }, { name: 'Jo', role: '' })).toEqual([
      'Enter the role for backup date',
    ]);
    expect(check({ type: 'person' }, { name: ' Jo ', role: 'SIRO' })).toEqual({
      ok: true,
      evidence: { f: { name: 'Jo', role: 'SIRO' } },
    });
  });

  it('KB list: KB and 6 or 7 digits', () => {
    expect(messages({ type: 'kb-list' }, 'KB123')).toEqual([
      '“KB123” is not a KB number: write KB followed by 6 or 7 digits, such as KB4012212',
    ]);
    expect(messages({ type: 'kb-list' }, '')).toEqual([
      'Enter at least one KB number for backup date',
    ]);
  });

  it('dotted version', () => {
    expect(messages({ type: 'version' }, '6.1.x')).toEqual([
      'Enter backup date as numbers separated by dots, such as 6.1.7601.23689',
    ]);
  });

  it('file evidence: references to stored files, within the limit', () => {
    const ref = { id: 'x', name: 'scan.txt', size: 10, type: 'text/plain', sha256: 'a'.repeat(64) };
    expect(check({ type: 'file' }, [ref]).ok).toBe(true);
    expect(messages({ type: 'file' }, [])).toEqual(['Attach at least one file for backup date']);
    expect(messages({ type: 'file', maxFiles: 1 }, [ref, { ...ref, id: 'y' }])).toEqual([
      'You can attach up to 1 files for backup date',
    ]);
  });

  it('rejects answers for fields the step does not have', () => {
    const r = validateEvidence({ fields: [field({ type: 'text' })] }, { f: 'x', extra: 1 });
    expect(r.ok ? [] : r.issues.map((i) => i.message)).toEqual([
      'Unexpected answer for “extra”: this step has no such field',
    ]);
  });
});
