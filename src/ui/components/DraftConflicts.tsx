// Answers two people (or two tabs) saved differently for the same field, without seeing each
// other's: every value is shown with who saved it and when, and a person chooses which to keep.
// Nothing is dropped until they do.
import { useState } from 'react';
import { sameValue } from '../../checklist/draftMerge.ts';
import type { EvidenceValue } from '../../checklist/fields.ts';
import type { Field } from '../../checklist/schema.ts';
import { formatValue } from '../../run/display.ts';
import { formatDateTime } from '../format.ts';
import { initialFormValues } from '../fields/formValues.ts';

export interface ConflictCandidate {
  value: unknown;
  by: string;
  at: string;
}

/** A draft value as a person reads it: option labels, "Yes", names of files. */
export function showDraftValue(field: Field, raw: unknown): string {
  const value = initialFormValues([field], { [field.id]: raw }, undefined)[field.id];
  if (value === '' || value === undefined || (Array.isArray(value) && value.length === 0))
    return '(blank)';
  if (field.type === 'yes-no') return value === 'yes' ? 'Yes' : value === 'no' ? 'No' : '(blank)';
  if (field.type === 'kb-list' && typeof value === 'string') return value.split(/\s+/).join(', ');
  if (field.type === 'person') {
    const p = value as { name?: string; role?: string };
    return [p.name, p.role].filter(Boolean).join(', ') || '(blank)';
  }
  return formatValue(field, value as EvidenceValue);
}

function ConflictQuestion({
  field,
  candidates,
  mine,
  choose,
}: {
  field: Field;
  candidates: readonly ConflictCandidate[];
  /** What the form holds now, when it is none of the saved values. */
  mine: unknown;
  choose: (value: unknown) => Promise<string | null>;
}) {
  const [picked, setPicked] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = `conflict-${field.id}`;
  const options: ConflictCandidate[] =
    mine === undefined ? [...candidates] : [...candidates, { value: mine, by: '', at: '' }];
  return (
    <div className={`nhsuk-form-group${problem ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={`${name}-hint`}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">
          Which answer should be kept for “{field.label}”?
        </legend>
        <div className="nhsuk-hint" id={`${name}-hint`}>
          These were saved separately, each without seeing the other. Both are kept until you
          choose.
        </div>
        {problem && (
          <span className="nhsuk-error-message" id={`${name}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {problem}
          </span>
        )}
        <div className="nhsuk-radios">
          {options.map((c, i) => (
            <div className="nhsuk-radios__item" key={`${String(i)}-${c.by}-${c.at}`}>
              <input
                className="nhsuk-radios__input"
                id={`${name}-${String(i)}`}
                name={name}
                type="radio"
                checked={picked === i}
                onChange={() => {
                  setPicked(i);
                }}
              />
              <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${name}-${String(i)}`}>
                {showDraftValue(field, c.value)}
              </label>
              <div className="nhsuk-hint nhsuk-radios__hint">
                {c.by
                  ? `Saved by ${c.by} on ${formatDateTime(c.at)}`
                  : 'Typed in this form, not saved'}
              </div>
            </div>
          ))}
        </div>
      </fieldset>
      <button
        type="button"
        className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-top-3 nhsuk-u-margin-bottom-0"
        disabled={busy}
        onClick={() => {
          const candidate = picked === null ? undefined : options[picked];
          if (!candidate) {
            setProblem('Choose the answer to keep');
            return;
          }
          setBusy(true);
          void choose(candidate.value).then((failure) => {
            setBusy(false);
            setProblem(failure);
          });
        }}
      >
        Keep this answer for “{field.label}”
      </button>
    </div>
  );
}

/** The form's value, when it is none of the saved ones and not blank: offered as a choice too. */
function unsaved(field: Field, candidates: readonly ConflictCandidate[], value: unknown): unknown {
  if (value === undefined || showDraftValue(field, value) === '(blank)') return undefined;
  return candidates.some((c) => sameValue(c.value, value)) ? undefined : value;
}

export function DraftConflicts({
  fields,
  conflicts,
  mine,
  choose,
}: {
  fields: readonly Field[];
  conflicts: Readonly<Record<string, readonly ConflictCandidate[]>>;
  /** The value the form holds for a field now. */
  mine: (fieldId: string) => unknown;
  choose: (field: Field, value: unknown) => Promise<string | null>;
}) {
  const open = fields.filter((f) => (conflicts[f.id]?.length ?? 0) > 1);
  if (open.length === 0) return null;
  return (
    <div className="nhsuk-warning-callout" data-testid="draft-conflicts">
      <h3 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          {open.length === 1
            ? 'One answer was saved two ways'
            : `${String(open.length)} answers were saved two ways`}
        </span>
      </h3>
      <p>
        Different answers were saved for the same question from different windows, tabs or devices.
        Nothing has been lost: choose which to keep before completing this step.
      </p>
      {open.map((field) => (
        <ConflictQuestion
          key={field.id}
          field={field}
          candidates={conflicts[field.id] ?? []}
          mine={unsaved(field, conflicts[field.id] ?? [], mine(field.id))}
          choose={(value) => choose(field, value)}
        />
      ))}
    </div>
  );
}
