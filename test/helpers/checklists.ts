// Helpers for engine tests: load the fixture checklists (or the shipped ones) and build events.
import { join } from 'node:path';
import { loadChecklists, formatProblem } from '../../scripts/lib/checklistLoader.ts';
import { compileChecklist, type CompiledChecklist } from '../../src/checklist/machine.ts';
import type { MachineEvent } from '../../src/checklist/events.ts';
import { replay, type RunState } from '../../src/run/replay.ts';
import { stepStatuses, type StepStatusKind } from '../../src/run/status.ts';

export const fixtureDir = join(import.meta.dirname, '../fixtures/checklists');

const cache = new Map<string, CompiledChecklist>();

export function fixture(id: string, dir = fixtureDir): CompiledChecklist {
  const key = `${dir}:${id}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { checklists, problems } = loadChecklists(dir);
  if (problems.length) throw new Error(problems.map(formatProblem).join('\n'));
  for (const c of checklists) cache.set(`${dir}:${c.definition.id}`, compileChecklist(c));
  const found = cache.get(key);
  if (!found) throw new Error(`no checklist ${id} in ${dir}`);
  return found;
}

export function shipped(id: string): CompiledChecklist {
  return fixture(id, join(import.meta.dirname, '../../checklists'));
}

export const actor = { name: 'Sam Technician' };
let clock = Date.UTC(2017, 4, 15, 9, 0, 0);
export function at(): string {
  clock += 60_000;
  return new Date(clock).toISOString();
}

type Ev<T extends MachineEvent['type']> = Omit<
  Extract<MachineEvent, { type: T }>,
  'type' | 'actor' | 'at'
>;

export const ev = {
  save: (stepId: string, draft: Record<string, unknown> = {}) =>
    ({ type: 'step.save', stepId, draft, actor, at: at() }) as MachineEvent,
  complete: (
    stepId: string,
    evidence: Record<string, unknown> = {},
    extra: Partial<Ev<'step.complete'>> = {},
  ) => ({ type: 'step.complete', stepId, evidence, ...extra, actor, at: at() }) as MachineEvent,
  na: (stepId: string, reason = 'Does not apply here') =>
    ({ type: 'step.not-applicable', stepId, reason, actor, at: at() }) as MachineEvent,
  risk: (stepId: string, reason = 'Isolated instead', reviewDate = '2017-08-01') =>
    ({ type: 'step.risk-accept', stepId, reason, reviewDate, actor, at: at() }) as MachineEvent,
  approve: (stepId: string, role = 'SIRO') =>
    ({
      type: 'step.approve',
      stepId,
      approver: { name: 'Pat Manager', role },
      actor: { name: 'Pat Manager' },
      at: at(),
    }) as MachineEvent,
  reject: (stepId: string, reason = 'Need the report') =>
    ({
      type: 'step.reject',
      stepId,
      approver: { name: 'Pat Manager', role: 'SIRO' },
      reason,
      actor: { name: 'Pat Manager' },
      at: at(),
    }) as MachineEvent,
  reopen: (stepId: string, reason = 'Typo in the answer') =>
    ({ type: 'step.reopen', stepId, reason, actor, at: at() }) as MachineEvent,
};

/** Replays events, failing the test if any is refused. */
export function run(compiled: CompiledChecklist, events: MachineEvent[]): RunState {
  const result = replay(compiled, events);
  if (result.rejected.length)
    throw new Error(
      `refused: ${result.rejected.map((r) => `#${String(r.index)} ${r.rejection.code}: ${r.rejection.message}`).join('; ')}`,
    );
  return result.state;
}

export function kinds(
  compiled: CompiledChecklist,
  state: RunState,
): Record<string, StepStatusKind> {
  return Object.fromEntries([...stepStatuses(compiled, state)].map(([id, s]) => [id, s.kind]));
}
