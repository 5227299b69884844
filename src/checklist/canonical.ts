// Canonical JSON (RFC 8785) and SHA-256. canonicalJson is synchronous so that a hash can be
// computed inside an IndexedDB transaction without letting it commit early.
//
// The fast path copies the value with every object's keys inserted in sorted order and lets the
// engine's JSON.stringify write it: for JSON data that is the RFC 8785 form (strings and numbers
// are serialised exactly as ECMAScript does, which is what RFC 8785 specifies), about four times
// faster than serialising value by value on a bundle of tens of thousands of events. Engines
// list integer-like keys first whatever their insertion order, so an object with such a key is
// written by the `canonicalize` library instead; a property test holds the two identical.
import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { ChecklistDefinition } from './schema.ts';

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const INTEGER_KEY = /^(?:0|[1-9][0-9]*)$/;

/** Thrown inside the fast path when only the library's writer gives the canonical order. */
class NeedsLibrary extends Error {}
const NEEDS_LIBRARY = new NeedsLibrary('needs the canonicalize library');

function checkString(value: string): void {
  if (SURROGATE.test(value) && LONE_SURROGATE.test(value))
    throw new Error('Lone surrogate is not allowed');
}

function sortedCopy(value: unknown, seen: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
      checkString(value);
      return value;
    case 'number':
      if (Number.isNaN(value)) throw new Error('NaN is not allowed');
      if (!Number.isFinite(value)) throw new Error('Infinity is not allowed');
      return value;
    case 'object':
      if (value === null) return null;
      break;
    case 'boolean':
    case 'undefined':
      return value;
    default:
      // Functions, symbols, bigints: not JSON; the library says what it makes of them.
      throw NEEDS_LIBRARY;
  }
  if (seen.has(value)) throw new Error('Circular reference detected');
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') throw NEEDS_LIBRARY;
  seen.add(value);
  let copy: unknown;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      items[i] = item === undefined ? null : sortedCopy(item, seen);
    }
    copy = items;
  } else {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object).sort();
    // No prototype: a "__proto__" key (JSON.parse makes it an own property) stays a property
    // of the copy instead of replacing its prototype and vanishing from the output.
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of keys) {
      const item = object[key];
      if (item === undefined) continue;
      if (INTEGER_KEY.test(key)) throw NEEDS_LIBRARY;
      checkString(key);
      out[key] = sortedCopy(item, seen);
    }
    copy = out;
  }
  seen.delete(value);
  return copy;
}

export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(sortedCopy(value, new Set()));
  } catch (error) {
    if (error !== NEEDS_LIBRARY) throw error;
    text = canonicalize(value);
  }
  if (text === undefined) throw new Error('value has no JSON form');
  return text;
}

export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data));
}

const encoder = new TextEncoder();

/**
 * The same SHA-256 through WebCrypto: native and far faster on megabytes, but asynchronous, so
 * only for work done outside an IndexedDB transaction (a bundle's digests, before it opens).
 */
export async function sha256HexAsync(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return bytesToHex(new Uint8Array(digest));
}

/** The content hash runs pin: SHA-256 of the definition's canonical JSON. */
export function contentHash(definition: ChecklistDefinition): string {
  return sha256Hex(canonicalJson(definition));
}
