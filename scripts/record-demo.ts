// `npm run record:demo -- <out.json>`: writes a signed completion record made by src/record from
// the sample record, with a throwaway demo key, plus the public key beside it, so the format can
// be checked with standard tools. A demonstration only: the trust and the people are invented.
import { statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildSampleRecord } from './lib/sampleRecord.ts';
import {
  PassphraseTooShortError,
  createApproverKey,
  formatFingerprint,
  unlockSigningKey,
} from '../src/record/keys.ts';
import { signRecord } from '../src/record/sign.ts';
import { verifyRecordFile } from '../src/record/verify.ts';

const DEMO_PASSPHRASE = 'demo passphrase - not for real use';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const target = process.argv[2];
if (!target || target.startsWith('-'))
  fail(
    'Say where to write the demo record, for example:\n  npm run record:demo -- demo-record.json',
  );

const out = resolve(target);
// The public key beside the record: out.json → out.public-jwk.json.
const keyOut = out.replace(/(\.json)?$/i, '.public-jwk.json');
// Checked before the slow key derivation, so a typo in the path fails at once.
if (!statSync(dirname(out), { throwIfNoEntry: false })?.isDirectory())
  fail(`The folder ${dirname(out)} does not exist: create it first, or choose another path.`);
const fromEnv = process.env.RECONNECT_DEMO_PASSPHRASE;
const passphrase = fromEnv ?? DEMO_PASSPHRASE;

const approverKey = await createApproverKey({
  name: 'Dr Alison Hart',
  role: 'Director of Finance and SIRO',
  passphrase,
}).catch((error: unknown) =>
  fail(
    error instanceof PassphraseTooShortError
      ? `RECONNECT_DEMO_PASSPHRASE: ${error.message}`
      : String(error),
  ),
);
const signingKey = await unlockSigningKey(approverKey, passphrase);
const record = buildSampleRecord({
  signer: {
    name: approverKey.name,
    role: approverKey.role,
    keyFingerprint: approverKey.fingerprint,
  },
});
const signed = await signRecord(record, approverKey, signingKey);

// Check the file as a reader would before saying it is written.
const check = await verifyRecordFile(signed.text);
if (!check.valid) fail(`The demo record did not verify: ${check.message}`);

try {
  writeFileSync(out, signed.text);
  writeFileSync(keyOut, `${JSON.stringify(approverKey.publicJwk, null, 2)}\n`);
} catch (error) {
  fail(
    `Could not write the demo record to ${out}: ${error instanceof Error ? error.message : String(error)}`,
  );
}

const lines = [
  'DEMO ONLY: a sample record of an invented trust, signed with a throwaway key made just now',
  `(passphrase ${fromEnv ? 'from RECONNECT_DEMO_PASSPHRASE' : `"${DEMO_PASSPHRASE}", the built-in demo one`}). It is not a real sign-off.`,
  '',
  `Record file:      ${out}`,
  `Public key (JWK): ${keyOut}`,
  `Signer:           ${record.signer.name}, ${record.signer.role}`,
  `Key fingerprint:  ${formatFingerprint(signed.fingerprint)}`,
  `                  (${signed.fingerprint}, the JWS "kid")`,
  `Record digest:    ${signed.digest}`,
  '                  (SHA-256 of the signed payload, the record as canonical JSON)',
  `Devices:          ${record.devices.summary.total.toLocaleString('en-GB')}; steps: ${String(record.steps.length)}`,
  '',
  `Public JWK: ${JSON.stringify(approverKey.publicJwk)}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
