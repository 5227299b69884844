// Making and reading a record bundle. Making: a digest of each part's RFC 8785 form goes in the
// manifest, and the manifest is signed (ES256, the same canonical JSON and low-S form as the
// completion record) with this device's own key. Reading: the file must be a bundle, its
// manifest signed by the key it names, and every part must match its digest, parse, and carry
// files whose bytes match their SHA-256 — otherwise it is refused with what is wrong and where.
import { base64url, flattenedVerify, FlattenedSign, importJWK } from 'jose';
import { canonicalJson, sha256HexAsync } from '../checklist/canonical.ts';
import { jwkThumbprint, type PublicJwk } from '../record/keys.ts';
import { isLowS, lowS } from '../record/sign.ts';
import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  BUNDLE_JWS_TYPE,
  ManifestSchema,
  PartsSchema,
  partNames,
  type Bundle,
  type BundleKind,
  type DeviceIdentity,
  type Manifest,
  type Parts,
} from './format.ts';

/** This device's bundle-signing key: its identity (public) and the private key that signs. */
export interface DeviceKey {
  identity: DeviceIdentity;
  privateKey: CryptoKey;
}

export interface BundleMeta {
  kind: BundleKind;
  createdBy: string;
  createdAt?: string;
  includesWrappedKeys?: boolean;
}

const encoder = new TextEncoder();

/** SHA-256 of a part's RFC 8785 form (through WebCrypto: parts run to megabytes). */
export async function partDigest(items: readonly unknown[]): Promise<string> {
  return sha256HexAsync(canonicalJson(items));
}

/** The manifest for these parts: run heads from the runs' stored heads, a digest of each part. */
export async function buildManifest(
  parts: Parts,
  heads: Manifest['heads'],
  meta: BundleMeta,
  device: DeviceIdentity,
): Promise<Manifest> {
  // Each part is written canonically here (synchronously) and hashed natively, so one part's
  // digest is computed while the next is being written.
  const digests = await Promise.all(partNames.map((name) => partDigest(parts[name])));
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    kind: meta.kind,
    createdAt: meta.createdAt ?? new Date().toISOString(),
    createdBy: meta.createdBy,
    device,
    records: parts.runs
      .filter((r) => r.kind === 'organisation')
      .map((r) => ({ runId: r.runId, organisation: r.organisation.name })),
    heads,
    parts: Object.fromEntries(
      partNames.map((name, i) => [name, { count: parts[name].length, sha256: digests[i] ?? '' }]),
    ) as Manifest['parts'],
    includesWrappedKeys: meta.includesWrappedKeys ?? false,
  };
}

/** The bundle as a file: its text, and the manifest it carries. */
export async function makeBundle(
  parts: Parts,
  heads: Manifest['heads'],
  meta: BundleMeta,
  key: DeviceKey,
): Promise<{ text: string; manifest: Manifest }> {
  const manifest = await buildManifest(parts, heads, meta, key.identity);
  const { crv, kty, x, y } = key.identity.publicJwk;
  const jws = await new FlattenedSign(encoder.encode(canonicalJson(manifest)))
    .setProtectedHeader({
      alg: 'ES256',
      jwk: { crv, kty, x, y },
      kid: key.identity.fingerprint,
      typ: BUNDLE_JWS_TYPE,
    })
    .sign(key.privateKey);
  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    manifest,
    signature: { protected: jws.protected ?? '', signature: lowS(jws.signature) },
    parts,
  };
  // Plain JSON.stringify: fast on a large record, and the digests cover each part's canonical
  // form, so how the file is spaced does not matter to verification.
  return { text: `${JSON.stringify(bundle)}\n`, manifest };
}

export type BundleReading =
  { ok: true; manifest: Manifest; parts: Parts } | { ok: false; message: string };

const NOT_A_BUNDLE = 'This file is not a Reconnect record bundle';
const CHANGED = 'has been changed since the bundle was made';

function refuse(message: string): BundleReading {
  return { ok: false, message };
}

function issueText(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'it does not match the format';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

export function decodeBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk)
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

