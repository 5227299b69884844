// Reference tables: cited facts that conditions and options use (e.g. the MS17-010 KBs per OS).
// Part of the checklist format (schema.ts).
import { z } from 'zod';
import {
  Confidence,
  Id,
  Source,
  kbPattern,
  reportDuplicates,
  versionPattern,
} from './schemaBasics.ts';

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
