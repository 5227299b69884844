// Sync as the pages see it: whether a server is configured, whether this tab is syncing, and the
// latest status. The replication code is loaded only when a person starts sync (a chunk of its
// own); until then this module holds a few values and nothing else.
import { useSyncExternalStore } from 'react';
import type { SyncStatus } from '../sync/replicator.ts';
import type { SyncTarget } from '../sync/status.ts';

export const SYNC_TARGET_SETTING = 'sync-target';

export type SyncView =
  { running: false; starting: boolean; problem?: string } | { running: true; status: SyncStatus };

let view: SyncView = { running: false, starting: false };
let session: { stop(): Promise<void> } | undefined;
let live: object | undefined;
const listeners = new Set<() => void>();

function set(next: SyncView) {
  view = next;
  for (const l of listeners) l();
}

export function useSyncView(): SyncView {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => view,
  );
}

/** Reads a stored sync target; undefined for anything that is not one. */
export function parseSyncTarget(value: unknown): SyncTarget | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.server !== 'string' || typeof v.database !== 'string') return undefined;
  if (typeof v.username !== 'string') return undefined;
  return { server: v.server, database: v.database, username: v.username };
}

/** Starts syncing in this tab. The password goes to the session and is not kept here. */
export async function startSync(target: SyncTarget, password: string): Promise<void> {
  if (session || (!view.running && view.starting)) return;
  set({ running: false, starting: true });
  // A session that has been stopped may still report (a cancelled request's last event, the
  // door finishing): only the session this tab is running may change what the page shows.
  const token = {};
  live = token;
  try {
    const { startSession } = await import('../app/syncSession.ts');
    const started = await startSession(target, password, (status) => {
      if (live === token) set({ running: true, status });
    });
    if (live !== token) {
      // Stopped while it was starting.
      await started.stop();
      return;
    }
    session = started;
    if (!view.running)
      set({
        running: true,
        status: { state: 'connecting', waiting: 0, refusedFromServer: [], refusedByServer: [] },
      });
  } catch (error) {
    if (live !== token) return;
    live = undefined;
    set({
      running: false,
      starting: false,
      problem: `Sync could not start: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

export async function stopSync(): Promise<void> {
  const current = session;
  session = undefined;
  live = undefined;
  await current?.stop();
  set({ running: false, starting: false });
}
