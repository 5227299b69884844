// A record's overview: the NHS task list of phases and steps with their statuses, progress,
// and the next step to do.
import { sharedFacts } from '../../run/facts.ts';
import { VersionsNotice } from '../components/VersionsNotice.tsx';
import type { StepStatus } from '../../run/status.ts';
import { useDevice } from '../../db/liveDevices.ts';
import { BackLink } from '../components/BackLink.tsx';
import { RecordGate } from '../components/RecordGate.tsx';
import { StatusTag } from '../components/StatusTag.tsx';
import { HeldForApprovalNotice } from '../components/HeldForApprovalNotice.tsx';
import { Link } from '../Link.tsx';
import { queryParam, useLocation } from '../router.ts';
import { recordStatus } from '../recordStatus.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { useRecord } from '../useRecord.ts';
import '../styles/pages.scss';

/**
 * The step a blocked step waits on that can be done first: the earliest of those it waits for
 * that is itself ready to start (or, failing that, the earliest).
 */
function firstToDo(waitingFor: readonly string[], statuses: ReadonlyMap<string, StepStatus>) {
  return (
    waitingFor.find((id) => {
      const kind = statuses.get(id)?.kind;
      return kind === 'not-started' || kind === 'in-progress';
    }) ?? waitingFor[0]
  );
}

function hintFor(
  status: StepStatus,
  titleOf: (id: string) => string,
  statuses: ReadonlyMap<string, StepStatus>,
): string | null {
  switch (status.kind) {
    case 'cannot-start': {
      if (status.signOff) return `Waiting for “${status.signOff}” to be signed`;
      // One line, however many steps it waits for: a count, and the one to do next.
      const count = status.waitingFor.length;
      const next = firstToDo(status.waitingFor, statuses);
      if (count === 1 && next) return `Complete ${titleOf(next)} first`;
      return `Complete ${String(count)} earlier steps first${next ? `, next ${titleOf(next)}` : ''}`;
    }
    case 'not-needed':
      return `Not needed: ${status.because}`;
    case 'needs-approval':
      return status.pending.outcome === 'risk-accepted'
        ? 'Risk acceptance waiting for an approver'
        : 'Waiting for an approver';
    case 'in-progress':
      return status.returned ? `Sent back: ${status.returned.reason}` : null;
    case 'risk-accepted':
      return status.reviewDate ? `Review by ${status.reviewDate}` : null;
    default:
      return null;
  }
}

function DeviceName({
  orgRunId,
  deviceId,
}: {
  orgRunId: string | undefined;
  deviceId: string | undefined;
}) {
  const device = useDevice(orgRunId ?? '', deviceId ?? '');
  if (device.state !== 'ready' || !device.value) return <>Device</>;
  return <>{device.value.hostname ?? device.value.assetTag ?? 'Device'}</>;
}

