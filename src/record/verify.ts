// Verifying: decides whether a file is exactly a completion record signed by the key it names,
// and says why not in words an auditor can act on. Also checks approval signatures.
import { base64url, compactVerify, flattenedVerify, importJWK } from 'jose';
import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../checklist/canonical.ts';
import {
  CompletionRecordSchema,
  RECORD_FORMAT,
  RECORD_FORMAT_VERSION,
  type CompletionRecord,
} from './format.ts';
import { jwkThumbprint, PublicJwkSchema, type PublicJwk } from './keys.ts';
import { APPROVAL_JWS_TYPE, isLowS, RECORD_JWS_TYPE } from './sign.ts';
import { checkApprovals, type ApprovalCheck } from './approvals.ts';

export type RecordProblem =
  /** Not a completion record file at all (not JSON, not a flattened JWS, another kind of JWS). */
  | 'unknown-format'
  /** The bytes differ from what was written: spacing, order or encoding changed. */
  | 'altered'
  /** The signature does not match the content with the key the file carries. */
  | 'bad-signature'
  /** The file's key id is not the fingerprint of the key it carries. */
  | 'key-mismatch'
  /** Signed correctly, but the record names a different signing key. */
  | 'signer-mismatch'
  /** Signed correctly, but the content is not a valid record in canonical form. */
  | 'invalid-record'
  /** A record from a newer version of the format than this app reads. */
  | 'unsupported-version'
  /** Signed correctly, but not with the key whose fingerprint the caller has on paper. */
  | 'paper-mismatch'
  /** Signed correctly, but an approval inside it is not signed by its approver's listed key. */
  | 'bad-approval';

export type RecordVerification =
  | {
      valid: true;
      record: CompletionRecord;
      /** SHA-256 (hex) of the record's canonical JSON: the signed bytes. */
      digest: string;
      signer: { name: string; role: string; fingerprint: string };
      /** When the record was made and signed (its createdAt). */
      signedAt: string;
      /** Every approval inside, checked against the keys the record carries. */
      approvals: ApprovalCheck[];
    }
  | { valid: false; reason: RecordProblem; message: string };

const fail = (reason: RecordProblem, message: string): RecordVerification => ({
  valid: false,
  reason,
  message,
});

const NOT_A_RECORD = 'This file is not a signed Reconnect completion record';
const CHANGED =
  'This file has been changed since it was signed, so it cannot be relied on. Ask for the original file.';

const HeaderSchema = z.strictObject({
  alg: z.literal('ES256'),
  jwk: PublicJwkSchema,
  kid: z.string(),
  typ: z.literal(RECORD_JWS_TYPE),
});

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes base64url that must be in its one canonical form: only the URL-safe alphabet, no
 * padding, and unused trailing bits zero. Re-encoding the bytes must give the same text, so a
 * last character changed to one that decodes to the same bytes is still caught.
 */
function canonicalBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const decoded = base64url.decode(text);
    return base64url.encode(decoded) === text ? decoded : null;
  } catch {
    return null;
  }
}

