// The words for every status a person sees: a step's, a device's clearance. Kept apart from
// the code that works statuses out, so the first page can show a status without loading it.
import type { StepStatusKind } from './status.ts';

export const statusLabels: Record<StepStatusKind, string> = {
  'not-needed': 'Not needed',
  'cannot-start': 'Cannot start yet',
  'not-started': 'Not started',
  'in-progress': 'In progress',
  'needs-approval': 'Needs approval',
  completed: 'Completed',
  'not-applicable': 'Not applicable',
  'risk-accepted': 'Risk accepted',
};

export type ClearanceStatus =
  'not-started' | 'in-progress' | 'needs-approval' | 'cleared' | 'excepted';

export const clearanceLabels: Record<ClearanceStatus, string> = {
  'not-started': 'Not started',
  'in-progress': 'In progress',
  'needs-approval': 'Needs approval',
  cleared: 'Cleared',
  excepted: 'Isolated under exception',
};
