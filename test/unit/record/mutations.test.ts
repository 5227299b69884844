// Any single changed byte anywhere in a signed record file must be caught.
import { beforeAll, describe, expect, it } from 'vitest';
import { signRecord } from '../../../src/record/sign.ts';
import { verifyRecordFile, type RecordProblem } from '../../../src/record/verify.ts';
import { makeKey, recordFor, seededRandom } from './helpers.ts';

const MUTATIONS = 1_000;
const SEED = 20170512;

let original: Uint8Array;

beforeAll(async () => {
  const { approverKey, signingKey } = await makeKey(
    'Dr Alison Hart',
    'Director of Finance and SIRO',
  );
  const { text } = await signRecord(recordFor(approverKey, 30), approverKey, signingKey);
  original = new TextEncoder().encode(text);
  expect((await verifyRecordFile(original)).valid).toBe(true);
}, 30_000);

describe(`${MUTATIONS} random one-byte changes to a signed record file (seed ${SEED})`, () => {
  it('rejects every one', async () => {
    const random = seededRandom(SEED);
    const reasons = new Map<RecordProblem, number>();
    const accepted: string[] = [];
    for (let i = 0; i < MUTATIONS; i++) {
      const position = Math.floor(random() * original.length);
      const before = original[position] ?? 0;
      // Any of the 255 other byte values, never the same one.
      const after = (before + 1 + Math.floor(random() * 255)) % 256;
      const mutated = original.slice();
      mutated[position] = after;
      expect(mutated[position]).not.toBe(before);

      const result = await verifyRecordFile(mutated);
      if (result.valid) accepted.push(`#${i}: byte ${position} ${before} → ${after}`);
      else reasons.set(result.reason, (reasons.get(result.reason) ?? 0) + 1);
    }
    expect(accepted).toEqual([]);
    expect([...reasons.values()].reduce((a, b) => a + b, 0)).toBe(MUTATIONS);
    // Several defences are at work: a byte that is not UTF-8 or breaks the JSON (unknown
    // format), a character outside base64url or out of layout (altered), and a change to the
    // encoded content (bad signature).
    for (const reason of ['unknown-format', 'altered', 'bad-signature'] as const)
      expect(reasons.get(reason) ?? 0, reason).toBeGreaterThan(MUTATIONS / 20);
  }, 60_000);

  it('is reproducible: the same seed picks the same bytes', () => {
    const a = seededRandom(SEED);
    const b = seededRandom(SEED);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(first).size).toBe(5);
  });
});
