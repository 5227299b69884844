// This device's own bundle-signing key: an ECDSA P-256 pair made on first use. The private key
// is a non-extractable CryptoKey kept in IndexedDB (the browser stores it without ever handing
// out its bytes), so a bundle's signature says which device made it; the fingerprint of its
// public half is what people compare. It is never exported, not even in a full backup.
import { jwkThumbprint, PublicJwkSchema } from '../record/keys.ts';
import type { DeviceKey } from '../exchange/bundle.ts';
import { getDatabase, type ReconnectDatabase } from './database.ts';

export const DEVICE_KEY_SETTING = 'device-signing-key';

function isDeviceKey(value: unknown): value is DeviceKey {
  const v = value as Partial<DeviceKey> | undefined;
  return (
    typeof v?.identity?.fingerprint === 'string' &&
    typeof v.identity.name === 'string' &&
    typeof CryptoKey !== 'undefined' &&
    v.privateKey instanceof CryptoKey
  );
}

/** The key if this device has one already (no key is made). */
export async function readDeviceKey(
  db: ReconnectDatabase = getDatabase(),
): Promise<DeviceKey | undefined> {
  const row = await db.settings.get(DEVICE_KEY_SETTING);
  return isDeviceKey(row?.value) ? row.value : undefined;
}

/** This device's key, made now (named `name`) if it has none. */
export async function deviceKey(
  name: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<DeviceKey> {
  const existing = await readDeviceKey(db);
  if (existing) return existing;
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const exported = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const publicJwk = PublicJwkSchema.parse({
    crv: exported.crv,
    kty: exported.kty,
    x: exported.x,
    y: exported.y,
  });
  const key: DeviceKey = {
    identity: {
      id: crypto.randomUUID(),
      name: name.trim().slice(0, 200) || 'This device',
      publicJwk,
      fingerprint: await jwkThumbprint(publicJwk),
    },
    privateKey: pair.privateKey,
  };
  // Two tabs making a key at once: the first one stored wins, and both use it.
  return db.transaction('rw', db.settings, async () => {
    const raced = await db.settings.get(DEVICE_KEY_SETTING);
    if (isDeviceKey(raced?.value)) return raced.value;
    await db.settings.put({
      key: DEVICE_KEY_SETTING,
      value: key,
      updatedAt: new Date().toISOString(),
    });
    return key;
  });
}
