// The run rows have one writer: the lint rule that says so is in force for every other source
// file, and it catches each way of writing the runs table while leaving reads alone.
import { ESLint, Linter } from 'eslint';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restrictedSyntaxFor(file: string): Promise<Linter.RuleEntry | undefined> {
  const config = (await eslint.calculateConfigForFile(join(root, file))) as Linter.Config;
  return config.rules?.['no-restricted-syntax'];
}

// The rule exactly as the project's config sets it for a module that is not a writer.
let rule: Linter.RuleEntry | undefined;
beforeAll(async () => {
  rule = await restrictedSyntaxFor('src/db/signoff.ts');
});

function problems(code: string): string[] {
  if (!rule) throw new Error('no-restricted-syntax is not configured for src/db/signoff.ts');
  return new Linter()
    .verify(code, {
      languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
      rules: { 'no-restricted-syntax': rule },
    })
    .map((m) => m.message);
}

describe('the single writer of run rows', () => {
  it.each([
    'await db.runs.put(row);',
    'await db.runs.add(row);',
    'await db.runs.bulkPut(rows);',
    'await db.runs.update(id, { locked: true });',
    'await db.runs.delete(id);',
    'await db.runs.clear();',
    "await db.runs.where('kind').equals('device').modify({ locked: true });",
    'await db.runs.filter((r) => r.locked).delete();',
    "await db.table('runs').put(row);",
    "tx.objectStore('runs').put(row);",
    "idb.transaction(['runs', 'events'], 'readwrite');",
  ])('refuses %s outside src/db/runs.ts and directAppend.ts', (code) => {
    const found = new Set(problems(`async function f(db, tx, idb, row, rows, id) { ${code} }`));
    expect([...found]).toEqual([
      expect.stringContaining(
        'Only src/db/runs.ts, src/db/directAppend.ts, src/db/bulkDevices.ts and the import door src/db/merge.ts write the runs table',
      ),
    ]);
  });

  it.each([
    'await db.runs.get(id);',
    'await db.runs.bulkGet(ids);',
    "await db.runs.orderBy('updatedAt').reverse().toArray();",
    'await db.runs.filter((r) => r.locked).first();',
    'await db.events.put(entry);',
  ])('allows the read %s', (code) => {
    expect(problems(`async function f(db, id, ids, entry) { ${code} }`)).toEqual([]);
  });

  it('is in force for every source file but the four declared writers', async () => {
    const eslint = new ESLint({ cwd: root });
    const ruleFor = async (file: string) =>
      (
        (await eslint.calculateConfigForFile(join(root, file))) as {
          rules: Record<string, unknown>;
        }
      ).rules['no-restricted-syntax'];
    for (const file of [
      'src/db/signoff.ts',
      'src/db/devices.ts',
      'src/db/exportBundle.ts',
      'src/ui/pages/StepPage.tsx',
    ])
      expect(JSON.stringify(await ruleFor(file))).toContain('write the runs table');
    for (const file of [
      'src/db/runs.ts',
      'src/db/directAppend.ts',
      'src/db/merge.ts',
      'src/db/bulkDevices.ts',
    ])
      expect(JSON.stringify((await ruleFor(file)) ?? null)).not.toContain('write the runs table');
  });
});
