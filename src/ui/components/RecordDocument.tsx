// A signed completion record as a document: what an auditor or a board reads, on screen and on
// A4 paper — the organisation, the decision, the signature block with the key fingerprint and
// a QR code of the record digest, every step with its outcome and evidence, the exceptions,
// the devices (with an appendix listing each one) and the evidence files.
import type { CompletionRecord } from '../../record/format.ts';
import { formatFingerprint } from '../../record/approverBasics.ts';
import { formatDate, formatDateTimeZone as formatDateTime } from '../format.ts';
import { useRecordPageRules } from '../recordPrint.ts';
import { DataTable } from './DataTable.tsx';
import { EvidenceFilesTable } from './EvidenceFilesTable.tsx';
import { QrCode } from './QrCode.tsx';

const outcomeWords: Record<CompletionRecord['decision']['outcome'], string> = {
  approved: 'Reconnection approved',
  'approved-with-conditions': 'Reconnection approved with conditions',
  rejected: 'Reconnection not approved',
};

const statusWords = {
  completed: 'Completed',
  'not-applicable': 'Not applicable',
  'risk-accepted': 'Risk accepted',
  'not-needed': 'Not needed',
} as const;

export function RecordDocument({ record, digest }: { record: CompletionRecord; digest: string }) {
  const phases: { id: string; title: string; steps: CompletionRecord['steps'] }[] = [];
  for (const step of record.steps) {
    const last = phases[phases.length - 1];
    if (last?.id === step.phaseId) last.steps.push(step);
    else phases.push({ id: step.phaseId, title: step.phaseTitle, steps: [step] });
  }
  const org = record.organisation;
  const stage = record.stage;
  // On every printed page: who, which record, which digest; and "Page X of Y".
  useRecordPageRules({
    lines: [
      `${org.name}${org.odsCode ? ` (${org.odsCode})` : ''} · ${stage ? stage.title : 'Completion record'} · revision ${String(record.revision.number)}`,
      `Record id ${record.recordId}`,
      `Record digest ${digest}`,
    ],
  });
  const deviceExceptions = record.exceptions.filter((x) => x.kind === 'device').length;
  const stepExceptions = record.exceptions.length - deviceExceptions;
  return (
    <article className="app-record" aria-labelledby="record-title">
      <header className="app-record__header">
        <p className="nhsuk-caption-l">
          {stage ? stage.title : 'Completion record'} · revision {record.revision.number}
        </p>
        <h1 id="record-title">{org.name}</h1>
        <p>
          {[
            org.odsCode && `ODS code ${org.odsCode}`,
            org.site,
            org.incidentReference && `Incident ${org.incidentReference}`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
        {stage && (
          <>
            <p>{stage.summary}</p>
            <p className="nhsuk-body-s">
              {stage.closes
                ? 'This record closes the organisation’s reconnection record and lists every step.'
                : 'This record covers the steps that must come before reconnection; the link decisions and the steps after reconnecting follow in a closing record.'}
              {stage.previous && (
                <>
                  {' '}
                  It follows “{stage.previous.title}”, record digest{' '}
                  <span className="app-mono">{stage.previous.recordDigest}</span>.
                </>
              )}
            </p>
          </>
        )}
        <p data-testid="record-at-a-glance">
          Devices: {record.devices.summary.total} ({record.devices.summary.cleared} cleared,{' '}
          {record.devices.summary.excepted} isolated under an approved exception). Exceptions:{' '}
          {record.exceptions.length === 0
            ? 'none'
            : `${String(stepExceptions)} on steps, ${String(deviceExceptions)} on devices`}
          .
        </p>
      </header>

      <section className="app-record__decision" aria-labelledby="record-decision">
        <h2 id="record-decision">
          {stage
            ? `${stage.title}: ${outcomeWords[record.decision.outcome].replace(/^Reconnection /, '')}`
            : outcomeWords[record.decision.outcome]}
        </h2>
        <p>{record.decision.statement}</p>
        {record.decision.outcome === 'approved-with-conditions' && (
          <>
            <h3 className="nhsuk-heading-s">Conditions</h3>
            <ol>
              {record.decision.conditions.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ol>
          </>
        )}
        {record.decision.outcome === 'rejected' && (
          <ol>
            {record.decision.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ol>
        )}
      </section>

      <section className="app-record__signature" aria-labelledby="record-signature">
        <h2 id="record-signature" className="nhsuk-heading-m">
          Signature
        </h2>
        <div className="app-record__signature-grid">
          <dl className="nhsuk-summary-list app-record__ids">
            {(
              [
                ['Signed by', record.signer.name],
                [
                  'Role',
                  stage
                    ? `${record.signer.role}, signing as ${stage.role.title}`
                    : record.signer.role,
                ],
                ['Signed on', formatDateTime(record.decision.decidedAt)],
                ['Key fingerprint', formatFingerprint(record.signer.keyFingerprint)],
                ['Record digest (SHA-256)', digest],
                ['Record id', record.recordId],
                ...(record.revision.previousRecordDigest
                  ? ([['Revises record', record.revision.previousRecordDigest]] as const)
                  : []),
              ] as const
            ).map(([key, value]) => (
              <div className="nhsuk-summary-list__row" key={key}>
                <dt className="nhsuk-summary-list__key">{key}</dt>
                <dd
                  className={`nhsuk-summary-list__value${/fingerprint/i.test(key) ? ' app-mono app-mono--grouped' : /digest|id|Revises/i.test(key) ? ' app-mono' : ''}`}
                >
                  {value}
                </dd>
              </div>
            ))}
          </dl>
          <figure className="app-record__qr">
            <QrCode text={`sha256:${digest}`} label={`QR code of the record digest ${digest}`} />
            <figcaption className="nhsuk-body-s">Record digest</figcaption>
          </figure>
        </div>
        <p className="nhsuk-body-s">
          The exported file is a JWS (RFC 7515, ES256) over this record’s RFC 8785 canonical JSON.
          Anyone can verify it with a standard JOSE tool; the key must have the fingerprint above.
        </p>
      </section>

      <section aria-labelledby="record-checklist">
        <h2 id="record-checklist" className="nhsuk-heading-m">
          Checklist and audit log
        </h2>
        <dl className="nhsuk-summary-list">
          {(
            [
              [
                'Checklist',
                `${record.checklist.title} (${record.checklist.id}), version ${record.checklist.version}`,
              ],
              ['Checklist content hash', record.checklist.contentHash],
              [
                'Audit log',
                `${String(record.auditLog.events)} events, head hash ${record.auditLog.headHash}`,
              ],
              ['Record made', formatDateTime(record.createdAt)],
            ] as const
          ).map(([key, value]) => (
            <div className="nhsuk-summary-list__row" key={key}>
              <dt className="nhsuk-summary-list__key">{key}</dt>
              <dd
                className={`nhsuk-summary-list__value${key !== 'Checklist' && key !== 'Record made' ? ' app-mono' : ''}`}
              >
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      {phases.map((phase) => (
        <section
          key={phase.id}
          aria-labelledby={`record-phase-${phase.id}`}
          className="app-record__phase"
        >
          <h2 id={`record-phase-${phase.id}`} className="nhsuk-heading-m">
            {phase.title}
          </h2>
          {phase.steps.map((step) => (
            <div key={step.id} className="app-record__step">
              <h3 className="nhsuk-heading-s">
                {step.title} — {statusWords[step.status]}
              </h3>
              {'reason' in step && <p>Reason: {step.reason}</p>}
              {step.status === 'risk-accepted' && <p>Review by {formatDate(step.reviewDate)}.</p>}
              {step.evidence.length > 0 && (
                <dl className="nhsuk-summary-list nhsuk-summary-list--no-border">
                  {step.evidence.map((e) => (
                    <div className="nhsuk-summary-list__row" key={e.field}>
                      <dt className="nhsuk-summary-list__key">{e.label}</dt>
                      <dd className="nhsuk-summary-list__value app-pre-wrap">{e.display}</dd>
                    </div>
                  ))}
                </dl>
              )}
              <p className="nhsuk-body-s">
                {'by' in step && `${step.by}, ${formatDateTime(step.at)}.`}
                {'approval' in step &&
                  step.approval &&
                  ` Approved by ${step.approval.name} (${step.approval.role})${step.approval.takenAs ? ` as ${step.approval.takenAs.title}` : ''}, ${formatDateTime(step.approval.at)}${step.approval.keyFingerprint ? `, key ${formatFingerprint(step.approval.keyFingerprint)}` : ''}.`}
              </p>
            </div>
          ))}
        </section>
      ))}

      <section aria-labelledby="record-exceptions">
        <h2 id="record-exceptions" className="nhsuk-heading-m">
          Exceptions and risk acceptances
        </h2>
        {record.exceptions.length === 0 ? (
          <p>None.</p>
        ) : (
          <DataTable
            caption="Exceptions and risk acceptances"
            captionHidden
            rows={record.exceptions}
            rowKey={(x) => `${x.kind}-${x.subject}`}
            columns={[
              {
                header: 'About',
                cell: (x) =>
                  x.kind === 'step'
                    ? (record.steps.find((s) => s.id === x.subject)?.title ?? x.subject)
                    : `Device ${x.subject}`,
              },
              {
                header: 'Reason',
                cell: (x) => {
                  const device =
                    x.kind === 'device'
                      ? record.devices.list.find((d) => d.hostname === x.subject)
                      : undefined;
                  return (
                    <>
                      {x.reason}
                      {device?.exception?.answers.map((a) => (
                        <div className="nhsuk-body-s nhsuk-u-margin-bottom-0" key={a.label}>
                          {a.label}: {a.display}
                        </div>
                      ))}
                    </>
                  );
                },
              },
              { header: 'Approver', cell: (x) => `${x.approver.name}, ${x.approver.role}` },
              {
                header: 'Review by',
                className: 'app-nowrap',
                cell: (x) => formatDate(x.reviewDate),
              },
            ]}
          />
        )}
      </section>

      <section aria-labelledby="record-devices">
        <h2 id="record-devices" className="nhsuk-heading-m">
          Devices
        </h2>
        <p>
          {record.devices.summary.total} devices: {record.devices.summary.cleared} cleared,{' '}
          {record.devices.summary.excepted} isolated under an approved exception, none outstanding.
          {record.devices.list.length > 0 && ' Each is listed in the appendix, with its evidence.'}
        </p>
        {record.devices.summary.byOs.length > 0 && (
          <DataTable
            caption="Devices by operating system"
            captionHidden
            rows={record.devices.summary.byOs}
            rowKey={(o) => o.os}
            columns={[
              { header: 'Operating system', cell: (o) => o.os },
              { header: 'Devices', numeric: true, cell: (o) => o.count },
            ]}
          />
        )}
      </section>

      <section aria-labelledby="record-files">
        <h2 id="record-files" className="nhsuk-heading-m">
          Evidence files
        </h2>
        {record.files.length === 0 ? (
          <p>None attached.</p>
        ) : (
          <EvidenceFilesTable files={record.files} />
        )}
      </section>

      {record.devices.list.length > 0 && (
        <section aria-labelledby="record-appendix" className="app-record__appendix">
          <h2 id="record-appendix" className="nhsuk-heading-m">
            Appendix: every device
          </h2>
          <DataTable
            className="app-record__devices"
            caption="Every device and its clearance"
            captionHidden
            rows={record.devices.list}
            rowKey={(d) => d.hostname}
            columns={[
              { header: 'Device', cell: (d) => d.hostname },
              { header: 'Asset tag', cell: (d) => d.assetTag ?? '' },
              { header: 'Owner', cell: (d) => d.owner ?? '' },
              { header: 'Kind', cell: (d) => d.deviceClass ?? '' },
              { header: 'Operating system', cell: (d) => d.os },
              {
                header: 'Status',
                cell: (d) =>
                  d.status === 'cleared'
                    ? 'Cleared'
                    : `Excepted, review by ${formatDate(d.exceptionReviewDate ?? '')}`,
              },
              {
                header: 'Evidence',
                cell: (d) => (
                  <>
                    {(d.evidence ?? []).map((e) => (
                      <div key={e.label}>
                        {e.label}: {e.display}
                      </div>
                    ))}
                    {d.exception && (
                      <div>
                        Accepted by {d.exception.approver.name} ({d.exception.approver.role}):{' '}
                        {d.exception.reason}
                      </div>
                    )}
                  </>
                ),
              },
              {
                header: 'Cleared by',
                cell: (d) =>
                  d.clearedBy
                    ? `${d.clearedBy}, ${d.clearedAt ? formatDateTime(d.clearedAt) : ''}`
                    : '',
              },
            ]}
          />
        </section>
      )}
    </article>
  );
}
