// A record's overall status in a word or two, for lists.
import type { RunRow } from '../db/database.ts';

export function recordStatus(run: Pick<RunRow, 'progress' | 'snapshot'>): {
  label: string;
  tag: string;
} {
  if (run.snapshot.context.locked) return { label: 'Signed off', tag: 'nhsuk-tag--green' };
  if (run.progress.complete) return { label: 'Ready for sign-off', tag: 'nhsuk-tag--blue' };
  if (run.progress.awaitingApproval > 0)
    return { label: 'Needs approval', tag: 'nhsuk-tag--orange' };
  if (run.progress.done === 0) return { label: 'Not started', tag: 'nhsuk-tag--grey' };
  return { label: 'In progress', tag: 'nhsuk-tag--aqua-green' };
}
