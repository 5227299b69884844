// Between a step's evidence (typed: numbers, booleans, lists) and what its form holds (mostly
// strings, as inputs give them). Drafts keep the form's values as typed, so nothing a user
// typed is lost, even if it is not valid yet.
import type { Evidence, EvidenceValue } from '../../checklist/fields.ts';
import type { Field } from '../../checklist/schema.ts';

export type FormValues = Record<string, unknown>;

export function blankValue(field: Field): unknown {
  switch (field.type) {
    case 'multi-choice':
    case 'file':
      return [];
    case 'person':
      return { name: '', role: '' };
    default:
      return '';
  }
}

function fromEvidenceValue(field: Field, value: EvidenceValue | undefined): unknown {
  if (value === undefined) return blankValue(field);
  switch (field.type) {
    case 'number':
      return typeof value === 'number' ? String(value) : value;
    case 'yes-no':
      return value === true ? 'yes' : value === false ? 'no' : '';
    case 'kb-list':
      return Array.isArray(value) ? (value as string[]).join('\n') : value;
    default:
      return value;
  }
}

/** Form values for a step: from the draft if there is one, else from submitted evidence. */
export function initialFormValues(
  fields: readonly Field[],
  draft: Record<string, unknown> | undefined,
  evidence: Evidence | undefined,
  /** Starting values for fields nobody has answered yet (facts given when the record started). */
  prefill?: Readonly<Record<string, string>>,
): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const start = prefill?.[field.id];
    if (
      start !== undefined &&
      !(draft && field.id in draft) &&
      evidence?.[field.id] === undefined
    ) {
      values[field.id] = start;
    } else if (draft && field.id in draft) {
      const raw = draft[field.id];
      // A draft made from submitted evidence holds typed values: show them as the form would.
      values[field.id] =
        typeof raw === 'string' || (field.type === 'person' && typeof raw === 'object')
          ? raw
          : fromEvidenceValue(field, raw as EvidenceValue);
    } else {
      values[field.id] = fromEvidenceValue(field, evidence?.[field.id]);
    }
  }
  return values;
}

/** The form's values as a draft: plain JSON, only the step's fields. */
export function toDraft(fields: readonly Field[], values: FormValues): Record<string, unknown> {
  const draft: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.id];
    if (value !== undefined) draft[field.id] = JSON.parse(JSON.stringify(value)) as unknown;
  }
  return draft;
}
