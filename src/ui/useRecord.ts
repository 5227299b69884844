// Loads a record and the checklist it pinned, and derives step statuses; pages share this.
import { useDeferredValue, useMemo } from 'react';
import type { CompiledChecklist } from '../checklist/machine.ts';
import type { RunRow } from '../db/database.ts';
import { useCompiledChecklist, useRun } from '../db/hooks.ts';
import {
  nextStep,
  progressOf,
  stepStatuses,
  type Progress,
  type StepStatus,
} from '../run/status.ts';

export type RecordView =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'error'; message: string }
  | {
      state: 'ready';
      run: RunRow;
      compiled: CompiledChecklist;
      statuses: Map<string, StepStatus>;
      progress: Progress;
      next: string | null;
    };

export function useRecord(runId: string): RecordView {
  const run = useRun(runId);
  const runRow = run.state === 'ready' ? run.value : undefined;
  const compiled = useCompiledChecklist(runRow);
  const view = useMemo((): RecordView => {
    if (run.state === 'loading') return { state: 'loading' };
    if (run.value === null) return { state: 'missing' };
    if (compiled.state === 'error') return { state: 'error', message: compiled.message };
    if (compiled.state === 'loading') return { state: 'loading' };
    const statuses = stepStatuses(compiled.value, run.value.snapshot);
    return {
      state: 'ready',
      run: run.value,
      compiled: compiled.value,
      statuses,
      progress: progressOf(statuses),
      next: nextStep(compiled.value, statuses),
    };
  }, [run, compiled]);
  // A record arriving (or changing) re-renders a whole page: let React build it in slices it can
  // interrupt (a transition), keeping what is shown until the new page is ready, so a long page
  // never holds up the main thread, a key press or a tap. Every part of the page derived from
  // the record moves together; a deferred value is never a mix of two versions.
  return useDeferredValue(view);
}
