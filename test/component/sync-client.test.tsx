// The page's view of sync follows only the session this tab runs: a stopped session that still
// reports (a cancelled request's last event, the door finishing what it had pulled) must not put
// "Stop syncing" back on the page after the person stopped it.
import { act, renderHook } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SyncStatus } from '../../src/sync/replicator.ts';

const sessions: { report: (status: SyncStatus) => void; stopped: boolean }[] = [];
let release: (() => void) | undefined;

vi.mock('../../src/app/syncSession.ts', () => ({
  startSession: async (_target: unknown, _password: string, onStatus: (s: SyncStatus) => void) => {
    const session = { report: onStatus, stopped: false };
    sessions.push(session);
    if (release === undefined) await Promise.resolve();
    else
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    return {
      stop: async () => {
        session.stopped = true;
        // The replication's last word comes while it stops.
        onStatus({ state: 'stopped', waiting: 0, refusedFromServer: [], refusedByServer: [] });
        await Promise.resolve();
      },
    };
  },
}));

const { startSync, stopSync, useSyncView } = await import('../../src/ui/syncClient.ts');
const target = { server: 'http://127.0.0.1:5984', database: 'trust', username: 'ann' };
const idle: SyncStatus = { state: 'idle', waiting: 0, refusedFromServer: [], refusedByServer: [] };

afterEach(async () => {
  await stopSync();
  sessions.length = 0;
  release = undefined;
});

describe('sync as the page sees it', () => {
  it('stays stopped when a stopped session reports late', async () => {
    const { result } = renderHook(() => useSyncView());
    await act(() => startSync(target, 'pw'));
    await act(() => sessions[0]?.report(idle));
    expect(result.current).toMatchObject({ running: true, status: { state: 'idle' } });

    await act(() => stopSync());
    expect(result.current).toEqual({ running: false, starting: false });
    // A late event from the cancelled replication changes nothing.
    await act(() => sessions[0]?.report({ ...idle, waiting: 3 }));
    expect(result.current).toEqual({ running: false, starting: false });

    // Starting again shows the new session, and only it.
    await act(() => startSync(target, 'pw'));
    await act(() => sessions[1]?.report({ ...idle, waiting: 1 }));
    expect(result.current).toMatchObject({ running: true, status: { waiting: 1 } });
    await act(() => sessions[0]?.report({ ...idle, waiting: 9 }));
    expect(result.current).toMatchObject({ running: true, status: { waiting: 1 } });
  });

  it('stops a session that was still starting when the person stopped sync', async () => {
    const { result } = renderHook(() => useSyncView());
    release = () => undefined;
    let started: Promise<void> | undefined;
    await act(() => {
      started = startSync(target, 'pw');
    });
    await vi.waitFor(() => {
      expect(sessions).toHaveLength(1);
    });
    expect(result.current).toEqual({ running: false, starting: true });
    await act(() => stopSync());
    await act(async () => {
      release?.();
      await started;
    });
    expect(sessions[0]?.stopped).toBe(true);
    expect(result.current).toEqual({ running: false, starting: false });
  });
});
