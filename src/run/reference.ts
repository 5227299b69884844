// Which reference-table rows apply to a run so far: a choice whose options come from a table
// (the device's OS, say), once answered, picks that table's row.
import type { CompiledChecklist } from '../checklist/machine.ts';
import type { ReferenceRow, ReferenceTable } from '../checklist/schema.ts';
import type { RunState } from './replay.ts';

export interface ChosenReference {
  table: ReferenceTable;
  row: ReferenceRow;
}

export function chosenReferences(compiled: CompiledChecklist, state: RunState): ChosenReference[] {
  const found: ChosenReference[] = [];
  for (const [ref, field] of compiled.index.fields) {
    if (field.type !== 'choice' || !field.optionsFrom) continue;
    const table = compiled.definition.referenceTables[field.optionsFrom.table];
    const [stepId = '', fieldId = ''] = ref.split('.');
    const step = state.context.steps[stepId];
    const value = step?.evidence?.[fieldId] ?? step?.draft?.[fieldId];
    const row = table?.rows.find((r) => r.id === value);
    if (table && row && !found.some((f) => f.table.id === table.id)) found.push({ table, row });
  }
  return found;
}

/** Whether a step deals with the facts in a reference table (versions, KBs or lookups). */
export function stepUsesReference(compiled: CompiledChecklist, stepId: string): boolean {
  const step = compiled.index.steps.get(stepId);
  if (!step) return false;
  if (step.fields.some((f) => f.type === 'version' || f.type === 'kb-list')) return true;
  return JSON.stringify(step.when ?? {}).includes('"reference"');
}
