// The start page: the records kept on this device, who is working, and starting a new record.
import { useChecklistTitles, useOrganisationRuns } from '../../db/liveLists.ts';
import { BackupStatus } from '../components/BackupStatus.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { StatusTag } from '../components/StatusTag.tsx';
import { WhoIsWorking } from '../components/WhoIsWorking.tsx';
import { formatDateTime } from '../format.ts';
import { Link } from '../Link.tsx';
import { recordStatus } from '../recordStatus.ts';
import { usePageTitle } from '../usePageTitle.ts';

export function HomePage() {
  usePageTitle('Your records');
  const runs = useOrganisationRuns();
  const titles = useChecklistTitles();
  const titleOf = (hash: string) => (titles.state === 'ready' ? titles.value.get(hash) : undefined);

  return (
    <>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1>Reconnect safely after a precautionary disconnection</h1>
          <p className="nhsuk-lede-text">
            Work through the checks that show your organisation is safe to reconnect to national
            networks, email and the internet — one step and one device at a time, with evidence, and
            a signed record at the end.
          </p>
          <p>
            Everything you enter is saved on this device the moment you enter it. Reconnect keeps
            working with no network at all.
          </p>
          <WhoIsWorking />
          <Link className="nhsuk-button" href="/records/new" draggable={false}>
            Start a new record
          </Link>
        </div>
      </div>

      <BackupStatus />

      <h2>Records on this device</h2>
      {runs.state === 'loading' ? (
        <p>Loading records…</p>
      ) : runs.value.length === 0 ? (
        <p>There are no records on this device yet.</p>
      ) : (
        <div
          className="app-table-scroll"
          role="region"
          aria-label="Records on this device"
          tabIndex={0}
        >
          <DataTable
            caption="Records on this device"
            captionHidden
            rows={runs.value}
            rowKey={(run) => run.runId}
            columns={[
              {
                header: 'Organisation',
                cell: (run) => (
                  <>
                    <Link href={`/records/${run.runId}`}>{run.organisation.name}</Link>
                    {run.organisation.odsCode && <> ({run.organisation.odsCode})</>}
                    {run.organisation.site && (
                      <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                        {run.organisation.site}
                      </div>
                    )}
                  </>
                ),
              },
              {
                header: 'Checklist',
                cell: (run) => (
                  <>
                    {titleOf(run.checklist.contentHash) ?? run.checklist.id}{' '}
                    <span className="nhsuk-body-s">version {run.checklist.version}</span>
                  </>
                ),
              },
              {
                header: 'Progress',
                className: 'app-nowrap',
                cell: (run) => `${run.progress.done} of ${run.progress.total} steps`,
              },
              {
                header: 'Status',
                cell: (run) => <StatusTag kind={recordStatus(run)} />,
              },
              {
                header: 'Last change',
                cell: (run) => (
                  <>
                    {formatDateTime(run.updatedAt)}
                    <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">by {run.updatedBy}</div>
                  </>
                ),
              },
              {
                header: <span className="nhsuk-u-visually-hidden">Actions</span>,
                cell: (run) => (
                  <Link href={`/records/${run.runId}/delete`}>
                    {'Delete '}
                    <span className="nhsuk-u-visually-hidden">{`the record for ${run.organisation.name}`}</span>
                  </Link>
                ),
              },
            ]}
          />
        </div>
      )}
    </>
  );
}
