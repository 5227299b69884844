// The readiness summary (NHS "check your answers"): every step with its outcome and key
// answers, what still blocks sign-off, exceptions and risk acceptances, the device roll-up,
// the checklist's identity, evidence files and the audit-log head — then the manager's
// decision: approve, approve with conditions, or send it back with reasons.
import { sharedFacts } from '../../run/facts.ts';
import { VersionsNotice } from '../components/VersionsNotice.tsx';
import { startTransition, useEffect, useState } from 'react';
import type { FileRef } from '../../checklist/fields.ts';
import { useFleetSummary } from '../../db/liveDevices.ts';
import { readinessReport, type ReadinessReport } from '../../db/readiness.ts';
import { formatValue } from '../../run/display.ts';
import { statusLabels } from '../../run/status.ts';
import { BackLink } from '../components/BackLink.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { EvidenceFilesTable } from '../components/EvidenceFilesTable.tsx';
import { RecordGate } from '../components/RecordGate.tsx';
import { SignOffPanel } from '../components/SignOffPanel.tsx';
import { StatusTag } from '../components/StatusTag.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { Link } from '../Link.tsx';
import { usePageTitle } from '../usePageTitle.ts';
import { useRecord } from '../useRecord.ts';
import '../styles/pages.scss';

export function SummaryPage({ runId }: { runId: string }) {
  const view = useRecord(runId);
  const [report, setReport] = useState<ReadinessReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  usePageTitle('Readiness summary');
  // Checked again whenever the record or its devices change (device runs are separate records,
  // so the record's own head does not show their changes).
  const fleet = useFleetSummary(runId);
  const version =
    view.state === 'ready' && fleet.state === 'ready'
      ? `${view.run.updatedAt}|${String(view.run.head.seq)}|${JSON.stringify(fleet.value)}`
      : '';

  useEffect(() => {
    if (!version) return;
    let cancelled = false;
    readinessReport(runId).then(
      (next) => {
        // A transition: the long summary is rendered in slices the browser can interleave
        // with input, instead of one task that blocks the page while it is built.
        if (!cancelled)
          startTransition(() => {
            setReport(next);
          });
      },
      (error: unknown) => {
        if (!cancelled) setFailure(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [runId, version]);

  return (
    <RecordGate view={view}>
      {({ run, compiled, statuses }) => {
        // One value for each fact: the first step's answer where it has one, else as started.
        const facts = sharedFacts(
          compiled.definition,
          run.organisation,
          run.snapshot.context.steps,
        );
        // The heading shows as soon as the record is read; the checks fill in below it.
        const heading = (
          <>
            <BackLink href={`/records/${runId}`}>Back to {facts.name}</BackLink>
            <span className="nhsuk-caption-l">{facts.name}</span>
            <h1>Readiness summary</h1>
          </>
        );
        if (failure)
          return (
            <>
              {heading}
              <p className="nhsuk-error-message">{failure}</p>
            </>
          );
        if (!report)
          return (
            <>
              {heading}
              <p role="status">Checking the record…</p>
            </>
          );
        const files: (FileRef & { stepId: string })[] = [];
        for (const step of compiled.index.steps.values())
          for (const field of step.fields)
            if (field.type === 'file' && statuses.get(step.id)?.kind === 'completed')
              for (const f of (run.snapshot.context.steps[step.id]?.evidence?.[field.id] as
                FileRef[] | undefined) ?? [])
                files.push({ ...f, stepId: step.id });
        return (
          <>
            {heading}
            <VersionsNotice runId={runId} />
            {run.snapshot.context.locked ? (
              <div
                className="nhsuk-notification-banner nhsuk-notification-banner--success"
                role="status"
              >
                <div className="nhsuk-notification-banner__content">
                  <p className="nhsuk-notification-banner__heading">
                    Signed off on {formatDateTime(run.snapshot.context.locked.at)}
                  </p>
                  <p>
                    <Link href={`/records/${runId}/record`}>
                      View, print or export the signed completion record
                    </Link>
                  </p>
                </div>
              </div>
            ) : report.ready ? (
              <div className="nhsuk-inset-text">
                <span className="nhsuk-u-visually-hidden">Information: </span>
                <p>
                  {report.staged
                    ? `Every step “${report.stage.title}” covers is resolved, every device is cleared or excepted, and the audit log is intact. It is ready to sign.`
                    : 'Every step is resolved, every device is cleared or excepted, and the audit log is intact. The record is ready for sign-off.'}
                </p>
              </div>
            ) : (
              <NotReady
                runId={runId}
                blockers={report.blockers}
                title={
                  report.staged ? `Not ready for “${report.stage.title}”` : 'Not ready for sign-off'
                }
              />
            )}

            {report.signed.length > 0 && !run.snapshot.context.locked && (
              <div
                className="nhsuk-notification-banner nhsuk-notification-banner--success"
                role="status"
              >
                <div className="nhsuk-notification-banner__content">
                  {report.signed.map((s) => (
                    <p key={s.stage.id} className="nhsuk-notification-banner__heading">
                      “{s.stage.title}” signed on {formatDateTime(s.at)}.{' '}
                      <Link href={`/records/${runId}/record?signoff=${s.stage.id}`}>
                        View, print or export it
                      </Link>
                    </p>
                  ))}
                </div>
              </div>
            )}

            <h2 className="nhsuk-heading-m">The record</h2>
            <dl className="nhsuk-summary-list">
              {(
                [
                  [
                    'Organisation',
                    [facts.name, facts.odsCode, facts.site].filter(Boolean).join(', '),
                  ],
                  ['Incident reference', facts.incidentReference ?? 'None given'],
                  [
                    'Checklist',
                    `${compiled.definition.title} (${run.checklist.id}), version ${run.checklist.version}`,
                  ],
                  ['Checklist content hash', run.checklist.contentHash],
                  [
                    'Audit log',
                    `${String(report.chainLength)} events; head hash ${run.head.hash || '(no events yet)'}`,
                  ],
                  [
                    'Progress',
                    `${String(report.progress.done)} of ${String(report.progress.total)} steps resolved`,
                  ],
                ] as const
              ).map(([key, value]) => (
                <div className="nhsuk-summary-list__row" key={key}>
                  <dt className="nhsuk-summary-list__key">{key}</dt>
                  <dd
                    className={`nhsuk-summary-list__value${key.includes('hash') || key === 'Audit log' ? ' app-mono' : ''}`}
                  >
                    {value}
                  </dd>
                </div>
              ))}
            </dl>

            {/* One part, so every link in it is laid out alike (see .app-lazy-part). */}
            <div className="app-lazy-part">
              {compiled.definition.phases.map((phase) => (
                <section key={phase.id} aria-labelledby={`summary-${phase.id}`}>
                  <h2 className="nhsuk-heading-m" id={`summary-${phase.id}`}>
                    {phase.title}
                  </h2>
                  <dl className="nhsuk-summary-list">
                    {phase.steps.map((step) => {
                      const status = statuses.get(step.id) ?? { kind: 'not-started' as const };
                      const context = run.snapshot.context.steps[step.id];
                      const answers =
                        status.kind === 'completed'
                          ? step.fields
                              .filter((f) => context?.evidence?.[f.id] !== undefined)
                              .map(
                                (f) => `${f.label}: ${formatValue(f, context?.evidence?.[f.id])}`,
                              )
                          : [];
                      const approval = context?.resolution?.approval;
                      return (
                        <div className="nhsuk-summary-list__row" key={step.id}>
                          <dt className="nhsuk-summary-list__key">{step.title}</dt>
                          <dd className="nhsuk-summary-list__value">
                            <StatusTag kind={status.kind} />
                            {status.kind === 'not-needed' && (
                              <p className="nhsuk-body-s">Not needed: {status.because}</p>
                            )}
                            {(status.kind === 'not-applicable' ||
                              status.kind === 'risk-accepted') && (
                              <p className="nhsuk-body-s">Reason: {status.reason}</p>
                            )}
                            {answers.length > 0 && (
                              <ul className="nhsuk-list nhsuk-body-s">
                                {answers.slice(0, 6).map((a) => (
                                  <li key={a}>{a}</li>
                                ))}
                                {answers.length > 6 && (
                                  <li>…and {answers.length - 6} more answers</li>
                                )}
                              </ul>
                            )}
                            {approval && (
                              <p className="nhsuk-body-s">
                                Approved by {approval.name} ({approval.role}) on{' '}
                                {formatDateTime(approval.at)}
                              </p>
                            )}
                          </dd>
                          <dd className="nhsuk-summary-list__actions">
                            {status.kind !== 'not-needed' && !run.snapshot.context.locked && (
                              <Link href={`/records/${runId}/steps/${step.id}`}>
                                {status.kind === 'completed' ||
                                status.kind === 'not-applicable' ||
                                status.kind === 'risk-accepted'
                                  ? 'Change'
                                  : 'Go to step'}
                                <span className="nhsuk-u-visually-hidden">{` ${step.title} (${statusLabels[status.kind]})`}</span>
                              </Link>
                            )}
                          </dd>
                        </div>
                      );
                    })}
                  </dl>
                </section>
              ))}

              <h2 className="nhsuk-heading-m">Exceptions and risk acceptances</h2>
              {report.riskAcceptances.length === 0 ? (
                <p>No risk was accepted on the checklist’s steps.</p>
              ) : (
                <DataTable
                  caption="Risk acceptances"
                  captionHidden
                  rows={report.riskAcceptances}
                  rowKey={(r) => r.stepId}
                  columns={[
                    { header: 'Step', cell: (r) => r.title },
                    { header: 'Reason', cell: (r) => r.reason },
                    { header: 'Approver', cell: (r) => `${r.approver.name}, ${r.approver.role}` },
                    {
                      header: 'Review by',
                      className: 'app-nowrap',
                      cell: (r) => formatDate(r.reviewDate),
                    },
                  ]}
                />
              )}

              <h2 className="nhsuk-heading-m">Devices</h2>
              <p>
                {report.fleet.total} devices: {report.fleet.cleared} cleared,{' '}
                {report.fleet.excepted} isolated under an approved exception,{' '}
                {report.fleet.outstanding} outstanding.{' '}
                <Link href={`/records/${runId}/devices`}>See the devices</Link>
              </p>

              <h2 className="nhsuk-heading-m">Evidence files</h2>
              {files.length === 0 ? (
                <p>No files are attached.</p>
              ) : (
                <EvidenceFilesTable files={files} />
              )}

              {!run.snapshot.context.locked && (
                <SignOffPanel
                  key={report.stage.id}
                  runId={runId}
                  ready={report.ready}
                  compiled={compiled}
                  statuses={statuses}
                  stage={report.stage}
                  staged={report.staged}
                />
              )}
            </div>
          </>
        );
      }}
    </RecordGate>
  );
}

/**
 * Why the record cannot be signed off yet, in a few lines: how many steps are still open with a
 * link to the next one, then anything else that stands in the way (devices, the audit log).
 */
function NotReady({
  runId,
  blockers,
  title,
}: {
  runId: string;
  blockers: ReadinessReport['blockers'];
  title: string;
}) {
  const steps = blockers.filter((b) => b.stepId !== undefined);
  const others = blockers.filter((b) => b.stepId === undefined);
  const next = steps[0];
  return (
    <div className="nhsuk-warning-callout">
      <h2 className="nhsuk-warning-callout__label" id="blockers-title">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          {title}
        </span>
      </h2>
      {next?.stepId && (
        <p>
          {steps.length === 1 ? '1 step is' : `${String(steps.length)} steps are`} not resolved yet.
          Next: <Link href={`/records/${runId}/steps/${next.stepId}`}>{next.message}</Link>
        </p>
      )}
      {others.length > 0 && (
        <ul>
          {others.map((b, i) => (
            <li key={`${b.kind}-${String(i)}`}>
              {b.kind === 'fleet' ? (
                <Link href={`/records/${runId}/devices`}>{b.message}</Link>
              ) : (
                b.message
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
