// Shown on every page of a record that came to this device in a sign-off request: the record is
// here to be reviewed and approved, so its forms and device actions are not offered (and the
// database refuses them: src/db/runs.ts heldRefusal).
import type { RunRow } from '../../db/database.ts';
import { formatDateTime } from '../format.ts';
import { Link } from '../Link.tsx';

export function HeldForApprovalNotice({
  held,
  orgRunId,
}: {
  held: NonNullable<RunRow['heldForApproval']>;
  orgRunId: string;
}) {
  return (
    <div className="nhsuk-inset-text" data-testid="held-for-approval">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>
        Sent to this device for approval by {held.by} on {formatDateTime(held.at)}, from{' '}
        {held.device}. You can review everything here, read-only, and approve, sign or send it back
        from the <Link href={`/records/${orgRunId}/summary`}>readiness summary</Link>. Changes are
        made on the device that sent it.
      </p>
    </div>
  );
}
