// Approver keys: an ECDSA P-256 key pair per approver whose private half is kept only wrapped
// under the approver's passphrase (PBKDF2-SHA-256 → AES-GCM-256), so a stored key cannot sign
// without the passphrase. WebCrypto only (Node 20 and browsers), never hand-written crypto.
import { base64url, calculateJwkThumbprint, type JWK } from 'jose';
import { z } from 'zod';

import {
  APPROVER_TEXT_MAX,
  characterCount,
  DamagedKeyError,
  MIN_PASSPHRASE_LENGTH,
  PassphraseTooShortError,
  WrongPassphraseError,
} from './approverBasics.ts';

// What pages need without the cryptography or the schemas lives in approverBasics.ts; it is
// re-exported here for the code that has this module anyway.
export {
  APPROVER_TEXT_MAX,
  canSignHere,
  characterCount,
  DamagedKeyError,
  formatFingerprint,
  MIN_PASSPHRASE_LENGTH,
  PassphraseTooShortError,
  publicPart,
  WrongPassphraseError,
  type StoredApprover,
} from './approverBasics.ts';

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA-256; unlocking takes a noticeable moment on purpose. */
export const PBKDF2_ITERATIONS = 600_000;
// A stored key asking for more than this is damaged or hostile: do not hang the app on it.
const MAX_PBKDF2_ITERATIONS = 10_000_000;
const SALT_BYTES = 16;
const IV_BYTES = 12;

// The schemas are made when a key is first checked, not when this module loads: the pages that
// load it to show a fingerprint or verify a record need few of them, and a slow phone pays for
// every schema built before the page can show.
function buildKeySchemas() {
  const base64urlText = (bytes?: number) =>
    z
      .string()
      .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding')
      .refine((v) => bytes === undefined || v.length === Math.ceil((bytes * 4) / 3), {
        error: `must encode ${String(bytes)} bytes`,
      });

  /** A P-256 public key as a JWK with only its required members (so its thumbprint is stable). */
  const PublicJwkSchema = z.strictObject({
    crv: z.literal('P-256'),
    kty: z.literal('EC'),
    x: base64urlText(32),
    y: base64urlText(32),
  });

  const ApproverKeySchema = z.strictObject({
    id: z.uuid(),
    name: z.string().trim().min(1).max(APPROVER_TEXT_MAX),
    role: z.string().trim().min(1).max(APPROVER_TEXT_MAX),
    publicJwk: PublicJwkSchema,
    /** RFC 7638 SHA-256 thumbprint of publicJwk, base64url: the key's name on paper. */
    fingerprint: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    /** The PKCS #8 private key, AES-GCM-256 encrypted under a key derived from the passphrase. */
    wrapped: z.strictObject({
      kdf: z.literal('PBKDF2-SHA-256'),
      iterations: z.int().min(PBKDF2_ITERATIONS).max(MAX_PBKDF2_ITERATIONS),
      salt: base64urlText(SALT_BYTES),
      iv: base64urlText(IV_BYTES),
      ciphertext: base64urlText().min(1),
    }),
    createdAt: z.iso.datetime({ offset: true }),
    /**
     * The checklist roles (their ids, such as "siro" or "incident-lead") this approver holds.
     * Decisions that need a role are offered only to its holders. Absent on approvers registered
     * before roles existed: they hold none until someone adds them.
     */
    roles: z
      .array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/))
      .max(50)
      .optional(),
  });

  /**
   * An approver who signs on another device: registered here by public key alone (a person
   * compared its fingerprint), so this device can say whether a signature is theirs. It has no
   * wrapped private key and can never sign here.
   */
  const PublicApproverSchema = ApproverKeySchema.omit({ wrapped: true });

  return { PublicJwkSchema, ApproverKeySchema, PublicApproverSchema };
}

let schemas: ReturnType<typeof buildKeySchemas> | undefined;
const keySchemas = () => (schemas ??= buildKeySchemas());

/** A P-256 public key as a JWK with only its required members (so its thumbprint is stable). */
export const PublicJwkSchema = z.lazy(() => keySchemas().PublicJwkSchema);
export type PublicJwk = z.infer<typeof PublicJwkSchema>;

/** An approver whose wrapped private key is on this device. */
export const ApproverKeySchema = z.lazy(() => keySchemas().ApproverKeySchema);
/** What the app stores for an approver: JSON-serialisable, safe to keep without the passphrase. */
export type ApproverKey = z.infer<typeof ApproverKeySchema>;

