// An exported record checked without this app or jose: Node's own crypto, as an auditor with
// standard tools would.
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../../src/checklist/canonical.ts';
import type { CompletionRecord } from '../../../src/record/format.ts';
import { signRecord } from '../../../src/record/sign.ts';
import { makeKey, recordFor, verifyWithNodeCrypto, type UnlockedKey } from './helpers.ts';

let key: UnlockedKey;
let record: CompletionRecord;
let text: string;
let digest: string;

beforeAll(async () => {
  key = await makeKey('Dr Alison Hart', 'Director of Finance and SIRO');
  record = recordFor(key.approverKey, 200);
  ({ text, digest } = await signRecord(record, key.approverKey, key.signingKey));
}, 30_000);

describe('verification with Node’s crypto alone', () => {
  it('finds the signature valid, the payload canonical and the key id the key’s thumbprint', () => {
    const check = verifyWithNodeCrypto(text);
    expect(check.signatureValid).toBe(true);
    expect(check.payloadCanonical).toBe(true);
    expect(check.kidIsThumbprint).toBe(true);
    expect(check.payload).toEqual(record);
    expect(check.digest).toBe(digest);
    expect(check.digest).toBe(sha256Hex(canonicalJson(record)));
  });

  it('finds the signature invalid after a change to the payload, header or signature', () => {
    const jws = JSON.parse(text) as { payload: string; protected: string; signature: string };
    const swap = (s: string, i: number) =>
      s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const changedPayload = Buffer.from(
      canonicalJson({ ...record, decision: { ...record.decision, statement: 'Approved.' } }),
    ).toString('base64url');
    const variants = [
      { ...jws, payload: changedPayload },
      { ...jws, payload: swap(jws.payload, 1000) },
      { ...jws, signature: swap(jws.signature, 20) },
    ];
    for (const variant of variants)
      expect(verifyWithNodeCrypto(JSON.stringify(variant)).signatureValid).toBe(false);
  });

  it('finds a payload that is not canonical JSON', () => {
    const jws = JSON.parse(text) as { payload: string };
    const pretty = Buffer.from(JSON.stringify(record, null, 2)).toString('base64url');
    expect(verifyWithNodeCrypto(JSON.stringify({ ...jws, payload: pretty })).payloadCanonical).toBe(
      false,
    );
  });
});