async function checkSignature(manifest: Manifest, signature: Bundle['signature']) {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(base64url.decode(signature.protected)));
  } catch {
    return 'its signature cannot be read';
  }
  const h = header as { alg?: unknown; typ?: unknown; kid?: unknown; jwk?: PublicJwk };
  if (h.alg !== 'ES256' || h.typ !== BUNDLE_JWS_TYPE || !h.jwk)
    return 'its signature is not a Reconnect bundle signature';
  const { crv, kty, x, y } = h.jwk;
  const jwk = { crv, kty, x, y };
  if (canonicalJson(jwk) !== canonicalJson(manifest.device.publicJwk))
    return 'it is signed with a key other than the one its manifest names';
  if (
    (await jwkThumbprint(jwk)) !== manifest.device.fingerprint ||
    h.kid !== manifest.device.fingerprint
  )
    return 'the fingerprint it shows is not that of its signing key';
  let signatureBytes: Uint8Array;
  try {
    signatureBytes = base64url.decode(signature.signature);
  } catch {
    return 'its signature cannot be read';
  }
  if (!isLowS(signatureBytes)) return `its manifest ${CHANGED} (the signature does not match)`;
  try {
    await flattenedVerify(
      {
        payload: base64url.encode(canonicalJson(manifest)),
        protected: signature.protected,
        signature: signature.signature,
      },
      await importJWK(jwk, 'ES256'),
      { algorithms: ['ES256'] },
    );
  } catch {
    return `its manifest ${CHANGED} (the signature does not match)`;
  }
  return null;
}

/** Checks a bundle file from end to end; nothing is trusted until every check has passed. */
export async function readBundle(text: string): Promise<BundleReading> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse(
      `${NOT_A_BUNDLE}, or it is incomplete: it is not a whole JSON document (cut short while copying?).`,
    );
  }
  const raw = value as Partial<Record<keyof Bundle, unknown>> | null;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw.format !== BUNDLE_FORMAT)
    return refuse(`${NOT_A_BUNDLE}.`);
  const rawManifest = raw.manifest as { formatVersion?: unknown } | undefined;
  if (
    typeof rawManifest?.formatVersion === 'number' &&
    rawManifest.formatVersion > BUNDLE_FORMAT_VERSION
  )
    return refuse(
      `This bundle was made by a newer version of Reconnect (format ${String(rawManifest.formatVersion)}). Update Reconnect on this device and try again.`,
    );
  const manifest = ManifestSchema.safeParse(raw.manifest);
  if (!manifest.success)
    return refuse(
      `The bundle’s manifest is not valid (${issueText(manifest.error.issues[0])}), so nothing was imported.`,
    );
  const sig = raw.signature as Bundle['signature'] | undefined;
  if (typeof sig?.protected !== 'string' || typeof sig.signature !== 'string')
    return refuse('The bundle is not signed, so nothing was imported.');
  const signatureProblem = await checkSignature(manifest.data, sig);
  if (signatureProblem)
    return refuse(`The bundle cannot be trusted: ${signatureProblem}. Nothing was imported.`);

  const rawParts = raw.parts as Record<string, unknown> | null | undefined;
  if (typeof rawParts !== 'object' || rawParts === null)
    return refuse('The bundle has no parts, so nothing was imported.');
  for (const name of partNames) {
    const part = rawParts[name];
    const expected = manifest.data.parts[name];
    if (!Array.isArray(part))
      return refuse(`The bundle’s ${name} part is missing. Nothing was imported.`);
    if (part.length !== expected.count)
      return refuse(
        `The bundle’s ${name} part ${CHANGED}: it holds ${String(part.length)} items where the signed manifest lists ${String(expected.count)}. Nothing was imported.`,
      );
  }
  // Every part's digest, each part written canonically in turn while the last one is hashed.
  const digests = await Promise.all(
    partNames.map((name) => partDigest(rawParts[name] as unknown[]).catch(() => null)),
  );
  for (const [i, name] of partNames.entries()) {
    const digest = digests[i];
    if (digest === null || digest === undefined)
      return refuse(`The bundle’s ${name} part cannot be read. Nothing was imported.`);
    if (digest !== manifest.data.parts[name].sha256)
      return refuse(
        `The bundle’s ${name} part ${CHANGED} (its SHA-256 does not match the signed manifest). Nothing was imported.`,
      );
  }
  const parts = PartsSchema.safeParse(rawParts);
  if (!parts.success)
    return refuse(`The bundle’s ${issueText(parts.error.issues[0])}. Nothing was imported.`);
  const blobDigests = await Promise.all(
    parts.data.blobs.map((blob) => {
      const bytes = decodeBase64(blob.base64);
      return bytes ? sha256HexAsync(bytes) : Promise.resolve(null);
    }),
  );
  for (const [i, blob] of parts.data.blobs.entries()) {
    if (blobDigests[i] !== blob.sha256)
      return refuse(
        `The bundle’s file ${String(i + 1)} does not match its SHA-256. Nothing was imported.`,
      );
  }
  if (manifest.data.kind !== 'backup' && parts.data.approvers.some((a) => 'wrapped' in a))
    return refuse(
      'The bundle carries an approver’s private key, which only a full backup may do. Nothing was imported.',
    );
  return { ok: true, manifest: manifest.data, parts: parts.data };
}

export function decodeBlob(base64: string): Uint8Array {
  const bytes = decodeBase64(base64);
  if (!bytes) throw new Error('not base64');
  return bytes;
}
