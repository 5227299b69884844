// The JSON Schemas editors use for checklists/*.yaml and checklists/reference/*.yaml, generated
// from the zod schemas (which stay the single source of truth).
import { z } from 'zod';
import { ChecklistFile, ReferenceTable } from '../../src/checklist/schema.ts';
import { BundleSchema } from '../../src/exchange/format.ts';

function generate(schema: z.ZodType, id: string, title: string): string {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  return `${JSON.stringify({ ...json, $id: id, title }, null, 2)}\n`;
}

export function jsonSchemas(): Record<string, string> {
  return {
    'checklist.schema.json': generate(
      ChecklistFile,
      'https://reconnect.invalid/schema/checklist.schema.json',
      'Reconnect checklist',
    ),
    'reference-table.schema.json': generate(
      ReferenceTable,
      'https://reconnect.invalid/schema/reference-table.schema.json',
      'Reconnect reference table',
    ),
    'bundle.schema.json': generate(
      BundleSchema,
      'https://reconnect.invalid/schema/bundle.schema.json',
      'Reconnect record bundle (.reconnect)',
    ),
  };
}
