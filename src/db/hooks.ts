// Live queries for record pages: re-render whenever the data changes, in this tab or another.
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import type { CompiledChecklist } from '../checklist/machine.ts';
import type { LogEntry } from '../run/log.ts';
import { getDatabase, type FileRow, type RunRow } from './database.ts';
import { loaded, type Loading } from './liveLists.ts';
import { loadPinnedChecklist, readEvents } from './runs.ts';

export type { Loading };

/** One run; `null` when there is no such run. */
export function useRun(runId: string): Loading<RunRow | null> {
  return loaded(useLiveQuery(async () => (await getDatabase().runs.get(runId)) ?? null, [runId]));
}

export function useEvents(runId: string): Loading<LogEntry[]> {
  return loaded(useLiveQuery(() => readEvents(runId), [runId]));
}

/** File rows without their blobs, for listing. */
export function useFileRows(runId: string): Loading<Omit<FileRow, 'blob'>[]> {
  return loaded(
    useLiveQuery(async () => {
      const rows = await getDatabase().files.where('runId').equals(runId).toArray();
      return rows.map(({ blob: _blob, ...rest }) => rest);
    }, [runId]),
  );
}

/** The compiled checklist a run pinned. */
export function useCompiledChecklist(
  run: RunRow | null | undefined,
): Loading<CompiledChecklist> | { state: 'error'; message: string } {
  const [result, setResult] = useState<
    Loading<CompiledChecklist> | { state: 'error'; message: string }
  >({ state: 'loading' });
  const hash = run?.checklist.contentHash;
  useEffect(() => {
    if (!run) return;
    let cancelled = false;
    loadPinnedChecklist(run.checklist).then(
      (compiled) => {
        if (!cancelled) setResult({ state: 'ready', value: compiled });
      },
      (error: unknown) => {
        if (!cancelled)
          setResult({
            state: 'error',
            message: error instanceof Error ? error.message : String(error),
          });
      },
    );
    return () => {
      cancelled = true;
    };
    // The pinned checklist never changes for a run: its hash is enough.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hash]);
  return result;
}
