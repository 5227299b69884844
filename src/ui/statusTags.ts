// The one map from a status to how it looks: the words and the NHS tag colour. The task list,
// the step page, the home page, a record's header, the fleet rows and the device page all use
// it, so a status reads and looks the same wherever it appears. Colour is never the only signal:
// the words carry the meaning.
import type { StepStatusKind } from '../run/status.ts';
import { clearanceLabels, statusLabels, type ClearanceStatus } from '../run/statusWords.ts';

/** A record's overall status. */
export type RecordStatusKind =
  'not-started' | 'in-progress' | 'needs-approval' | 'ready-for-sign-off' | 'signed-off';

export type StatusKind = StepStatusKind | ClearanceStatus | RecordStatusKind;

/** Tag colours: "not started" is blue (work that can start), what cannot start yet is grey. */
const colours: Record<StatusKind, string> = {
  'not-started': 'nhsuk-tag--blue',
  'cannot-start': 'nhsuk-tag--grey',
  'not-needed': 'nhsuk-tag--grey',
  'in-progress': 'nhsuk-tag--aqua-green',
  'needs-approval': 'nhsuk-tag--orange',
  'ready-for-sign-off': 'nhsuk-tag--purple',
  completed: 'nhsuk-tag--white',
  'not-applicable': 'nhsuk-tag--white',
  'risk-accepted': 'nhsuk-tag--yellow',
  excepted: 'nhsuk-tag--yellow',
  cleared: 'nhsuk-tag--green',
  'signed-off': 'nhsuk-tag--green',
};

const labels: Record<StatusKind, string> = {
  ...statusLabels,
  ...clearanceLabels,
  'ready-for-sign-off': 'Ready for sign-off',
  'signed-off': 'Signed off',
};

export function statusTag(kind: StatusKind): { label: string; className: string } {
  return { label: labels[kind], className: `nhsuk-tag ${colours[kind]} app-tag` };
}