/** An approver known here by public key alone (see buildKeySchemas). */
export const PublicApproverSchema = z.lazy(() => keySchemas().PublicApproverSchema);
export type PublicApprover = z.infer<typeof PublicApproverSchema> & { wrapped?: undefined };

const subtle = () => globalThis.crypto.subtle;
const encoder = new TextEncoder();

/**
 * The passphrase as bytes. NFC first, so the same passphrase typed on two keyboards (composed
 * or decomposed accents) unlocks the same key.
 */
function passphraseBytes(passphrase: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(passphrase.normalize('NFC'));
}

/** Copies into a fresh ArrayBuffer-backed array, the type WebCrypto's BufferSource takes. */
function bytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(data.length);
  copy.set(data);
  return copy;
}

async function wrappingKey(
  passphrase: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<CryptoKey> {
  const material = await subtle().importKey('raw', passphraseBytes(passphrase), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/**
 * Additional data for AES-GCM: binds the wrapped private key to this key's id and public key,
 * so a stored key whose public half was swapped for another cannot be unlocked.
 */
function associatedData(id: string, fingerprint: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`reconnect-approver-key/v1/${id}/${fingerprint}`);
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url), computed by jose. */
export function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

export interface NewApproverKey {
  name: string;
  role: string;
  passphrase: string;
}

/** Makes an approver's key pair and returns it with the private half wrapped. */
export async function createApproverKey(input: NewApproverKey): Promise<ApproverKey> {
  if (characterCount(input.passphrase) < MIN_PASSPHRASE_LENGTH) throw new PassphraseTooShortError();
  const name = input.name.trim();
  const role = input.role.trim();
  if (!name) throw new TypeError('Enter the approver’s name');
  if (!role) throw new TypeError('Enter the approver’s role');
  if (name.length > APPROVER_TEXT_MAX)
    throw new TypeError(`The name must be ${String(APPROVER_TEXT_MAX)} characters or fewer`);
  if (role.length > APPROVER_TEXT_MAX)
    throw new TypeError(`The role must be ${String(APPROVER_TEXT_MAX)} characters or fewer`);

  // Extractable only so the private key can be wrapped below; it is never exported in clear.
  const pair = await subtle().generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const exported = await subtle().exportKey('jwk', pair.publicKey);
  const publicJwk = PublicJwkSchema.parse({
    crv: exported.crv,
    kty: exported.kty,
    x: exported.x,
    y: exported.y,
  });
  const fingerprint = await jwkThumbprint(publicJwk);
  const id = globalThis.crypto.randomUUID();

  const salt = globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const aes = await wrappingKey(input.passphrase, salt, PBKDF2_ITERATIONS);
  const ciphertext = await subtle().wrapKey('pkcs8', pair.privateKey, aes, {
    name: 'AES-GCM',
    iv,
    additionalData: associatedData(id, fingerprint),
  });

  return {
    id,
    name,
    role,
    publicJwk,
    fingerprint,
    wrapped: {
      kdf: 'PBKDF2-SHA-256',
      iterations: PBKDF2_ITERATIONS,
      salt: base64url.encode(salt),
      iv: base64url.encode(iv),
      ciphertext: base64url.encode(new Uint8Array(ciphertext)),
    },
    createdAt: new Date().toISOString(),
  };
}

/**
 * Unwraps the approver's private key as a non-extractable signing key. A wrong passphrase
 * derives a different AES key, whose GCM tag check fails: that is the only signal needed.
 */
export async function unlockSigningKey(
  approverKey: ApproverKey,
  passphrase: string,
): Promise<CryptoKey> {
  const parsed = ApproverKeySchema.safeParse(approverKey);
  if (!parsed.success)
    throw new DamagedKeyError(
      `The stored key for ${approverKey.name} is damaged: ${parsed.error.issues[0]?.message ?? 'it does not match the key format'}`,
    );
  const key = parsed.data;
  if ((await jwkThumbprint(key.publicJwk)) !== key.fingerprint)
    throw new DamagedKeyError(
      `The stored key for ${key.name} is damaged: its fingerprint does not match its public key`,
    );
  const aes = await wrappingKey(
    passphrase,
    bytes(base64url.decode(key.wrapped.salt)),
    key.wrapped.iterations,
  );
  try {
    return await subtle().unwrapKey(
      'pkcs8',
      bytes(base64url.decode(key.wrapped.ciphertext)),
      aes,
      {
        name: 'AES-GCM',
        iv: bytes(base64url.decode(key.wrapped.iv)),
        additionalData: associatedData(key.id, key.fingerprint),
      },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
  } catch {
    throw new WrongPassphraseError(key.name);
  }
}
