// Conditions in plain words, for "this step is needed only when …" and for authors' errors.
import type { ChecklistIndex } from './graph.ts';
import type { Condition, Field } from './schema.ts';

function fieldName(ref: string, index: ChecklistIndex): string {
  const field = index.fields.get(ref);
  return field ? `“${field.label}”` : `“${ref}”`;
}

function valueName(ref: string, value: unknown, index: ChecklistIndex): string {
  const field: Field | undefined = index.fields.get(ref);
  if (field?.type === 'yes-no') return value === true ? 'Yes' : 'No';
  if (field && (field.type === 'choice' || field.type === 'multi-choice')) {
    const option = field.options.find((o) => o.value === value);
    if (option) return `“${option.label}”`;
  }
  return `“${String(value)}”`;
}

const outcomeWords = {
  completed: 'completed',
  'not-applicable': 'not applicable',
  'risk-accepted': 'risk accepted',
} as const;

export function describeCondition(c: Condition, index: ChecklistIndex): string {
  if (c.equals)
    return `${fieldName(c.equals.field, index)} is ${valueName(c.equals.field, c.equals.value, index)}`;
  if (c.oneOf) {
    const ref = c.oneOf.field;
    return `${fieldName(ref, index)} is one of ${c.oneOf.values.map((v) => valueName(ref, v, index)).join(', ')}`;
  }
  if (c.includes)
    return `${fieldName(c.includes.field, index)} includes ${valueName(c.includes.field, c.includes.value, index)}`;
  if (c.answered) return `${fieldName(c.answered, index)} is answered`;
  if (c.atLeast)
    return `${fieldName(c.atLeast.field, index)} is at least ${String(c.atLeast.value)}`;
  if (c.atMost) return `${fieldName(c.atMost.field, index)} is at most ${String(c.atMost.value)}`;
  if (c.greaterThan)
    return `${fieldName(c.greaterThan.field, index)} is more than ${String(c.greaterThan.value)}`;
  if (c.lessThan)
    return `${fieldName(c.lessThan.field, index)} is less than ${String(c.lessThan.value)}`;
  if (c.versionAtLeast) {
    const { field, value, reference } = c.versionAtLeast;
    return `${fieldName(field, index)} is at least ${reference ? `the minimum for the ${fieldName(reference.key, index)}` : (value ?? '')}`;
  }
  if (c.kbIncludesAny) {
    const { field, values, reference } = c.kbIncludesAny;
    return `${fieldName(field, index)} includes ${reference ? `an update listed for the ${fieldName(reference.key, index)}` : `one of ${(values ?? []).join(', ')}`}`;
  }
  if (c.outcome) {
    const title = index.steps.get(c.outcome.step)?.title ?? c.outcome.step;
    return `“${title}” is ${c.outcome.is.map((o) => outcomeWords[o]).join(' or ')}`;
  }
  if (c.all) return c.all.map((sub) => describeNested(sub, index)).join(' and ');
  if (c.any) return c.any.map((sub) => describeNested(sub, index)).join(' or ');
  if (c.not) return `it is not the case that ${describeNested(c.not, index)}`;
  return 'a condition holds';
}

function describeNested(c: Condition, index: ChecklistIndex): string {
  const text = describeCondition(c, index);
  return c.all || c.any ? `(${text})` : text;
}
