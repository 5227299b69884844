// `npm run checklists:schema`: regenerates the committed JSON Schemas in checklists/schema/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from './lib/jsonSchema.ts';

const dir = join(import.meta.dirname, '../checklists/schema');
for (const [name, text] of Object.entries(jsonSchemas())) {
  writeFileSync(join(dir, name), text);
  console.log(`wrote checklists/schema/${name}`);
}
