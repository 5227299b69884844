// The demo script end to end: it writes a record that this app and Node's crypto both accept.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFingerprint } from '../../../src/record/keys.ts';
import { verifyRecordFile } from '../../../src/record/verify.ts';
import { verifyWithNodeCrypto } from './helpers.ts';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'record-demo-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function demo(args: string[], env: Record<string, string> = {}) {
  return run(tsx, ['scripts/record-demo.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
  });
}

describe('npm run record:demo', () => {
  it('writes a signed record and its public key, and prints the digest and fingerprint', async () => {
    const out = join(dir, 'demo-record.json');
    const { stdout } = await demo([out], {
      RECONNECT_DEMO_PASSPHRASE: 'a passphrase from the environment',
    });
    const text = readFileSync(out, 'utf8');

    const result = await verifyRecordFile(text);
    if (!result.valid) throw new Error(result.message);
    expect(result.record.steps.length).toBeGreaterThanOrEqual(30);

    const node = verifyWithNodeCrypto(text);
    expect(node).toMatchObject({
      signatureValid: true,
      payloadCanonical: true,
      kidIsThumbprint: true,
    });
    expect(node.digest).toBe(result.digest);

    const jwk = JSON.parse(
      readFileSync(join(dir, 'demo-record.public-jwk.json'), 'utf8'),
    ) as unknown;
    const header = JSON.parse(
      Buffer.from((JSON.parse(text) as { protected: string }).protected, 'base64url').toString(),
    ) as { jwk: unknown };
    expect(jwk).toEqual(header.jwk);

    expect(stdout).toMatch(/DEMO ONLY/);
    expect(stdout).toContain('from RECONNECT_DEMO_PASSPHRASE');
    expect(stdout).toContain(out);
    expect(stdout).toContain(result.digest);
    expect(stdout).toContain(result.signer.fingerprint);
    expect(stdout).toContain(formatFingerprint(result.signer.fingerprint));
    expect(stdout).toContain(JSON.stringify(jwk));
  }, 60_000);

  it('fails with a clear message and a non-zero exit when no output path is given', async () => {
    const attempt = demo([]);
    await expect(attempt).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Say where to write the demo record') as unknown,
    });
  }, 60_000);

  it('fails clearly when the folder does not exist', async () => {
    await expect(demo([join(dir, 'missing', 'x.json')])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('does not exist') as unknown,
    });
  }, 60_000);
});
