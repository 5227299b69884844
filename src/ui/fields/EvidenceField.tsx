// One evidence field, drawn with the NHS design system pattern for its type and wired to
// react-hook-form. Ids follow fieldIds(), so the error summary can link to each input.
import { pastDateExample } from '../dateExample.ts';
import { Controller, type Control, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import { flagListsOf, flaggedKbs } from '../../checklist/kb.ts';
import { lowerFirst } from '../../checklist/fields.ts';
import { confidenceWords } from '../format.ts';
import type { Field, ReferenceTable } from '../../checklist/schema.ts';
import { describedBy, ErrorMessage, fieldIds, FormGroup, Hint } from '../components/FormField.tsx';
import type { FormValues } from './formValues.ts';
import { DateParts } from './DateParts.tsx';

export interface EvidenceFieldProps {
  field: Field;
  register: UseFormRegister<FormValues>;
  control: Control<FormValues>;
  errors: FieldErrors<FormValues>;
  referenceTables: Record<string, ReferenceTable>;
  /** Renders a file field (attachments are saved as they are chosen). */
  renderFile?: (field: Extract<Field, { type: 'file' }>) => React.ReactNode;
}

/** The first message for a field, including nested ones (a person's name or role). */
export function fieldError(errors: FieldErrors<FormValues>, id: string): string | undefined {
  const entry: unknown = errors[id];
  const messageOf = (x: unknown): string | undefined =>
    typeof x === 'object' && x !== null && 'message' in x && typeof x.message === 'string'
      ? x.message
      : undefined;
  if (typeof entry !== 'object' || entry === null) return undefined;
  return (
    messageOf(entry) ??
    ('name' in entry ? messageOf(entry.name) : undefined) ??
    ('role' in entry ? messageOf(entry.role) : undefined)
  );
}

/** The id of the input the error summary should focus for a field. */
export function focusTarget(field: Field): string {
  const ids = fieldIds(field.id);
  if (field.type === 'date' || field.type === 'date-time') return `${ids.input}-day`;
  if (field.type === 'yes-no' || field.type === 'choice' || field.type === 'multi-choice')
    return field.type === 'choice' && field.options.length > 10 ? ids.input : `${ids.input}-0`;
  if (field.type === 'person') return `${ids.input}-name`;
  return ids.input;
}

const inputClass = (error: string | undefined, extra = '') =>
  `nhsuk-input${extra ? ` ${extra}` : ''}${error ? ' nhsuk-input--error' : ''}`;

function FlaggedKbs({
  text,
  field,
  referenceTables,
}: {
  text: string;
  field: Extract<Field, { type: 'kb-list' }>;
  referenceTables: Record<string, ReferenceTable>;
}) {
  const groups = flaggedKbs(field, referenceTables, text);
  if (groups.length === 0) return null;
  return (
    <div className="nhsuk-warning-callout" role="status">
      <h3 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>Does not count as evidence
        </span>
      </h3>
      {groups.map(({ listId, list, kbs }) => (
        <p key={listId}>
          {kbs.join(', ')} {kbs.length === 1 ? 'is' : 'are'} on the list of {lowerFirst(list.label)}
          . {kbs.length === 1 ? 'It does' : 'They do'} not show the device is patched.
          {list.confidence !== 'confirmed' && ` (${confidenceWords[list.confidence]})`}
        </p>
      ))}
    </div>
  );
}

export function EvidenceField({
  field,
  register,
  control,
  errors,
  referenceTables,
  renderFile,
}: EvidenceFieldProps) {
  const ids = fieldIds(field.id);
  const error = fieldError(errors, field.id);
  const optional = field.required ? '' : ' (optional)';
  const hint = field.help;
  const aria = describedBy(ids, Boolean(hint), Boolean(error));

  switch (field.type) {
    case 'text':
    case 'version':
    case 'long-text':
    case 'kb-list':
    case 'number': {
      const multiline = field.type === 'long-text' || field.type === 'kb-list';
      const kbHint =
        field.type === 'kb-list'
          ? 'One per line, or separated by commas, for example KB4012212.'
          : null;
      const flag = field.type === 'kb-list' && flagListsOf(field).length > 0 ? field : undefined;
      return (
        <FormGroup error={error}>
          <label className="nhsuk-label nhsuk-label--s" htmlFor={ids.input}>
            {field.label}
            {optional}
          </label>
          <Hint id={ids.hint}>{[hint, kbHint].filter(Boolean).join(' ') || null}</Hint>
          <ErrorMessage id={ids.error} message={error} />
          {multiline ? (
            <textarea
              className={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`}
              id={ids.input}
              rows={field.type === 'kb-list' ? 4 : 5}
              spellCheck={field.type === 'long-text'}
              aria-describedby={describedBy(ids, Boolean(hint) || Boolean(kbHint), Boolean(error))}
              {...register(field.id)}
            />
          ) : field.type === 'number' && field.unit ? (
            <div className="nhsuk-input-wrapper">
              <input
                className={inputClass(error, 'nhsuk-input--width-10')}
                id={ids.input}
                type="text"
                inputMode="decimal"
                aria-describedby={aria}
                {...register(field.id)}
              />
              <div className="nhsuk-input__suffix" aria-hidden="true">
                {field.unit}
              </div>
            </div>
          ) : (
            <input
              className={inputClass(
                error,
                field.type === 'number'
                  ? 'nhsuk-input--width-10'
                  : field.type === 'version'
                    ? 'nhsuk-input--width-20'
                    : '',
              )}
              id={ids.input}
              type="text"
              inputMode={field.type === 'number' ? 'decimal' : undefined}
              spellCheck={false}
              autoComplete="off"
              aria-describedby={aria}
              {...register(field.id)}
            />
          )}
          {flag && (
            <Controller
              control={control}
              name={field.id}
              render={({ field: f }) => (
                <FlaggedKbs
                  text={typeof f.value === 'string' ? f.value : ''}
                  field={flag}
                  referenceTables={referenceTables}
                />
              )}
            />
          )}
        </FormGroup>
      );
    }
    case 'date':
    case 'date-time':
      return (
        <FormGroup error={error}>
          <fieldset
            className="nhsuk-fieldset"
            role="group"
            aria-describedby={describedBy(ids, true, Boolean(error))}
          >
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
              {field.label}
              {optional}
            </legend>
            <Hint id={ids.hint}>
              {hint ? `${hint} ` : ''}For example, {pastDateExample().text}
              {field.type === 'date-time' ? ' and 14:30' : ''}.
            </Hint>
            <ErrorMessage id={ids.error} message={error} />
            <Controller
              control={control}
              name={field.id}
              render={({ field: f }) => (
                <DateParts
                  id={ids.input}
                  value={typeof f.value === 'string' ? f.value : ''}
                  onChange={f.onChange}
                  error={error}
                  describedById={undefined}
                  withTime={field.type === 'date-time'}
                />
              )}
            />
          </fieldset>
        </FormGroup>
      );
    case 'yes-no':
    case 'choice': {
      const options =
        field.type === 'yes-no'
          ? [
              { value: 'yes', label: 'Yes', hint: undefined },
              { value: 'no', label: 'No', hint: undefined },
            ]
          : field.options;
      if (field.type === 'choice' && options.length > 10) {
        return (
          <FormGroup error={error}>
            <label className="nhsuk-label nhsuk-label--s" htmlFor={ids.input}>
              {field.label}
              {optional}
            </label>
            <Hint id={ids.hint}>{hint}</Hint>
            <ErrorMessage id={ids.error} message={error} />
            <select
              className={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`}
              id={ids.input}
              aria-describedby={aria}
              {...register(field.id)}
            >
              <option value="">Choose…</option>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.hint ? `${o.label} (${o.hint})` : o.label}
                </option>
              ))}
            </select>
          </FormGroup>
        );
      }
      return (
        <FormGroup error={error}>
          <fieldset className="nhsuk-fieldset" aria-describedby={aria}>
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
              {field.label}
              {optional}
            </legend>
            <Hint id={ids.hint}>{hint}</Hint>
            <ErrorMessage id={ids.error} message={error} />
            <div
              className={`nhsuk-radios${field.type === 'yes-no' ? ' nhsuk-radios--inline' : ''}`}
            >
              {options.map((o, i) => (
                <div className="nhsuk-radios__item" key={o.value}>
                  <input
                    className="nhsuk-radios__input"
                    id={`${ids.input}-${String(i)}`}
                    type="radio"
                    value={o.value}
                    aria-describedby={o.hint ? `${ids.input}-${String(i)}-hint` : undefined}
                    {...register(field.id)}
                  />
                  <label
                    className="nhsuk-label nhsuk-radios__label"
                    htmlFor={`${ids.input}-${String(i)}`}
                  >
                    {o.label}
                  </label>
                  {o.hint && (
                    <div
                      className="nhsuk-hint nhsuk-radios__hint"
                      id={`${ids.input}-${String(i)}-hint`}
                    >
                      {o.hint}
                    </div>
                  )}
                </div>
              ))}
            </div>
          </fieldset>
        </FormGroup>
      );
    }
    case 'multi-choice':
      return (
        <FormGroup error={error}>
          <fieldset className="nhsuk-fieldset" aria-describedby={aria}>
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
              {field.label}
              {optional}
            </legend>
            <Hint id={ids.hint}>{hint ? `${hint} ` : ''}Select all that apply.</Hint>
            <ErrorMessage id={ids.error} message={error} />
            <Controller
              control={control}
              name={field.id}
              render={({ field: f }) => {
                const selected = Array.isArray(f.value) ? (f.value as string[]) : [];
                return (
                  <div className="nhsuk-checkboxes">
                    {field.options.map((o, i) => (
                      <div className="nhsuk-checkboxes__item" key={o.value}>
                        <input
                          className="nhsuk-checkboxes__input"
                          id={`${ids.input}-${String(i)}`}
                          type="checkbox"
                          value={o.value}
                          checked={selected.includes(o.value)}
                          onBlur={f.onBlur}
                          onChange={(e) => {
                            f.onChange(
                              e.target.checked
                                ? field.options
                                    .map((x) => x.value)
                                    .filter((v) => v === o.value || selected.includes(v))
                                : selected.filter((v) => v !== o.value),
                            );
                          }}
                        />
                        <label
                          className="nhsuk-label nhsuk-checkboxes__label"
                          htmlFor={`${ids.input}-${String(i)}`}
                        >
                          {o.label}
                        </label>
                        {o.hint && (
                          <div className="nhsuk-hint nhsuk-checkboxes__hint">{o.hint}</div>
                        )}
                      </div>
                    ))}
                  </div>
                );
              }}
            />
          </fieldset>
        </FormGroup>
      );
    case 'person': {
      const nameError = (errors[field.id] as { name?: { message?: string } } | undefined)?.name
        ?.message;
      const roleError = (errors[field.id] as { role?: { message?: string } } | undefined)?.role
        ?.message;
      const whole = errors[field.id]?.message;
      return (
        <FormGroup error={error}>
          <fieldset className="nhsuk-fieldset" aria-describedby={aria}>
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
              {field.label}
              {optional}
            </legend>
            <Hint id={ids.hint}>{hint}</Hint>
            <ErrorMessage id={ids.error} message={whole} />
            <div className={`nhsuk-form-group${nameError ? ' nhsuk-form-group--error' : ''}`}>
              <label className="nhsuk-label" htmlFor={`${ids.input}-name`}>
                Name
              </label>
              <ErrorMessage id={`${ids.input}-name-error`} message={nameError} />
              <input
                className={inputClass(nameError, 'nhsuk-u-width-two-thirds')}
                id={`${ids.input}-name`}
                type="text"
                spellCheck={false}
                aria-describedby={nameError ? `${ids.input}-name-error` : undefined}
                {...register(`${field.id}.name`)}
              />
            </div>
            <div
              className={`nhsuk-form-group nhsuk-u-margin-bottom-0${roleError ? ' nhsuk-form-group--error' : ''}`}
            >
              <label className="nhsuk-label" htmlFor={`${ids.input}-role`}>
                Role
              </label>
              <ErrorMessage id={`${ids.input}-role-error`} message={roleError} />
              <input
                className={inputClass(roleError, 'nhsuk-u-width-two-thirds')}
                id={`${ids.input}-role`}
                type="text"
                aria-describedby={roleError ? `${ids.input}-role-error` : undefined}
                {...register(`${field.id}.role`)}
              />
            </div>
          </fieldset>
        </FormGroup>
      );
    }
    case 'file':
      return <>{renderFile?.(field)}</>;
  }
}
