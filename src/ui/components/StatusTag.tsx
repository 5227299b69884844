// A step's status as an NHS tag. Colours follow the task-list pattern; the words carry the
// meaning, so colour is never the only signal.
import { statusLabels, type StepStatusKind } from '../../run/status.ts';

const colour: Record<StepStatusKind, string> = {
  'not-needed': 'nhsuk-tag--grey',
  'cannot-start': 'nhsuk-tag--grey',
  'not-started': 'nhsuk-tag--blue',
  'in-progress': 'nhsuk-tag--aqua-green',
  'needs-approval': 'nhsuk-tag--orange',
  completed: 'nhsuk-tag--white',
  'not-applicable': 'nhsuk-tag--white',
  'risk-accepted': 'nhsuk-tag--yellow',
};

export function StatusTag({ kind }: { kind: StepStatusKind }) {
  return <strong className={`nhsuk-tag ${colour[kind]}`}>{statusLabels[kind]}</strong>;
}
