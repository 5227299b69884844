// Fields: the typed evidence a step asks for. Part of the checklist format (schema.ts).
import { z } from 'zod';
import { Id } from './schemaBasics.ts';

const fieldBase = {
  id: Id,
  label: z.string().min(1),
  help: z.string().optional(),
  required: z.boolean().default(true),
};

export const ChoiceOption = z.strictObject({
  value: Id,
  label: z.string().min(1),
  hint: z.string().optional(),
});
export type ChoiceOption = z.infer<typeof ChoiceOption>;

/** Options taken from the rows of a reference table, filled in at build time. */
const OptionsFrom = z.strictObject({ table: Id });

/**
 * A fact given when the record was started that a text field carries into its step: the form
 * shows it, editable, and what is saved is the person's answer. The record, its summary and its
 * print then read that answer (or the fact as given, when the step has none): one value.
 */
export const PrefillFrom = z.enum([
  'organisation.name',
  'organisation.odsCode',
  'organisation.site',
  'organisation.incidentReference',
]);
export type PrefillFrom = z.infer<typeof PrefillFrom>;

export const TextField = z.strictObject({
  ...fieldBase,
  type: z.literal('text'),
  maxLength: z.int().min(1).max(2000).default(200),
  prefill: PrefillFrom.optional(),
});
export const LongTextField = z.strictObject({
  ...fieldBase,
  type: z.literal('long-text'),
  maxLength: z.int().min(1).max(50_000).default(5000),
});
export const NumberField = z.strictObject({
  ...fieldBase,
  type: z.literal('number'),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(false),
  unit: z.string().optional(),
});
export const DateField = z.strictObject({
  ...fieldBase,
  type: z.literal('date'),
  /** Reject dates after the day the answer is given (e.g. "date of the last backup"). */
  notInFuture: z.boolean().default(false),
});
export const DateTimeField = z.strictObject({
  ...fieldBase,
  type: z.literal('date-time'),
  notInFuture: z.boolean().default(false),
});
export const YesNoField = z.strictObject({ ...fieldBase, type: z.literal('yes-no') });
export const ChoiceField = z.strictObject({
  ...fieldBase,
  type: z.literal('choice'),
  options: z.array(ChoiceOption).default([]),
  optionsFrom: OptionsFrom.optional(),
});
export const MultiChoiceField = z.strictObject({
  ...fieldBase,
  type: z.literal('multi-choice'),
  options: z.array(ChoiceOption).default([]),
  optionsFrom: OptionsFrom.optional(),
});
export const PersonField = z.strictObject({ ...fieldBase, type: z.literal('person') });
const FlagList = z.strictObject({ table: Id, list: Id });
export type FlagList = z.infer<typeof FlagList>;
export const KbListField = z.strictObject({
  ...fieldBase,
  type: z.literal('kb-list'),
  /** Lists in reference tables whose KBs must be flagged as not counting as evidence: one or several. */
  flagFrom: z.union([FlagList, z.array(FlagList).min(1)]).optional(),
});
export const VersionField = z.strictObject({ ...fieldBase, type: z.literal('version') });
export const FileField = z.strictObject({
  ...fieldBase,
  type: z.literal('file'),
  maxFiles: z.int().min(1).max(50).default(10),
});

export const Field = z.discriminatedUnion('type', [
  TextField,
  LongTextField,
  NumberField,
  DateField,
  DateTimeField,
  YesNoField,
  ChoiceField,
  MultiChoiceField,
  PersonField,
  KbListField,
  VersionField,
  FileField,
]);
export type Field = z.infer<typeof Field>;
export type FieldInput = z.input<typeof Field>;
export type FieldType = Field['type'];
export const fieldTypes = Field.options.map((option) => option.shape.type.value);
