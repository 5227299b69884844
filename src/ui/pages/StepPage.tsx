// One step of a record: its guidance and sources, the evidence form, and the actions the
// machine allows now (and why others are not offered).
import { lazy, Suspense, useLayoutEffect, useRef, useState } from 'react';
import type { FleetSummary } from '../../checklist/events.ts';
import { isRiskOnly } from '../../checklist/checks.ts';
import type { Evidence } from '../../checklist/fields.ts';
import { useFleetSummary } from '../../db/liveDevices.ts';
import { availableActions } from '../../run/actions.ts';
import { prefillFor } from '../../run/facts.ts';
import { chosenReferences, stepUsesReference } from '../../run/reference.ts';
import { nextStep, stepStatuses } from '../../run/status.ts';
import { BackLink } from '../components/BackLink.tsx';
import {
  NotApplicablePanel,
  ReopenPanel,
  RiskAcceptancePanel,
} from '../components/DecisionPanels.tsx';
import { EvidenceSummary } from '../components/EvidenceSummary.tsx';
import { Guidance } from '../components/Guidance.tsx';
import { HeldForApprovalNotice } from '../components/HeldForApprovalNotice.tsx';
import { RecordGate } from '../components/RecordGate.tsx';
import { ReferencePanel } from '../components/ReferencePanel.tsx';
import { SourcesList } from '../components/SourcesList.tsx';
import { StatusTag } from '../components/StatusTag.tsx';
import { StepForm, type StepFormHandle } from '../components/StepForm.tsx';
import { WhoIsWorking } from '../components/WhoIsWorking.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { Link } from '../Link.tsx';
import { roleTitle } from '../../checklist/signoffs.ts';
import { navigate, queryParam, useLocation } from '../router.ts';
import { useActor } from '../useActor.ts';
import { useDispatch } from '../useDispatch.ts';
import { usePageTitle } from '../usePageTitle.ts';
import { useRecord } from '../useRecord.ts';
import { NotFoundPage } from './NotFoundPage.tsx';
import '../styles/pages.scss';

// The approval form brings the signing code (keys, JOSE, the record format): load it only when
// a step is waiting for this person's decision, not with every step.
const ApprovalPanel = lazy(() =>
  import('../components/ApprovalPanel.tsx').then((m) => ({ default: m.ApprovalPanel })),
);

