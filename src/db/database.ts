// The app's IndexedDB database: every schema version the app has ever shipped, in order.
// This folder is the only place that imports Dexie; everything else goes through it.
import { Dexie, type Table } from 'dexie';
import { schemaVersions } from './schema.ts';

export interface SettingRow {
  key: string;
  value: unknown;
}

export class ReconnectDatabase extends Dexie {
  settings!: Table<SettingRow, string>;

  constructor(name = 'reconnect') {
    super(name);
    for (const version of schemaVersions) {
      const declared = this.version(version.version).stores(version.stores);
      const upgrade = version.upgrade;
      if (upgrade) declared.upgrade((tx) => upgrade(tx));
    }
  }
}

let shared: ReconnectDatabase | undefined;

/** The database the app uses (one per page). Tests create their own with a fresh name. */
export function getDatabase(): ReconnectDatabase {
  shared ??= new ReconnectDatabase();
  return shared;
}
