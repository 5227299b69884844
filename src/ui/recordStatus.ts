// A record's overall status, for lists and a record's header. A record whose first step has
// been started (answers saved, nothing finished yet) is in progress, as that step says.
import type { RunRow } from '../db/database.ts';
import type { RecordStatusKind } from './statusTags.ts';

export function recordStatus(run: Pick<RunRow, 'progress' | 'snapshot'>): RecordStatusKind {
  if (run.snapshot.context.locked) return 'signed-off';
  if (run.progress.complete) return 'ready-for-sign-off';
  if (run.progress.awaitingApproval > 0) return 'needs-approval';
  const acted = Object.values(run.snapshot.context.steps).some((s) => s !== undefined);
  if (run.progress.done === 0 && !acted) return 'not-started';
  return 'in-progress';
}
