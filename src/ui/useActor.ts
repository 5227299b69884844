// "Who is working?": the name recorded on every action, kept on this device.
import { useSetting, writeSetting } from '../db/settings.ts';

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

export async function setActor(name: string): Promise<void> {
  await writeSetting(KEY, { name: name.trim() });
}
