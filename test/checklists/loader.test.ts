// Authoring mistakes are reported with the file, the path inside it and the line.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadChecklists } from '../../scripts/lib/checklistLoader.ts';
import { compileChecklist } from '../../src/checklist/machine.ts';
import { verifyChecklist } from '../../src/checklist/verify.ts';

const broken = join(import.meta.dirname, '../fixtures/broken-checklists');
const only = (name: string) => loadChecklists(broken, [join(broken, `${name}.yaml`)]);
const messages = (name: string) => only(name).problems.map(formatProblem);

describe('loader errors', () => {
  it('reports YAML syntax errors with the line', () => {
    const [first] = messages('bad-yaml');
    expect(first).toMatch(
      /^test\/fixtures\/broken-checklists\/bad-yaml\.yaml:5 \(top\): YAML: Flow sequence/,
    );
  });

  it('reports schema errors with path and line', () => {
    expect(messages('wrong-shape')).toEqual([
      'test/fixtures/broken-checklists/wrong-shape.yaml:2 version: use a version of three numbers in quotes, such as "1.0.0"',
      expect.stringMatching(
        /^test\/fixtures\/broken-checklists\/wrong-shape\.yaml:16 phases\[0\]\.steps\[0\]\.fields\[0\]\.type: Invalid discriminator value\. Expected 'text' \| 'long-text'/,
      ),
    ]);
  });

  it('reports unknown sources, steps and fields, naming the step', () => {
    expect(messages('bad-references')).toEqual([
      'test/fixtures/broken-checklists/bad-references.yaml:14 phases[0].steps[0].sources[1] (step "a"): unknown source "nope"',
      'test/fixtures/broken-checklists/bad-references.yaml:20 phases[0].steps[1].requires[0] (step "b"): unknown step "ghost"',
      'test/fixtures/broken-checklists/bad-references.yaml:21 phases[0].steps[1].when.equals.field (step "b"): step "a" has no field "missing"',
    ]);
  });

  it('reports a cycle in requires', () => {
    expect(messages('cycle')).toEqual([
      'test/fixtures/broken-checklists/cycle.yaml:15 phases[0].steps[0].requires (step "a"): steps wait for each other in a cycle: a → b → a',
    ]);
  });

  it('lets one field only carry each fact given when a record starts', () => {
    expect(messages('double-prefill')).toEqual([
      'test/fixtures/broken-checklists/double-prefill.yaml:22 phases[0].steps[1].fields[0].prefill (step "b"): "organisation.name" is already carried by a.name: one field may carry each fact',
    ]);
  });

  it('requires the id to equal the file name', () => {
    const result = loadChecklists(join(import.meta.dirname, '../fixtures/checklists'), [
      join(import.meta.dirname, '../fixtures/checklists/branching.yaml'),
    ]);
    expect(result.problems).toEqual([]);
  });
});

describe('graph verification', () => {
  const verify = (name: string) => {
    const { checklists, problems } = only(name);
    expect(problems).toEqual([]);
    const [checklist] = checklists;
    if (!checklist) throw new Error('not loaded');
    return verifyChecklist(compileChecklist(checklist));
  };

  it('finds a step that no answer can make available', () => {
    const result = verify('unreachable');
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      {
        stepId: 'never',
        message: 'step "never" can never be reached: no sequence of answers makes it available',
      },
    ]);
  });

  it('finds a step whose condition can never hold', () => {
    const result = verify('dead-end');
    expect(result.problems.map((p) => p.stepId)).toEqual(['b']);
  });
});

describe('npm run checklists:check', () => {
  const cli = (args: string[]) => {
    try {
      const out = execFileSync('npx', ['tsx', 'scripts/checklists-check.ts', ...args], {
        cwd: join(import.meta.dirname, '../..'),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { code: 0, out };
    } catch (error) {
      const e = error as { status: number; stdout: string; stderr: string };
      return { code: e.status, out: `${e.stdout}${e.stderr}` };
    }
  };

  it('passes on the shipped checklists', () => {
    const { code, out } = cli([]);
    expect(code).toBe(0);
    expect(out).toMatch(/✓ checklists\/smb-boundary-block\.yaml: .* every step reachable/);
  });

  it('fails naming the file and the step when given a broken checklist', () => {
    const { code, out } = cli(['--', 'test/fixtures/broken-checklists/unreachable.yaml']);
    expect(code).toBe(1);
    expect(out).toContain(
      '✗ test/fixtures/broken-checklists/unreachable.yaml (step "never"): step "never" can never be reached',
    );
  });
}, 60_000);