function utf8(data: Uint8Array): string | null {
  try {
    return strictUtf8.decode(data);
  } catch {
    return null;
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Canonical JSON, or null for a value that has none (a string with a lone surrogate, which
 * JSON.parse accepts from a \ud800 escape): verifying must answer, never throw.
 */
function canonicalOrNull(value: unknown): string | null {
  try {
    return canonicalJson(value);
  } catch {
    return null;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** At most this many names are quoted in a message; a hostile file may have a million. */
export const MAX_LISTED = 10;

/** "a", "b", "c" — or the first MAX_LISTED and "and 999,990 more". */
export function listNames(names: readonly string[]): string {
  const shown = names
    .slice(0, MAX_LISTED)
    .map((n) => `"${n.length > 60 ? `${n.slice(0, 60)}…` : n}"`)
    .join(', ');
  const more = names.length - MAX_LISTED;
  return more > 0 ? `${shown} and ${more.toLocaleString('en-GB')} more` : shown;
}

/**
 * Why a protected header is not the one a record carries, or null when it is. The order and the
 * words are those of scripts/verify-record.mjs, so both verifiers give the same reason; an
 * unknown member — "crit" above all (RFC 7515 §4.1.11) — is refused.
 */
function headerProblem(headerText: string | null): string | null {
  const parsed = headerText === null ? null : parseJson(headerText);
  if (!parsed?.ok) return 'it is not JSON';
  const header = parsed.value;
  if (!isPlainObject(header)) return 'it is not a JSON object';
  if ('crit' in header)
    return 'it names critical extensions ("crit") that a record never uses, so it must be refused';
  if (header.alg !== 'ES256')
    return `it is signed with the algorithm ${typeof header.alg === 'string' ? JSON.stringify(header.alg) : 'none'}; a record is signed with ES256`;
  const { jwk } = header;
  if (!isPlainObject(jwk) || jwk.kty !== 'EC' || jwk.crv !== 'P-256')
    return 'its key is not a P-256 elliptic-curve key, the only kind that signs a record';
  if (!PublicJwkSchema.safeParse(jwk).success)
    return 'its key is not written as a record writes it';
  const strict = HeaderSchema.safeParse(header);
  if (!strict.success) {
    const members = Object.keys(header).sort().join(',');
    return members === 'alg,jwk,kid,typ' && typeof header.kid === 'string'
      ? 'it is another kind of signed file'
      : 'it has members a record header does not have';
  }
  if (canonicalOrNull(strict.data) !== headerText) return 'it is not written as a record writes it';
  return null;
}

/**
 * Verifies an exported record file: the whole file, byte for byte, must be the one the app
 * writes — canonicalJson({ payload, protected, signature }) + "\n" — with a valid ES256
 * signature by the key in its header, over the canonical JSON of a valid record that names that
 * same key as its signer.
 */
export async function verifyRecordFile(
  file: string | Uint8Array,
  options: {
    /** The fingerprint printed on the paper copy: the file must be signed with that key. */
    paperFingerprint?: string;
  } = {},
): Promise<RecordVerification> {
  const text = typeof file === 'string' ? file : utf8(file);
  if (text === null)
    return fail(
      'unknown-format',
      `${NOT_A_RECORD}: it is not text (it holds bytes that are not UTF-8).`,
    );

  const parsed = parseJson(text);
  if (!parsed.ok) return fail('unknown-format', `${NOT_A_RECORD}: it is not JSON.`);
  const jws = parsed.value;
  if (!isPlainObject(jws))
    return fail('unknown-format', `${NOT_A_RECORD}: it is JSON, but not a signed record.`);
  const members = Object.keys(jws).sort().join(',');
  if (members !== 'payload,protected,signature') {
    if ('signatures' in jws)
      return fail(
        'unknown-format',
        `${NOT_A_RECORD}: it is a JWS with several signatures, and a record has exactly one.`,
      );
    return fail(
      'unknown-format',
      `${NOT_A_RECORD}: a record file has exactly the members "payload", "protected" and "signature"; this one has ${members ? listNames(Object.keys(jws).sort()) : 'none'}.`,
    );
  }
  const { payload, protected: protectedHeader, signature } = jws;
  if (
    typeof payload !== 'string' ||
    typeof protectedHeader !== 'string' ||
    typeof signature !== 'string'
  )
    return fail('unknown-format', `${NOT_A_RECORD}: its members are not text.`);

  const headerBytes = canonicalBase64url(protectedHeader);
  const payloadBytes = canonicalBase64url(payload);
  const signatureBytes = canonicalBase64url(signature);
  if (!headerBytes || !payloadBytes || !signatureBytes)
    return fail(
      'altered',
      `${CHANGED} (Its encoded parts are not written the way the app writes them.)`,
    );

  // The one acceptable form of the file. Anything else — added spaces, reordered members, a
  // missing final newline — is a changed file even if the signed content survived.
  if (text !== `${canonicalJson({ payload, protected: protectedHeader, signature })}\n`)
    return fail('altered', `${CHANGED} (Its layout differs from the file the app wrote.)`);

  const headerText = utf8(headerBytes);
  const problem = headerProblem(headerText);
  const header =
    problem === null && headerText !== null ? HeaderSchema.safeParse(JSON.parse(headerText)) : null;
  if (problem !== null || !header?.success)
    return fail(
      'unknown-format',
      `${NOT_A_RECORD}, or it has been damaged: its signature header is not the one a record carries (${problem ?? 'it is not a record header'}).`,
    );
  const { jwk, kid } = header.data;

  // An ES256 signature is 64 bytes; of its two equivalent forms the app writes the lower s.
  if (signatureBytes.length !== 64)
    return fail('bad-signature', `The signature does not match the record. ${CHANGED}`);
  if (!isLowS(signatureBytes))
    return fail(
      'altered',
      `${CHANGED} (Its signature is not written the way the app writes it: the same signature in its other, mirrored form.)`,
    );

  if ((await jwkThumbprint(jwk)) !== kid)
    return fail(
      'key-mismatch',
      `${CHANGED} (The key fingerprint it gives is not the fingerprint of the key it carries.)`,
    );

  try {
    await flattenedVerify(
      { payload, protected: protectedHeader, signature },
      await importJWK(jwk, 'ES256'),
      {
        algorithms: ['ES256'],
      },
    );
  } catch {
    return fail('bad-signature', `The signature does not match the record. ${CHANGED}`);
  }

  // Signed by the key it names. Now the content must be exactly a record, written canonically.
  const payloadText = utf8(payloadBytes);
  const payloadJson = payloadText === null ? null : parseJson(payloadText);
  if (payloadText === null || !payloadJson?.ok)
    return fail(
      'invalid-record',
      `The file is signed, but what was signed is not a record (it is not JSON).`,
    );
  if (canonicalOrNull(payloadJson.value) !== payloadText)
    return fail(
      'invalid-record',
      'The file is signed, but the record in it is not in the exact form Reconnect writes, so it was not made by Reconnect.',
    );
  const body = payloadJson.value;
  if (!isPlainObject(body) || body.format !== RECORD_FORMAT)
    return fail('unknown-format', `${NOT_A_RECORD}: it is signed, but it holds something else.`);
  if (typeof body.formatVersion === 'number' && body.formatVersion > RECORD_FORMAT_VERSION)
    return fail(
      'unsupported-version',
      `This record uses version ${String(body.formatVersion)} of the record format, which is newer than this copy of Reconnect reads (version ${String(RECORD_FORMAT_VERSION)}). Open it with a newer version.`,
    );
  const record = CompletionRecordSchema.safeParse(body);
  if (!record.success) {
    const problems = record.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`)
      .join('; ');
    return fail(
      'invalid-record',
      `The file is signed, but the record in it is not valid: ${problems}.`,
    );
  }
  const { signer } = record.data;
  if (signer.keyFingerprint !== kid)
    return fail(
      'signer-mismatch',
      `The record says it was signed by ${signer.name} with the key ${signer.keyFingerprint}, but it was signed with a different key (${kid}).`,
    );
  // Version 2 lists the signer's key among the approvers: it must be the key that signed.
  const listed = record.data.approvers?.find((a) => a.keyFingerprint === kid);
  if (record.data.approvers && canonicalJson(listed?.publicJwk ?? null) !== canonicalJson(jwk))
    return fail(
      'signer-mismatch',
      `The record lists a different public key for its signer ${signer.name} from the key that signed it (${kid}).`,
    );
  const approvals = await checkApprovals(record.data);
  const bad = approvals.filter((a) => a.verdict === 'bad');
  if (bad.length > 0)
    return fail(
      'bad-approval',
      `The file is signed, but ${bad.length === 1 ? 'an approval inside it does' : `${String(bad.length)} approvals inside it do`} not check out, so the decisions cannot be relied on: ${listNames(bad.map((b) => `${b.stepTitle} (${b.name})`))}. ${bad[0]?.message ?? ''}`,
    );
  if (
    options.paperFingerprint !== undefined &&
    options.paperFingerprint.replace(/\s+/g, '') !== kid
  )
    return fail(
      'paper-mismatch',
      `The file is signed, but not with the key whose fingerprint is on the paper copy: it was signed with ${kid}. Anyone can sign a file with a key of their own, so it cannot be relied on.`,
    );

  return {
    valid: true,
    record: record.data,
    digest: sha256Hex(payloadBytes),
    signer: { name: signer.name, role: signer.role, fingerprint: kid },
    signedAt: record.data.createdAt,
    approvals,
  };
}

export type ApprovalVerification =
  | { valid: true }
  | {
      valid: false;
      reason: 'unknown-format' | 'key-mismatch' | 'bad-signature' | 'different-decision';
      message: string;
    };

const ApprovalHeaderSchema = z.strictObject({
  alg: z.literal('ES256'),
  kid: z.string(),
  typ: z.literal(APPROVAL_JWS_TYPE),
});

/**
 * Checks an approval signature (from signApproval): made by the key given, over exactly the
 * canonical JSON of the decision expected.
 */
export async function verifyApproval(
  compactJws: string,
  expectedPayload: object,
  publicJwk: PublicJwk,
): Promise<ApprovalVerification> {
  const parts = compactJws.split('.');
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const headerBytes = canonicalBase64url(headerPart);
  const payloadBytes = canonicalBase64url(payloadPart);
  if (parts.length !== 3 || !headerBytes || !payloadBytes || !canonicalBase64url(signaturePart))
    return {
      valid: false,
      reason: 'unknown-format',
      message: 'This is not an approval signature.',
    };
  const headerText = utf8(headerBytes);
  const headerJson = headerText === null ? null : parseJson(headerText);
  const header = headerJson?.ok ? ApprovalHeaderSchema.safeParse(headerJson.value) : null;
  if (!header?.success || headerText !== canonicalOrNull(header.data))
    return {
      valid: false,
      reason: 'unknown-format',
      message: 'This is not an approval signature.',
    };

  const key = PublicJwkSchema.safeParse(publicJwk);
  if (!key.success || (await jwkThumbprint(key.data)) !== header.data.kid)
    return {
      valid: false,
      reason: 'key-mismatch',
      message: 'The approval was signed with a different key from the approver’s.',
    };
  try {
    await compactVerify(compactJws, await importJWK(key.data, 'ES256'), { algorithms: ['ES256'] });
  } catch {
    return {
      valid: false,
      reason: 'bad-signature',
      message: 'The approval signature does not match: it has been changed.',
    };
  }
  if (utf8(payloadBytes) !== canonicalJson(expectedPayload))
    return {
      valid: false,
      reason: 'different-decision',
      message: 'The approval signature is valid, but for a different decision from this one.',
    };
  return { valid: true };
}
