// `npm run checklists:check [-- file.yaml …]`: validates checklists (schema, cross-references,
// cycles) and proves with @xstate/graph that every step is reachable and that completion is
// reachable from every reachable state. Exits non-zero naming the file and step at fault.
import { resolve } from 'node:path';
import { compileChecklist } from '../src/checklist/machine.ts';
import { verifyChecklist } from '../src/checklist/verify.ts';
import { formatProblem, loadChecklists } from './lib/checklistLoader.ts';

export function checkChecklists(paths: string[]): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  const only = paths.length > 0 ? paths.map((p) => resolve(p)) : undefined;
  const { checklists, problems } = loadChecklists(undefined, only);
  for (const problem of problems) lines.push(`✗ ${formatProblem(problem)}`);
  let ok = problems.length === 0;
  for (const checklist of checklists) {
    const compiled = compileChecklist(checklist);
    const started = performance.now();
    const result = verifyChecklist(compiled);
    const ms = Math.round(performance.now() - started);
    if (result.ok) {
      lines.push(
        `✓ ${checklist.file}: ${String(compiled.index.order.length)} steps, ${String(result.states)} states explored in ${String(ms)} ms; every step reachable; ${result.reachedSignOffs.length > 0 ? `every sign-off reachable (${result.reachedSignOffs.join(', ')}); ` : ''}completion reachable from every state (shortest run: ${String(result.witness?.length ?? 0)} actions)`,
      );
    } else {
      ok = false;
      for (const p of result.problems)
        lines.push(`✗ ${checklist.file}${p.stepId ? ` (step "${p.stepId}")` : ''}: ${p.message}`);
    }
  }
  if (checklists.length === 0 && problems.length === 0) {
    lines.push('✗ no checklists found');
    ok = false;
  }
  return { ok, lines };
}

const args = process.argv.slice(2).filter((a) => a !== '--');
const { ok, lines } = checkChecklists(args);
for (const line of lines) (ok ? console.log : console.error)(line);
process.exit(ok ? 0 : 1);
