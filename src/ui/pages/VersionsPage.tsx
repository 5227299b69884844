// Two versions of one record: when two devices both changed a checklist from the same point
// (or both started the same device), both versions are kept and shown side by side — since
// which step, by whom, on which device, and what each changed. A person keeps one; the other's
// actions are replayed on top of it, and any the checklist refuses are listed to redo.
import { useState } from 'react';
import { useRecordForks } from '../../db/liveForks.ts';
import { useRun } from '../../db/hooks.ts';
import { resolveDeviceFork, resolveFork, type ResolveOutcome } from '../../db/merge.ts';
import { peopleOf, stepsOf, type Branch } from '../../exchange/forks.ts';
import { formatFingerprint } from '../../record/approverBasics.ts';
import { formatDateTime } from '../format.ts';
import { Link } from '../Link.tsx';
import { useActor } from '../useActor.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { BackLink } from '../components/BackLink.tsx';
import { SyncStatusLine } from '../components/SyncStatus.tsx';

function describeBranch(branch: Branch): string {
  const steps = stepsOf(branch);
  return `${String(branch.events.length)} ${branch.events.length === 1 ? 'change' : 'changes'} by ${peopleOf(branch).join(', ')}${steps.length ? ` to ${steps.join(', ')}` : ''}, last at ${formatDateTime(branch.head.event.at)}`;
}

export function VersionsPage({ runId }: { runId: string }) {
  usePageTitle('Two versions to reconcile');
  const forks = useRecordForks(runId);
  const run = useRun(runId);
  const { name: actor } = useActor();
  const [outcome, setOutcome] = useState<ResolveOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function act(work: () => Promise<ResolveOutcome>) {
    setError(null);
    try {
      setOutcome(await work());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  if (forks.state === 'loading' || run.state === 'loading') return <p role="status">Loading…</p>;
  const { runForks, deviceForks } = forks.value;
  return (
    <>
      <SyncStatusLine />
      <BackLink href={`/records/${runId}`}>Back to the record</BackLink>
      <h1>Two versions to reconcile</h1>
      {error && (
        <div className="nhsuk-error-summary" role="alert" tabIndex={-1}>
          <h2 className="nhsuk-error-summary__title">There is a problem</h2>
          <div className="nhsuk-error-summary__body">
            <p>{error}</p>
          </div>
        </div>
      )}
      {outcome && (
        <div className="nhsuk-inset-text" role="status">
          <p>
            Reconciled: {outcome.replayed} {outcome.replayed === 1 ? 'change was' : 'changes were'}{' '}
            replayed on the version kept. The other version stays in the audit log.
          </p>
          {outcome.refused.length > 0 && (
            <>
              <p>These changes could not be replayed. Redo them by hand if they still apply:</p>
              <ul>
                {outcome.refused.map((r) => (
                  <li key={r.from}>
                    {r.what}: {r.why}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {runForks.length === 0 && deviceForks.length === 0 ? (
        <p>Every part of this record has one version. Nothing to reconcile.</p>
      ) : (
        <p>
          These parts were changed on two devices from the same point. Both versions are kept.
          Choose the one to keep: the other one’s changes are then made again on top of it, marked
          with where they came from. Sign-off waits until every part has one version.
        </p>
      )}
      {runForks.map((fork) => (
        <section
          className="nhsuk-card"
          key={fork.other.head.hash}
          aria-label={`Versions since change ${String(fork.sinceSeq)}`}
        >
          <div className="nhsuk-card__content">
            <h2 className="nhsuk-card__heading">
              {fork.kind === 'organisation'
                ? 'The organisation checklist'
                : `Device ${fork.deviceId ?? ''}`}
              : two versions since change {fork.sinceSeq}
            </h2>
            <dl className="nhsuk-summary-list">
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Version shown here</dt>
                <dd className="nhsuk-summary-list__value">
                  This device: {describeBranch(fork.current)}
                </dd>
                <dd className="nhsuk-summary-list__actions">
                  <button
                    className="nhsuk-button nhsuk-u-margin-bottom-0"
                    type="button"
                    disabled={!actor}
                    onClick={() => {
                      void act(() =>
                        resolveFork({
                          runId: fork.runId,
                          keepHead: fork.current.head.hash,
                          abandonHead: fork.other.head.hash,
                          actor: actor ?? '',
                        }),
                      );
                    }}
                  >
                    Keep this version<span className="nhsuk-u-visually-hidden"> (shown here)</span>
                  </button>
                </dd>
              </div>
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Other version</dt>
                <dd className="nhsuk-summary-list__value">
                  {fork.otherFrom
                    ? `${fork.otherFrom.device.name} (key ${formatFingerprint(fork.otherFrom.device.fingerprint)}), imported from ${fork.otherFrom.by}`
                    : 'Another device'}
                  : {describeBranch(fork.other)}
                </dd>
                <dd className="nhsuk-summary-list__actions">
                  <button
                    className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                    type="button"
                    disabled={!actor}
                    onClick={() => {
                      void act(() =>
                        resolveFork({
                          runId: fork.runId,
                          keepHead: fork.other.head.hash,
                          abandonHead: fork.current.head.hash,
                          actor: actor ?? '',
                        }),
                      );
                    }}
                  >
                    Keep this version
                    <span className="nhsuk-u-visually-hidden"> (the other one)</span>
                  </button>
                </dd>
              </div>
            </dl>
          </div>
        </section>
      ))}
      {deviceForks.map((fork) => (
        <section
          className="nhsuk-card"
          key={fork.other.runId}
          aria-label={`Device ${fork.deviceId} started twice`}
        >
          <div className="nhsuk-card__content">
            <h2 className="nhsuk-card__heading">A device cleared on two devices</h2>
            <p>
              Started by {fork.current.createdBy} ({fork.current.progress.done} of{' '}
              {fork.current.progress.total} steps, shown here) and by {fork.other.createdBy} (
              {fork.other.progress.done} of {fork.other.progress.total} steps).
            </p>
            <div className="nhsuk-button-group">
              <button
                className="nhsuk-button"
                type="button"
                disabled={!actor}
                onClick={() => {
                  void act(() =>
                    resolveDeviceFork({
                      keepRunId: fork.current.runId,
                      abandonRunId: fork.other.runId,
                      actor: actor ?? '',
                    }),
                  );
                }}
              >
                Keep {fork.current.createdBy}’s clearance
              </button>
              <button
                className="nhsuk-button nhsuk-button--secondary"
                type="button"
                disabled={!actor}
                onClick={() => {
                  void act(() =>
                    resolveDeviceFork({
                      keepRunId: fork.other.runId,
                      abandonRunId: fork.current.runId,
                      actor: actor ?? '',
                    }),
                  );
                }}
              >
                Keep {fork.other.createdBy}’s clearance
              </button>
            </div>
          </div>
        </section>
      ))}
      <p>
        <Link href={`/records/${runId}/log`}>See the audit log</Link>
      </p>
    </>
  );
}
