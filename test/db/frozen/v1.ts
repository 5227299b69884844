// The database exactly as schema version 1 shipped it. Never edit: it is what installed apps
// may still hold, and the upgrade tests start from it.
import { Dexie } from 'dexie';

export function openVersion1(name: string): Dexie {
  const db = new Dexie(name);
  db.version(1).stores({ settings: 'key' });
  return db;
}
