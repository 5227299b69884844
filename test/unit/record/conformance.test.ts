// One definition of a valid record file: every file in the conformance table
// (test/fixtures/record-conformance/cases.json) gets the same verdict and the same reason from
// the Verify page's verifier and from the no-dependency script an auditor runs, and both say why.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyRecordFile } from '../../../src/record/verify.ts';

const root = join(import.meta.dirname, '../../..');
const fixtures = join(root, 'test/fixtures/record-conformance');

interface Case {
  file: string;
  about: string;
  paper: boolean;
  verdict: 'valid' | 'not-valid';
  reason: string | null;
  says: string;
}
const table = JSON.parse(readFileSync(join(fixtures, 'cases.json'), 'utf8')) as {
  paperFingerprint: string;
  cases: Case[];
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The script as an auditor runs it (its own process; a busy machine only makes it slower). */
function runScript(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/verify-record.mjs', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      resolve({ status, stdout, stderr });
    });
  });
}

describe('the record conformance table', () => {
  it('covers every kind of file the issue names, and valid ones', () => {
    const reasons = new Set(table.cases.map((c) => c.reason));
    for (const reason of [
      null,
      'altered',
      'unknown-format',
      'bad-signature',
      'key-mismatch',
      'signer-mismatch',
      'invalid-record',
      'unsupported-version',
      'paper-mismatch',
    ])
      expect(reasons).toContain(reason);
    expect(table.cases.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(table.cases)('$file: $about', (c) => {
    const path = join(fixtures, 'files', c.file);
    const paperFingerprint = c.paper ? table.paperFingerprint : undefined;

    it(`the Verify page says ${c.verdict}${c.reason ? ` (${c.reason})` : ''}`, async () => {
      const result = await verifyRecordFile(new Uint8Array(readFileSync(path)), {
        ...(paperFingerprint ? { paperFingerprint } : {}),
      });
      if (c.verdict === 'valid') {
        expect(result).toMatchObject({ valid: true });
      } else {
        expect(result).toMatchObject({ valid: false, reason: c.reason });
        if (!result.valid) expect(result.message).toContain(c.says);
      }
    });

    it(`scripts/verify-record.mjs says ${c.verdict}${c.reason ? ` (${c.reason})` : ''}`, async () => {
      const result = await runScript([
        path,
        ...(paperFingerprint ? [paperFingerprint] : ['--key-checked-elsewhere']),
      ]);
      expect(result.stderr).toBe('');
      if (c.verdict === 'valid') {
        expect(result.stdout).toMatch(/^VALID: signed by /);
        expect(result.status).toBe(0);
      } else {
        expect(result.stdout).toMatch(new RegExp(`^NOT VALID \\(${c.reason ?? ''}\\): `));
        expect(result.stdout).toContain(c.says);
        expect(result.status).toBe(1);
      }
    });
  });
}, 120_000);
