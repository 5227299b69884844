// The smaller decisions on a step, each a short form: mark not applicable, ask for risk
// acceptance, correct a resolved step, and an approver's decision on what waits for one.
import { futureDateExample } from '../dateExample.ts';
import { useId, useState, type SyntheticEvent, type ReactNode } from 'react';
import type { Evidence } from '../../checklist/fields.ts';
import { DateParts } from '../fields/DateParts.tsx';
import { ErrorSummary, type SummaryError } from './ErrorSummary.tsx';
import { ErrorMessage, FormGroup, Hint } from './FormField.tsx';

export type Submit = (values: Record<string, string>) => Promise<string | null>;

function Details({
  summary,
  children,
  open,
}: {
  summary: string;
  children: ReactNode;
  open?: boolean;
}) {
  return (
    <details className="nhsuk-details" open={open}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">{summary}</span>
      </summary>
      <div className="nhsuk-details__text">{children}</div>
    </details>
  );
}

function ReasonField({
  id,
  label,
  hint,
  value,
  error,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  error: string | undefined;
  onChange: (v: string) => void;
}) {
  return (
    <FormGroup error={error}>
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
      {hint && <Hint id={`${id}-hint`}>{hint}</Hint>}
      <ErrorMessage id={`${id}-error`} message={error} />
      <textarea
        className={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`}
        id={id}
        rows={3}
        value={value}
        aria-describedby={
          [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') ||
          undefined
        }
        onChange={(e) => {
          onChange(e.target.value);
        }}
      />
    </FormGroup>
  );
}

/** A short form that asks for one reason, as marking not applicable and correcting do. */
function ReasonForm({
  submit,
  label,
  hint,
  missing,
  button,
}: {
  submit: Submit;
  label: string;
  hint?: string;
  /** What the error says when no reason is given. */
  missing: string;
  button: string;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [attempt, setAttempt] = useState(0);
  async function onSubmit(e: SyntheticEvent) {
    e.preventDefault();
    const failure = reason.trim() ? await submit({ reason }) : missing;
    setError(failure ?? undefined);
    if (failure) setAttempt((n) => n + 1);
  }
  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate>
      <ErrorSummary
        errors={error ? [{ href: `${id}-reason`, text: error }] : []}
        attempt={attempt}
      />
      <ReasonField
        id={`${id}-reason`}
        label={label}
        {...(hint ? { hint } : {})}
        value={reason}
        error={error}
        onChange={setReason}
      />
      <button type="submit" className="nhsuk-button nhsuk-button--secondary">
        {button}
      </button>
    </form>
  );
}

export function NotApplicablePanel({
  submit,
  needsApproval,
}: {
  submit: Submit;
  needsApproval: boolean;
}) {
  return (
    <Details summary="This step does not apply here">
      <ReasonForm
        submit={submit}
        label="Why does it not apply?"
        hint="For example, “We have no third-party links.” The reason is recorded and shown in the readiness summary."
        missing="Enter why this step does not apply"
        button={needsApproval ? 'Send for approval as not applicable' : 'Mark as not applicable'}
      />
    </Details>
  );
}

export function RiskAcceptancePanel({
  submit,
  role,
  collect,
}: {
  submit: (values: {
    reason: string;
    reviewDate: string;
    evidence?: Evidence;
  }) => Promise<string | null>;
  role: string;
  /**
   * For a step resolved only by accepting the risk: the answers of the step's form, checked
   * there (null when they need correcting, with the errors shown in that form).
   */
  collect?: () => Promise<Evidence | null>;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [review, setReview] = useState('');
  const [errors, setErrors] = useState<{ reason?: string; review?: string; other?: string }>({});
  const [attempt, setAttempt] = useState(0);
  async function onSubmit(e: SyntheticEvent) {
    e.preventDefault();
    const next: typeof errors = {};
    if (!reason.trim())
      next.reason = 'Enter why the risk should be accepted and how it is controlled';
    const today = new Date().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(review) || Number.isNaN(Date.parse(review)))
      next.review = 'Enter a real review date';
    else if (review <= today) next.review = 'The review date must be in the future';
    setErrors(next);
    setAttempt((n) => n + 1);
    if (next.reason || next.review) return;
    let evidence: Evidence | undefined;
    if (collect) {
      const collected = await collect();
      if (!collected) return;
      evidence = collected;
    }
    const failure = await submit({ reason, reviewDate: review, ...(evidence ? { evidence } : {}) });
    if (failure) {
      setErrors({ other: failure });
      setAttempt((n) => n + 1);
    }
  }
  const summary: SummaryError[] = [
    ...(errors.reason ? [{ href: `${id}-reason`, text: errors.reason }] : []),
    ...(errors.review ? [{ href: `${id}-review-day`, text: errors.review }] : []),
    ...(errors.other ? [{ text: errors.other }] : []),
  ];
  const form = (
    <form
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-label={collect ? 'Send for risk acceptance' : undefined}
    >
      <ErrorSummary errors={summary} attempt={attempt} />
      <ReasonField
        id={`${id}-reason`}
        label="Reason and controls"
        value={reason}
        error={reasons(errors)}
        onChange={setReason}
      />
      <FormGroup error={errors.review}>
        <fieldset
          className="nhsuk-fieldset"
          role="group"
          aria-describedby={`${id}-review-hint${errors.review ? ` ${id}-review-error` : ''}`}
        >
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Review date</legend>
          <Hint id={`${id}-review-hint`}>
            When the risk must be looked at again. For example, {futureDateExample().text}.
          </Hint>
          <ErrorMessage id={`${id}-review-error`} message={errors.review} />
          <DateParts
            id={`${id}-review`}
            value={review}
            onChange={setReview}
            error={errors.review}
            describedById={undefined}
            withTime={false}
          />
        </fieldset>
      </FormGroup>
      {errors.other && <ErrorMessage id={`${id}-other`} message={errors.other} />}
      <button type="submit" className="nhsuk-button nhsuk-button--secondary">
        Send for risk acceptance
      </button>
    </form>
  );
  if (collect)
    return (
      <section aria-labelledby={`${id}-risk-title`}>
        <h2 className="nhsuk-heading-m" id={`${id}-risk-title`}>
          Send for risk acceptance
        </h2>
        <p>
          This step is resolved when an approver ({role}) accepts the risk. Answer the questions
          above, say why the risk should be accepted, and when it will be reviewed.
        </p>
        {form}
      </section>
    );
  return (
    <Details summary="Ask for the risk to be accepted instead">
      <p>
        If this step cannot be done, an approver ({role}) can accept the risk. Say what is left
        open, how it is controlled (for example, isolation), and when it will be reviewed.
      </p>
      {form}
    </Details>
  );
}

function reasons(errors: { reason?: string }): string | undefined {
  return errors.reason;
}

export function ReopenPanel({ submit }: { submit: Submit }) {
  return (
    <Details summary="Correct this step">
      <p>
        The answers given stay in the audit log. Correcting reopens the step with them filled in,
        and the correction and its reason are recorded.
      </p>
      <ReasonForm
        submit={submit}
        label="Why does it need correcting?"
        missing="Enter why this needs correcting"
        button="Reopen to correct"
      />
    </Details>
  );
}
