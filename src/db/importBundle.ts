// A bundle file into the door: read and check the file (src/exchange/bundle.ts), then merge its
// parts (merge.ts). A file that fails any check is refused before the database is opened.
//
// A person first sees what a file would do (the preview), then chooses to import it. The file
// checked for the preview is kept, parsed and frozen, with what its checks established (every
// event's hash, the signatures) and the plan made for it, so the import does not read and check
// the same text twice. It is kept only for that exact text (compared in full), and the plan only
// while this device holds exactly what it held at the preview: the import reads this device's
// side again inside its own transaction and plans again if anything there changed.
import { readBundle } from '../exchange/bundle.ts';
import type { Manifest, Parts } from '../exchange/format.ts';
import { getDatabase, type ReconnectDatabase } from './database.ts';
import {
  mergeParts,
  MergeRefusedError,
  newMergeMemo,
  type MergeMemo,
  type MergeResult,
} from './merge.ts';

export class BundleRefusedError extends Error {
  override name = 'BundleRefusedError';
}

export interface BundleImport extends MergeResult {
  manifest: Manifest;
}

interface Checked {
  text: string;
  manifest: Manifest;
  parts: Parts;
  memo: MergeMemo;
}

/** The last file checked for a preview (one at a time: a person imports what they just saw). */
let checked: Checked | undefined;

/** Forgets the file kept from the last preview (the person chose another, or left the page). */
export function forgetCheckedBundle(): void {
  checked = undefined;
}

/** Makes a value read-only all the way down, so what was checked stays what is written. */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
}

async function check(text: string): Promise<Checked> {
  if (checked?.text === text) return checked;
  const reading = await readBundle(text);
  if (!reading.ok) throw new BundleRefusedError(reading.message);
  deepFreeze(reading.parts);
  deepFreeze(reading.manifest);
  return { text, manifest: reading.manifest, parts: reading.parts, memo: newMergeMemo() };
}

/** Checks a bundle and merges it (or, with `preview`, says what merging it would do). */
export async function importBundle(
  text: string,
  options: { preview?: boolean; db?: ReconnectDatabase } = {},
): Promise<BundleImport> {
  const db = options.db ?? getDatabase();
  const started = performance.now();
  const current = await check(text);
  // A preview keeps the checked file for the import that may follow; an import uses it up.
  checked = options.preview ? current : undefined;
  const { manifest, parts, memo } = current;
  try {
    const result = await mergeParts(
      parts,
      manifest.heads,
      {
        kind: manifest.kind,
        by: manifest.createdBy,
        device: { name: manifest.device.name, fingerprint: manifest.device.fingerprint },
        at: manifest.createdAt,
      },
      { db, memo, ...(options.preview ? { preview: true } : {}) },
    );
    // The benchmark reads these: from the file's text to what the preview shows, and from the
    // person's choice to import to the committed import.
    performance.measure(options.preview ? 'reconnect:bundle-check' : 'reconnect:bundle-import', {
      start: started,
      end: performance.now(),
    });
    return { ...result, manifest };
  } catch (error) {
    if (error instanceof MergeRefusedError) {
      if (checked === current) checked = undefined;
      throw new BundleRefusedError(`${error.message} Nothing was imported.`);
    }
    throw error;
  }
}
