// The device fleet of an organisation record: counts by clearance status and by OS (a chart
// with a table equivalent), unknown operating systems to map, filter, search and sort, a
// virtualised list that stays quick at 10,000+ devices, selection for bulk actions, and export.
import { useDeferredValue, useMemo, useState } from 'react';
import { useDevices, useFleetSummary } from '../../db/liveDevices.ts';
import { devicesToCsv } from '../../inventory/exportCsv.ts';
import {
  countBy,
  filterDevices,
  unrecognisedOs,
  type FleetQuery,
  type SortKey,
} from '../../inventory/fleetView.ts';
import { osKey } from '../../inventory/osRecognition.ts';
import { clearanceLabels, type ClearanceStatus } from '../../run/fleet.ts';
import { BackLink } from '../components/BackLink.tsx';
import { downloadText } from '../download.ts';
import { BulkActionPanel } from '../components/BulkActionPanel.tsx';
import { DeviceTable } from '../components/DeviceTable.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { HeldForApprovalNotice } from '../components/HeldForApprovalNotice.tsx';
import { MapOsForm } from '../components/MapOsForm.tsx';
import { StatusChart } from '../components/StatusChart.tsx';
import { RecordGate } from '../components/RecordGate.tsx';
import { Link } from '../Link.tsx';
import { queryParam, useLocation } from '../router.ts';
import { useActor } from '../useActor.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { useRecord } from '../useRecord.ts';
import { useDeviceChecklist, windowsTableId } from '../useReferenceTable.ts';
import '../styles/pages.scss';

const statuses: ClearanceStatus[] = [
  'not-started',
  'in-progress',
  'needs-approval',
  'excepted',
  'cleared',
];

