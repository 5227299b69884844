// The checklist format: a zod schema that is the single source of its TypeScript types and of
// the JSON Schema editors use (checklists/schema/checklist.schema.json). Cross-references
// (sources, requires, fields named in conditions) are checked here too, with paths, so an
// author hears about a typo from the build, not from a technician.
import { z } from 'zod';

export const idPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const Id = z
  .string()
  .regex(
    idPattern,
    'use lower-case letters, digits and single hyphens (for example "patch-evidence")',
  );

/** `step-id.field-id`: a field of a step, as conditions name it. */
export const FieldRef = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'name a field as "step-id.field-id"',
  );

export const kbPattern = /^KB\d{6,7}$/;
export const Kb = z.string().regex(kbPattern, 'write a KB number as KB followed by 6 or 7 digits');
export const versionPattern = /^\d+(?:\.\d+){1,3}$/;
export const DottedVersion = z
  .string()
  .regex(versionPattern, 'write a version as numbers separated by dots, such as 6.1.7601.23689');

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}(?:-\d{2})?$/, 'write a date as YYYY-MM-DD or YYYY-MM');

export const Confidence = z.enum(['confirmed', 'secondary', 'unconfirmed']);
export type Confidence = z.infer<typeof Confidence>;

export const Source = z.strictObject({
  id: Id,
  title: z.string().min(1),
  publisher: z.string().min(1),
  date: IsoDate,
  url: z.url({ protocol: /^https?$/, error: 'give the full address, starting https://' }),
  /** How sure we are that the source says what the step says it says. */
  confidence: Confidence.default('confirmed'),
  note: z.string().optional(),
});
export type Source = z.infer<typeof Source>;

// ---------------------------------------------------------------------------------------------
// Fields: typed evidence
// ---------------------------------------------------------------------------------------------

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

