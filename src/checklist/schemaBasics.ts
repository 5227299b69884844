// The building blocks every part of the checklist format shares: ids, field references, KB
// numbers, dotted versions and cited sources.
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

/** Adds an issue for each id used twice in a list, naming where it was first used. */
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
