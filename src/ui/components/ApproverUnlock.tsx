// Choosing a registered approver and giving their passphrase: how every approval, risk
// acceptance and sign-off is made. Without the right passphrase nothing can be signed.
import { useId } from 'react';
import type { ApproverKey } from '../../record/keys.ts';
import { formatFingerprint } from '../../record/approverBasics.ts';
import { Link } from '../Link.tsx';
import { ErrorMessage, FormGroup } from './FormField.tsx';
import { RadioGroup } from './RadioGroup.tsx';

export function ApproverUnlock({
  approvers,
  approverId,
  onApprover,
  passphrase,
  onPassphrase,
  errors,
  idPrefix,
}: {
  approvers: readonly ApproverKey[];
  approverId: string;
  onApprover: (id: string) => void;
  passphrase: string;
  onPassphrase: (value: string) => void;
  errors: { approver?: string; passphrase?: string };
  /** Prefix for the inputs' ids, so a form's error summary can link to them. */
  idPrefix?: string;
}) {
  const generated = useId();
  const id = idPrefix ?? generated;
  if (approvers.length === 0) {
    return (
      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>
          No approver is registered on this device. An approver must{' '}
          <Link href="/approvers">register</Link> (name, role and a passphrase) before they can
          approve.
        </p>
      </div>
    );
  }
  return (
    <>
      <RadioGroup
        name={`${id}-approver`}
        legend="Approver"
        error={errors.approver}
        options={approvers.map((a) => ({
          value: a.id,
          label: `${a.name}, ${a.role}`,
          hint: `Key ${formatFingerprint(a.fingerprint)}`,
          hintClassName: 'app-mono',
        }))}
        value={approverId}
        onChange={onApprover}
      />
      <FormGroup error={errors.passphrase}>
        <label className="nhsuk-label" htmlFor={`${id}-passphrase`}>
          Approver’s passphrase
        </label>
        <ErrorMessage id={`${id}-passphrase-error`} message={errors.passphrase} />
        <input
          className={`nhsuk-input nhsuk-u-width-two-thirds${errors.passphrase ? ' nhsuk-input--error' : ''}`}
          id={`${id}-passphrase`}
          type="password"
          autoComplete="current-password"
          value={passphrase}
          aria-describedby={errors.passphrase ? `${id}-passphrase-error` : undefined}
          onChange={(e) => {
            onPassphrase(e.target.value);
          }}
        />
      </FormGroup>
    </>
  );
}
