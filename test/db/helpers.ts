// A fresh database per test, on fake-indexeddb.
import { afterEach } from 'vitest';
import { ReconnectDatabase } from '../../src/db/database.ts';

const opened: ReconnectDatabase[] = [];

export function freshDatabase(name = `test-${crypto.randomUUID()}`): ReconnectDatabase {
  const db = new ReconnectDatabase(name);
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});
