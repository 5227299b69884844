// The checklist format: a zod schema that is the single source of its TypeScript types and of
// the JSON Schema editors use (checklists/schema/checklist.schema.json). Cross-references
// (sources, requires, fields named in conditions) are checked here too, with paths, so an
// author hears about a typo from the build, not from a technician.
import { z } from 'zod';
import { DottedVersion, FieldRef, Id, Kb, Source } from './schemaBasics.ts';
import { Field } from './fieldSchema.ts';
import { ReferenceTable } from './referenceSchema.ts';

export * from './schemaBasics.ts';
export * from './fieldSchema.ts';
export * from './referenceSchema.ts';

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

/** A role a decision needs (incident lead, SIRO, IT lead…): approvers are registered with roles. */
export const Role = z.strictObject({
  id: Id,
  title: z.string().min(1),
  /** Who holds it and what it decides, shown where approvers are registered. */
  help: z.string().optional(),
});
export type Role = z.infer<typeof Role>;

/**
 * A staged sign-off: a signed record over the phases it covers, by a holder of its role. Sign-offs
 * are in order; the steps of a later one cannot start until the earlier ones are signed, and a
 * signed one locks what it covers. The last one closes the whole record.
 */
export const SignOff = z.strictObject({
  id: Id,
  title: z.string().min(1),
  /** What signing it means, in plain words (shown where it is signed and on the record). */
  summary: z.string().min(1),
  /** The role that signs it: one of the checklist's `roles`. */
  role: Id,
  /** The phases it covers, by id. Every phase is covered by exactly one sign-off. */
  phases: z.array(Id).min(1),
});
export type SignOff = z.infer<typeof SignOff>;

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
  /**
   * The roles its decisions need. When given, every `approval.role` and sign-off `role` names
   * one, and only an approver registered with that role may take the decision. Optional (and
   * without a default) so that checklists written before roles keep their content hash.
   */
  roles: z.array(Role).min(1).optional(),
  /** Staged sign-offs (go-ahead, closure…), in order; needs `roles`. Absent: one sign-off. */
  signoffs: z.array(SignOff).min(1).optional(),
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
