import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatBytes, requestPersistentStorage } from '../../src/ui/storage.ts';

describe('formatBytes', () => {
  it('uses the largest sensible unit', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
  });
});

describe('requestPersistentStorage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('asks for persistence only when not already persistent', async () => {
    const persist = vi.fn(() => Promise.resolve(true));
    vi.stubGlobal('navigator', {
      storage: {
        persisted: () => Promise.resolve(false),
        persist,
        estimate: () => Promise.resolve({ usage: 100, quota: 1000 }),
      },
    });
    await expect(requestPersistentStorage()).resolves.toEqual({
      supported: true,
      persisted: true,
      usageBytes: 100,
      quotaBytes: 1000,
    });
    expect(persist).toHaveBeenCalledTimes(1);
  });

  it('reports a refusal', async () => {
    vi.stubGlobal('navigator', {
      storage: {
        persisted: () => Promise.resolve(false),
        persist: () => Promise.resolve(false),
        estimate: () => Promise.resolve({ usage: 5, quota: 10 }),
      },
    });
    const status = await requestPersistentStorage();
    expect(status.persisted).toBe(false);
  });

  it('says when the browser has no storage API', async () => {
    vi.stubGlobal('navigator', {});
    expect((await requestPersistentStorage()).supported).toBe(false);
  });
});
