// The list of schema versions. Versions are only ever appended: an installed app may hold
// data in any earlier shape, and Dexie upgrades it step by step through this list.
import type { Transaction } from 'dexie';

export interface SchemaVersion {
  version: number;
  /** Dexie store declarations: primary key first, then indexes. */
  stores: Record<string, string | null>;
  /** Rewrites data written by the previous version, inside the upgrade transaction. */
  upgrade?: (tx: Transaction) => Promise<void> | void;
}

export const schemaVersions: SchemaVersion[] = [
  {
    version: 1,
    stores: {
      settings: 'key',
    },
  },
];

export const latestSchemaVersion = schemaVersions[schemaVersions.length - 1]?.version ?? 0;
