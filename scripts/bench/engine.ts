// Engine measurements in Node: compiling every shipped checklist from its YAML, and replaying a
// run of 1,000 events.
import { compileChecklist, type CompiledChecklist } from '../../src/checklist/machine.ts';
import type { MachineEvent } from '../../src/checklist/events.ts';
import { canonicalValue } from '../../src/checklist/verify.ts';
import { applyEvent, initialRunState, replay } from '../../src/run/replay.ts';
import { stepStatuses } from '../../src/run/status.ts';
import { loadChecklists } from '../lib/checklistLoader.ts';
import { median } from './stats.ts';

export function measureCompileAll(): number {
  const times: number[] = [];
  for (let i = 0; i < 9; i++) {
    const start = performance.now();
    const { checklists, problems } = loadChecklists();
    if (problems.length) throw new Error('checklists have problems; run npm run checklists:check');
    for (const c of checklists) compileChecklist(c, { fresh: true });
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * A realistic long run: drafts saved as a technician types, steps completed, some corrected and
 * completed again — every event accepted by the machine — until there are `count` events.
 */
export function buildLongRun(compiled: CompiledChecklist, count: number): MachineEvent[] {
  const events: MachineEvent[] = [];
  let state = initialRunState(compiled);
  let minute = 0;
  const meta = () => ({
    actor: { name: 'Bench Technician' },
    at: new Date(Date.UTC(2017, 4, 15, 9, minute++)).toISOString(),
  });
  const accept = (event: MachineEvent) => {
    const result = applyEvent(compiled, state, event);
    if (!result.ok) return false;
    state = result.state;
    events.push(result.event);
    return true;
  };
  while (events.length < count) {
    const statuses = stepStatuses(compiled, state);
    const open = compiled.index.order.filter((id) => {
      const k = statuses.get(id)?.kind;
      return k === 'not-started' || k === 'in-progress';
    });
    const waiting = compiled.index.order.filter(
      (id) => statuses.get(id)?.kind === 'needs-approval',
    );
    const done = compiled.index.order.filter((id) => statuses.get(id)?.kind === 'completed');
    if (open.length === 0 && waiting.length === 0) {
      // Everything done: correct a step, as happens when an auditor asks.
      const target = done[events.length % Math.max(1, done.length)];
      if (
        !target ||
        !accept({ type: 'step.reopen', stepId: target, reason: 'Correction', ...meta() })
      )
        break;
      continue;
    }
    for (const id of waiting)
      accept({
        type: 'step.approve',
        stepId: id,
        approver: { name: 'Bench Approver', role: 'SIRO' },
        ...meta(),
      });
    const id = open[0];
    if (!id) continue;
    const step = compiled.index.steps.get(id);
    const evidence: Record<string, unknown> = {};
    for (const f of step?.fields ?? []) evidence[f.id] = canonicalValue(f);
    // Drafts as the technician fills the form in, one more answer each time.
    const fieldIds = Object.keys(evidence);
    for (let d = 0; d < 4 && events.length < count; d++) {
      const field = fieldIds[d];
      if (field === undefined) break;
      accept({
        type: 'step.save',
        stepId: id,
        changes: { [field]: evidence[field] } as Record<string, never>,
        ...meta(),
      });
    }
    if (
      !accept({
        type: 'step.complete',
        stepId: id,
        evidence: evidence as Record<string, never>,
        ...meta(),
      })
    )
      accept({ type: 'step.not-applicable', stepId: id, reason: 'Not here', ...meta() });
  }
  return events.slice(0, count);
}

export function measureReplay(
  compiled: CompiledChecklist,
  count = 1000,
): { ms: number; events: number } {
  const events = buildLongRun(compiled, count);
  // Warm up until the JIT has settled, then take the median of many runs.
  for (let i = 0; i < 10; i++) replay(compiled, events);
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const start = performance.now();
    const { rejected } = replay(compiled, events);
    times.push(performance.now() - start);
    if (rejected.length) throw new Error('the bench run has refused events');
  }
  return { ms: median(times), events: events.length };
}
