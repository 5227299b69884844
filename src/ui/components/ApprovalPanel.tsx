// An approver's decision on a step that waits for one: approve, or send it back with a reason.
import { useId, useState, type SyntheticEvent } from 'react';
import { ErrorMessage, FormGroup } from './FormField.tsx';

export interface ApprovalDecision {
  decision: 'approve' | 'return';
  name: string;
  role: string;
  text: string;
}

export function ApprovalPanel({
  role,
  defaultName,
  submit,
}: {
  role: string;
  defaultName: string | undefined;
  submit: (decision: ApprovalDecision) => Promise<string | null>;
}) {
  const id = useId();
  const [name, setName] = useState(defaultName ?? '');
  const [approverRole, setApproverRole] = useState(role);
  const [decision, setDecision] = useState<'approve' | 'return' | ''>('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function onSubmit(e: SyntheticEvent) {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!name.trim()) next.name = 'Enter the approver’s name';
    if (!approverRole.trim()) next.role = 'Enter the approver’s role';
    if (!decision) next.decision = 'Select whether you approve or send it back';
    if (decision === 'return' && !text.trim()) next.text = 'Enter what needs to change';
    setErrors(next);
    if (Object.keys(next).length > 0 || !decision) return;
    const failure = await submit({ decision, name, role: approverRole, text });
    if (failure) setErrors({ other: failure });
  }

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
        <p>This step needs a decision by: {role}.</p>
        <FormGroup error={errors.name}>
          <label className="nhsuk-label" htmlFor={`${id}-name`}>
            Approver’s name
          </label>
          <ErrorMessage id={`${id}-name-error`} message={errors.name} />
          <input
            className={`nhsuk-input${errors.name ? ' nhsuk-input--error' : ''}`}
            id={`${id}-name`}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
            }}
          />
        </FormGroup>
        <FormGroup error={errors.role}>
          <label className="nhsuk-label" htmlFor={`${id}-role`}>
            Approver’s role
          </label>
          <ErrorMessage id={`${id}-role-error`} message={errors.role} />
          <input
            className={`nhsuk-input${errors.role ? ' nhsuk-input--error' : ''}`}
            id={`${id}-role`}
            value={approverRole}
            onChange={(e) => {
              setApproverRole(e.target.value);
            }}
          />
        </FormGroup>
        <FormGroup error={errors.decision}>
          <fieldset className="nhsuk-fieldset">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Decision</legend>
            <ErrorMessage id={`${id}-decision-error`} message={errors.decision} />
            <div className="nhsuk-radios">
              {(
                [
                  ['approve', 'Approve'],
                  ['return', 'Send back with a reason'],
                ] as const
              ).map(([value, label]) => (
                <div className="nhsuk-radios__item" key={value}>
                  <input
                    className="nhsuk-radios__input"
                    id={`${id}-${value}`}
                    type="radio"
                    name={`${id}-decision`}
                    value={value}
                    checked={decision === value}
                    onChange={() => {
                      setDecision(value);
                    }}
                  />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${id}-${value}`}>
                    {label}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </FormGroup>
        <FormGroup error={errors.text}>
          <label className="nhsuk-label" htmlFor={`${id}-text`}>
            {decision === 'return' ? 'What needs to change' : 'Statement (optional)'}
          </label>
          <ErrorMessage id={`${id}-text-error`} message={errors.text} />
          <textarea
            className={`nhsuk-textarea${errors.text ? ' nhsuk-textarea--error' : ''}`}
            id={`${id}-text`}
            rows={3}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
            }}
          />
        </FormGroup>
        {errors.other && <ErrorMessage id={`${id}-other`} message={errors.other} />}
        <button type="submit" className="nhsuk-button nhsuk-u-margin-bottom-0">
          Record decision
        </button>
      </div>
    </form>
  );
}
