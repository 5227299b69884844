// A plain warning on a record's pages while two devices' versions of it wait to be reconciled.
import { useRecordForks } from '../../db/liveForks.ts';
import { Link } from '../Link.tsx';

/**
 * Versions to reconcile, if any. (The sync status line comes from RecordGate, or from the page
 * itself where it does not use one.)
 */
export function VersionsNotice({ runId }: { runId: string }) {
  const forks = useRecordForks(runId);
  if (forks.state !== 'ready') return null;
  const count = forks.value.runForks.length + forks.value.deviceForks.length;
  if (count === 0) return null;
  return (
    <div className="nhsuk-warning-callout" role="region" aria-label="Versions to reconcile">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          Two versions from different devices
        </span>
      </h2>
      <p>
        {count === 1 ? 'One part' : `${String(count)} parts`} of this record changed on two devices
        from the same point. Both versions are kept; sign-off waits until you choose.{' '}
        <Link href={`/records/${runId}/versions`}>Reconcile the versions</Link>
      </p>
    </div>
  );
}