export const TextField = z.strictObject({
  ...fieldBase,
  type: z.literal('text'),
  maxLength: z.int().min(1).max(2000).default(200),
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

// ---------------------------------------------------------------------------------------------
// Conditions: declarative, never code
// ---------------------------------------------------------------------------------------------

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
/** Look a value up in a reference table, keyed by an earlier answer (e.g. the device's OS). */
export const Lookup = z.strictObject({ table: Id, key: FieldRef, column: Id });
export type Lookup = z.infer<typeof Lookup>;

const NumberComparison = z.strictObject({ field: FieldRef, value: z.number() });
const VersionComparison = z
  .strictObject({
    field: FieldRef,
    value: DottedVersion.optional(),
    reference: Lookup.optional(),
  })
  .refine((v) => (v.value === undefined) !== (v.reference === undefined), {
    error: 'give exactly one of "value" or "reference"',
  });
const KbComparison = z
  .strictObject({
    field: FieldRef,
    values: z.array(Kb).min(1).optional(),
    reference: Lookup.optional(),
  })
  .refine((v) => (v.values === undefined) !== (v.reference === undefined), {
    error: 'give exactly one of "values" or "reference"',
  });

export const Outcome = z.enum(['completed', 'not-applicable', 'risk-accepted']);
export type Outcome = z.infer<typeof Outcome>;

export const conditionOperators = [
  'equals',
  'oneOf',
  'includes',
  'answered',
  'atLeast',
  'atMost',
  'greaterThan',
  'lessThan',
  'versionAtLeast',
  'kbIncludesAny',
  'outcome',
  'all',
  'any',
  'not',
] as const;

export interface Condition {
  equals?: { field: string; value: string | number | boolean };
  oneOf?: { field: string; values: (string | number | boolean)[] };
  includes?: { field: string; value: string };
  answered?: string;
  atLeast?: { field: string; value: number };
  atMost?: { field: string; value: number };
  greaterThan?: { field: string; value: number };
  lessThan?: { field: string; value: number };
  versionAtLeast?: { field: string; value?: string; reference?: Lookup };
  kbIncludesAny?: { field: string; values?: string[]; reference?: Lookup };
  outcome?: { step: string; is: Outcome[] };
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
}

export const Condition: z.ZodType<Condition> = z
  .strictObject({
    equals: z.strictObject({ field: FieldRef, value: Scalar }).optional(),
    oneOf: z.strictObject({ field: FieldRef, values: z.array(Scalar).min(1) }).optional(),
    includes: z.strictObject({ field: FieldRef, value: z.string() }).optional(),
    answered: FieldRef.optional(),
    atLeast: NumberComparison.optional(),
    atMost: NumberComparison.optional(),
    greaterThan: NumberComparison.optional(),
    lessThan: NumberComparison.optional(),
    versionAtLeast: VersionComparison.optional(),
    kbIncludesAny: KbComparison.optional(),
    outcome: z.strictObject({ step: Id, is: z.array(Outcome).min(1) }).optional(),
    get all() {
      return z.array(Condition).min(1).optional();
    },
    get any() {
      return z.array(Condition).min(1).optional();
    },
    get not() {
      return Condition.optional();
    },
  })
  .refine((c) => Object.keys(c).length === 1, {
    error: `a condition has exactly one operator: ${conditionOperators.join(', ')}`,
  })
  .meta({
    id: 'Condition',
    description: 'A test on earlier answers, with exactly one operator. Never code.',
    minProperties: 1,
    maxProperties: 1,
  });

// ---------------------------------------------------------------------------------------------
// Steps, phases, checklists
// ---------------------------------------------------------------------------------------------

export const Step = z.strictObject({
  id: Id,
  title: z.string().min(1),
  /** Plain language: paragraphs, "- " bullet lists and `inline code`. Never HTML. */
  guidance: z.string().min(1),
  sources: z.array(Id).default([]),
  /**
   * "guidance" when the step follows the cited sources; "good-practice" when it is the
   * authors' recommendation, which the app then says plainly.
   */
  basis: z.enum(['guidance', 'good-practice']).default('guidance'),
  fields: z.array(Field).default([]),
  when: Condition.optional(),
  requires: z.array(Id).default([]),
  outcomes: z.array(Outcome).min(1).default(['completed', 'not-applicable']),
  approval: z
    .strictObject({
      role: z.string().min(1),
      help: z.string().optional(),
    })
    .optional(),
  /**
   * Gates the step on the device fleet (Part 5): it cannot be completed while any device is
   * neither cleared nor isolated under an approved exception.
   */
  requiresFleetClearance: z.boolean().default(false),
});
export type Step = z.infer<typeof Step>;

export const Phase = z.strictObject({
  id: Id,
  title: z.string().min(1),
  summary: z.string().optional(),
  steps: z.array(Step).min(1),
});
export type Phase = z.infer<typeof Phase>;

// Reference tables: cited facts that conditions and options use (e.g. the MS17-010 KBs per OS).

export const ReferenceCell = z.strictObject({
  /** null: not known. Shown as "unconfirmed — check with the vendor", never as a fact. */
  value: z.union([z.string(), z.array(z.string()), z.null()]),
  confidence: Confidence,
  sources: z.array(Id).default([]),
  note: z.string().optional(),
});
export type ReferenceCell = z.infer<typeof ReferenceCell>;

export const ReferenceColumn = z.strictObject({
  id: Id,
  label: z.string().min(1),
  type: z.enum(['text', 'version', 'kb-list']),
});

export const ReferenceRow = z.strictObject({
  id: Id,
  label: z.string().min(1),
  group: z.string().optional(),
  cells: z.record(Id, ReferenceCell),
});
export type ReferenceRow = z.infer<typeof ReferenceRow>;

export const ReferenceList = z.strictObject({
  label: z.string().min(1),
  values: z.array(z.string()).min(1),
  confidence: Confidence,
  sources: z.array(Id).default([]),
  note: z.string().optional(),
});

export const ReferenceTable = z
  .strictObject({
    $schema: z.string().optional(),
    id: Id,
    title: z.string().min(1),
    summary: z.string().min(1),
    sources: z.array(Source).min(1),
    columns: z.array(ReferenceColumn).min(1),
    rows: z.array(ReferenceRow).min(1),
    lists: z.record(Id, ReferenceList).default({}),
  })
  .superRefine((table, ctx) => {
    const sourceIds = new Set(table.sources.map((s) => s.id));
    const confirmedSources = new Set(
      table.sources.filter((s) => s.confidence === 'confirmed').map((s) => s.id),
    );
    // A value is only as sure as what it was read in: never "confirmed" on a news copy or a
    // source only partly read (those sources are "secondary").
    const checkConfirmed = (
      item: { confidence: Confidence; sources: string[] },
      path: (string | number)[],
    ) => {
      if (item.confidence === 'confirmed' && !item.sources.some((s) => confirmedSources.has(s)))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'confidence'],
          message:
            'a confirmed value needs a confirmed source; say "secondary" when it rests on a copy, a summary or a partly read source',
        });
    };
    const columns = new Map(table.columns.map((c) => [c.id, c]));
    reportDuplicates(
      table.rows.map((r) => r.id),
      ['rows'],
      'row',
      ctx,
    );
    table.rows.forEach((row, r) => {
      for (const [columnId, cell] of Object.entries(row.cells)) {
        const path = ['rows', r, 'cells', columnId];
        const column = columns.get(columnId);
        if (!column) {
          ctx.addIssue({ code: 'custom', path, message: `unknown column "${columnId}"` });
          continue;
        }
        checkConfirmed(cell, path);
        cell.sources.forEach((s, i) => {
          if (!sourceIds.has(s))
            ctx.addIssue({
              code: 'custom',
              path: [...path, 'sources', i],
              message: `unknown source "${s}"`,
            });
        });
        if (cell.value === null) continue;
        const values = Array.isArray(cell.value) ? cell.value : [cell.value];
        if (column.type === 'kb-list' && !Array.isArray(cell.value))
          ctx.addIssue({ code: 'custom', path, message: 'a kb-list cell holds a list' });
        for (const value of values) {
          if (column.type === 'kb-list' && !kbPattern.test(value))
            ctx.addIssue({ code: 'custom', path, message: `"${value}" is not a KB number` });
          if (column.type === 'version' && !versionPattern.test(value))
            ctx.addIssue({ code: 'custom', path, message: `"${value}" is not a dotted version` });
        }
      }
      if (
        Object.values(row.cells).some(
          (c) => c.confidence === 'unconfirmed' && c.sources.length === 0 && !c.note,
        )
      )
        ctx.addIssue({
          code: 'custom',
          path: ['rows', r],
          message: 'an unconfirmed cell needs a source or a note saying why it is unconfirmed',
        });
    });
    for (const [listId, list] of Object.entries(table.lists)) {
      checkConfirmed(list, ['lists', listId]);
      list.sources.forEach((s, i) => {
        if (!sourceIds.has(s))
          ctx.addIssue({
            code: 'custom',
            path: ['lists', listId, 'sources', i],
            message: `unknown source "${s}"`,
          });
      });
    }
  });
