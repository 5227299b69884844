// "Who is working?": the name recorded with every action on this device. Asked for before any
// change can be made, and easy to change when the shift changes.
import { useState, type SyntheticEvent } from 'react';
import { setActor, useActor } from '../useActor.ts';

/** The id of the name field, for errors that say the name is missing. */
export const whoIsWorkingInputId = 'who-is-working-name';

export function WhoIsWorking({ compact = false }: { compact?: boolean }) {
  const { loaded, name } = useActor();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  // One per page; a fixed id lets an error elsewhere on the page link to it.
  const inputId = whoIsWorkingInputId;

  if (!loaded) return null;

  async function save(event: SyntheticEvent) {
    event.preventDefault();
    if (!value.trim()) {
      setError('Enter your name');
      return;
    }
    if (value.trim().length > 200) {
      setError('Your name must be 200 characters or fewer');
      return;
    }
    await setActor(value);
    setEditing(false);
    setError(null);
  }

  if (name && !editing) {
    return (
      <p className={compact ? 'nhsuk-body-s' : undefined} data-testid="who-is-working">
        Working as <strong>{name}</strong>. Every change you make is recorded under this name.{' '}
        <button
          type="button"
          className="app-link-button"
          onClick={() => {
            setValue(name);
            setEditing(true);
          }}
        >
          {'Change '}
          <span className="nhsuk-u-visually-hidden">who is working</span>
        </button>
      </p>
    );
  }

  return (
    <form className="nhsuk-card app-card--who" onSubmit={(e) => void save(e)} noValidate>
      <div className="nhsuk-card__content">
        <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
          <h2 className="nhsuk-label-wrapper">
            <label className="nhsuk-label nhsuk-label--m" htmlFor={inputId}>
              Who is working?
            </label>
          </h2>
          <div className="nhsuk-hint" id={`${inputId}-hint`}>
            Your name is recorded with every answer and decision you make on this device.
          </div>
          {error && (
            <span className="nhsuk-error-message" id={`${inputId}-error`}>
              <span className="nhsuk-u-visually-hidden">Error:</span> {error}
            </span>
          )}
          <input
            className={`nhsuk-input nhsuk-u-width-two-thirds${error ? ' nhsuk-input--error' : ''}`}
            id={inputId}
            name="actor"
            type="text"
            autoComplete="name"
            spellCheck={false}
            value={value}
            aria-describedby={`${inputId}-hint${error ? ` ${inputId}-error` : ''}`}
            onChange={(e) => {
              setValue(e.target.value);
            }}
          />
        </div>
        <div className="nhsuk-button-group nhsuk-u-margin-bottom-0">
          <button type="submit" className="nhsuk-button nhsuk-u-margin-bottom-0">
            Save name
          </button>
          {name && (
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
              onClick={() => {
                setEditing(false);
                setError(null);
              }}
            >
              Cancel
            </button>
          )}
        </div>
      </div>
    </form>
  );
}
