// The committed JSON Schemas must match what the zod schemas generate today.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../../scripts/lib/jsonSchema.ts';

describe('committed JSON Schema', () => {
  for (const [name, text] of Object.entries(jsonSchemas())) {
    it(`${name} is up to date (run npm run checklists:schema)`, () => {
      const committed = readFileSync(
        join(import.meta.dirname, '../../checklists/schema', name),
        'utf8',
      );
      expect(committed).toBe(text);
    });
  }
});
