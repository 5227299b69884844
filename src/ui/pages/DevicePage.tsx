// One device of the fleet: what the inventory says, its Windows release and the reference facts
// for it, its clearance status, and its clearance checklist (started here).
import { useState } from 'react';
import { startClearance } from '../../db/devices.ts';
import { useDevice } from '../../db/liveDevices.ts';
import { clearanceLabels } from '../../run/fleet.ts';
import { BackLink } from '../components/BackLink.tsx';
import { ReferencePanel } from '../components/ReferencePanel.tsx';
import { formatDateTime } from '../format.ts';
import { Link } from '../Link.tsx';
import { navigate } from '../router.ts';
import { useActor } from '../useActor.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { useDeviceChecklist, windowsTableId } from '../useReferenceTable.ts';
import { NotFoundPage } from './NotFoundPage.tsx';

export function DevicePage({ runId, deviceId }: { runId: string; deviceId: string }) {
  const device = useDevice(runId, deviceId);
  const checklist = useDeviceChecklist();
  const actor = useActor();
  const [failure, setFailure] = useState<string | null>(null);
  const d = device.state === 'ready' ? device.value : null;
  usePageTitle(d?.hostname ?? d?.assetTag ?? 'Device');
  if (device.state === 'loading') return <p role="status">Loading the device…</p>;
  if (d?.orgRunId !== runId) return <NotFoundPage />;
  const table = checklist?.definition.referenceTables[windowsTableId];
  const row = table?.rows.find((r) => r.id === d.osRow);
  const details: [string, string | undefined][] = [
    ['Hostname', d.hostname],
    ['Asset tag', d.assetTag],
    ['IP address', d.ip],
    ['MAC address', d.mac],
    [
      'Operating system (as recorded)',
      [d.osCaption, d.osVersion, d.servicePack].filter(Boolean).join(' · ') || undefined,
    ],
    ['Recognised as', row ? `${row.label} (${d.osBecause})` : `Not recognised: ${d.osBecause}`],
    ['Location', d.location],
    ['Owner', d.owner],
    ['Device class', d.deviceClass],
    [
      'Imported from',
      `${d.source.file}, line ${String(d.source.line)}, on ${formatDateTime(d.source.importedAt)} by ${d.source.importedBy}`,
    ],
  ];
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <BackLink href={`/records/${runId}/devices`}>Back to devices</BackLink>
        <span className="nhsuk-caption-l">Device</span>
        <h1>{d.hostname ?? d.assetTag}</h1>
        <p>
          <strong className="nhsuk-tag">{clearanceLabels[d.status]}</strong>
        </p>
        <dl className="nhsuk-summary-list">
          {details.map(([key, value]) => (
            <div className="nhsuk-summary-list__row" key={key}>
              <dt className="nhsuk-summary-list__key">{key}</dt>
              <dd className="nhsuk-summary-list__value">{value ?? 'Not recorded'}</dd>
            </div>
          ))}
        </dl>
        {table && row && <ReferencePanel table={table} row={row} />}
        {failure && (
          <p className="nhsuk-error-message" role="alert">
            {failure}
          </p>
        )}
        {d.clearanceRunId ? (
          <Link className="nhsuk-button" href={`/records/${d.clearanceRunId}`} draggable={false}>
            Continue clearance
          </Link>
        ) : (
          <button
            type="button"
            className="nhsuk-button"
            disabled={!checklist}
            onClick={() => {
              if (!checklist || !actor.name) {
                setFailure('Tell us who is working before starting (see the home page).');
                return;
              }
              startClearance(d, checklist, actor.name).then(
                (clearanceRunId) => {
                  navigate(`/records/${clearanceRunId}`);
                },
                (error: unknown) => {
                  setFailure(
                    `The clearance could not be started: ${error instanceof Error ? error.message : String(error)}`,
                  );
                },
              );
            }}
          >
            Start clearance
          </button>
        )}
      </div>
    </div>
  );
}
