#!/usr/bin/env node
// Verifies a Reconnect completion record with Node's own crypto and nothing else (no packages,
// no Reconnect code), so an auditor can read every line of what decides. It reads a file exactly
// as strictly as the app's Verify page (src/record/verify.ts): both are tested against the same
// table of files (test/fixtures/record-conformance/cases.json), each with its expected verdict
// and reason. Usage:
//   node scripts/verify-record.mjs record.json "<fingerprint printed on the paper copy>"
//   node scripts/verify-record.mjs record.json --key-checked-elsewhere
// Exit status: 0 VALID, 1 NOT VALID, 2 not checked (no fingerprint given, or a usage error).
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const RECORD_FORMAT = 'reconnect-completion-record';
export const RECORD_FORMAT_VERSION = 2;
const APPROVAL_JWS_TYPE = 'reconnect-approval+jws';
const RECORD_JWS_TYPE = 'reconnect-completion-record+jws';
// P-256's group order; Reconnect writes only the lower of the two equivalent s values.
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const NOT_A_RECORD = 'This file is not a signed Reconnect completion record';
const CHANGED =
  'This file has been changed since it was signed, so it cannot be relied on. Ask for the original file.';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * RFC 8785 canonical JSON of a parsed value: members sorted by UTF-16 code units, numbers and
 * strings as ECMAScript serialises them. Throws for what has no canonical form: a lone
 * surrogate (RFC 8785 §3.2.2.2 requires I-JSON), a number that is not finite.
 */
export function canonicalize(value) {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('a number that is not finite');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new Error('a lone surrogate');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  if (typeof value === 'object') {
    // The default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks for.
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${canonicalize(k)}:${canonicalize(value[k])}`).join(',')}}`;
  }
  throw new Error(`a value JSON cannot hold (${typeof value})`);
}

function canonicalOrNull(value) {
  try {
    return canonicalize(value);
  } catch {
    return null;
  }
}

