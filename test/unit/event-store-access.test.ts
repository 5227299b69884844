// Events are stored in packs, and src/db/eventStore.ts is the one module that knows their shape:
// the lint rule that says so is in force for every other source file (but the schema's upgrade
// and the native direct save), and it catches each way of reaching the store.
import { ESLint, Linter } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function ruleFor(file: string): Promise<Linter.RuleEntry | undefined> {
  const config = (await eslint.calculateConfigForFile(join(root, file))) as Linter.Config;
  return config.rules?.['no-restricted-syntax'];
}

async function problems(file: string, code: string): Promise<string[]> {
  const rule = await ruleFor(file);
  if (!rule) return [];
  return new Linter()
    .verify(code, {
      languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
      rules: { 'no-restricted-syntax': rule },
    })
    .map((m) => m.message);
}

const wrap = (code: string) => `async function f(db, tx, idb, id) { ${code} }`;

describe('the one accessor of stored events', () => {
  it.each([
    "await db.eventPacks.where('hashes').equals(id).first();",
    'await db.eventPacks.add(row);',
    "await db.transaction('rw', db.runs, db.eventPacks, async () => {});",
    "await db.table('eventPacks').toArray();",
    "tx.objectStore('eventPacks').add(row);",
    "idb.transaction(['runs', 'eventPacks'], 'readwrite');",
  ])('refuses %s outside src/db/eventStore.ts', async (code) => {
    for (const file of [
      'src/db/signoff.ts',
      'src/db/runs.ts',
      'src/db/merge.ts',
      'src/ui/pages/StepPage.tsx',
    ])
      // (A transaction that writes runs is also refused by the rule on run rows.)
      expect(await problems(file, wrap(code))).toContainEqual(
        expect.stringContaining('read and write them through src/db/eventStore.ts'),
      );
  });

  it('allows the accessor itself, the upgrade and the native save', async () => {
    for (const file of ['src/db/eventStore.ts', 'src/db/schema.ts', 'src/db/directAppend.ts'])
      expect(
        await problems(file, wrap("await db.eventPacks.toArray(); tx.objectStore('eventPacks');")),
      ).toEqual([]);
  });

  it('allows reading through the accessor', async () => {
    expect(
      await problems('src/db/signoff.ts', wrap('await runEvents(db, id); eventTable(db);')),
    ).toEqual([]);
  });
});
