// Mapping an operating system the import did not recognise: one form per OS text, choosing
// the Windows release for every device with that text.
import { useId, useState } from 'react';
import { mapOs } from '../../db/devices.ts';
import { describeFailure } from '../useDispatch.ts';
import { ErrorMessage } from './FormField.tsx';

/** Choose the Windows release for every device whose OS text was not recognised. */
export function MapOsForm({
  runId,
  osTextKey,
  label,
  count,
  options,
}: {
  runId: string;
  osTextKey: string;
  label: string;
  count: number;
  options: readonly { id: string; label: string }[];
}) {
  const id = useId();
  const [error, setError] = useState<string>();
  return (
    <form
      className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const value = new FormData(e.currentTarget).get('row');
        if (typeof value !== 'string' || !value) {
          setError('Choose the Windows release these devices run');
          return;
        }
        setError(undefined);
        mapOs(runId, osTextKey, value).then(
          () => undefined,
          (failure: unknown) => {
            setError(describeFailure(failure).message);
          },
        );
      }}
    >
      <label className="nhsuk-label" htmlFor={`${id}-row`}>
        {label} ({count})
      </label>
      <ErrorMessage id={`${id}-error`} message={error} />
      <select
        className={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`}
        id={`${id}-row`}
        name="row"
        defaultValue=""
        aria-describedby={error ? `${id}-error` : undefined}
      >
        <option value="">Choose…</option>
        {options.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
      </select>{' '}
      <button
        type="submit"
        className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
      >
        Save
        <span className="nhsuk-u-visually-hidden">{` the operating system for ${String(count)} devices`}</span>
      </button>
    </form>
  );
}
