// Tells the user whether their work is safe from the browser clearing storage, and how much
// space it uses. Offline tools that lose data when site data is cleared are a known complaint.
import { formatBytes, type StorageStatus } from './storage.ts';

export function StorageStatusPanel({ status }: { status: StorageStatus | null }) {
  if (status === null) {
    return (
      <p className="app-footer-status" role="status">
        Checking storage…
      </p>
    );
  }
  if (!status.supported) {
    return (
      <p className="app-footer-status" role="status">
        Storage: this browser does not report on storage. Export your records regularly.
      </p>
    );
  }
  const usage =
    status.usageBytes !== null && status.quotaBytes !== null
      ? `Using ${formatBytes(status.usageBytes)} of ${formatBytes(status.quotaBytes)} available.`
      : 'Space used is not known.';
  return (
    <p className="app-footer-status" role="status" data-testid="storage-status">
      {status.persisted ? (
        <>
          <strong>Storage: persistent.</strong> The browser will not clear this app’s data to free
          space.{' '}
        </>
      ) : (
        <>
          <strong>Storage: not persistent.</strong> The browser may clear this app’s data if the
          device runs short of space — export records regularly.{' '}
        </>
      )}
      {usage}
    </p>
  );
}
