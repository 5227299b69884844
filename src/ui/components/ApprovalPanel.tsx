// An approver's decision on a step that waits for one: a registered approver, with their
// passphrase, approves or sends it back with a reason. The decision is signed with their key.
import { useId, useState, type SyntheticEvent } from 'react';
import { useApprovers } from '../../db/liveApprovers.ts';
import { decideStep } from '../../db/signoff.ts';
import { WrongPassphraseError } from '../../record/approverBasics.ts';
import { describeFailure } from '../useDispatch.ts';
import { ApproverUnlock } from './ApproverUnlock.tsx';
import { ErrorSummary, type SummaryError } from './ErrorSummary.tsx';
import { ErrorMessage, FormGroup } from './FormField.tsx';
import { RadioGroup } from './RadioGroup.tsx';
import type { ChecklistDefinition } from '../../checklist/schema.ts';
import { roleOf, roleRefusal, roleTitle } from '../../checklist/signoffs.ts';

export function ApprovalPanel({
  runId,
  stepId,
  role,
  definition,
  actor,
  onDecided,
}: {
  runId: string;
  stepId: string;
  role: string;
  /** The checklist's declared roles: a decision needing one is taken only by its holders. */
  definition: Pick<ChecklistDefinition, 'roles'>;
  actor: string;
  /** Called once the decision is stored, with what to tell the user. */
  onDecided: (notice: string) => void;
}) {
  const id = useId();
  const approvers = useApprovers();
  const list = approvers.state === 'ready' ? approvers.value : [];
  const [approverId, setApproverId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [decision, setDecision] = useState<'approve' | 'return' | ''>('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);

  async function onSubmit(e: SyntheticEvent) {
    e.preventDefault();
    const next: Record<string, string> = {};
    const approver = list.find((a) => a.id === approverId);
    if (!approver) next.approver = 'Select the approver';
    if (!passphrase) next.passphrase = 'Enter the approver’s passphrase';
    if (!decision) next.decision = 'Select whether you approve or send it back';
    if (decision === 'return' && !text.trim()) next.text = 'Enter what needs to change';
    // Said before the passphrase is typed: the approval is not this approver's to give.
    const refusal =
      approver && decision === 'approve' ? roleRefusal(definition, role, approver) : null;
    if (refusal) next.approver = refusal;
    setErrors(next);
    setAttempt((n) => n + 1);
    if (Object.keys(next).length > 0 || !approver || !decision) return;
    setBusy(true);
    try {
      await decideStep({ runId, stepId, approver, passphrase, decision, text, actor });
      setPassphrase('');
      onDecided(
        decision === 'approve'
          ? `Approved, signed by ${approver.name}`
          : `Sent back with your reason, signed by ${approver.name}`,
      );
    } catch (error) {
      if (error instanceof WrongPassphraseError) setErrors({ passphrase: error.message });
      else setErrors({ other: describeFailure(error).message });
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  const hrefOf: Record<string, string> = {
    approver: `${id}-approver-${list[0]?.id ?? ''}`,
    passphrase: `${id}-passphrase`,
    decision: `${id}-approve`,
    text: `${id}-text`,
  };
  const summary: SummaryError[] = Object.entries(errors).map(([key, text]) => ({
    ...(hrefOf[key] ? { href: hrefOf[key] } : {}),
    text,
  }));

  return (
    <form
      className="nhsuk-card"
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-labelledby={`${id}-title`}
    >
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-m" id={`${id}-title`}>
          Approver’s decision
        </h2>
        <ErrorSummary errors={summary} attempt={attempt} />
        <p>
          This step needs a decision by: {roleTitle(definition, role)}. The decision is signed with
          the approver’s key{roleOf(definition, role) ? ', under that role' : ''}.
        </p>
        {roleOf(definition, role) && (
          <p className="nhsuk-body-s">
            Registered as {roleTitle(definition, role)}:{' '}
            {list
              .filter((a) => roleRefusal(definition, role, a) === null)
              .map((a) => a.name)
              .join(', ') || 'nobody on this device yet (add the role on the Approvers page)'}
            . Others may only send the step back.
          </p>
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
          <>
            <RadioGroup
              name={`${id}-decision`}
              idPrefix={id}
              legend="Decision"
              error={errors.decision}
              options={[
                { value: 'approve', label: 'Approve' },
                { value: 'return', label: 'Send back with a reason' },
              ]}
              value={decision}
              onChange={setDecision}
            />
            <FormGroup error={errors.text}>
              <label className="nhsuk-label" htmlFor={`${id}-text`}>
                {decision === 'return' ? 'What needs to change' : 'Statement (optional)'}
              </label>
              <ErrorMessage id={`${id}-text-error`} message={errors.text} />
              <textarea
                className={`nhsuk-textarea${errors.text ? ' nhsuk-textarea--error' : ''}`}
                id={`${id}-text`}
                rows={3}
                aria-describedby={errors.text ? `${id}-text-error` : undefined}
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                }}
              />
            </FormGroup>
            {errors.other && <ErrorMessage id={`${id}-other`} message={errors.other} />}
            <button type="submit" className="nhsuk-button nhsuk-u-margin-bottom-0" disabled={busy}>
              {busy ? 'Signing…' : 'Sign and record decision'}
            </button>
          </>
        )}
      </div>
    </form>
  );
}
