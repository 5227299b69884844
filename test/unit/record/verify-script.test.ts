// The README's no-dependency verifier (scripts/verify-record.mjs) against a demo record: valid
// as written, not valid after one character changes or with the wrong fingerprint.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'reconnect-verify-script-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('scripts/verify-record.mjs', () => {
  const record = join(dir, 'record.json');
  execFileSync('npx', ['tsx', 'scripts/record-demo.ts', record], { cwd: root, stdio: 'pipe' });
  const text = readFileSync(record, 'utf8');
  const kid = (
    JSON.parse(
      Buffer.from((JSON.parse(text) as { protected: string }).protected, 'base64url').toString(),
    ) as { kid: string }
  ).kid;
  const run = (file: string, paper: string) =>
    spawnSync('node', ['scripts/verify-record.mjs', file, paper], { cwd: root, encoding: 'utf8' });

  it('says VALID for the record with the fingerprint on paper (spaces allowed)', () => {
    const result = run(record, kid.replace(/(.{4})/g, '$1 '));
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^VALID: signed by /);
  });

  it('says NOT VALID after one character of the payload changes', () => {
    const at = text.indexOf('"payload":"') + 60;
    const tampered = join(dir, 'tampered.json');
    writeFileSync(
      tampered,
      text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1),
    );
    const result = run(tampered, kid);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^NOT VALID/);
  });

  it('refuses to say VALID without the fingerprint on paper, unless told the key is checked', () => {
    const result = run(record, '');
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/^NOT CHECKED: the file is intact and signed by the key /);
    expect(result.stdout).not.toMatch(/^VALID/m);
    const elsewhere = spawnSync(
      'node',
      ['scripts/verify-record.mjs', record, '--key-checked-elsewhere'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(elsewhere.status).toBe(0);
    expect(elsewhere.stdout).toMatch(/^VALID: signed by /);
    expect(elsewhere.stdout).toContain('checked elsewhere');
  });

  it('explains its usage rather than guessing', () => {
    for (const args of [[], [record, kid, '--key-checked-elsewhere'], [record, '--keys']]) {
      const result = spawnSync('node', ['scripts/verify-record.mjs', ...args], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(result.status).toBe(2);
      expect(result.stdout).toMatch(/^usage: /);
    }
  });

  it('says NOT VALID with a reason, never a stack trace, for a missing file', () => {
    const result = run(join(dir, 'no-such-file.json'), kid);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^NOT VALID \(unreadable\): .*ENOENT/);
    expect(result.stderr).toBe('');
  });

  it('says NOT VALID for the same signature in its mirrored (high-s) form', () => {
    const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    const jws = JSON.parse(text) as { signature: string };
    const bytes = Buffer.from(jws.signature, 'base64url');
    const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
    bytes.set(Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex'), 32);
    const mirrored = join(dir, 'mirrored.json');
    writeFileSync(mirrored, text.replace(jws.signature, bytes.toString('base64url')));
    const result = run(mirrored, kid);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('mirrored form');
  });

  it('says NOT VALID when the fingerprint on paper is another key’s', () => {
    const result = run(record, 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('not with the key whose fingerprint is on the paper copy');
  });
}, 60_000);
