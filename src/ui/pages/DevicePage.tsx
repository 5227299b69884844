// One device of the fleet: what the inventory says, its Windows release and the reference facts
// for it, its clearance status, and its clearance checklist (started here).
import { useState } from 'react';
import { identifiersText, startClearance } from '../../db/devices.ts';
import { useRun } from '../../db/hooks.ts';
import { useDevice } from '../../db/liveDevices.ts';
import { BackLink } from '../components/BackLink.tsx';
import { HeldForApprovalNotice } from '../components/HeldForApprovalNotice.tsx';
import { ReferencePanel } from '../components/ReferencePanel.tsx';
import { StatusTag } from '../components/StatusTag.tsx';
import { SyncStatusLine } from '../components/SyncStatus.tsx';
import { formatDateTime } from '../format.ts';
import { Link } from '../Link.tsx';
import { navigate } from '../router.ts';
import { useActor } from '../useActor.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { useDeviceChecklist, windowsTableId } from '../useReferenceTable.ts';
import { NotFoundPage } from './NotFoundPage.tsx';
import '../styles/pages.scss';

export function DevicePage({ runId, deviceId }: { runId: string; deviceId: string }) {
  const device = useDevice(runId, deviceId);
  const checklist = useDeviceChecklist();
  const actor = useActor();
  const [failure, setFailure] = useState<string | null>(null);
  const d = device.state === 'ready' ? device.value : null;
  // What the device's identify step recorded (or holds as a draft) stands beside the inventory.
  const clearance = useRun(d?.clearanceRunId ?? '');
  // A record here only to be approved (a sign-off request): its devices are not started here.
  const org = useRun(runId);
  const held = org.state === 'ready' ? org.value?.heldForApproval : undefined;
  const identifyStep =
    clearance.state === 'ready' ? clearance.value?.snapshot.context.steps.identify : undefined;
  const recorded: Record<string, unknown> = identifyStep?.evidence ?? identifyStep?.draft ?? {};
  usePageTitle(d?.hostname ?? d?.assetTag ?? 'Device');
  if (device.state === 'loading') return <p role="status">Loading the device…</p>;
  if (d?.orgRunId !== runId) return <NotFoundPage />;
  const table = checklist?.definition.referenceTables[windowsTableId];
  const identifyFields =
    checklist?.definition.phases.flatMap((p) => p.steps).find((st) => st.id === 'identify')
      ?.fields ?? [];
  const fromIdentify = (fieldId: string): string | undefined => {
    const value = recorded[fieldId];
    if (typeof value !== 'string' || !value.trim()) return undefined;
    const field = identifyFields.find((f) => f.id === fieldId);
    const label =
      field?.type === 'choice' ? field.options.find((o) => o.value === value)?.label : undefined;
    const how = identifyStep?.evidence ? 'recorded when identified' : 'identify step draft';
    return `${label ?? value} (${how})`;
  };
  /** The identify step's answer where it has one, else the inventory's. */
  const either = (fieldId: string, inventory: string | undefined) =>
    fromIdentify(fieldId) ?? inventory;
  const row = table?.rows.find((r) => r.id === d.osRow);
  const details: [string, string | undefined][] = [
    ['Hostname', d.hostname],
    ['Asset tag', either('asset-tag', d.assetTag)],
    ['Other identifiers', either('identifiers', identifiersText(d))],
    ['IP address', d.ip],
    ['MAC address', d.mac],
    [
      'Operating system (as recorded)',
      [d.osCaption, d.osVersion, d.servicePack].filter(Boolean).join(' · ') || undefined,
    ],
    ['Recognised as', row ? `${row.label} (${d.osBecause})` : `Not recognised: ${d.osBecause}`],
    ['Location', either('location', d.location)],
    ['Owner', either('owner', d.owner)],
    ['Device class', either('device-class', d.deviceClass)],
    [
      'Imported from',
      `${d.source.file}, line ${String(d.source.line)}, on ${formatDateTime(d.source.importedAt)} by ${d.source.importedBy}`,
    ],
  ];
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <SyncStatusLine />
        <BackLink href={`/records/${runId}/devices`}>Back to devices</BackLink>
        <span className="nhsuk-caption-l">Device</span>
        <h1>{d.hostname ?? d.assetTag}</h1>
        <p>
          <StatusTag kind={d.status} />
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
        {held && <HeldForApprovalNotice held={held} orgRunId={runId} />}
        {d.clearanceRunId ? (
          <Link className="nhsuk-button" href={`/records/${d.clearanceRunId}`} draggable={false}>
            {held ? 'View clearance' : 'Continue clearance'}
          </Link>
        ) : held ? (
          <p>Clearance has not been started for this device.</p>
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
