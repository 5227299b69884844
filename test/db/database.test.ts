import { afterEach, describe, expect, it } from 'vitest';
import { ReconnectDatabase } from '../../src/db/database.ts';
import { readSetting, writeSetting } from '../../src/db/settings.ts';
import { latestSchemaVersion } from '../../src/db/schema.ts';

let db: ReconnectDatabase | undefined;
afterEach(async () => {
  if (db) await db.delete();
  db = undefined;
});

describe('database', () => {
  it('opens at the latest schema version', async () => {
    db = new ReconnectDatabase(`test-${crypto.randomUUID()}`);
    await db.open();
    expect(db.verno).toBe(latestSchemaVersion);
  });

  it('keeps settings across a reopen', async () => {
    const name = `test-${crypto.randomUUID()}`;
    db = new ReconnectDatabase(name);
    await writeSetting('who', { name: 'Sam' }, db);
    db.close();
    db = new ReconnectDatabase(name);
    expect(await readSetting('who', db)).toEqual({ name: 'Sam' });
    expect(await readSetting('missing', db)).toBeUndefined();
  });
});
