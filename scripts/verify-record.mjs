#!/usr/bin/env node
// Verifies a Reconnect completion record with Node's own crypto and nothing else (no packages,
// no Reconnect code): the ES256 signature, the key against the fingerprint printed on paper,
// and that the record names that key. Usage:
//   node scripts/verify-record.mjs record.json "<fingerprint printed on the paper copy>"
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [file, paper = ''] = process.argv.slice(2);
if (!file) {
  console.error('usage: node verify-record.mjs <record.json> "<fingerprint on paper>"');
  process.exit(2);
}
let jws;
try {
  jws = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('NOT VALID: the file is not a JSON web signature');
  process.exit(1);
}
const header = JSON.parse(Buffer.from(jws.protected ?? '', 'base64url').toString('utf8') || '{}');
const { crv, kty, x, y } = header.jwk ?? {};
// RFC 7638: the thumbprint is the SHA-256 of the required members in lexicographic order.
const thumbprint = createHash('sha256')
  .update(JSON.stringify({ crv, kty, x, y }))
  .digest('base64url');
let signed;
try {
  signed =
    header.alg === 'ES256' &&
    verify(
      'sha256',
      Buffer.from(`${jws.protected}.${jws.payload}`),
      { key: createPublicKey({ key: header.jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      Buffer.from(jws.signature, 'base64url'),
    );
} catch {
  signed = false;
}
if (!signed) {
  console.log('NOT VALID: the signature does not match the record');
  process.exit(1);
}
// ECDSA accepts (r, s) and (r, n - s) alike; Reconnect writes only the lower s, so a record has
// exactly one file. The other form is the same signature in a file Reconnect did not write.
const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const s = BigInt(`0x${Buffer.from(jws.signature, 'base64url').subarray(32).toString('hex')}`);
if (s > n / 2n) {
  console.log(
    'NOT VALID: the signature is in its mirrored form: this is not the file Reconnect wrote',
  );
  process.exit(1);
}
const payload = Buffer.from(jws.payload, 'base64url');
const record = JSON.parse(payload.toString('utf8'));
const paperPrint = paper.replaceAll(' ', '');
const problems = [];
if (header.kid !== thumbprint) problems.push('the key id is not the key’s fingerprint');
if (paperPrint && paperPrint !== thumbprint)
  problems.push('the key is not the one whose fingerprint is on paper');
if (record.signer?.keyFingerprint !== thumbprint)
  problems.push('the record names a different signer key');
if (problems.length) {
  console.log(`NOT VALID: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(
  `VALID: signed by ${record.signer.name} (${record.signer.role}) on ${record.decision.decidedAt}`,
);
console.log(`key fingerprint ${thumbprint}`);
if (!paperPrint)
  console.log(
    'WARNING: no fingerprint from the paper copy was given. Anyone can sign a file with a key of their own: compare the fingerprint above with the one printed on the signed paper record.',
  );
console.log(`record digest   ${createHash('sha256').update(payload).digest('hex')}`);