export type ReferenceTable = z.infer<typeof ReferenceTable>;
export type ReferenceTableInput = z.input<typeof ReferenceTable>;

export const ChecklistFile = z.strictObject({
  $schema: z.string().optional(),
  id: Id,
  version: z
    .string({ error: 'use a version of three numbers in quotes, such as "1.0.0"' })
    .regex(/^\d+\.\d+\.\d+$/, 'use a version of three numbers, such as 1.0.0'),
  title: z.string().min(1),
  summary: z.string().min(1),
  /** One run of this checklist for each device in the inventory (Part 5). */
  perDevice: z.boolean().default(false),
  /** Reference tables (checklists/reference/<id>.yaml) that conditions and options use. */
  references: z.array(Id).default([]),
  sources: z.array(Source).min(1),
  phases: z.array(Phase).min(1),
});
export type ChecklistFile = z.infer<typeof ChecklistFile>;
export type ChecklistFileInput = z.input<typeof ChecklistFile>;

/** A checklist with its reference tables embedded: what ships in the bundle and is hashed. */
export interface ChecklistDefinition extends Omit<ChecklistFile, '$schema'> {
  referenceTables: Record<string, ReferenceTable>;
}

/** A definition together with the SHA-256 of its canonical form, which runs pin. */
export interface HashedChecklist {
  definition: ChecklistDefinition;
  contentHash: string;
}

export function reportDuplicates(
  ids: string[],
  path: (string | number)[],
  what: string,
  ctx: z.RefinementCtx,
): void {
  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
    const first = seen.get(id);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, index, 'id'],
        message: `duplicate ${what} id "${id}" (first used at ${path.join('.')}.${String(first)})`,
      });
    } else {
      seen.set(id, index);
    }
  });
}
