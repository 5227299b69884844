// Signed-record measurements in Node: signing and verifying a record of 10,000 devices, and
// unlocking an approver key (PBKDF2 at 600,000 rounds is slow on purpose, so it is reported
// on its own rather than hidden in the signing time).
import { buildSampleRecord } from '../lib/sampleRecord.ts';
import { createApproverKey, unlockSigningKey } from '../../src/record/keys.ts';
import { signRecord } from '../../src/record/sign.ts';
import { verifyRecordFile } from '../../src/record/verify.ts';
import { median } from './stats.ts';

const PASSPHRASE = 'benchmark passphrase, not secret';
const DEVICES = 10_000;
const WARM_UP = 2;
const RUNS = 7;

async function time(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

async function medianOf(task: () => Promise<unknown>, runs: number, warmUp: number) {
  for (let i = 0; i < warmUp; i++) await task();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await time(task));
  return median(times);
}

export async function measureSignVerify(): Promise<{
  sign_10k_ms: number;
  verify_10k_ms: number;
  unlock_ms: number;
}> {
  const approverKey = await createApproverKey({
    name: 'Bench Approver',
    role: 'Benchmark',
    passphrase: PASSPHRASE,
  });
  const unlock_ms = await medianOf(() => unlockSigningKey(approverKey, PASSPHRASE), 3, 1);
  const signingKey = await unlockSigningKey(approverKey, PASSPHRASE);
  const record = buildSampleRecord({
    devices: DEVICES,
    signer: {
      name: approverKey.name,
      role: approverKey.role,
      keyFingerprint: approverKey.fingerprint,
    },
  });

  // Signing: check, canonicalise and sign with the key already unlocked.
  let text = '';
  const sign_10k_ms = await medianOf(
    async () => {
      text = (await signRecord(record, approverKey, signingKey)).text;
    },
    RUNS,
    WARM_UP,
  );
  // Verifying: the whole file check an auditor's copy of the app does.
  const verify_10k_ms = await medianOf(
    async () => {
      const result = await verifyRecordFile(text);
      if (!result.valid) throw new Error(`the benchmark record did not verify: ${result.message}`);
    },
    RUNS,
    WARM_UP,
  );
  return { sign_10k_ms, verify_10k_ms, unlock_ms };
}