export function RecordPage({ runId }: { runId: string }) {
  const view = useRecord(runId);
  const doneId = queryParam(useLocation(), 'done');
  usePageTitle(view.state === 'ready' ? view.run.organisation.name : 'Record');
  return (
    <RecordGate view={view}>
      {({ run, compiled, statuses, progress, next }) => {
        const titleOf = (id: string) => `“${compiled.index.steps.get(id)?.title ?? id}”`;
        const status = recordStatus(run);
        const nextTitle = next ? compiled.index.steps.get(next)?.title : undefined;
        // What the record shows: the first step's answers where it has them, else as started.
        const facts = sharedFacts(
          compiled.definition,
          run.organisation,
          run.snapshot.context.steps,
        );
        return (
          <>
            {run.kind === 'device' && run.parentRunId && run.deviceId ? (
              <BackLink href={`/records/${run.parentRunId}/devices/${run.deviceId}`}>
                Back to the device
              </BackLink>
            ) : (
              <BackLink href="/">Back to your records</BackLink>
            )}
            {doneId && compiled.index.steps.has(doneId) && (
              <div
                className="nhsuk-notification-banner nhsuk-notification-banner--success"
                role="alert"
              >
                <div className="nhsuk-notification-banner__content">
                  <p className="nhsuk-notification-banner__heading">
                    Saved: “{compiled.index.steps.get(doneId)?.title}”
                  </p>
                </div>
              </div>
            )}
            <span className="nhsuk-caption-l">{compiled.definition.title}</span>
            <h1>
              {run.kind === 'device' ? (
                <DeviceName orgRunId={run.parentRunId} deviceId={run.deviceId} />
              ) : (
                facts.name
              )}
            </h1>
            {run.kind === 'organisation' && <VersionsNotice runId={run.runId} />}
            <p>
              <StatusTag kind={status} />{' '}
              <span data-testid="progress">
                {progress.done} of {progress.total} steps done
              </span>
              {progress.awaitingApproval > 0 && (
                <>, {progress.awaitingApproval} waiting for approval</>
              )}
            </p>
            <p className="nhsuk-body-s">
              Checklist version {run.checklist.version}
              {facts.odsCode && <> · ODS code {facts.odsCode}</>}
              {facts.site && <> · {facts.site}</>}
              {facts.incidentReference && <> · Incident {facts.incidentReference}</>}
            </p>
            {run.heldForApproval && (
              <HeldForApprovalNotice
                held={run.heldForApproval}
                orgRunId={run.parentRunId ?? run.runId}
              />
            )}
            {next && nextTitle && !run.heldForApproval && (
              <p>
                <Link
                  className="nhsuk-button"
                  draggable={false}
                  href={`/records/${runId}/steps/${next}`}
                >
                  Continue: {nextTitle}
                </Link>
              </p>
            )}
            <p>
              <Link href={`/records/${runId}/log`}>Audit log</Link>
              {run.kind === 'organisation' && (
                <>
                  {' · '}
                  <Link href={`/records/${runId}/summary`}>Readiness summary and sign-off</Link>
                  {run.snapshot.context.locked && (
                    <>
                      {' · '}
                      <Link href={`/records/${runId}/record`}>Signed completion record</Link>
                    </>
                  )}
                </>
              )}
              {run.kind === 'organisation' && (
                <>
                  {' · '}
                  <Link href={`/records/${runId}/devices`}>Devices</Link>
                </>
              )}
            </p>
            {compiled.definition.phases.map((phase) => (
              <section key={phase.id} aria-labelledby={`phase-${phase.id}`}>
                <h2 id={`phase-${phase.id}`} className="nhsuk-heading-m">
                  {phase.title}
                </h2>
                {phase.summary && <p>{phase.summary}</p>}
                <ul className="nhsuk-task-list">
                  {phase.steps.map((step) => {
                    const stepStatus = statuses.get(step.id) ?? { kind: 'not-started' as const };
                    const hint = hintFor(stepStatus, titleOf, statuses);
                    // As the NHS task list does: a step that cannot start yet, or is not
                    // needed, is plain text, not a link.
                    const linked =
                      stepStatus.kind !== 'not-needed' && stepStatus.kind !== 'cannot-start';
                    const statusId = `status-${step.id}`;
                    const hintId = `hint-${step.id}`;
                    return (
                      <li
                        key={step.id}
                        className={`nhsuk-task-list__item${linked ? ' nhsuk-task-list__item--with-link' : ''}`}
                      >
                        <div className="nhsuk-task-list__name-and-hint">
                          {linked ? (
                            <Link
                              className="nhsuk-link nhsuk-task-list__link"
                              href={`/records/${runId}/steps/${step.id}`}
                              aria-describedby={`${hint ? `${hintId} ` : ''}${statusId}`}
                            >
                              {step.title}
                            </Link>
                          ) : (
                            <div>{step.title}</div>
                          )}
                          {hint && (
                            <div className="nhsuk-task-list__hint" id={hintId}>
                              {hint}
                            </div>
                          )}
                        </div>
                        <div className="nhsuk-task-list__status" id={statusId}>
                          <StatusTag kind={stepStatus.kind} />
                        </div>
                      </li>
                    );
                  })}
                </ul>
              </section>
            ))}
          </>
        );
      }}
    </RecordGate>
  );
}
