// Sends one action to a record and reports the outcome in words a user can act on.
import { useCallback } from 'react';
import type { MachineEvent } from '../checklist/events.ts';
import { ActionRejectedError, appendEvent, StorageFullError, type Committed } from '../db/runs.ts';
import type { EvidenceIssue } from '../checklist/fields.ts';

export type DispatchOutcome =
  { ok: true; committed: Committed } | { ok: false; message: string; issues?: EvidenceIssue[] };

type Action = MachineEvent extends infer E
  ? E extends MachineEvent
    ? Omit<E, 'actor' | 'at'>
    : never
  : never;

export function describeFailure(error: unknown): { message: string; issues?: EvidenceIssue[] } {
  if (error instanceof ActionRejectedError)
    return {
      message: error.rejection.message,
      ...(error.rejection.issues ? { issues: error.rejection.issues } : {}),
    };
  if (error instanceof StorageFullError) return { message: error.message };
  const detail = error instanceof Error ? error.message : String(error);
  return { message: `This change could not be saved: ${detail}. Everything saved before is safe.` };
}

export function useDispatch(runId: string, actor: string | undefined) {
  const dispatch = useCallback(
    async (action: Action): Promise<DispatchOutcome> => {
      if (!actor) return { ok: false, message: 'Tell us who is working before making changes.' };
      try {
        const committed = await appendEvent(runId, {
          ...action,
          actor: { name: actor },
          at: new Date().toISOString(),
        });
        return { ok: true, committed };
      } catch (error) {
        return { ok: false, ...describeFailure(error) };
      }
    },
    [runId, actor],
  );
  return { dispatch };
}
