// Canonical JSON (RFC 8785, via the `canonicalize` library) and SHA-256, synchronous so that a
// hash can be computed inside an IndexedDB transaction without letting it commit early.
import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { ChecklistDefinition } from './schema.ts';

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value has no JSON form');
  return text;
}

export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data));
}

/** The content hash runs pin: SHA-256 of the definition's canonical JSON. */
export function contentHash(definition: ChecklistDefinition): string {
  return sha256Hex(canonicalJson(definition));
}
