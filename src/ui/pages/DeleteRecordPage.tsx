// Deleting a record, confirmed: it removes the record, its audit log and its files from this
// device, which cannot be undone.
import { useState } from 'react';
import { deleteRun } from '../../db/runs.ts';
import { BackLink } from '../components/BackLink.tsx';
import { RecordGate } from '../components/RecordGate.tsx';
import { navigate } from '../router.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { useRecord } from '../useRecord.ts';
import '../styles/pages.scss';

export function DeleteRecordPage({ runId }: { runId: string }) {
  const view = useRecord(runId);
  const [failure, setFailure] = useState<string | null>(null);
  usePageTitle('Delete this record?');
  return (
    <RecordGate view={view}>
      {({ run, progress }) => (
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <BackLink href="/">Back to your records</BackLink>
            <h1>Are you sure you want to delete the record for {run.organisation.name}?</h1>
            <div className="nhsuk-warning-callout">
              <h2 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>This cannot be undone
                </span>
              </h2>
              <p>
                The record ({progress.done} of {progress.total} steps done), its audit log and its
                evidence files will be removed from this device.{' '}
                {run.revisionOf
                  ? 'Its devices go back to the signed record it revises.'
                  : 'So will any device records belonging to it.'}{' '}
                Export it first if you may need it.
              </p>
            </div>
            {failure && (
              <p className="nhsuk-error-message" role="alert">
                {failure}
              </p>
            )}
            <div className="nhsuk-button-group">
              <button
                type="button"
                className="nhsuk-button nhsuk-button--warning"
                onClick={() => {
                  deleteRun(runId).then(
                    () => {
                      navigate('/');
                    },
                    (error: unknown) => {
                      setFailure(
                        `The record could not be deleted: ${error instanceof Error ? error.message : String(error)}`,
                      );
                    },
                  );
                }}
              >
                Yes, delete this record
              </button>
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary"
                onClick={() => {
                  navigate(`/records/${runId}`);
                }}
              >
                No, keep it
              </button>
            </div>
          </div>
        </div>
      )}
    </RecordGate>
  );
}