export function StepPage({ runId, stepId }: { runId: string; stepId: string }) {
  const view = useRecord(runId);
  const actor = useActor();
  // The device roll-up, for steps that need every device cleared or excepted.
  const fleetState = useFleetSummary(
    view.state === 'ready' && view.run.kind === 'organisation' ? runId : undefined,
  );
  const fleet = fleetState.state === 'ready' ? fleetState.value : undefined;
  const location = useLocation();
  const { dispatch } = useDispatch(runId, actor.name);
  const step = view.state === 'ready' ? view.compiled.index.steps.get(stepId) : undefined;
  usePageTitle(step?.title ?? 'Step');
  const doneId = queryParam(location, 'done');
  // What the last action on this page did, when the page stays put (an approver's decision, a
  // correction): the form that was used goes away, so the notice takes focus and says so.
  const [notice, setNotice] = useState<{ at: string; text: string } | null>(null);
  // Gone once the user moves on, and not back if they return.
  if (notice && notice.at !== location) setNotice(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const formHandle = useRef<StepFormHandle>(null);
  useLayoutEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  return (
    <RecordGate view={view}>
      {({ run, compiled, statuses }) => {
        if (!step) return <NotFoundPage />;
        const status = statuses.get(step.id) ?? { kind: 'not-started' as const };
        const stepContext = run.snapshot.context.steps[step.id];
        const actions = availableActions(compiled, run.snapshot, step.id);
        const titleOf = (id: string) => compiled.index.steps.get(id)?.title ?? id;
        const references = stepUsesReference(compiled, step.id)
          ? chosenReferences(compiled, run.snapshot)
          : [];
        const open = status.kind === 'not-started' || status.kind === 'in-progress';
        const needsApproval = step.approval !== undefined;
        const riskOnly = isRiskOnly(step);
        const justDone = doneId ? compiled.index.steps.get(doneId) : undefined;
        // Here to be approved (a sign-off request): nothing to fill in, only decisions to take.
        const held = run.heldForApproval;

        const afterSuccess = (snapshot: typeof run.snapshot) => {
          const next = nextStep(compiled, stepStatuses(compiled, snapshot));
          navigate(
            next && next !== step.id
              ? `/records/${runId}/steps/${next}?done=${step.id}`
              : `/records/${runId}?done=${step.id}`,
          );
        };

        const complete = async (evidence: Evidence) => {
          const outcome = await dispatch({
            type: 'step.complete',
            stepId: step.id,
            evidence: evidence,
            // The roll-up is counted again where the step is saved; this copy is what the page showed.
            ...(step.requiresFleetClearance && fleet ? { fleet } : {}),
          });
          if (!outcome.ok)
            return {
              message: outcome.message,
              ...(outcome.issues ? { issues: outcome.issues } : {}),
            };
          afterSuccess(outcome.committed.run.snapshot);
          return null;
        };

        return (
          <div className="nhsuk-grid-row">
            <div className="nhsuk-grid-column-two-thirds">
              <BackLink href={`/records/${runId}`}>Back to {run.organisation.name}</BackLink>
              {notice && (
                <div
                  className="nhsuk-notification-banner nhsuk-notification-banner--success"
                  role="alert"
                  tabIndex={-1}
                  ref={noticeRef}
                >
                  <div className="nhsuk-notification-banner__content">
                    <p className="nhsuk-notification-banner__heading">{notice.text}</p>
                  </div>
                </div>
              )}
              {justDone && (
                <div
                  className="nhsuk-notification-banner nhsuk-notification-banner--success"
                  role="alert"
                >
                  <div className="nhsuk-notification-banner__content">
                    <p className="nhsuk-notification-banner__heading">Saved: “{justDone.title}”</p>
                  </div>
                </div>
              )}
              <span className="nhsuk-caption-l">
                {compiled.index.phaseOf.get(step.id)
                  ? compiled.definition.phases.find(
                      (p) => p.id === compiled.index.phaseOf.get(step.id),
                    )?.title
                  : ''}
              </span>
              <h1>{step.title}</h1>
              <p>
                <StatusTag kind={status.kind} />
              </p>
              {status.kind === 'in-progress' && status.returned && (
                <div className="nhsuk-warning-callout">
                  <h2 className="nhsuk-warning-callout__label">
                    <span role="text">
                      <span className="nhsuk-u-visually-hidden">Important: </span>Sent back by{' '}
                      {status.returned.by}
                    </span>
                  </h2>
                  <p>{status.returned.reason}</p>
                </div>
              )}
              {status.kind === 'cannot-start' && status.signOff && (
                <div className="nhsuk-inset-text">
                  <span className="nhsuk-u-visually-hidden">Information: </span>
                  <p>
                    You cannot start this step until “{status.signOff}” is signed on the{' '}
                    <Link href={`/records/${runId}/summary`}>sign-off page</Link>.
                  </p>
                </div>
              )}
              {status.kind === 'cannot-start' && !status.signOff && (
                <div className="nhsuk-inset-text">
                  <span className="nhsuk-u-visually-hidden">Information: </span>
                  <p>You cannot start this step yet. Complete these first:</p>
                  <ul>
                    {status.waitingFor.map((id) => (
                      <li key={id}>
                        <Link href={`/records/${runId}/steps/${id}`}>{titleOf(id)}</Link>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {status.kind === 'not-needed' && (
                <div className="nhsuk-inset-text">
                  <span className="nhsuk-u-visually-hidden">Information: </span>
                  <p>This step is not needed for this record: it is {status.because}.</p>
                </div>
              )}
              <Guidance text={step.guidance} />
              {step.requiresFleetClearance && fleet && <FleetRollup runId={runId} fleet={fleet} />}
              <WhoIsWorking compact />
              {held && (
                <HeldForApprovalNotice held={held} orgRunId={run.parentRunId ?? run.runId} />
              )}
              {held && open && <p>This step has not been done yet.</p>}

              {open && actor.name && !held && (
                <>
                  <h2 className="nhsuk-heading-m">Record what you did</h2>
                  <StepForm
                    key={step.id}
                    runId={runId}
                    step={step}
                    actor={actor.name}
                    draft={stepContext?.draft}
                    evidence={stepContext?.evidence}
                    prefill={prefillFor(step, run.organisation)}
                    referenceTables={compiled.definition.referenceTables}
                    needsApproval={needsApproval}
                    conflicts={stepContext?.conflicts}
                    saveDraft={async (save) => {
                      const outcome = await dispatch({
                        type: 'step.save',
                        stepId: step.id,
                        changes: save.changes as never,
                        ...(save.base ? { base: save.base as never } : {}),
                        ...(save.resolves ? { resolves: save.resolves as never } : {}),
                      });
                      return outcome.ok ? null : outcome.message;
                    }}
                    complete={
                      riskOnly
                        ? () =>
                            Promise.resolve({
                              message:
                                'This step is resolved by accepting the risk: give the reason and a review date below, then send it.',
                            })
                        : complete
                    }
                    handle={formHandle}
                    {...(riskOnly ? { completeLabel: null } : {})}
                  />
                  {actions.notApplicable.available && (
                    <NotApplicablePanel
                      needsApproval={needsApproval}
                      submit={async ({ reason = '' }) => {
                        const outcome = await dispatch({
                          type: 'step.not-applicable',
                          stepId: step.id,
                          reason,
                        });
                        if (!outcome.ok) return outcome.message;
                        afterSuccess(outcome.committed.run.snapshot);
                        return null;
                      }}
                    />
                  )}
                  {actions.riskAccept.available && (
                    <RiskAcceptancePanel
                      role={
                        step.approval
                          ? roleTitle(compiled.definition, step.approval.role)
                          : 'an approver'
                      }
                      {...(riskOnly
                        ? {
                            collect: () => formHandle.current?.collect() ?? Promise.resolve(null),
                          }
                        : {})}
                      submit={async ({ reason, reviewDate, evidence }) => {
                        const outcome = await dispatch({
                          type: 'step.risk-accept',
                          stepId: step.id,
                          reason,
                          reviewDate,
                          ...(evidence ? { evidence } : {}),
                        });
                        if (!outcome.ok) {
                          // Answers the machine refused are shown on their fields, above.
                          if (outcome.issues) formHandle.current?.problem(outcome);
                          return outcome.message;
                        }
                        afterSuccess(outcome.committed.run.snapshot);
                        return null;
                      }}
                    />
                  )}
                </>
              )}

              {status.kind === 'needs-approval' && (
                <>
                  <h2 className="nhsuk-heading-m">Waiting for approval</h2>
                  <p>
                    Sent by {status.pending.by} on {formatDateTime(status.pending.at)} as{' '}
                    {status.pending.outcome === 'completed'
                      ? 'complete'
                      : status.pending.outcome === 'not-applicable'
                        ? 'not applicable'
                        : 'a risk to accept'}
                    .{status.pending.reason && <> Reason: {status.pending.reason}</>}
                    {status.pending.reviewDate && (
                      <> Review by {formatDate(status.pending.reviewDate)}.</>
                    )}
                  </p>
                  {stepContext?.evidence &&
                    (status.pending.outcome === 'completed' ||
                      (riskOnly && status.pending.outcome === 'risk-accepted')) && (
                      <EvidenceSummary
                        fields={step.fields}
                        evidence={stepContext.evidence}
                        runId={runId}
                      />
                    )}
                  {actions.approve.available && actor.name && (
                    <Suspense fallback={<p role="status">Loading the approval form…</p>}>
                      <ApprovalPanel
                        runId={runId}
                        stepId={step.id}
                        role={step.approval?.role ?? 'an approver'}
                        definition={compiled.definition}
                        actor={actor.name}
                        onDecided={(text) => {
                          setNotice({ at: location, text });
                        }}
                      />
                    </Suspense>
                  )}
                </>
              )}

              {(status.kind === 'completed' ||
                status.kind === 'not-applicable' ||
                status.kind === 'risk-accepted') && (
                <>
                  <h2 className="nhsuk-heading-m">What was recorded</h2>
                  {stepContext?.resolution && (
                    <p>
                      {status.kind === 'completed'
                        ? 'Completed'
                        : status.kind === 'not-applicable'
                          ? 'Marked not applicable'
                          : 'Risk accepted'}{' '}
                      by {stepContext.resolution.by} on {formatDateTime(stepContext.resolution.at)}.
                      {stepContext.resolution.reason && (
                        <> Reason: {stepContext.resolution.reason}</>
                      )}
                      {stepContext.resolution.reviewDate && (
                        <> Review by {formatDate(stepContext.resolution.reviewDate)}.</>
                      )}
                      {stepContext.resolution.approval && (
                        <>
                          {' '}
                          Approved by {stepContext.resolution.approval.name} (
                          {stepContext.resolution.approval.role}) on{' '}
                          {formatDateTime(stepContext.resolution.approval.at)}.
                        </>
                      )}
                    </p>
                  )}
                  {(status.kind === 'completed' || (riskOnly && status.kind === 'risk-accepted')) &&
                    stepContext?.evidence && (
                      <EvidenceSummary
                        fields={step.fields}
                        evidence={stepContext.evidence}
                        runId={runId}
                      />
                    )}
                </>
              )}
              {actions.reopen.available && actor.name && !open && !held && (
                <ReopenPanel
                  submit={async ({ reason = '' }) => {
                    const outcome = await dispatch({
                      type: 'step.reopen',
                      stepId: step.id,
                      reason,
                    });
                    if (!outcome.ok) return outcome.message;
                    setNotice({
                      at: location,
                      text: 'Reopened to correct: the answers given are filled in below',
                    });
                    return null;
                  }}
                />
              )}
              {/* Reference facts and sources follow the form: the form comes first. */}
              {references.map(({ table, row }) => (
                <ReferencePanel key={table.id} table={table} row={row} />
              ))}
              <SourcesList step={step} sources={compiled.definition.sources} />
              <p>
                <Link href={`/records/${runId}`}>See all steps</Link>
              </p>
            </div>
          </div>
        );
      }}
    </RecordGate>
  );
}

/** Where the fleet stands, for the step that needs every device cleared or excepted. */
function FleetRollup({ runId, fleet }: { runId: string; fleet: FleetSummary }) {
  const blocked = fleet.total === 0 || fleet.outstanding > 0;
  return (
    <div
      className={blocked ? 'nhsuk-warning-callout' : 'nhsuk-inset-text'}
      data-testid="fleet-rollup"
    >
      {blocked && (
        <h2 className="nhsuk-warning-callout__label">
          <span role="text">
            <span className="nhsuk-u-visually-hidden">Important: </span>
            {fleet.total === 0 ? 'No devices on this record yet' : 'Devices still outstanding'}
          </span>
        </h2>
      )}
      {fleet.total === 0 ? (
        <p>
          This step cannot be completed until the device inventory is imported and every device is
          cleared or excepted. <Link href={`/records/${runId}/devices`}>Import the devices</Link>
        </p>
      ) : (
        <p>
          Devices on this record: {fleet.total}. Cleared: {fleet.cleared}. Isolated under an
          approved exception: {fleet.excepted}. Outstanding: {fleet.outstanding}.{' '}
          {fleet.outstanding > 0
            ? 'This step cannot be completed until every device is cleared or excepted. '
            : ''}
          <Link href={`/records/${runId}/devices`}>See the devices</Link>
        </p>
      )}
    </div>
  );
}
