// Choosing a registered approver and giving their passphrase: how every approval, risk
// acceptance and sign-off is made. Without the right passphrase nothing can be signed.
import { useId } from 'react';
import type { ApproverKey } from '../../record/keys.ts';
import { formatFingerprint } from '../../record/keys.ts';
import { Link } from '../Link.tsx';
import { ErrorMessage, FormGroup } from './FormField.tsx';

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
      <FormGroup error={errors.approver}>
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Approver</legend>
          <ErrorMessage id={`${id}-approver-error`} message={errors.approver} />
          <div className="nhsuk-radios">
            {approvers.map((a) => (
              <div className="nhsuk-radios__item" key={a.id}>
                <input
                  className="nhsuk-radios__input"
                  id={`${id}-approver-${a.id}`}
                  type="radio"
                  name={`${id}-approver`}
                  value={a.id}
                  checked={approverId === a.id}
                  aria-describedby={`${id}-approver-${a.id}-hint`}
                  onChange={() => {
                    onApprover(a.id);
                  }}
                />
                <label
                  className="nhsuk-label nhsuk-radios__label"
                  htmlFor={`${id}-approver-${a.id}`}
                >
                  {a.name}, {a.role}
                </label>
                <div
                  className="nhsuk-hint nhsuk-radios__hint app-mono"
                  id={`${id}-approver-${a.id}-hint`}
                >
                  Key {formatFingerprint(a.fingerprint)}
                </div>
              </div>
            ))}
          </div>
        </fieldset>
      </FormGroup>
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
