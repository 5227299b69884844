import { beforeAll, describe, expect, it } from 'vitest';
import { base64url } from 'jose';
import { canonicalJson, sha256Hex } from '../../../src/checklist/canonical.ts';
import type { CompletionRecord } from '../../../src/record/format.ts';
import { RecordNotSignableError, signApproval, signRecord } from '../../../src/record/sign.ts';
import { verifyApproval, verifyRecordFile } from '../../../src/record/verify.ts';
import {
  headerFor,
  makeKey,
  recordFor,
  signRaw,
  verifyWithNodeCrypto,
  type UnlockedKey,
} from './helpers.ts';

let alison: UnlockedKey;
let mark: UnlockedKey;
let record: CompletionRecord;
let file: string;

beforeAll(async () => {
  alison = await makeKey('Dr Alison Hart', 'Director of Finance and SIRO');
  mark = await makeKey('Mark Ellison', 'Deputy Chief Operating Officer');
  record = recordFor(alison.approverKey);
  file = (await signRecord(record, alison.approverKey, alison.signingKey)).text;
}, 30_000);

function parts(text: string): { payload: string; protected: string; signature: string } {
  return JSON.parse(text) as { payload: string; protected: string; signature: string };
}

async function rejection(text: string | Uint8Array) {
  const result = await verifyRecordFile(text);
  if (result.valid) throw new Error('expected the file to be rejected');
  return result;
}

describe('signRecord → verifyRecordFile', () => {
  it('verifies a signed record and gives back the record, digest, signer and time', async () => {
    const signed = await signRecord(record, alison.approverKey, alison.signingKey);
    const result = await verifyRecordFile(signed.text);
    expect(result).toEqual({
      valid: true,
      record,
      digest: sha256Hex(canonicalJson(record)),
      signer: {
        name: 'Dr Alison Hart',
        role: 'Director of Finance and SIRO',
        fingerprint: alison.approverKey.fingerprint,
      },
      signedAt: record.createdAt,
      approvals: expect.any(Array) as unknown,
    });
    expect(signed.digest).toBe(sha256Hex(canonicalJson(record)));
    expect(signed.fingerprint).toBe(alison.approverKey.fingerprint);
  });

  it('writes one file per record: the low-s signature, never its mirror', async () => {
    const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    const sOf = (text: string) =>
      BigInt(
        `0x${Buffer.from(base64url.decode(parts(text).signature).subarray(32)).toString('hex')}`,
      );
    // ECDSA picks a fresh random nonce each time: without the rule, about half would be high.
    for (let i = 0; i < 16; i++) {
      const signed = await signRecord(record, alison.approverKey, alison.signingKey);
      expect(sOf(signed.text) <= n / 2n).toBe(true);
    }
    // The mirror (r, n − s) is as valid to plain ECDSA, but it is not the file the app wrote.
    const jws = parts(file);
    const bytes = base64url.decode(jws.signature);
    const mirrored = (n - sOf(file)).toString(16).padStart(64, '0');
    bytes.set(Buffer.from(mirrored, 'hex'), 32);
    const other = `${canonicalJson({ ...jws, signature: base64url.encode(bytes) })}\n`;
    expect(verifyWithNodeCrypto(other).signatureValid).toBe(true);
    expect(await rejection(other)).toMatchObject({
      reason: 'altered',
      message: expect.stringContaining('the same signature in its other, mirrored form') as unknown,
    });
  });

  it('also verifies the file given as bytes', async () => {
    const result = await verifyRecordFile(new TextEncoder().encode(file));
    expect(result.valid).toBe(true);
  });

  it('writes exactly canonicalJson(jws) + "\\n", with the record’s canonical JSON as payload', () => {
    const jws = parts(file);
    expect(Object.keys(jws)).toEqual(['payload', 'protected', 'signature']);
    expect(file).toBe(`${canonicalJson(jws)}\n`);
    expect(new TextDecoder().decode(base64url.decode(jws.payload))).toBe(canonicalJson(record));
  });

  it('protects an ES256 header naming the key by fingerprint and carrying the public key', () => {
    const headerText = new TextDecoder().decode(base64url.decode(parts(file).protected));
    const header = JSON.parse(headerText) as Record<string, unknown>;
    expect(header).toEqual({
      alg: 'ES256',
      typ: 'reconnect-completion-record+jws',
      kid: alison.approverKey.fingerprint,
      jwk: alison.approverKey.publicJwk,
    });
    // The header bytes are canonical too, so the whole file has one form.
    expect(headerText).toBe(canonicalJson(header));
  });

  it('refuses to sign a record naming another signer, or an invalid record', async () => {
    const forMark = recordFor(mark.approverKey);
    await expect(signRecord(forMark, alison.approverKey, alison.signingKey)).rejects.toThrow(
      RecordNotSignableError,
    );
    const renamed = { ...record, signer: { ...record.signer, name: 'Someone Else' } };
    await expect(signRecord(renamed, alison.approverKey, alison.signingKey)).rejects.toThrow(
      /names Someone Else/,
    );
    const unresolved = structuredClone(record) as unknown as { steps: { status: string }[] };
    if (unresolved.steps[0]) unresolved.steps[0].status = 'in-progress';
    await expect(
      signRecord(unresolved as unknown as CompletionRecord, alison.approverKey, alison.signingKey),
    ).rejects.toThrow(/cannot be signed/);
  });

  it('refuses to sign with an unlocked key that is not the approver’s', async () => {
    await expect(signRecord(record, alison.approverKey, mark.signingKey)).rejects.toThrow(
      /not the key of Dr Alison Hart/,
    );
  });
});

