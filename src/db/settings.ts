// Settings kept on this device (key/value). Reading one live for the UI is in liveSetting.ts.
import { getDatabase, type ReconnectDatabase } from './database.ts';

export async function readSetting(
  key: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<unknown> {
  const row = await db.settings.get(key);
  return row?.value;
}

export async function writeSetting(
  key: string,
  value: unknown,
  db: ReconnectDatabase = getDatabase(),
): Promise<void> {
  await db.settings.put({ key, value, updatedAt: new Date().toISOString() });
}
