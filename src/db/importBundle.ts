// A bundle file into the door: read and check the file (src/exchange/bundle.ts), then merge its
// parts (merge.ts). A file that fails any check is refused before the database is opened.
import { readBundle } from '../exchange/bundle.ts';
import type { Manifest } from '../exchange/format.ts';
import { getDatabase, type ReconnectDatabase } from './database.ts';
import { mergeParts, MergeRefusedError, type MergeResult } from './merge.ts';

export class BundleRefusedError extends Error {
  override name = 'BundleRefusedError';
}

export interface BundleImport extends MergeResult {
  manifest: Manifest;
}

/** Checks a bundle and merges it (or, with `preview`, says what merging it would do). */
export async function importBundle(
  text: string,
  options: { preview?: boolean; db?: ReconnectDatabase } = {},
): Promise<BundleImport> {
  const db = options.db ?? getDatabase();
  const started = performance.now();
  const reading = await readBundle(text);
  if (!reading.ok) throw new BundleRefusedError(reading.message);
  const { manifest, parts } = reading;
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
      { db, ...(options.preview ? { preview: true } : {}) },
    );
    // The benchmark reads this: from the file's text to the committed import.
    if (!options.preview)
      performance.measure('reconnect:bundle-import', { start: started, end: performance.now() });
    return { ...result, manifest };
  } catch (error) {
    if (error instanceof MergeRefusedError)
      throw new BundleRefusedError(`${error.message} Nothing was imported.`);
    throw error;
  }
}
