// The home page's word on keeping records safe: when this device last made a backup or handed a
// record over, and whether the browser keeps this app's data when space runs short.
import { useLastExport } from '../../db/liveLastExport.ts';
import { formatDateTime } from '../format.ts';
import { Link } from '../Link.tsx';
import { useStorageStatus } from '../storage.ts';

export function BackupStatus() {
  const last = useLastExport();
  const storage = useStorageStatus();
  if (last.state !== 'ready') return null;
  return (
    <section className="nhsuk-inset-text" aria-labelledby="backup-status-title">
      <h2 className="nhsuk-heading-s" id="backup-status-title">
        Keeping these records safe
      </h2>
      <p data-testid="last-backup">
        {last.value
          ? `Last ${last.value.kind === 'backup' ? 'backup' : 'hand-over file'} made on this device: ${formatDateTime(last.value.at)}.`
          : 'No backup or hand-over file has been made on this device yet.'}{' '}
        <Link href="/share">Share and back up</Link>
      </p>
      {storage?.supported && (
        <p>
          {storage.persisted
            ? 'The browser has agreed to keep this app’s data even when the device runs short of space. Clearing site data or removing the browser still deletes it: keep a backup.'
            : 'The browser has not agreed to keep this app’s data: it may delete it if the device runs short of space. Make a backup after each session.'}
        </p>
      )}
    </section>
  );
}
