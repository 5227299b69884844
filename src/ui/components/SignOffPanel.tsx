// The manager's decision on the whole record: approve reconnection, approve it with stated
// conditions, or send it back with reasons on the steps that need work. Made by a registered
// approver with their passphrase; an approval signs the record and locks it.
import { useId, useState, type SyntheticEvent } from 'react';
import type { CompiledChecklist } from '../../checklist/machine.ts';
import { useApprovers } from '../../db/liveApprovers.ts';
import { WrongPassphraseError } from '../../record/approverBasics.ts';
import type { StepStatus } from '../../run/status.ts';
import { navigate } from '../router.ts';
import { Link } from '../Link.tsx';
import type { SignOff } from '../../checklist/schema.ts';
import { roleRefusal, roleTitle, stagesOf } from '../../checklist/signoffs.ts';
import { useActor } from '../useActor.ts';
import { describeFailure } from '../useDispatch.ts';
import { ApproverUnlock } from './ApproverUnlock.tsx';
import { RadioGroup } from './RadioGroup.tsx';
import { ErrorSummary, type SummaryError } from './ErrorSummary.tsx';
import { describedBy, ErrorMessage, FormGroup, Hint } from './FormField.tsx';

type Outcome = 'approved' | 'approved-with-conditions' | 'rejected';

const resolvedKinds = new Set(['completed', 'not-applicable', 'risk-accepted']);

