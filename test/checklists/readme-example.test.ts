// The complete example in checklists/README.md must stay a valid, verifiable checklist.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, loadChecklists } from '../../scripts/lib/checklistLoader.ts';
import { compileChecklist } from '../../src/checklist/machine.ts';
import { verifyChecklist } from '../../src/checklist/verify.ts';

const readme = readFileSync(join(import.meta.dirname, '../../checklists/README.md'), 'utf8');
const example = /## A complete small example\s+```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const dir = mkdtempSync(join(tmpdir(), 'reconnect-readme-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the README example', () => {
  it('is present', () => {
    expect(example).toContain('id: kill-switch-check');
  });

  it('loads, compiles and verifies', () => {
    mkdirSync(join(dir, 'reference'));
    writeFileSync(join(dir, 'kill-switch-check.yaml'), example);
    const { checklists, problems } = loadChecklists(dir);
    expect(problems.map(formatProblem)).toEqual([]);
    const [checklist] = checklists;
    if (!checklist) throw new Error('not loaded');
    const result = verifyChecklist(compileChecklist(checklist));
    expect(result.problems).toEqual([]);
  });
});
