// Evidence schemas derived from a step's field definitions. The same schema checks the form
// (raw strings from inputs become typed values) and the run (evidence already typed passes
// unchanged), so what the form accepts is exactly what the machine accepts.
import { z } from 'zod';
import { parseKbList } from './kb.ts';
import type { Field, Step } from './schema.ts';
import { parseVersion } from './version.ts';

// Type aliases, not interfaces: evidence must be assignable to plain JSON records.
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
export type PersonValue = {
  name: string;
  role: string;
};

// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
export type FileRef = {
  /** Id of the stored file (the blob lives in IndexedDB, keyed by this). */
  id: string;
  name: string;
  size: number;
  type: string;
  sha256: string;
};

export type EvidenceValue = string | number | boolean | string[] | PersonValue | FileRef[];
export type Evidence = Record<string, EvidenceValue>;

/** "Incident lead" → "incident lead"; "IT lead" and "srv.sys version" stay as they are. */
export function lowerFirst(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** Today in ISO form with a day's grace, so a device behind UTC is not told it is in the future. */
function latestAcceptableDate(now: Date): string {
  return new Date(now.getTime() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

export interface SchemaOptions {
  /** The clock used for "not in the future" (tests fix it). */
  now?: () => Date;
}

function valueSchema(field: Field, options: SchemaOptions): z.ZodType<EvidenceValue> {
  const label = field.label;
  const lower = lowerFirst(label);
  const now = options.now ?? (() => new Date());
  const missing = (message: string) => (issue: { input: unknown }) =>
    issue.input === undefined ? message : undefined;

  switch (field.type) {
    case 'text':
    case 'long-text':
      return z
        .string({ error: missing(`Enter ${lower}`) })
        .trim()
        .min(1, `Enter ${lower}`)
        .max(field.maxLength, `${label} must be ${String(field.maxLength)} characters or fewer`);
    case 'number': {
      let schema = z.number({
        error: (issue) =>
          issue.input === undefined ? `Enter ${lower}` : `${label} must be a number`,
      });
      if (field.integer) schema = schema.int(`${label} must be a whole number`);
      if (field.min !== undefined)
        schema = schema.min(field.min, `${label} must be ${String(field.min)} or more`);
      if (field.max !== undefined)
        schema = schema.max(field.max, `${label} must be ${String(field.max)} or less`);
      return z.preprocess((v) => {
        if (typeof v === 'string') {
          const n = Number(v.trim().replace(/,/g, ''));
          return Number.isNaN(n) ? v : n;
        }
        return v;
      }, schema);
    }
    case 'date':
    case 'date-time': {
      const withTime = field.type === 'date-time';
      const example = withTime ? '16 5 2017 and 11:00' : '16 5 2017';
      return z.string({ error: missing(`Enter ${lower}`) }).superRefine((value, ctx) => {
        const [datePart = '', timePart] = withTime ? value.split('T') : [value];
        const timeOk =
          !withTime ||
          (timePart !== undefined && /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(timePart));
        if (!isRealDate(datePart) || !timeOk) {
          ctx.addIssue({
            code: 'custom',
            message: `${label} must be a real date${withTime ? ' and time' : ''}, for example ${example}`,
          });
          return;
        }
        if (field.notInFuture && datePart > latestAcceptableDate(now())) {
          ctx.addIssue({ code: 'custom', message: `${label} must be today or in the past` });
        }
      });
    }
    case 'yes-no':
      return z.preprocess(
        (v) => (v === 'yes' ? true : v === 'no' ? false : v),
        z.boolean({ error: `Select yes or no for “${label}”` }),
      );
    case 'choice': {
      const values = field.options.map((o) => o.value);
      return z
        .string({ error: missing(`Select ${lower}`) })
        .refine((v) => values.includes(v), { error: `Select one of the options for ${lower}` });
    }
    case 'multi-choice': {
      const values = field.options.map((o) => o.value);
      return z.preprocess(
        (v) => (typeof v === 'string' ? [v] : v === false ? [] : v),
        z
          .array(z.string(), { error: `Select at least one option for ${lower}` })
          .refine((list) => list.every((v) => values.includes(v)), {
            error: `Select only the options shown for ${lower}`,
          })
          .refine((list) => new Set(list).size === list.length, {
            error: `Select each option for ${lower} only once`,
          })
          .refine((list) => !field.required || list.length > 0, {
            error: `Select at least one option for ${lower}`,
          }),
      );
    }
    case 'person':
      return z.strictObject(
        {
          name: z
            .string({ error: `Enter the name for ${lower}` })
            .trim()
            .min(1, `Enter the name for ${lower}`)
            .max(200, `The name for ${lower} must be 200 characters or fewer`),
          role: z
            .string({ error: `Enter the role for ${lower}` })
            .trim()
            .min(1, `Enter the role for ${lower}`)
            .max(200, `The role for ${lower} must be 200 characters or fewer`),
        },
        { error: `Enter the name and role for ${lower}` },
      );
    case 'kb-list':
      return z
        .union([z.string(), z.array(z.string())], {
          error: `Enter the KB numbers for ${lower}`,
        })
        .transform((value, ctx) => {
          const { kbs, invalid } = parseKbList(value);
          for (const token of invalid) {
            ctx.addIssue({
              code: 'custom',
              message: `“${token}” is not a KB number: write KB followed by 6 or 7 digits, such as KB4012212`,
            });
          }
          if (kbs.length === 0 && invalid.length === 0 && field.required) {
            ctx.addIssue({ code: 'custom', message: `Enter at least one KB number for ${lower}` });
          }
          return kbs;
        });
    case 'version':
      return z
        .string({ error: missing(`Enter ${lower}`) })
        .trim()
        .refine((v) => parseVersion(v) !== null, {
          error: `Enter ${lower} as numbers separated by dots, such as 6.1.7601.23689`,
        });
    case 'file':
      return z
        .array(
          z.strictObject({
            id: z.string().min(1),
            name: z.string().min(1).max(255),
            size: z.int().min(0),
            type: z.string().max(255),
            sha256: z.string().regex(/^[0-9a-f]{64}$/),
          }),
          { error: `Attach at least one file for ${lower}` },
        )
        .refine((list) => !field.required || list.length > 0, {
          error: `Attach at least one file for ${lower}`,
        })
        .refine((list) => list.length <= field.maxFiles, {
          error: `You can attach up to ${String(field.maxFiles)} files for ${lower}`,
        });
  }
}

/** Undefined, '', [] and a blank person all mean "not answered". */
export function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    return Object.values(value as Record<string, unknown>).every((v) => isBlank(v));
  }
  return false;
}

function fieldSchema(field: Field, options: SchemaOptions): z.ZodType<EvidenceValue | undefined> {
  const inner = valueSchema(field, options);
  if (field.required) {
    // A blank list reaches the list's own "at least one" message; other blanks mean "missing".
    const collection =
      field.type === 'multi-choice' || field.type === 'file' || field.type === 'kb-list';
    return z.preprocess((v) => (isBlank(v) ? (collection ? [] : undefined) : v), inner);
  }
  return z.preprocess((v) => (isBlank(v) ? undefined : v), inner.optional());
}

/**
 * The schema for a step's evidence: every field, required ones present and valid, nothing else.
 * Blank optional answers are dropped, so evidence holds only what was actually answered.
 */
export function evidenceSchema(
  fields: readonly Field[],
  options: SchemaOptions = {},
): z.ZodType<Evidence> {
  const shape: Record<string, z.ZodType<EvidenceValue | undefined>> = {};
  for (const field of fields) shape[field.id] = fieldSchema(field, options);
  return z
    .strictObject(shape, {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `Unexpected answer for ${issue.keys.map((k) => `“${k}”`).join(', ')}: this step has no such field`
          : 'The answers must be a set of named fields',
    })
    .transform((value) => {
      const out: Evidence = {};
      for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
      return out;
    });
}

const schemaCache = new WeakMap<readonly Field[], z.ZodType<Evidence>>();

/** The step's evidence schema, built once per field list (guards call this on every event). */
export function cachedEvidenceSchema(fields: readonly Field[]): z.ZodType<Evidence> {
  let schema = schemaCache.get(fields);
  if (!schema) {
    schema = evidenceSchema(fields);
    schemaCache.set(fields, schema);
  }
  return schema;
}

/**
 * A draft: any subset of the step's fields, in whatever state the user left them, as long as
 * it is plain data of a sane size. Drafts are never evidence; only a completion is.
 */
export function draftSchema(fields: readonly Field[]): z.ZodType<Record<string, unknown>> {
  const ids = new Set(fields.map((f) => f.id));
  return z
    .record(z.string(), z.json())
    .refine((draft) => Object.keys(draft).every((k) => ids.has(k)), {
      error: 'The draft names a field this step does not have',
    })
    .refine((draft) => JSON.stringify(draft).length <= 200_000, {
      error: 'The draft is too large to save',
    });
}

export interface EvidenceIssue {
  field: string;
  message: string;
}

type Validation = { ok: true; evidence: Evidence } | { ok: false; issues: EvidenceIssue[] };
const validationMemo = new WeakMap<object, WeakMap<readonly Field[], Validation>>();

/**
 * Validates evidence for a step; returns the typed evidence or the problems, by field. The
 * machine checks an event's evidence in its guard and again when it records it: the answer for
 * the same evidence object is remembered.
 */
export function validateEvidence(step: Pick<Step, 'fields'>, evidence: unknown): Validation {
  if (typeof evidence !== 'object' || evidence === null) return computeValidation(step, evidence);
  let byFields = validationMemo.get(evidence);
  if (!byFields) {
    byFields = new WeakMap();
    validationMemo.set(evidence, byFields);
  }
  let result = byFields.get(step.fields);
  if (!result) {
    result = computeValidation(step, evidence);
    byFields.set(step.fields, result);
  }
  return result;
}

function computeValidation(step: Pick<Step, 'fields'>, evidence: unknown): Validation {
  const result = cachedEvidenceSchema(step.fields).safeParse(evidence);
  if (result.success) return { ok: true, evidence: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      field: typeof issue.path[0] === 'string' ? issue.path[0] : '',
      message: issue.message,
    })),
  };
}