describe('verifyRecordFile rejects', () => {
  it('a file that is not JSON, or JSON that is not a flattened JWS', async () => {
    expect((await rejection('hello')).reason).toBe('unknown-format');
    expect((await rejection('')).reason).toBe('unknown-format');
    expect((await rejection('[1,2]\n')).reason).toBe('unknown-format');
    expect((await rejection(`${canonicalJson(record)}\n`)).reason).toBe('unknown-format');
    const compact = Object.values(parts(file)).join('.');
    expect((await rejection(compact)).reason).toBe('unknown-format');
    expect((await rejection(new Uint8Array([0x7b, 0xff, 0x7d]))).message).toMatch(/not text/);
  });

  it('a file with an extra or a missing member', async () => {
    const jws = parts(file);
    const extra = `${canonicalJson({ ...jws, header: { kid: 'x' } })}\n`;
    expect(await rejection(extra)).toMatchObject({ reason: 'unknown-format' });
    const { signature: _signature, ...missing } = jws;
    expect(await rejection(`${canonicalJson(missing)}\n`)).toMatchObject({
      reason: 'unknown-format',
    });
    const general = `${canonicalJson({ payload: jws.payload, signatures: [{ protected: jws.protected, signature: jws.signature }] })}\n`;
    expect((await rejection(general)).message).toMatch(/several signatures/);
  });

  it('any change of layout: spaces, indentation, line endings, member order, final newline', async () => {
    const jws = parts(file);
    const variants = [
      JSON.stringify(jws, null, 2) + '\n',
      file.trimEnd(),
      `${file}\n`,
      file.replace('\n', '\r\n'),
      ` ${file}`,
      file.replace('","', '", "'),
      `${JSON.stringify({ signature: jws.signature, protected: jws.protected, payload: jws.payload })}\n`,
      `\ufeff${file}`,
    ];
    for (const variant of variants) {
      expect(variant).not.toBe(file);
      // The signed content is intact in every variant: only the layout differs.
      expect((await rejection(variant)).reason, JSON.stringify(variant.slice(0, 20))).toMatch(
        /altered|unknown-format/,
      );
    }
    expect((await rejection(JSON.stringify(jws, null, 2) + '\n')).reason).toBe('altered');
  });

  it('base64url that is not in canonical form, even when it decodes to the same bytes', async () => {
    const jws = parts(file);
    // 64 signature bytes take 86 characters: the last one carries 4 unused bits.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = jws.signature.at(-1) ?? '';
    const twin = alphabet[alphabet.indexOf(last) ^ 1] ?? '';
    const signature = jws.signature.slice(0, -1) + twin;
    expect(signature).not.toBe(jws.signature);
    expect(base64url.decode(signature)).toEqual(base64url.decode(jws.signature));
    const text = `${canonicalJson({ ...jws, signature })}\n`;
    expect(await rejection(text)).toMatchObject({ reason: 'altered' });

    const padded = `${canonicalJson({ ...jws, signature: `${jws.signature}==` })}\n`;
    expect(await rejection(padded)).toMatchObject({ reason: 'altered' });
    const standard = jws.payload.replace(/-/g, '+').replace(/_/g, '/');
    if (standard !== jws.payload)
      expect(await rejection(`${canonicalJson({ ...jws, payload: standard })}\n`)).toMatchObject({
        reason: 'altered',
      });
  });

  it('a changed record, even re-encoded in canonical form', async () => {
    const changed = { ...record, decision: { ...record.decision, statement: 'I approve.' } };
    const jws = parts(file);
    const payload = base64url.encode(canonicalJson(changed));
    const result = await rejection(`${canonicalJson({ ...jws, payload })}\n`);
    expect(result).toMatchObject({ reason: 'bad-signature' });
    expect(result.message).toMatch(/changed since it was signed/);
  });

  it('a signature made by another key than the one the file carries', async () => {
    // Mark signs, but the header names Alison's key.
    const text = await signRaw(
      canonicalJson(record),
      headerFor(alison.approverKey),
      mark.signingKey,
    );
    expect(await rejection(text)).toMatchObject({ reason: 'bad-signature' });
  });

  it('a key id that is not the thumbprint of the embedded key', async () => {
    const header = { ...headerFor(alison.approverKey), kid: mark.approverKey.fingerprint };
    const text = await signRaw(
      canonicalJson(record),
      JSON.parse(canonicalJson(header)) as Record<string, unknown>,
      alison.signingKey,
    );
    expect(await rejection(text)).toMatchObject({ reason: 'key-mismatch' });
  });

  it('a record naming a signer other than the key that signed it', async () => {
    // Validly signed by Mark, with Mark's key in the header, but the record names Alison's key.
    const text = await signRaw(canonicalJson(record), headerFor(mark.approverKey), mark.signingKey);
    const result = await rejection(text);
    expect(result.reason).toBe('signer-mismatch');
    expect(result.message).toMatch(/signed by Dr Alison Hart/);
  });

  it('a signed payload that is not exactly the canonical JSON of the record', async () => {
    const pretty = JSON.stringify(record, null, 1);
    const text = await signRaw(pretty, headerFor(alison.approverKey), alison.signingKey);
    expect(await rejection(text)).toMatchObject({ reason: 'invalid-record' });
  });

  it('a signed payload that does not match the record schema', async () => {
    const unresolved = structuredClone(record) as unknown as { steps: { status: string }[] };
    if (unresolved.steps[2]) unresolved.steps[2].status = 'needs-approval';
    const text = await signRaw(
      canonicalJson(unresolved),
      headerFor(alison.approverKey),
      alison.signingKey,
    );
    const result = await rejection(text);
    expect(result.reason).toBe('invalid-record');
    expect(result.message).toMatch(/steps\.2/);
  });

  it('a record of a newer format version, or another kind of signed JSON', async () => {
    const newer = await signRaw(
      canonicalJson({ ...record, formatVersion: 3 }),
      headerFor(alison.approverKey),
      alison.signingKey,
    );
    expect(await rejection(newer)).toMatchObject({ reason: 'unsupported-version' });
    const other = await signRaw(
      canonicalJson({ hello: 'world' }),
      headerFor(alison.approverKey),
      alison.signingKey,
    );
    expect(await rejection(other)).toMatchObject({ reason: 'unknown-format' });
  });

  it('a header with another type, algorithm, extra members or private key material', async () => {
    const base = headerFor(alison.approverKey);
    const canonical = (h: Record<string, unknown>) =>
      JSON.parse(canonicalJson(h)) as Record<string, unknown>;
    const headers = [
      { ...base, typ: 'JWT' },
      { ...base, x5u: 'https://example.org/key' },
      { ...base, cty: 'json' },
      { ...base, jwk: { ...alison.approverKey.publicJwk, d: 'A'.repeat(43) } },
    ];
    for (const header of headers) {
      const text = await signRaw(canonicalJson(record), canonical(header), alison.signingKey);
      expect(await rejection(text), JSON.stringify(header)).toMatchObject({
        reason: 'unknown-format',
      });
    }
    // A header that is valid but not written canonically (members out of order).
    const { alg, typ, kid, jwk } = base;
    const reordered = await signRaw(
      canonicalJson(record),
      { typ, kid, jwk, alg },
      alison.signingKey,
    );
    expect(await rejection(reordered)).toMatchObject({ reason: 'unknown-format' });
  });

  it('JSON with a lone surrogate escape, in the header or the payload, without throwing', async () => {
    const header = { ...headerFor(alison.approverKey), kid: '\ud800' };
    const badHeader = await signRaw(canonicalJson(record), header, alison.signingKey);
    await expect(verifyRecordFile(badHeader)).resolves.toMatchObject({ reason: 'unknown-format' });
    const payload = '{"format":"\\ud800"}';
    const badPayload = await signRaw(payload, headerFor(alison.approverKey), alison.signingKey);
    await expect(verifyRecordFile(badPayload)).resolves.toMatchObject({ reason: 'invalid-record' });
  });

  it('says why in plain English, never with a stack trace or an error code', async () => {
    for (const text of ['nope', file.trimEnd(), file.replace(/"payload":"e/, '"payload":"f')]) {
      const { message } = await rejection(text);
      expect(message).toMatch(/^(This|The) /);
      expect(message).not.toMatch(/Error|undefined|\bat \w+ \(/);
    }
  });
});

describe('approval signatures', () => {
  const decision = {
    stepId: 'unpatchable-risk',
    outcome: 'risk-accepted',
    name: 'Dr Alison Hart',
    role: 'Director of Finance and SIRO',
    at: '2017-05-15T14:00:00.000Z',
  };

  it('verifies an approval signed by the approver, over exactly that decision', async () => {
    const jws = await signApproval(decision, alison.approverKey, alison.signingKey);
    expect(jws.split('.')).toHaveLength(3);
    // Key order of the decision does not matter: both sides use canonical JSON.
    const reordered = Object.fromEntries(Object.entries(decision).reverse());
    expect(await verifyApproval(jws, reordered, alison.approverKey.publicJwk)).toEqual({
      valid: true,
    });
  });

  it('rejects it for another decision, another key, or a changed signature', async () => {
    const jws = await signApproval(decision, alison.approverKey, alison.signingKey);
    expect(
      await verifyApproval(
        jws,
        { ...decision, outcome: 'completed' },
        alison.approverKey.publicJwk,
      ),
    ).toMatchObject({ valid: false, reason: 'different-decision' });
    expect(await verifyApproval(jws, decision, mark.approverKey.publicJwk)).toMatchObject({
      valid: false,
      reason: 'key-mismatch',
    });
    const [h = '', p = '', s = ''] = jws.split('.');
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    expect(
      await verifyApproval(`${h}.${p}.${flipped}`, decision, alison.approverKey.publicJwk),
    ).toMatchObject({
      valid: false,
      reason: 'bad-signature',
    });
    expect(await verifyApproval('not a jws', decision, alison.approverKey.publicJwk)).toMatchObject(
      {
        valid: false,
        reason: 'unknown-format',
      },
    );
  });

  it('rejects a record signature passed off as an approval', async () => {
    const { protected: h, payload: p, signature: s } = parts(file);
    expect(
      await verifyApproval(`${h}.${p}.${s}`, record, alison.approverKey.publicJwk),
    ).toMatchObject({
      valid: false,
      reason: 'unknown-format',
    });
  });
});
