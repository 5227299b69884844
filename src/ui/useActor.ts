// "Who is working?": the name recorded on every action, kept on this device.
import { useSetting } from '../db/liveSetting.ts';

const KEY = 'actor';

function parseActor(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const name = (value as { name?: unknown }).name;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

export function useActor(): { loaded: boolean; name: string | undefined } {
  const { loaded, value } = useSetting(KEY, parseActor);
  return { loaded, name: value };
}

/** Saves the name (through Dexie, loaded now if this page has not needed it yet). */
export async function setActor(name: string): Promise<void> {
  const { writeSetting } = await import('../db/settings.ts');
  await writeSetting(KEY, { name: name.trim() });
}