/** Base64url in its one canonical form (URL-safe alphabet, no padding, zero spare bits). */
function canonicalBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function utf8(bytes) {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

function parseJson(text) {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasExactly = (object, members) =>
  isPlainObject(object) && Object.keys(object).sort().join(',') === [...members].sort().join(',');
const isBase64urlOf32Bytes = (v) => typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);

/**
 * Why a protected header is not the one a record carries, or null when it is: exactly alg
 * ES256, the signer's P-256 public key (crv, kty, x, y and nothing else), kid and typ, written
 * canonically. An unknown member — "crit" above all (RFC 7515 §4.1.11) — is refused.
 */
function headerProblem(headerText) {
  const parsed = headerText === null ? { ok: false } : parseJson(headerText);
  if (!parsed.ok) return 'it is not JSON';
  const header = parsed.value;
  if (!isPlainObject(header)) return 'it is not a JSON object';
  if ('crit' in header)
    return 'it names critical extensions ("crit") that a record never uses, so it must be refused';
  if (header.alg !== 'ES256')
    return `it is signed with the algorithm ${typeof header.alg === 'string' ? JSON.stringify(header.alg) : 'none'}; a record is signed with ES256`;
  const { jwk } = header;
  if (!isPlainObject(jwk) || jwk.kty !== 'EC' || jwk.crv !== 'P-256')
    return 'its key is not a P-256 elliptic-curve key, the only kind that signs a record';
  if (!hasExactly(jwk, ['crv', 'kty', 'x', 'y']) || !isBase64urlOf32Bytes(jwk.x))
    return 'its key is not written as a record writes it';
  if (!isBase64urlOf32Bytes(jwk.y)) return 'its key is not written as a record writes it';
  if (!hasExactly(header, ['alg', 'jwk', 'kid', 'typ']) || typeof header.kid !== 'string')
    return 'it has members a record header does not have';
  if (header.typ !== RECORD_JWS_TYPE) return 'it is another kind of signed file';
  if (canonicalOrNull(header) !== headerText) return 'it is not written as a record writes it';
  return null;
}

/** RFC 7638 thumbprint of a P-256 key: SHA-256 of its required members in order, base64url. */
function thumbprint({ crv, kty, x, y }) {
  return createHash('sha256')
    .update(`{"crv":"${crv}","kty":"${kty}","x":"${x}","y":"${y}"}`)
    .digest('base64url');
}

const TOP_LEVEL = [
  'auditLog',
  'checklist',
  'createdAt',
  'decision',
  'devices',
  'exceptions',
  'files',
  'format',
  'formatVersion',
  'organisation',
  'recordId',
  'revision',
  'signer',
  'steps',
];
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const nonBlank = (v) => typeof v === 'string' && v.trim() !== '';

// Version 2 adds these, the first two optional ("stage" only on a staged sign-off).
const TOP_LEVEL_V2_OPTIONAL = ['stage'];
const TOP_LEVEL_V2 = [...TOP_LEVEL, 'approvers'];

/** What this script checks of the record itself (the app checks every member against its schema). */
function recordProblem(record) {
  const members =
    record.formatVersion === 2
      ? [...TOP_LEVEL_V2, ...TOP_LEVEL_V2_OPTIONAL.filter((m) => m in record)]
      : TOP_LEVEL;
  if (record.formatVersion !== 1 && record.formatVersion !== 2)
    return 'formatVersion: must be 1 or 2';
  if (!hasExactly(record, members)) return 'its members are not those of a record';
  if (record.formatVersion === 2) {
    if (!Array.isArray(record.approvers)) return 'approvers: must list the approvers’ keys';
    for (const a of record.approvers)
      if (
        !hasExactly(a, ['keyFingerprint', 'name', 'publicJwk', 'role']) ||
        !hasExactly(a.publicJwk, ['crv', 'kty', 'x', 'y']) ||
        a.publicJwk.kty !== 'EC' ||
        a.publicJwk.crv !== 'P-256'
      )
        return 'approvers: each names the approver, their role and their P-256 public key';
  }
  if (!Array.isArray(record.steps)) return 'steps: must be a list';
  const { signer, decision } = record;
  if (!hasExactly(signer, ['keyFingerprint', 'name', 'role']))
    return 'signer: must name the signer, their role and their key';
  if (
    !nonBlank(signer.name) ||
    !nonBlank(signer.role) ||
    !isBase64urlOf32Bytes(signer.keyFingerprint)
  )
    return 'signer: must name the signer, their role and their key';
  if (
    !isPlainObject(decision) ||
    !['approved', 'approved-with-conditions', 'rejected'].includes(decision.outcome) ||
    typeof decision.decidedAt !== 'string' ||
    !INSTANT.test(decision.decidedAt)
  )
    return 'decision: must be approved, approved with conditions or rejected, with when';
  if (typeof record.createdAt !== 'string' || !INSTANT.test(record.createdAt))
    return 'createdAt: must be a date and time';
  return null;
}

const fail = (reason, message) => ({ valid: false, reason, message });

/**
 * Decides whether `bytes` is exactly a completion record file signed by the key it carries and
 * names, and, when `paperFingerprint` is given, that this key is the one printed on paper.
 * Returns { valid: true, record, digest, fingerprint } or { valid: false, reason, message };
 * never throws. The reasons are the app's (src/record/verify.ts RecordProblem).
 */
export function verifyRecordBytes(bytes, { paperFingerprint } = {}) {
  const text = utf8(bytes);
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
  if (!hasExactly(jws, ['payload', 'protected', 'signature'])) {
    if ('signatures' in jws)
      return fail(
        'unknown-format',
        `${NOT_A_RECORD}: it is a JWS with several signatures, and a record has exactly one.`,
      );
    return fail(
      'unknown-format',
      `${NOT_A_RECORD}: a record file has exactly the members "payload", "protected" and "signature".`,
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
  if (text !== `${canonicalize({ payload, protected: protectedHeader, signature })}\n`)
    return fail('altered', `${CHANGED} (Its layout differs from the file the app wrote.)`);

  const headerText = utf8(headerBytes);
  const problem = headerProblem(headerText);
  if (problem !== null)
    return fail(
      'unknown-format',
      `${NOT_A_RECORD}, or it has been damaged: its signature header is not the one a record carries (${problem}).`,
    );
  const header = JSON.parse(headerText);
  const kid = header.kid;
  // An ES256 signature is 64 bytes; of its two equivalent forms Reconnect writes the lower s.
  if (signatureBytes.length !== 64)
    return fail('bad-signature', `The signature does not match the record. ${CHANGED}`);
  if (BigInt(`0x${signatureBytes.subarray(32).toString('hex')}`) > P256_N / 2n)
    return fail(
      'altered',
      `${CHANGED} (Its signature is not written the way the app writes it: the same signature in its other, mirrored form.)`,
    );
  if (thumbprint(header.jwk) !== kid)
    return fail(
      'key-mismatch',
      `${CHANGED} (The key fingerprint it gives is not the fingerprint of the key it carries.)`,
    );

  let signed;
  try {
    signed = verify(
      'sha256',
      Buffer.from(`${protectedHeader}.${payload}`, 'ascii'),
      { key: createPublicKey({ key: header.jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      signatureBytes,
    );
  } catch {
    signed = false;
  }
  if (!signed) return fail('bad-signature', `The signature does not match the record. ${CHANGED}`);

  const payloadText = utf8(payloadBytes);
  const payloadJson = payloadText === null ? { ok: false } : parseJson(payloadText);
  if (!payloadJson.ok)
    return fail(
      'invalid-record',
      'The file is signed, but what was signed is not a record (it is not JSON).',
    );
  if (canonicalOrNull(payloadJson.value) !== payloadText)
    return fail(
      'invalid-record',
      'The file is signed, but the record in it is not in the exact form Reconnect writes, so it was not made by Reconnect.',
    );
  const record = payloadJson.value;
  if (!isPlainObject(record) || record.format !== RECORD_FORMAT)
    return fail('unknown-format', `${NOT_A_RECORD}: it is signed, but it holds something else.`);
  if (typeof record.formatVersion === 'number' && record.formatVersion > RECORD_FORMAT_VERSION)
    return fail(
      'unsupported-version',
      `This record uses version ${String(record.formatVersion)} of the record format, which is newer than this copy of Reconnect reads (version ${String(RECORD_FORMAT_VERSION)}). Open it with a newer version.`,
    );
  const invalid = recordProblem(record);
  if (invalid !== null)
    return fail(
      'invalid-record',
      `The file is signed, but the record in it is not valid: ${invalid}.`,
    );
  const { signer } = record;
  if (signer.keyFingerprint !== kid)
    return fail(
      'signer-mismatch',
      `The record says it was signed by ${signer.name} with the key ${signer.keyFingerprint}, but it was signed with a different key (${kid}).`,
    );
  if (record.formatVersion === 2) {
    const own = record.approvers.find((a) => a.keyFingerprint === kid);
    if (!own || canonicalize(own.publicJwk) !== canonicalize(header.jwk))
      return fail(
        'signer-mismatch',
        `The record lists a different public key for its signer ${signer.name} from the key that signed it (${kid}).`,
      );
  }
  const approvals = checkApprovals(record);
  const bad = approvals.filter((a) => a.verdict === 'bad');
  if (bad.length > 0)
    return fail(
      'bad-approval',
      `The file is signed, but ${bad.length === 1 ? 'an approval inside it does' : `${String(bad.length)} approvals inside it do`} not check out, so the decisions cannot be relied on: ${bad
        .slice(0, 10)
        .map((b) => `"${b.stepTitle} (${b.name})"`)
        .join(', ')}. ${bad[0].message}`,
    );
  if (paperFingerprint !== undefined && paperFingerprint.replace(/\s+/g, '') !== kid)
    return fail(
      'paper-mismatch',
      `The file is signed, but not with the key whose fingerprint is on the paper copy: it was signed with ${kid}. Anyone can sign a file with a key of their own, so it cannot be relied on.`,
    );
  return {
    valid: true,
    record,
    approvals,
    fingerprint: kid,
    digest: createHash('sha256').update(payloadBytes).digest('hex'),
  };
}

/** Verifies a compact ES256 JWS over `payloadBytes` by `jwk`; false for anything malformed. */
function compactSigned(jws, jwk) {
  const parts = jws.split('.');
  if (parts.length !== 3) return null;
  const [h, p, sig] = parts;
  const headerBytes = canonicalBase64url(h);
  const payloadBytes = canonicalBase64url(p);
  const signatureBytes = canonicalBase64url(sig);
  if (!headerBytes || !payloadBytes || !signatureBytes || signatureBytes.length !== 64) return null;
  const headerJson = parseJson(utf8(headerBytes) ?? '');
  if (
    !headerJson.ok ||
    !hasExactly(headerJson.value, ['alg', 'kid', 'typ']) ||
    headerJson.value.alg !== 'ES256' ||
    headerJson.value.typ !== APPROVAL_JWS_TYPE ||
    headerJson.value.kid !== thumbprint(jwk)
  )
    return null;
  let ok;
  try {
    ok = verify(
      'sha256',
      Buffer.from(`${h}.${p}`, 'ascii'),
      { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      signatureBytes,
    );
  } catch {
    ok = false;
  }
  if (!ok) return null;
  const payload = parseJson(utf8(payloadBytes) ?? '');
  return payload.ok && isPlainObject(payload.value) ? payload.value : null;
}

/**
 * Checks every approval in the record against the approvers' keys it carries (version 2), as
 * the app's src/record/approvals.ts does: the key is the one its fingerprint names, the
 * signature is genuine, and what it signed is this decision. Version 1 records carry no keys.
 */
export function checkApprovals(record) {
  const keys = new Map((record.approvers ?? []).map((a) => [a.keyFingerprint, a]));
  const checks = [];
  for (const step of record.steps) {
    const approval = isPlainObject(step) ? step.approval : undefined;
    if (!isPlainObject(approval)) continue;
    const base = { stepId: step.id, stepTitle: step.title, name: approval.name };
    if (!approval.signature || !approval.keyFingerprint) {
      checks.push({ ...base, verdict: 'unsigned', message: 'This approval was not signed.' });
      continue;
    }
    const key = keys.get(approval.keyFingerprint);
    if (!key) {
      checks.push({
        ...base,
        verdict: 'no-key',
        message: 'This record does not carry the approver’s public key.',
      });
      continue;
    }
    if (thumbprint(key.publicJwk) !== key.keyFingerprint) {
      checks.push({
        ...base,
        verdict: 'bad',
        message: 'The public key listed for this approver is not the key its fingerprint names.',
      });
      continue;
    }
    const payload = compactSigned(approval.signature, key.publicJwk);
    if (!payload) {
      checks.push({
        ...base,
        verdict: 'bad',
        message: 'The approval signature does not match: it has been changed.',
      });
      continue;
    }
    const mismatch = approvalMismatch(record, step, payload);
    checks.push(
      mismatch
        ? {
            ...base,
            verdict: 'bad',
            message: `The signature is genuine, but not for this decision: ${mismatch}.`,
          }
        : {
            ...base,
            verdict: 'valid',
            message: 'Signed by this approver’s key, for this decision.',
          },
    );
  }
  return checks;
}

/** The same comparison as src/record/approvals.ts approvalMismatch. */
function approvalMismatch(record, step, payload) {
  const approval = step.approval;
  if (payload.stepId !== step.id) return 'it was given for another step';
  if (payload.decision !== 'approve') return 'it is not an approval';
  if (payload.at !== approval.at) return 'it was given at another time';
  if (payload.outcome !== step.status) return 'it approved another outcome';
  if ((payload.roleId ?? null) !== (approval.takenAs?.id ?? null))
    return 'it was taken under another role';
  if (step.status === 'completed') {
    if (!Array.isArray(step.evidence)) return 'the step has no answers';
    const evidence = Object.fromEntries(
      step.evidence.filter(isPlainObject).map((e) => [e.field, e.value]),
    );
    const digest = createHash('sha256').update(canonicalize(evidence)).digest('hex');
    if (payload.evidenceDigest !== digest) return 'it approved other answers';
  }
  if (
    payload.after !== undefined &&
    record.stage?.previous?.recordDigest !== payload.after?.recordDigest
  )
    return 'it follows a different go-ahead from the one this record names';
  return null;
}

const USAGE = `usage: node verify-record.mjs <record.json> "<fingerprint printed on the paper copy>"
       node verify-record.mjs <record.json> --key-checked-elsewhere`;

/** The command line: reads the file, prints VALID / NOT VALID / NOT CHECKED, returns the status. */
export function main(args, print = console.log) {
  const flags = args.filter((a) => a.startsWith('--'));
  const [file, paper, ...extra] = args.filter((a) => !a.startsWith('--'));
  const keyCheckedElsewhere = flags.includes('--key-checked-elsewhere');
  const unknownFlags = flags.filter((f) => f !== '--key-checked-elsewhere');
  if (
    !file ||
    extra.length > 0 ||
    unknownFlags.length > 0 ||
    (paper !== undefined && keyCheckedElsewhere)
  ) {
    print(USAGE);
    return 2;
  }
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    print(`NOT VALID (unreadable): the file could not be read (${error.code ?? error.message}).`);
    return 1;
  }
  const paperFingerprint = paper === undefined || paper.trim() === '' ? undefined : paper;
  const result = verifyRecordBytes(bytes, { paperFingerprint });
  if (!result.valid) {
    print(`NOT VALID (${result.reason}): ${result.message}`);
    return 1;
  }
  const { record, fingerprint, digest } = result;
  if (paperFingerprint === undefined && !keyCheckedElsewhere) {
    print(
      `NOT CHECKED: the file is intact and signed by the key ${fingerprint}, but anyone can sign a file with a key of their own. Give the fingerprint printed on the signed paper copy as the second argument (or --key-checked-elsewhere if you have checked the key another way).`,
    );
    return 2;
  }
  print(`VALID: signed by ${record.signer.name} (${record.signer.role}) on ${record.createdAt}`);
  if (record.stage)
    print(
      `sign-off        ${record.stage.title}${record.stage.previous ? ` (after ${record.stage.previous.title}, record digest ${record.stage.previous.recordDigest})` : ''}`,
    );
  const { approvals } = result;
  const counted = (v) => approvals.filter((a) => a.verdict === v).length;
  if (approvals.length > 0)
    print(
      `approvals       ${String(counted('valid'))} of ${String(approvals.length)} signatures checked and valid${counted('no-key') ? `; ${String(counted('no-key'))} cannot be checked (this record carries no keys)` : ''}${counted('unsigned') ? `; ${String(counted('unsigned'))} unsigned` : ''}`,
    );
  print(
    `key fingerprint ${fingerprint}${paperFingerprint ? ' (the one on paper)' : ' (checked elsewhere, as you said)'}`,
  );
  print(`record digest   ${digest}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
