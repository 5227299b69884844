// Sync status in plain words: on the sync page in full, and as one line on every record page.
import { useSetting } from '../../db/liveSetting.ts';
import type { SyncStatus } from '../../sync/replicator.ts';
import { lastSyncedWords } from '../../sync/status.ts';
import { Link } from '../Link.tsx';
import { parseSyncTarget, SYNC_TARGET_SETTING, useSyncView } from '../syncClient.ts';

export function stateWords(status: SyncStatus): string {
  switch (status.state) {
    case 'connecting':
      return 'Connecting to the sync server';
    case 'syncing':
      return 'Syncing';
    case 'idle':
      return status.waiting === 0 && status.refusedByServer.length === 0
        ? 'Up to date'
        : 'Connected';
    case 'offline':
      // Offline is also where a server that turns requests away leaves sync: say which.
      return status.problem === undefined || status.problem.kind === 'unreachable'
        ? 'Cannot reach the sync server: it will try again by itself'
        : 'Held up by a problem with the sync server: it will try again by itself';
    case 'stopped':
      return 'Stopped';
  }
}

export function waitingWords(waiting: number): string {
  if (waiting === 0) return 'Nothing waiting to be sent';
  return `${String(waiting)} ${waiting === 1 ? 'change' : 'changes'} waiting to be sent`;
}

/** The full status, for the sync page. */
export function SyncStatusDetails({ status }: { status: SyncStatus }) {
  return (
    <>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Sync</dt>
          <dd className="nhsuk-summary-list__value" data-testid="sync-state">
            {stateWords(status)}
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Last synced</dt>
          <dd className="nhsuk-summary-list__value">
            {lastSyncedWords(status.lastSyncedAt, new Date())}
          </dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Waiting</dt>
          <dd className="nhsuk-summary-list__value">{waitingWords(status.waiting)}</dd>
        </div>
      </dl>
      {status.problem && (
        <div className="nhsuk-warning-callout" role="alert">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              Sync problem
            </span>
          </h2>
          <p>{status.problem.message}</p>
        </div>
      )}
      {status.refusedFromServer.length > 0 && (
        <>
          <h2 className="nhsuk-heading-s">Refused from the server</h2>
          <p>
            These documents from the server failed their checks and were not taken into this
            device&apos;s records.
          </p>
          <ul>
            {status.refusedFromServer.slice(0, 20).map((r) => (
              <li key={r.id}>
                <code>{r.id}</code>: {r.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** One line on a record page: shown only when a sync server is configured. */
export function SyncStatusLine() {
  const target = useSetting(SYNC_TARGET_SETTING, parseSyncTarget);
  const view = useSyncView();
  if (!target.value) return null;
  let words: string;
  if (view.running) {
    const s = view.status;
    words = `${stateWords(s)}. ${lastSyncedWords(s.lastSyncedAt, new Date())}. ${waitingWords(s.waiting)}.`;
    if (s.problem) words += ` ${s.problem.message}`;
  } else words = 'Sync is paused until you sign in to the sync server.';
  return (
    <p className="nhsuk-body-s app-no-print" role="status" aria-label="Sync status">
      {words} <Link href="/sync">Sync settings</Link>
    </p>
  );
}
