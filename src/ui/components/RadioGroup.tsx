// An NHS radios question held in React state: a fieldset with its legend, the inline error
// (which the fieldset points to for screen readers), and one radio per option with an optional
// hint. Forms that use react-hook-form register their radios directly instead.
import type { ReactNode } from 'react';
import { ErrorMessage, FormGroup } from './FormField.tsx';

export interface RadioOption<V extends string> {
  value: V;
  label: ReactNode;
  hint?: ReactNode;
  hintClassName?: string;
}

export function RadioGroup<V extends string>({
  name,
  idPrefix = name,
  legend,
  legendSize = 's',
  error,
  options,
  value,
  onChange,
}: {
  // The radios' name, the fieldset's id and the base of the error's id.
  name: string;
  // Each radio's id is `${idPrefix}-${value}`, which an error summary can link to.
  idPrefix?: string;
  legend: ReactNode;
  legendSize?: 's' | 'm';
  error: string | undefined;
  options: readonly RadioOption<V>[];
  value: V | '' | null;
  onChange: (value: V) => void;
}) {
  const errorId = `${name}-error`;
  return (
    <FormGroup error={error}>
      <fieldset className="nhsuk-fieldset" id={name} aria-describedby={error ? errorId : undefined}>
        <legend className={`nhsuk-fieldset__legend nhsuk-fieldset__legend--${legendSize}`}>
          {legend}
        </legend>
        <ErrorMessage id={errorId} message={error} />
        <div className="nhsuk-radios">
          {options.map((option) => {
            const inputId = `${idPrefix}-${option.value}`;
            const hintId = `${inputId}-hint`;
            return (
              <div className="nhsuk-radios__item" key={option.value}>
                <input
                  className="nhsuk-radios__input"
                  id={inputId}
                  type="radio"
                  name={name}
                  value={option.value}
                  checked={value === option.value}
                  aria-describedby={option.hint ? hintId : undefined}
                  onChange={() => {
                    onChange(option.value);
                  }}
                />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor={inputId}>
                  {option.label}
                </label>
                {option.hint && (
                  <div
                    className={`nhsuk-hint nhsuk-radios__hint${option.hintClassName ? ` ${option.hintClassName}` : ''}`}
                    id={hintId}
                  >
                    {option.hint}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
    </FormGroup>
  );
}
