// Signing: the completion record as a flattened JSON JWS (RFC 7515, ES256) over its RFC 8785
// canonical JSON, so any standard JOSE tool can check it; and compact JWS over approvals.
import { base64url, CompactSign, FlattenedSign, flattenedVerify, importJWK } from 'jose';
import { canonicalJson, sha256Hex } from '../checklist/canonical.ts';
import { CompletionRecordSchema, type CompletionRecord } from './format.ts';
import type { ApproverKey, PublicJwk } from './keys.ts';

/** The JWS "typ" of an exported record and of an approval (RFC 7515 §4.1.9: media type without "application/"). */
export const RECORD_JWS_TYPE = 'reconnect-completion-record+jws';
export const APPROVAL_JWS_TYPE = 'reconnect-approval+jws';

export interface RecordProtectedHeader {
  alg: 'ES256';
  jwk: PublicJwk;
  kid: string;
  typ: typeof RECORD_JWS_TYPE;
}

export interface ApprovalProtectedHeader {
  alg: 'ES256';
  kid: string;
  typ: typeof APPROVAL_JWS_TYPE;
}

export interface SignedRecordFile {
  /** The file to save: exactly canonicalJson(jws) + "\n". */
  text: string;
  /** SHA-256 (hex) of the record's canonical JSON, which is the signed payload. */
  digest: string;
  /** The signer's key fingerprint (RFC 7638 thumbprint), also the JWS "kid". */
  fingerprint: string;
}

export class RecordNotSignableError extends Error {
  override name = 'RecordNotSignableError';
}

const encoder = new TextEncoder();

/** The order n of the P-256 group, and half of it. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
export const P256_HALF_N = P256_N >> 1n;

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/**
 * An ECDSA signature (r, s) is equally valid as (r, n − s), so every record would have two
 * files that verify. The app writes only the one with the lower s (as Bitcoin and Ethereum do),
 * and the verifier accepts only that one: one record, one file, byte for byte.
 */
export function lowS(signature: string): string {
  const bytes = base64url.decode(signature);
  if (bytes.length !== 64) return signature;
  const s = toBigInt(bytes.subarray(32));
  if (s <= P256_HALF_N) return signature;
  let flipped = P256_N - s;
  const out = new Uint8Array(bytes);
  for (let i = 63; i >= 32; i--) {
    out[i] = Number(flipped & 0xffn);
    flipped >>= 8n;
  }
  return base64url.encode(out);
}

/** Whether a base64url ES256 signature is in the form the app writes (s at most n / 2). */
export function isLowS(signature: Uint8Array): boolean {
  return signature.length === 64 && toBigInt(signature.subarray(32)) <= P256_HALF_N;
}

/**
 * The protected header with its members, and the key's, in canonical order: jose writes the
 * header with JSON.stringify, so the header bytes are then canonical JSON too and the whole file
 * has exactly one acceptable form.
 */
export function recordHeader(approverKey: ApproverKey): RecordProtectedHeader {
  const { crv, kty, x, y } = approverKey.publicJwk;
  return {
    alg: 'ES256',
    jwk: { crv, kty, x, y },
    kid: approverKey.fingerprint,
    typ: RECORD_JWS_TYPE,
  };
}

export function approvalHeader(approverKey: ApproverKey): ApprovalProtectedHeader {
  return { alg: 'ES256', kid: approverKey.fingerprint, typ: APPROVAL_JWS_TYPE };
}

/**
 * Signs a complete record with an unlocked key. Refuses a record that does not match the
 * format, or that names a signer other than the key's owner: such a file would never verify.
 */
export async function signRecord(
  record: CompletionRecord,
  approverKey: ApproverKey,
  signingKey: CryptoKey,
): Promise<SignedRecordFile> {
  const parsed = CompletionRecordSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RecordNotSignableError(
      `The record cannot be signed: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'it does not match the format'}`,
    );
  }
  const { signer } = record;
  if (signer.keyFingerprint !== approverKey.fingerprint)
    throw new RecordNotSignableError(
      `The record names the key ${signer.keyFingerprint} as the signer's, but this key is ${approverKey.fingerprint}`,
    );
  if (signer.name !== approverKey.name || signer.role !== approverKey.role)
    throw new RecordNotSignableError(
      `The record names ${signer.name} (${signer.role}) as the signer, but this key belongs to ${approverKey.name} (${approverKey.role})`,
    );

  const payload = canonicalJson(record);
  const header = recordHeader(approverKey);
  const jws = await new FlattenedSign(encoder.encode(payload))
    .setProtectedHeader({ ...header })
    .sign(signingKey);
  const file = {
    payload: jws.payload,
    protected: jws.protected ?? '',
    signature: lowS(jws.signature),
  };

  // Check what was just made with the key the file names: an unlocked key that is not this
  // approver's (a mix-up in the caller) must fail here, not later in an auditor's hands.
  try {
    await flattenedVerify(file, await importJWK(header.jwk, 'ES256'), { algorithms: ['ES256'] });
  } catch {
    throw new RecordNotSignableError(
      `The unlocked key is not the key of ${approverKey.name}: the signature does not match their public key`,
    );
  }
  return { text: `${canonicalJson(file)}\n`, digest: sha256Hex(payload), fingerprint: header.kid };
}

/**
 * Signs an approval decision made inside the checklist (who approved what, when) as a compact
 * JWS over the decision's canonical JSON. The app stores it on the step's approval.
 */
export async function signApproval(
  payload: object,
  approverKey: ApproverKey,
  signingKey: CryptoKey,
): Promise<string> {
  const [header = '', body = '', signature = ''] = (
    await new CompactSign(encoder.encode(canonicalJson(payload)))
      .setProtectedHeader({ ...approvalHeader(approverKey) })
      .sign(signingKey)
  ).split('.');
  return `${header}.${body}.${lowS(signature)}`;
}
