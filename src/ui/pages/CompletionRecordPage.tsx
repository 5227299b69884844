// The signed completion record of a run: checked against its signature as it is shown, printed
// on A4, exported as the signed .json file anyone can verify.
import { useEffect, useState } from 'react';
import { useSignedRecords } from '../../db/liveRecords.ts';
import { startRevision } from '../../db/revisions.ts';
import { navigate, queryParam, useLocation } from '../router.ts';
import { useActor } from '../useActor.ts';
import { verifyRecordFile, type RecordVerification } from '../../record/verify.ts';
import { BackLink } from '../components/BackLink.tsx';
import { SyncStatusLine } from '../components/SyncStatus.tsx';
import { downloadText } from '../download.ts';
import { RecordDocument } from '../components/RecordDocument.tsx';
import { Link } from '../Link.tsx';
import { usePageTitle } from '../usePageTitle.ts';
import '../styles/pages.scss';

export function CompletionRecordPage({ runId }: { runId: string }) {
  const all = useSignedRecords(runId);
  const wanted = queryParam(useLocation(), 'signoff');
  // The record asked for by its sign-off (?signoff=go-ahead), else the latest.
  const signed =
    all.state === 'ready'
      ? {
          state: 'ready' as const,
          value:
            (wanted ? all.value.find((r) => r.stage?.id === wanted) : undefined) ??
            all.value.at(-1) ??
            null,
        }
      : { state: 'loading' as const };
  const others = all.state === 'ready' ? all.value.filter((r) => r.stage) : [];
  const [check, setCheck] = useState<RecordVerification | null>(null);
  const [revisionError, setRevisionError] = useState<string | null>(null);
  const actor = useActor();
  usePageTitle('Completion record');
  const text = signed.state === 'ready' ? signed.value?.text : undefined;

  useEffect(() => {
    if (!text) return;
    let cancelled = false;
    void verifyRecordFile(text).then((result) => {
      if (!cancelled) setCheck(result);
    });
    return () => {
      cancelled = true;
    };
  }, [text]);

  if (signed.state === 'loading') return <p role="status">Loading the record…</p>;
  if (!signed.value)
    return (
      <>
        <SyncStatusLine />
        <BackLink href={`/records/${runId}`}>Back to the record</BackLink>
        <h1>No signed record yet</h1>
        <p>
          This record has not been signed off.{' '}
          <Link href={`/records/${runId}/summary`}>Go to the readiness summary</Link>.
        </p>
      </>
    );
  const row = signed.value;
  const fileName = `reconnect-record-${row.recordId}.json`;
  return (
    <>
      <div className="app-no-print">
        <SyncStatusLine />
        <BackLink href={`/records/${runId}`}>Back to the record</BackLink>
        {others.length > 1 && (
          <nav aria-label="Signed records of this organisation">
            <ul className="nhsuk-list">
              {others.map((r) => (
                <li key={r.recordId}>
                  {r.recordId === row.recordId ? (
                    <strong>{r.stage?.title} (shown)</strong>
                  ) : (
                    <Link href={`/records/${runId}/record?signoff=${r.stage?.id ?? ''}`}>
                      {r.stage?.title}
                    </Link>
                  )}
                </li>
              ))}
            </ul>
          </nav>
        )}
        {check === null ? (
          <p role="status">Checking the signature…</p>
        ) : check.valid ? (
          <div
            className="nhsuk-notification-banner nhsuk-notification-banner--success"
            role="status"
          >
            <div className="nhsuk-notification-banner__content">
              <p className="nhsuk-notification-banner__heading">Signature valid</p>
              <p>
                Signed by {check.signer.name} ({check.signer.role}). The file on this device is
                exactly what was signed.
              </p>
            </div>
          </div>
        ) : (
          <div className="nhsuk-error-summary" role="alert">
            <h2 className="nhsuk-error-summary__title">The stored record does not verify</h2>
            <div className="nhsuk-error-summary__body">
              <p>{check.message}</p>
            </div>
          </div>
        )}
        <div className="nhsuk-button-group">
          <button
            type="button"
            className="nhsuk-button"
            onClick={() => {
              window.print();
            }}
          >
            Print (A4)
          </button>
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary"
            onClick={() => {
              downloadText(fileName, row.text, 'application/json');
            }}
          >
            Export the signed record (.json)
          </button>
        </div>
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">Start a new revision</span>
          </summary>
          <div className="nhsuk-details__text">
            <p>
              A signed record never changes. To correct or add to it, start a new revision: it
              begins with the same answers and devices, names this record by its digest, and is
              signed off again when ready. Nothing here suggests the record was tampered with.
            </p>
            {revisionError && <p className="nhsuk-error-message">{revisionError}</p>}
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary"
              onClick={() => {
                startRevision(runId, actor.name ?? row.signer.name).then(
                  (next) => {
                    navigate(`/records/${next}`);
                  },
                  (error: unknown) => {
                    setRevisionError(error instanceof Error ? error.message : String(error));
                  },
                );
              }}
            >
              Start a new revision
            </button>
          </div>
        </details>
      </div>
      {check?.valid && <RecordDocument record={check.record} digest={check.digest} />}
    </>
  );
}
