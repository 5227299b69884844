// A hostile file gets a short answer: a message names at most ten of its members.
import { describe, expect, it } from 'vitest';
import { listNames, MAX_LISTED, verifyRecordFile } from '../../../src/record/verify.ts';

describe('what a refusal lists', () => {
  it('names the first ten members of a 100,000-member file and counts the rest', async () => {
    const members = Array.from({ length: 100_000 }, (_, i) => `"m${String(i).padStart(6, '0')}":1`);
    const result = await verifyRecordFile(`{${members.join(',')}}\n`);
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.message).toContain('"m000000", "m000001"');
    expect(result.message).toContain('"m000009" and 99,990 more.');
    expect(result.message).not.toContain('m000010');
    expect(result.message.length).toBeLessThan(1_000);
  });

  it('lists a few names in full, and shortens a very long one', () => {
    expect(listNames(['a', 'b'])).toBe('"a", "b"');
    expect(listNames(Array.from({ length: MAX_LISTED }, (_, i) => String(i)))).not.toContain(
      'more',
    );
    expect(listNames(['x'.repeat(100)])).toBe(`"${'x'.repeat(60)}…"`);
  });
});
