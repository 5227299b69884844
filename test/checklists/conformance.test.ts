// Every file in checklists/ — present and future — goes through schema, cross-references,
// compile, graph verification and content checks here, with no per-file test code.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadChecklists } from '../../scripts/lib/checklistLoader.ts';
import { contentHash } from '../../src/checklist/canonical.ts';
import { parseGuidance } from '../../src/checklist/guidance.ts';
import { compileChecklist } from '../../src/checklist/machine.ts';
import { verifyChecklist } from '../../src/checklist/verify.ts';
import { replay } from '../../src/run/replay.ts';
import { progressOf, stepStatuses } from '../../src/run/status.ts';

const dir = join(import.meta.dirname, '../../checklists');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const loaded = loadChecklists(dir);

describe('checklists/', () => {
  it('has checklists', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('loads with no problems', () => {
    expect(loaded.problems.map(formatProblem)).toEqual([]);
    expect(loaded.checklists.map((c) => c.file).sort()).toEqual(
      files.map((f) => `checklists/${f}`).sort(),
    );
  });
});

// The graph proof walks every state the machine can reach: device-clearance takes about 5–7 s
// on an idle 2-core machine and several times that when the machine is busy. It runs once per
// checklist (the witness test reuses it), with a timeout sized to the work.
const GRAPH_PROOF_TIMEOUT = 120_000;

for (const checklist of loaded.checklists) {
  describe(checklist.file, () => {
    const compiled = compileChecklist(checklist);
    let verified: ReturnType<typeof verifyChecklist> | undefined;
    const verification = () => (verified ??= verifyChecklist(compiled));

    it('has a stable content hash of its canonical form', () => {
      expect(checklist.contentHash).toMatch(/^[0-9a-f]{64}$/);
      const roundTripped = JSON.parse(
        JSON.stringify(checklist.definition),
      ) as typeof checklist.definition;
      expect(contentHash(roundTripped)).toBe(checklist.contentHash);
    });

    it(
      'proves every step reachable and completion reachable from every state',
      () => {
        const result = verification();
        expect(result.problems).toEqual([]);
        expect(result.reachedSteps).toEqual(compiled.index.order);
      },
      GRAPH_PROOF_TIMEOUT,
    );

    it(
      'completes when its shortest witness run is replayed',
      () => {
        const result = verification();
        expect(result.witness).not.toBeNull();
        const { state, rejected } = replay(compiled, result.witness ?? []);
        expect(rejected).toEqual([]);
        expect(progressOf(stepStatuses(compiled, state)).complete).toBe(true);
      },
      GRAPH_PROOF_TIMEOUT,
    );

    it('has content a screen-reader user can follow', () => {
      for (const step of compiled.index.steps.values()) {
        const labels = step.fields.map((f) => f.label.trim().toLowerCase());
        expect(new Set(labels).size, `duplicate field labels in ${step.id}`).toBe(labels.length);
        expect(parseGuidance(step.guidance).length, `empty guidance in ${step.id}`).toBeGreaterThan(
          0,
        );
        // Angle brackets are fine inside `code` (e.g. <address>); anywhere else they look like HTML.
        const prose = step.guidance.replace(/`[^`]*`/g, '');
        expect(prose, `raw HTML in ${step.id}`).not.toMatch(/<\/?[a-z][^>]*>/i);
        for (const field of step.fields) {
          if (field.type === 'choice' || field.type === 'multi-choice') {
            const optionLabels = field.options.map((o) => o.label.toLowerCase());
            expect(
              new Set(optionLabels).size,
              `duplicate option labels in ${step.id}.${field.id}`,
            ).toBe(optionLabels.length);
          }
        }
      }
      const titles = [...compiled.index.steps.values()].map((s) => s.title.toLowerCase());
      expect(new Set(titles).size, 'two steps share a title').toBe(titles.length);
    });

    it('never cites a source it does not list, and every source is used', () => {
      const cited = new Set([...compiled.index.steps.values()].flatMap((s) => s.sources));
      const listed = new Set(checklist.definition.sources.map((s) => s.id));
      for (const id of cited) expect(listed).toContain(id);
      for (const id of listed) expect(cited, `source ${id} is never cited`).toContain(id);
    });
  });
}
