import { beforeAll, describe, expect, it } from 'vitest';
import { base64url } from 'jose';
import {
  ApproverKeySchema,
  DamagedKeyError,
  PBKDF2_ITERATIONS,
  PassphraseTooShortError,
  WrongPassphraseError,
  createApproverKey,
  formatFingerprint,
  jwkThumbprint,
  unlockSigningKey,
  type ApproverKey,
} from '../../../src/record/keys.ts';
import { PASSPHRASE } from './helpers.ts';

// PBKDF2 at 600,000 iterations takes a few hundred milliseconds per derivation.
const SLOW = 30_000;

describe('jwkThumbprint', () => {
  it('gives the RFC 7638 §3.1 thumbprint for the RFC’s example key', async () => {
    const rfcKey = {
      kty: 'RSA',
      n:
        '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP' +
        'ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY' +
        '368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0f' +
        'M4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(await jwkThumbprint(rfcKey)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('ignores members other than the required ones, and changes with the key', async () => {
    const jwk = { crv: 'P-256', kty: 'EC', x: 'A'.repeat(43), y: 'B'.repeat(43) };
    const thumbprint = await jwkThumbprint(jwk);
    expect(await jwkThumbprint({ ...jwk, kid: 'anything', use: 'sig' })).toBe(thumbprint);
    expect(await jwkThumbprint({ ...jwk, y: 'C'.repeat(43) })).not.toBe(thumbprint);
  });
});

describe('formatFingerprint', () => {
  it('groups the thumbprint in fours for reading aloud, losing nothing', () => {
    const printed = formatFingerprint('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    expect(printed).toBe('NzbL sXh8 uDCc d-6M NwXF 4W_7 noWX FZAf HkxZ sRGC 9Xs');
    expect(printed.replaceAll(' ', '')).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });
});

describe('approver keys', () => {
  let key: ApproverKey;
  beforeAll(async () => {
    key = await createApproverKey({
      name: '  Dr Alison Hart ',
      role: 'Director of Finance and SIRO',
      passphrase: PASSPHRASE,
    });
  }, SLOW);

  it('stores a JSON-serialisable key with only the public half in clear', () => {
    const stored = JSON.parse(JSON.stringify(key)) as unknown;
    expect(stored).toEqual(key);
    expect(ApproverKeySchema.parse(stored)).toEqual(key);
    expect(key.name).toBe('Dr Alison Hart');
    expect(Object.keys(key.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(JSON.stringify(key)).not.toMatch(/"d"/);
  });

  it('wraps the private key with PBKDF2-SHA-256 (≥ 600,000 rounds), a 16-byte salt and a 12-byte IV', async () => {
    expect(key.wrapped.kdf).toBe('PBKDF2-SHA-256');
    expect(key.wrapped.iterations).toBeGreaterThanOrEqual(600_000);
    expect(key.wrapped.iterations).toBe(PBKDF2_ITERATIONS);
    expect(base64url.decode(key.wrapped.salt)).toHaveLength(16);
    expect(base64url.decode(key.wrapped.iv)).toHaveLength(12);
    // PKCS #8 of a P-256 key is well over 100 bytes, plus the 16-byte GCM tag.
    expect(base64url.decode(key.wrapped.ciphertext).length).toBeGreaterThan(100);
    expect(key.fingerprint).toBe(await jwkThumbprint(key.publicJwk));
  });

  it(
    'gives each key its own salt, IV and key pair',
    async () => {
      const other = await createApproverKey({ name: 'A', role: 'B', passphrase: PASSPHRASE });
      expect(other.wrapped.salt).not.toBe(key.wrapped.salt);
      expect(other.wrapped.iv).not.toBe(key.wrapped.iv);
      expect(other.fingerprint).not.toBe(key.fingerprint);
      expect(other.id).not.toBe(key.id);
    },
    SLOW,
  );

  it(
    'unlocks with the passphrase into a non-extractable signing key',
    async () => {
      const signingKey = await unlockSigningKey(key, PASSPHRASE);
      expect(signingKey.type).toBe('private');
      expect(signingKey.extractable).toBe(false);
      expect(signingKey.usages).toEqual(['sign']);
      expect(signingKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
      await expect(globalThis.crypto.subtle.exportKey('pkcs8', signingKey)).rejects.toThrow();
    },
    SLOW,
  );

  it(
    'does not unlock with a wrong passphrase, and says so by name',
    async () => {
      const attempt = unlockSigningKey(key, 'granite otter lantern 1918');
      await expect(attempt).rejects.toBeInstanceOf(WrongPassphraseError);
      await expect(unlockSigningKey(key, 'granite otter lantern 1918')).rejects.toThrow(
        'The passphrase is not right for Dr Alison Hart',
      );
    },
    SLOW,
  );

  it(
    'unlocks with the same passphrase typed with decomposed accents (NFC)',
    async () => {
      const composed = 'caf\u00e9 au lait noir';
      const decomposed = 'cafe\u0301 au lait noir';
      expect(composed).not.toBe(decomposed);
      const accented = await createApproverKey({ name: 'A', role: 'B', passphrase: composed });
      await expect(unlockSigningKey(accented, decomposed)).resolves.toBeDefined();
    },
    SLOW,
  );

  it(
    'refuses to unlock a stored key whose public half was swapped',
    async () => {
      const other = await createApproverKey({ name: 'A', role: 'B', passphrase: PASSPHRASE });
      // Swapped key and matching fingerprint: the AES-GCM additional data no longer matches.
      const swapped = { ...key, publicJwk: other.publicJwk, fingerprint: other.fingerprint };
      await expect(unlockSigningKey(swapped, PASSPHRASE)).rejects.toThrow();
      // Swapped key, stale fingerprint: caught before any decryption.
      const stale = { ...key, publicJwk: other.publicJwk };
      await expect(unlockSigningKey(stale, PASSPHRASE)).rejects.toBeInstanceOf(DamagedKeyError);
    },
    SLOW,
  );

  it(
    'refuses, before making a key, a name or role too long to sign with, and accepts the longest',
    async () => {
      const long = 'x'.repeat(201);
      await expect(
        createApproverKey({ name: long, role: 'SIRO', passphrase: PASSPHRASE }),
      ).rejects.toThrow('The name must be 200 characters or fewer');
      await expect(
        createApproverKey({ name: 'Pat', role: long, passphrase: PASSPHRASE }),
      ).rejects.toThrow('The role must be 200 characters or fewer');
      const longest = await createApproverKey({
        name: 'n'.repeat(200),
        role: 'r'.repeat(200),
        passphrase: PASSPHRASE,
      });
      await expect(unlockSigningKey(longest, PASSPHRASE)).resolves.toBeDefined();
    },
    SLOW,
  );

  it('refuses a stored key that asks for fewer PBKDF2 rounds', async () => {
    const weakened = { ...key, wrapped: { ...key.wrapped, iterations: 1_000 } };
    await expect(unlockSigningKey(weakened, PASSPHRASE)).rejects.toBeInstanceOf(DamagedKeyError);
  });
});

describe('passphrase length', () => {
  it('refuses a passphrase under 12 characters, saying the minimum', async () => {
    const attempt = createApproverKey({ name: 'A', role: 'B', passphrase: 'elevenchars' });
    await expect(attempt).rejects.toBeInstanceOf(PassphraseTooShortError);
    await expect(
      createApproverKey({ name: 'A', role: 'B', passphrase: 'elevenchars' }),
    ).rejects.toThrow('at least 12 characters');
  });

  it('counts characters as people do: 11 accented letters are still too short', async () => {
    // 11 characters, 22 UTF-16 units when decomposed.
    const eleven = 'e\u0301'.repeat(11);
    await expect(
      createApproverKey({ name: 'A', role: 'B', passphrase: eleven }),
    ).rejects.toBeInstanceOf(PassphraseTooShortError);
  });

  it(
    'accepts a passphrase of exactly 12 characters',
    async () => {
      const key = await createApproverKey({ name: 'A', role: 'B', passphrase: 'twelve chars' });
      expect(key.wrapped.iterations).toBe(PBKDF2_ITERATIONS);
    },
    SLOW,
  );

  it('refuses a blank name or role', async () => {
    await expect(
      createApproverKey({ name: ' ', role: 'B', passphrase: PASSPHRASE }),
    ).rejects.toThrow('name');
    await expect(
      createApproverKey({ name: 'A', role: '', passphrase: PASSPHRASE }),
    ).rejects.toThrow('role');
  });
});
