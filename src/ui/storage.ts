// What the browser says about this app's storage: whether it is persistent (not cleared under
// pressure) and how much of the quota is in use. Asking for persistence happens once per load.
import { useEffect, useState } from 'react';

export interface StorageStatus {
  supported: boolean;
  persisted: boolean | null;
  usageBytes: number | null;
  quotaBytes: number | null;
}

export async function requestPersistentStorage(): Promise<StorageStatus> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage || typeof storage.persisted !== 'function') {
    return { supported: false, persisted: null, usageBytes: null, quotaBytes: null };
  }
  let persisted = await storage.persisted();
  if (!persisted && typeof storage.persist === 'function') {
    persisted = await storage.persist();
  }
  const estimate = typeof storage.estimate === 'function' ? await storage.estimate() : {};
  return {
    supported: true,
    persisted,
    usageBytes: estimate.usage ?? null,
    quotaBytes: estimate.quota ?? null,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? 'TB'}`;
}

/** Storage status, refreshed when `refreshKey` changes (e.g. after saving data). */
export function useStorageStatus(refreshKey: unknown = null): StorageStatus | null {
  const [status, setStatus] = useState<StorageStatus | null>(null);
  useEffect(() => {
    let cancelled = false;
    requestPersistentStorage().then(
      (next) => {
        if (!cancelled) setStatus(next);
      },
      () => {
        if (!cancelled)
          setStatus({ supported: false, persisted: null, usageBytes: null, quotaBytes: null });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [refreshKey]);
  return status;
}
