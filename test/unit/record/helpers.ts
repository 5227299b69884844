// Shared by the record tests: approver keys made once per file, a raw JWS signer for building
// files the app would never write, a seeded random source, and a verifier that uses only
// Node's own crypto (no jose), as an outside auditor would.
import { createHash, createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { FlattenedSign } from 'jose';
import { canonicalJson } from '../../../src/checklist/canonical.ts';
import type { CompletionRecord } from '../../../src/record/format.ts';
import { buildSampleRecord } from '../../../scripts/lib/sampleRecord.ts';
import { createApproverKey, unlockSigningKey, type ApproverKey } from '../../../src/record/keys.ts';
import { lowS } from '../../../src/record/sign.ts';

export const PASSPHRASE = 'granite otter lantern 1917';

export interface UnlockedKey {
  approverKey: ApproverKey;
  signingKey: CryptoKey;
}

export async function makeKey(name: string, role: string): Promise<UnlockedKey> {
  const approverKey = await createApproverKey({ name, role, passphrase: PASSPHRASE });
  return { approverKey, signingKey: await unlockSigningKey(approverKey, PASSPHRASE) };
}

export function signerOf(key: ApproverKey): CompletionRecord['signer'] {
  return { name: key.name, role: key.role, keyFingerprint: key.fingerprint };
}

/** A sample record whose signer is the given key's owner. */
export function recordFor(key: ApproverKey, devices = 25): CompletionRecord {
  return buildSampleRecord({ devices, signer: signerOf(key) });
}

/**
 * Signs any payload text under any header, and writes the file the way the app does, so a test
 * can make a well-formed file that breaks exactly one rule.
 */
export async function signRaw(
  payloadText: string,
  header: Record<string, unknown>,
  signingKey: CryptoKey,
): Promise<string> {
  const jws = await new FlattenedSign(new TextEncoder().encode(payloadText))
    .setProtectedHeader(header)
    .sign(signingKey);
  // In the low-s form the app writes, so each file breaks only the rule its test is about.
  return `${canonicalJson({ payload: jws.payload, protected: jws.protected, signature: lowS(jws.signature) })}\n`;
}

/** The header the app writes for a key, in canonical member order. */
export function headerFor(key: ApproverKey): Record<string, unknown> {
  return JSON.parse(
    canonicalJson({
      alg: 'ES256',
      jwk: key.publicJwk,
      kid: key.fingerprint,
      typ: 'reconnect-completion-record+jws',
    }),
  ) as Record<string, unknown>;
}

/** mulberry32: a small seeded generator, so a failing mutation can be reproduced. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface NodeCheck {
  /** crypto.verify of the ES256 signature with the key built from the embedded JWK. */
  signatureValid: boolean;
  /** The decoded payload, re-canonicalised, is byte for byte the payload. */
  payloadCanonical: boolean;
  /** kid is the RFC 7638 thumbprint of the embedded JWK, computed here by hand from the RFC. */
  kidIsThumbprint: boolean;
  /** SHA-256 hex of the payload bytes. */
  digest: string;
  payload: unknown;
}

/** Verifies a record file with Node's crypto and the canonicalize package alone — no jose. */
export function verifyWithNodeCrypto(text: string): NodeCheck {
  const jws = JSON.parse(text) as { payload: string; protected: string; signature: string };
  const header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8')) as {
    alg: string;
    kid: string;
    jwk: { kty: string; crv: string; x: string; y: string };
  };
  const payloadBytes = Buffer.from(jws.payload, 'base64url');
  let payload: unknown = undefined;
  try {
    payload = JSON.parse(payloadBytes.toString('utf8')) as unknown;
  } catch {
    // A changed payload may not even be JSON; the signature check below still runs.
  }
  const key = createPublicKey({ key: header.jwk, format: 'jwk' });
  const signatureValid =
    header.alg === 'ES256' &&
    verify(
      'sha256',
      Buffer.from(`${jws.protected}.${jws.payload}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(jws.signature, 'base64url'),
    );
  // RFC 7638 §3.2: the required EC members in lexicographic order, no whitespace.
  const { crv, kty, x, y } = header.jwk;
  const thumbprintInput = `{"crv":"${crv}","kty":"${kty}","x":"${x}","y":"${y}"}`;
  return {
    signatureValid,
    payloadCanonical:
      payload !== undefined && canonicalize(payload) === payloadBytes.toString('utf8'),
    kidIsThumbprint:
      createHash('sha256').update(thumbprintInput).digest('base64url') === header.kid,
    digest: createHash('sha256').update(payloadBytes).digest('hex'),
    payload,
  };
}