export function FleetPage({ runId }: { runId: string }) {
  const view = useRecord(runId);
  const devices = useDevices(runId);
  const summary = useFleetSummary(runId);
  const checklist = useDeviceChecklist();
  const actor = useActor();
  const location = useLocation();
  const table = checklist?.definition.referenceTables[windowsTableId];
  const [query, setQuery] = useState<FleetQuery>({
    status: '',
    os: '',
    search: '',
    sort: 'hostname',
  });
  const deferredQuery = useDeferredValue(query);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  usePageTitle('Devices');

  const osLabel = useMemo(() => {
    const labels = new Map(table?.rows.map((r) => [r.id, r.label]));
    return (row: string | null) => (row ? (labels.get(row) ?? row) : 'Not recognised');
  }, [table]);
  const all = useMemo(() => (devices.state === 'ready' ? devices.value : []), [devices]);
  const shown = useMemo(
    () => filterDevices(all, deferredQuery, osLabel),
    [all, deferredQuery, osLabel],
  );
  const byOs = useMemo(() => countBy(all, (d) => d.osRow ?? unrecognisedOs), [all]);
  const unknown = useMemo(() => {
    const groups = new Map<string, { example: (typeof all)[number]; count: number }>();
    for (const d of all) {
      if (d.osRow !== null) continue;
      const key = osKey({ caption: d.osCaption, version: d.osVersion, servicePack: d.servicePack });
      const g = groups.get(key);
      if (g) g.count++;
      else groups.set(key, { example: d, count: 1 });
    }
    return [...groups];
  }, [all]);
  const selectedDevices = useMemo(() => all.filter((d) => selected.has(d.id)), [all, selected]);

  const imported = queryParam(location, 'imported')?.split('-');
  // Signed off, or here only to be approved (a sign-off request): devices are shown, not changed.
  const readOnly =
    view.state === 'ready' &&
    (Boolean(view.run.snapshot.context.locked) || Boolean(view.run.heldForApproval));

  return (
    <RecordGate view={view}>
      {({ run }) => (
        <>
          <BackLink href={`/records/${runId}`}>Back to {run.organisation.name}</BackLink>
          {imported && (
            <div
              className="nhsuk-notification-banner nhsuk-notification-banner--success"
              role="alert"
            >
              <div className="nhsuk-notification-banner__content">
                <p className="nhsuk-notification-banner__heading">
                  Imported: {imported[0]} new {imported[0] === '1' ? 'device' : 'devices'},{' '}
                  {imported[1]} updated
                </p>
              </div>
            </div>
          )}
          <span className="nhsuk-caption-l">{run.organisation.name}</span>
          <h1>Devices</h1>
          <p>
            Reconnection is safe only when every Windows device is patched, or isolated under an
            exception an approver accepted.
          </p>
          {run.heldForApproval && (
            <HeldForApprovalNotice held={run.heldForApproval} orgRunId={runId} />
          )}
          {run.snapshot.context.locked && (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>
                This record is signed off: its devices can be viewed and exported, not changed. To
                change them, start a new revision from the{' '}
                <Link href={`/records/${runId}/record`}>completion record</Link>.
              </p>
            </div>
          )}
          {all.length > 0 && (
            <div className="nhsuk-button-group">
              {!readOnly && (
                <Link
                  className="nhsuk-button"
                  href={`/records/${runId}/devices/import`}
                  draggable={false}
                >
                  Import devices from CSV
                </Link>
              )}
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary"
                disabled={all.length === 0}
                onClick={() => {
                  downloadText(
                    `devices-${run.organisation.name.replace(/[^A-Za-z0-9]+/g, '-')}.csv`,
                    devicesToCsv(
                      all.map((d) => ({
                        ...d,
                        osLabel: osLabel(d.osRow),
                        status: clearanceLabels[d.status],
                      })),
                    ),
                    'text/csv',
                  );
                }}
              >
                Export devices (CSV)
              </button>
            </div>
          )}

          {devices.state === 'ready' && all.length === 0 ? (
            <EmptyFleet runId={runId} locked={readOnly} />
          ) : (
            <>
              {summary.state === 'ready' && (
                <section aria-labelledby="by-status">
                  <h2 id="by-status" className="nhsuk-heading-m">
                    Clearance: {summary.value.cleared + summary.value.excepted} of{' '}
                    {summary.value.total} done, {summary.value.outstanding} outstanding
                  </h2>
                  <StatusChart
                    counts={statuses.map((s) => ({
                      status: s,
                      count: all.filter((d) => d.status === s).length,
                    }))}
                    total={all.length}
                  />
                  <DataTable
                    caption="Devices by clearance status"
                    captionHidden
                    rows={statuses}
                    rowKey={(s) => s}
                    columns={[
                      {
                        header: 'Status',
                        cell: (s) => (
                          <>
                            <span
                              className={`app-swatch app-chart__bar--${s}`}
                              aria-hidden="true"
                            />{' '}
                            {clearanceLabels[s]}
                          </>
                        ),
                      },
                      {
                        header: 'Devices',
                        numeric: true,
                        cell: (s) => all.filter((d) => d.status === s).length,
                      },
                    ]}
                  />
                </section>
              )}

              <details className="nhsuk-details">
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">
                    Devices by operating system ({byOs.length})
                  </span>
                </summary>
                <div className="nhsuk-details__text">
                  <DataTable
                    caption="Devices by operating system"
                    captionHidden
                    rows={byOs}
                    rowKey={(o) => o.key}
                    columns={[
                      {
                        header: 'Operating system',
                        cell: (o) => osLabel(o.key === unrecognisedOs ? null : o.key),
                      },
                      { header: 'Devices', numeric: true, cell: (o) => o.count },
                    ]}
                  />
                </div>
              </details>

              {unknown.length > 0 && table && !readOnly && (
                <section className="nhsuk-warning-callout" aria-labelledby="unknown-os">
                  <h2 className="nhsuk-warning-callout__label" id="unknown-os">
                    <span role="text">
                      <span className="nhsuk-u-visually-hidden">Important: </span>Operating systems
                      not recognised
                    </span>
                  </h2>
                  <p>
                    Choose the Windows release for each, so these devices know which updates they
                    need.
                  </p>
                  {unknown.slice(0, 20).map(([key, { example, count }]) => (
                    <MapOsForm
                      key={key}
                      runId={runId}
                      osTextKey={key}
                      label={
                        [example.osCaption, example.osVersion, example.servicePack]
                          .filter(Boolean)
                          .join(' · ') || 'No operating system recorded'
                      }
                      count={count}
                      options={table.rows}
                    />
                  ))}
                </section>
              )}

              <h2 className="nhsuk-heading-m">Find devices</h2>
              <div className="app-filters">
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label" htmlFor="filter-search">
                    Search
                  </label>
                  <div className="nhsuk-hint" id="filter-search-hint">
                    Hostname, asset tag, IP address, location or owner
                  </div>
                  <input
                    className="nhsuk-input"
                    id="filter-search"
                    type="search"
                    aria-describedby="filter-search-hint"
                    value={query.search}
                    onChange={(e) => {
                      setQuery({ ...query, search: e.target.value });
                    }}
                  />
                </div>
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label" htmlFor="filter-status">
                    Status
                  </label>
                  <select
                    className="nhsuk-select"
                    id="filter-status"
                    value={query.status}
                    onChange={(e) => {
                      setQuery({ ...query, status: e.target.value as FleetQuery['status'] });
                    }}
                  >
                    <option value="">All</option>
                    <option value="outstanding">Outstanding (not cleared or excepted)</option>
                    {statuses.map((s) => (
                      <option key={s} value={s}>
                        {clearanceLabels[s]}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label" htmlFor="filter-os">
                    Operating system
                  </label>
                  <select
                    className="nhsuk-select"
                    id="filter-os"
                    value={query.os}
                    onChange={(e) => {
                      setQuery({ ...query, os: e.target.value });
                    }}
                  >
                    <option value="">All</option>
                    {byOs.map((o) => (
                      <option key={o.key} value={o.key}>
                        {osLabel(o.key === unrecognisedOs ? null : o.key)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label" htmlFor="filter-sort">
                    Sort by
                  </label>
                  <select
                    className="nhsuk-select"
                    id="filter-sort"
                    value={query.sort}
                    onChange={(e) => {
                      setQuery({ ...query, sort: e.target.value as SortKey });
                    }}
                  >
                    <option value="hostname">Hostname</option>
                    <option value="status">Status</option>
                    <option value="os">Operating system</option>
                    <option value="location">Location</option>
                  </select>
                </div>
              </div>
              <p role="status" data-testid="shown-count">
                {devices.state === 'loading'
                  ? 'Loading devices…'
                  : `Showing ${String(shown.length)} of ${String(all.length)} devices`}
                {selected.size > 0 && `; ${String(selected.size)} selected`}
              </p>
              <div className="nhsuk-button-group">
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                  disabled={shown.length === 0}
                  onClick={() => {
                    setSelected(new Set(shown.map((d) => d.id)));
                  }}
                >
                  Select all {shown.length} shown
                </button>
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
                  disabled={selected.size === 0}
                  onClick={() => {
                    setSelected(new Set());
                  }}
                >
                  Clear selection
                </button>
              </div>
              {selected.size > 0 && !readOnly && checklist && (
                <p>
                  <a
                    href="#bulk-actions"
                    onClick={(event) => {
                      const panel = document.getElementById('bulk-actions');
                      if (panel) {
                        event.preventDefault();
                        panel.focus();
                        panel.scrollIntoView({ block: 'start' });
                      }
                    }}
                  >
                    Go to actions for {selected.size} selected{' '}
                    {selected.size === 1 ? 'device' : 'devices'}
                  </a>
                </p>
              )}

              <DeviceTable
                runId={runId}
                devices={shown}
                selected={selected}
                onSelected={setSelected}
                osLabel={osLabel}
              />

              {!readOnly && (
                <BulkActionPanel
                  checklist={checklist}
                  orgRunId={runId}
                  devices={selectedDevices}
                  actor={actor.name}
                />
              )}
            </>
          )}
        </>
      )}
    </RecordGate>
  );
}

/** What to do when a record has no devices yet: where an inventory comes from, and how. */
function EmptyFleet({ runId, locked }: { runId: string; locked: boolean }) {
  return (
    <section aria-labelledby="no-devices">
      <h2 id="no-devices" className="nhsuk-heading-m">
        No devices on this record yet
      </h2>
      <p>
        Every Windows device in the organisation needs clearing, or isolating under an approved
        exception, before the record can be signed off. Start by importing the device inventory as a
        CSV file.
      </p>
      <p>Where to get one:</p>
      <ul>
        <li>
          <strong>Active Directory</strong>: in PowerShell,{' '}
          <code className="app-code">
            Get-ADComputer -Filter * -Properties OperatingSystem,OperatingSystemVersion,IPv4Address
            | Export-Csv devices.csv -NoTypeInformation
          </code>
        </li>
        <li>
          <strong>SCCM (Configuration Manager)</strong>: run the report “Computers with a specific
          operating system” or a device collection, and export it as CSV.
        </li>
        <li>
          <strong>WSUS, a network scan or an asset register</strong>: any export with a heading row
          and one device per line.
        </li>
      </ul>
      <p>
        Columns are matched to hostname, IP address, operating system and so on when you import; you
        can change the match before anything is stored.
      </p>
      {!locked && (
        <Link className="nhsuk-button" href={`/records/${runId}/devices/import`} draggable={false}>
          Import devices from CSV
        </Link>
      )}
    </section>
  );
}
