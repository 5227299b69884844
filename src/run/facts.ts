// Facts given when a record is started (the organisation's name, ODS code, site and incident
// reference) that a step also asks for. A text field names the fact it carries (`prefill` in
// the checklist): its form starts from the fact as given, editable, and what is saved is the
// person's answer. Everything that shows the record — summary, record, print — then reads one
// value: the step's answer when it has one, else the fact as given when the record started.
import type { Evidence } from '../checklist/fields.ts';
import type { PrefillFrom } from '../checklist/fieldSchema.ts';
import type { ChecklistDefinition, Step } from '../checklist/schema.ts';
import type { Organisation } from './header.ts';
import { odsCodePattern } from './odsCode.ts';

const keyOf: Record<PrefillFrom, keyof Organisation> = {
  'organisation.name': 'name',
  'organisation.odsCode': 'odsCode',
  'organisation.site': 'site',
  'organisation.incidentReference': 'incidentReference',
};

/** The fact as given when the record started, trimmed; undefined when none was given. */
function given(organisation: Organisation, from: PrefillFrom): string | undefined {
  const value = organisation[keyOf[from]]?.trim();
  if (!value) return undefined;
  return value;
}

/** For a step's form: each field that carries a fact, with the fact as given (if any). */
export function prefillFor(step: Step, organisation: Organisation): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of step.fields) {
    if (field.type !== 'text' || !field.prefill) continue;
    const value = given(organisation, field.prefill);
    if (value !== undefined) values[field.id] = value;
  }
  return values;
}

/** A step's answer to a fact, in the form the record holds it; undefined when it will not do. */
function answered(from: PrefillFrom, value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const text = value.trim();
  if (from === 'organisation.odsCode') {
    // The record holds only a well-formed code; anything else leaves the code as given.
    const code = text.toUpperCase();
    return odsCodePattern.test(code) ? code : undefined;
  }
  if (from === 'organisation.incidentReference' && text.length > 100) return undefined;
  if (text.length > 200) return undefined;
  return text;
}

/**
 * The organisation as the record shows it: each fact from the step that carries it, when that
 * step has been answered (completed or sent for approval), else as given when it started.
 */
export function sharedFacts(
  definition: Pick<ChecklistDefinition, 'phases'>,
  organisation: Organisation,
  steps: Record<string, { evidence?: Evidence } | undefined>,
): Organisation {
  const out: Organisation = { ...organisation };
  for (const phase of definition.phases)
    for (const step of phase.steps)
      for (const field of step.fields) {
        if (field.type !== 'text' || !field.prefill) continue;
        const value = answered(field.prefill, steps[step.id]?.evidence?.[field.id]);
        if (value !== undefined) out[keyOf[field.prefill]] = value;
      }
  return out;
}