export function SignOffPanel({
  runId,
  ready,
  compiled,
  statuses,
  stage,
  staged,
}: {
  runId: string;
  ready: boolean;
  compiled: CompiledChecklist;
  statuses: Map<string, StepStatus>;
  /** The sign-off to sign now (the go-ahead, then the closure; the only one if not staged). */
  stage: SignOff;
  staged: boolean;
}) {
  const id = useId();
  const approvers = useApprovers();
  const actor = useActor();
  const everyone = approvers.state === 'ready' ? approvers.value : [];
  // Offered only to the approvers who hold the role the checklist names for this sign-off; the
  // others may still send the record back.
  const holders = staged
    ? everyone.filter((a) => roleRefusal(compiled.definition, stage.role, a) === null)
    : everyone;
  const roleName = roleTitle(compiled.definition, stage.role);
  const [approverId, setApproverId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [outcome, setOutcome] = useState<Outcome | ''>(ready ? '' : 'rejected');
  const list = outcome === 'rejected' ? everyone : holders;
  const [statement, setStatement] = useState('');
  const [conditions, setConditions] = useState('');
  const [returned, setReturned] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const resolvedSteps = compiled.index.order.filter((s) =>
    resolvedKinds.has(statuses.get(s)?.kind ?? ''),
  );

  async function onSubmit(e: SyntheticEvent) {
    e.preventDefault();
    const next: Record<string, string> = {};
    const approver = list.find((a) => a.id === approverId);
    if (!outcome) next.outcome = 'Select your decision';
    if ((outcome === 'approved' || outcome === 'approved-with-conditions') && !ready)
      next.outcome =
        'The record is not ready: it can only be sent back until what blocks it is resolved';
    if (outcome !== 'rejected' && outcome && !statement.trim())
      next.statement = 'Enter your statement for the record';
    if (outcome === 'approved-with-conditions' && !conditions.trim())
      next.conditions = 'Enter the conditions, one per line';
    if (outcome === 'rejected' && returned.size === 0)
      next.returned = 'Select the steps that need work';
    if (outcome === 'rejected' && !reason.trim()) next.reason = 'Enter what needs to change';
    if (!approver) next.approver = 'Select the approver';
    if (!passphrase) next.passphrase = 'Enter the approver’s passphrase';
    setErrors(next);
    setAttempt((n) => n + 1);
    if (Object.keys(next).length > 0 || !approver || !outcome) return;
    setBusy(true);
    try {
      // The signing code (JOSE, the record format, approver keys) loads only when someone signs
      // or sends the record back: the summary above does not need it to show.
      const { returnRecord, signOff } = await import('../../db/signoff.ts');
      const who = actor.name ?? approver.name;
      if (outcome === 'rejected') {
        await returnRecord({
          runId,
          approver,
          passphrase,
          returns: compiled.index.order
            .filter((s) => returned.has(s))
            .map((stepId) => ({ stepId, reason: reason.trim() })),
          actor: who,
        });
        setDone(
          `Sent back: ${String(returned.size)} ${returned.size === 1 ? 'step shows' : 'steps show'} your reasons.`,
        );
        setReturned(new Set());
        setPassphrase('');
      } else {
        await signOff({
          runId,
          approver,
          passphrase,
          decision:
            outcome === 'approved'
              ? { outcome }
              : {
                  outcome,
                  conditions: conditions
                    .split('\n')
                    .map((c) => c.trim())
                    .filter(Boolean),
                },
          statement,
          actor: who,
        });
        navigate(`/records/${runId}/record${staged ? `?signoff=${stage.id}` : ''}`);
      }
    } catch (error) {
      if (error instanceof WrongPassphraseError) setErrors({ passphrase: error.message });
      else setErrors({ other: describeFailure(error).message });
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  const hrefOf = (key: string) =>
    key === 'approver'
      ? `${id}-approver-${list[0]?.id ?? ''}`
      : key === 'outcome'
        ? `${id}-approved`
        : key === 'returned'
          ? `${id}-return-${resolvedSteps[0] ?? ''}`
          : `${id}-${key}`;
  const summary: SummaryError[] = Object.entries(errors).map(([key, text]) => ({
    ...(key === 'other' ? {} : { href: hrefOf(key) }),
    text,
  }));

  return (
    <section className="nhsuk-card" aria-labelledby={`${id}-title`}>
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-l" id={`${id}-title`}>
          {staged ? `Sign-off: ${stage.title}` : 'Sign-off'}
        </h2>
        <ErrorSummary errors={summary} attempt={attempt} />
        {done && (
          <div
            className="nhsuk-notification-banner nhsuk-notification-banner--success"
            role="alert"
          >
            <div className="nhsuk-notification-banner__content">
              <p className="nhsuk-notification-banner__heading">{done}</p>
            </div>
          </div>
        )}
        {staged ? (
          <>
            <p>{stage.summary}</p>
            <p>
              Signed by the {roleName}. Approving signs a record of the steps it covers with your
              key and locks them
              {stage.id === stagesOf(compiled.definition).at(-1)?.id
                ? ': the whole record is then closed, and later changes need a new revision.'
                : '; the steps after it stay open, and each link decision is then bound to it.'}
            </p>
          </>
        ) : (
          <p>
            Decide on the evidence above. Approving signs the completion record with your key and
            locks the record: later changes need a new revision.
          </p>
        )}
        {!ready && (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              Approval is not offered yet: what blocks it is listed above. You can send steps back
              with reasons.
            </p>
          </div>
        )}
        {ready && staged && holders.length === 0 && everyone.length > 0 && (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              No approver on this device is registered as {roleName}, who signs this.{' '}
              <Link href="/approvers">Add the role to an approver</Link>.
            </p>
          </div>
        )}
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          <RadioGroup
            name={`${id}-outcome`}
            idPrefix={id}
            legend="Your decision"
            legendSize="m"
            error={errors.outcome}
            options={[
              ...(ready
                ? [
                    {
                      value: 'approved' as const,
                      label: staged ? `Approve: ${stage.title}` : 'Approve reconnection',
                    },
                    {
                      value: 'approved-with-conditions' as const,
                      label: staged
                        ? `Approve with conditions: ${stage.title}`
                        : 'Approve reconnection with conditions',
                    },
                  ]
                : []),
              { value: 'rejected' as const, label: 'Send it back with reasons' },
            ]}
            value={outcome}
            onChange={setOutcome}
          />
          {outcome === 'approved-with-conditions' && (
            <FormGroup error={errors.conditions}>
              <label className="nhsuk-label" htmlFor={`${id}-conditions`}>
                Conditions
              </label>
              <Hint id={`${id}-conditions-hint`}>
                One per line, for example “Third-party links stay closed until the supplier confirms
                patching”.
              </Hint>
              <ErrorMessage id={`${id}-conditions-error`} message={errors.conditions} />
              <textarea
                className={`nhsuk-textarea${errors.conditions ? ' nhsuk-textarea--error' : ''}`}
                id={`${id}-conditions`}
                rows={4}
                value={conditions}
                aria-describedby={describedBy(
                  {
                    input: `${id}-conditions`,
                    hint: `${id}-conditions-hint`,
                    error: `${id}-conditions-error`,
                  },
                  true,
                  Boolean(errors.conditions),
                )}
                onChange={(e) => {
                  setConditions(e.target.value);
                }}
              />
            </FormGroup>
          )}
          {outcome === 'rejected' && (
            <>
              <FormGroup error={errors.returned}>
                <fieldset
                  className="nhsuk-fieldset"
                  id={`${id}-returned`}
                  aria-describedby={errors.returned ? `${id}-returned-error` : undefined}
                >
                  <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
                    Steps that need work
                  </legend>
                  <ErrorMessage id={`${id}-returned-error`} message={errors.returned} />
                  <div className="nhsuk-checkboxes">
                    {resolvedSteps.map((stepId) => (
                      <div className="nhsuk-checkboxes__item" key={stepId}>
                        <input
                          className="nhsuk-checkboxes__input"
                          id={`${id}-return-${stepId}`}
                          type="checkbox"
                          checked={returned.has(stepId)}
                          onChange={(e) => {
                            const next = new Set(returned);
                            if (e.target.checked) next.add(stepId);
                            else next.delete(stepId);
                            setReturned(next);
                          }}
                        />
                        <label
                          className="nhsuk-label nhsuk-checkboxes__label"
                          htmlFor={`${id}-return-${stepId}`}
                        >
                          {compiled.index.steps.get(stepId)?.title ?? stepId}
                        </label>
                      </div>
                    ))}
                  </div>
                </fieldset>
              </FormGroup>
              <FormGroup error={errors.reason}>
                <label className="nhsuk-label" htmlFor={`${id}-reason`}>
                  What needs to change
                </label>
                <ErrorMessage id={`${id}-reason-error`} message={errors.reason} />
                <textarea
                  className={`nhsuk-textarea${errors.reason ? ' nhsuk-textarea--error' : ''}`}
                  id={`${id}-reason`}
                  rows={3}
                  value={reason}
                  aria-describedby={errors.reason ? `${id}-reason-error` : undefined}
                  onChange={(e) => {
                    setReason(e.target.value);
                  }}
                />
              </FormGroup>
            </>
          )}
          {outcome && outcome !== 'rejected' && (
            <FormGroup error={errors.statement}>
              <label className="nhsuk-label" htmlFor={`${id}-statement`}>
                Your statement
              </label>
              <Hint id={`${id}-statement-hint`}>
                Printed on the record, for example “I have reviewed the evidence and accept the
                remaining risks listed.”
              </Hint>
              <ErrorMessage id={`${id}-statement-error`} message={errors.statement} />
              <textarea
                className={`nhsuk-textarea${errors.statement ? ' nhsuk-textarea--error' : ''}`}
                id={`${id}-statement`}
                rows={3}
                value={statement}
                aria-describedby={describedBy(
                  {
                    input: `${id}-statement`,
                    hint: `${id}-statement-hint`,
                    error: `${id}-statement-error`,
                  },
                  true,
                  Boolean(errors.statement),
                )}
                onChange={(e) => {
                  setStatement(e.target.value);
                }}
              />
            </FormGroup>
          )}
          <ApproverUnlock
            idPrefix={id}
            approvers={list}
            approverId={approverId}
            onApprover={setApproverId}
            passphrase={passphrase}
            onPassphrase={setPassphrase}
            errors={{
              ...(errors.approver ? { approver: errors.approver } : {}),
              ...(errors.passphrase ? { passphrase: errors.passphrase } : {}),
            }}
          />
          {list.length > 0 && (
            <button type="submit" className="nhsuk-button" disabled={busy}>
              {busy
                ? 'Signing…'
                : outcome === 'rejected'
                  ? 'Sign and send back'
                  : 'Sign the record'}
            </button>
          )}
        </form>
      </div>
    </section>
  );
}
