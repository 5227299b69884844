// From a parsed checklist file to a self-contained definition: reference tables embedded,
// options from tables filled in, and every cross-reference checked (sources, requires, the
// fields and tables conditions name). Problems come back with the path where they are.
import {
  conditionOperators,
  type ChecklistFile,
  type ChecklistDefinition,
  type Condition,
  type Field,
  type ReferenceTable,
} from './schema.ts';
import { flagListsOf } from './kb.ts';
import {
  dependenciesOf,
  findDependencyCycle,
  indexChecklist,
  type ChecklistIndex,
  type IssuePath,
} from './graph.ts';

export type { IssuePath } from './graph.ts';

export interface Issue {
  path: IssuePath;
  message: string;
  /** The step the problem is in, when it is in one. */
  stepId?: string;
}

function checkCondition(
  condition: Condition,
  path: IssuePath,
  stepId: string,
  index: ChecklistIndex,
  tables: Record<string, ReferenceTable>,
  issues: Issue[],
): void {
  const add = (where: IssuePath, message: string) => issues.push({ path: where, message, stepId });
  const fieldOf = (ref: string, where: IssuePath, ...types: Field['type'][]) => {
    const field = index.fields.get(ref);
    const [refStep] = ref.split('.');
    if (!field) {
      add(
        where,
        index.steps.has(refStep ?? '')
          ? `step "${refStep ?? ''}" has no field "${ref.split('.')[1] ?? ''}"`
          : `unknown step "${refStep ?? ''}" in "${ref}"`,
      );
      return undefined;
    }
    if (refStep === stepId) add(where, `a step's condition cannot read its own field "${ref}"`);
    if (types.length > 0 && !types.includes(field.type))
      add(where, `"${ref}" is a ${field.type} field; this test needs ${types.join(' or ')}`);
    return field;
  };
  const checkLookup = (
    lookup: { table: string; key: string; column: string },
    where: IssuePath,
    columnType: string,
  ) => {
    const table = tables[lookup.table];
    if (!table) {
      add([...where, 'table'], `unknown reference table "${lookup.table}"`);
      return;
    }
    const column = table.columns.find((c) => c.id === lookup.column);
    if (!column)
      add([...where, 'column'], `table "${lookup.table}" has no column "${lookup.column}"`);
    else if (column.type !== columnType)
      add(
        [...where, 'column'],
        `column "${lookup.column}" holds ${column.type}, not ${columnType}`,
      );
    const key = fieldOf(lookup.key, [...where, 'key'], 'choice');
    if (key?.type === 'choice' && key.optionsFrom?.table !== lookup.table)
      add([...where, 'key'], `"${lookup.key}" must take its options from table "${lookup.table}"`);
  };
  const checkValue = (field: Field | undefined, value: unknown, where: IssuePath) => {
    if (!field) return;
    if (field.type === 'choice' || field.type === 'multi-choice') {
      if (!field.options.some((o) => o.value === value))
        add(where, `"${String(value)}" is not an option of "${field.id}"`);
    } else if (field.type === 'yes-no' && typeof value !== 'boolean') {
      add(where, `a yes/no field compares with true or false, not "${String(value)}"`);
    } else if (field.type === 'number' && typeof value !== 'number') {
      add(where, `a number field compares with a number`);
    }
  };

  const used = conditionOperators.filter((op) => condition[op] !== undefined);
  if (used.length !== 1) return; // the schema has reported it
  const c = condition;
  if (c.equals)
    checkValue(fieldOf(c.equals.field, [...path, 'equals', 'field']), c.equals.value, [
      ...path,
      'equals',
      'value',
    ]);
  if (c.oneOf) {
    const field = fieldOf(c.oneOf.field, [...path, 'oneOf', 'field']);
    c.oneOf.values.forEach((v, i) => {
      checkValue(field, v, [...path, 'oneOf', 'values', i]);
    });
  }
  if (c.includes) {
    const field = fieldOf(
      c.includes.field,
      [...path, 'includes', 'field'],
      'multi-choice',
      'kb-list',
    );
    if (field?.type === 'multi-choice')
      checkValue(field, c.includes.value, [...path, 'includes', 'value']);
  }
  if (c.answered) fieldOf(c.answered, [...path, 'answered']);
  for (const op of ['atLeast', 'atMost', 'greaterThan', 'lessThan'] as const) {
    const cmp = c[op];
    if (cmp) fieldOf(cmp.field, [...path, op, 'field'], 'number');
  }
  if (c.versionAtLeast) {
    fieldOf(c.versionAtLeast.field, [...path, 'versionAtLeast', 'field'], 'version');
    if (c.versionAtLeast.reference)
      checkLookup(c.versionAtLeast.reference, [...path, 'versionAtLeast', 'reference'], 'version');
  }
  if (c.kbIncludesAny) {
    fieldOf(c.kbIncludesAny.field, [...path, 'kbIncludesAny', 'field'], 'kb-list');
    if (c.kbIncludesAny.reference)
      checkLookup(c.kbIncludesAny.reference, [...path, 'kbIncludesAny', 'reference'], 'kb-list');
  }
  if (c.outcome && !index.steps.has(c.outcome.step))
    add([...path, 'outcome', 'step'], `unknown step "${c.outcome.step}"`);
  if (c.outcome?.step === stepId)
    add([...path, 'outcome', 'step'], 'a step cannot depend on its own outcome');
  c.all?.forEach((sub, i) => {
    checkCondition(sub, [...path, 'all', i], stepId, index, tables, issues);
  });
  c.any?.forEach((sub, i) => {
    checkCondition(sub, [...path, 'any', i], stepId, index, tables, issues);
  });
  if (c.not) checkCondition(c.not, [...path, 'not'], stepId, index, tables, issues);
}

/**
 * Embeds the reference tables a checklist names, fills options taken from them, and checks every
 * cross-reference. The definition is returned even when there are issues, for reporting.
 */
export function buildDefinition(
  file: ChecklistFile,
  availableTables: ReadonlyMap<string, ReferenceTable>,
): { definition: ChecklistDefinition; issues: Issue[] } {
  const issues: Issue[] = [];
  const { $schema: _ignored, ...rest } = file;
  const referenceTables: Record<string, ReferenceTable> = {};
  file.references.forEach((tableId, i) => {
    const table = availableTables.get(tableId);
    if (table) referenceTables[tableId] = table;
    else
      issues.push({
        path: ['references', i],
        message: `no reference table "${tableId}" in checklists/reference/`,
      });
  });

  const phases = file.phases.map((phase, p) => ({
    ...phase,
    steps: phase.steps.map((step, s) => ({
      ...step,
      fields: step.fields.map((field, f): Field => {
        if ((field.type !== 'choice' && field.type !== 'multi-choice') || !field.optionsFrom)
          return field;
        const path = ['phases', p, 'steps', s, 'fields', f, 'optionsFrom', 'table'];
        const table = referenceTables[field.optionsFrom.table];
        if (!table) {
          issues.push({
            path,
            stepId: step.id,
            message: `table "${field.optionsFrom.table}" is not listed in this checklist's references`,
          });
          return field;
        }
        if (field.options.length > 0)
          issues.push({
            path,
            stepId: step.id,
            message: 'give either options or optionsFrom, not both',
          });
        return {
          ...field,
          options: table.rows.map((row) => ({
            value: row.id,
            label: row.label,
            ...(row.group ? { hint: row.group } : {}),
          })),
        };
      }),
    })),
  }));
  const definition: ChecklistDefinition = { ...rest, phases, referenceTables };

  const index = indexChecklist(definition);
  const sourceIds = new Set(file.sources.map((s) => s.id));
  const phaseIds = definition.phases.map((p) => p.id);
  dedupe(phaseIds, ['phases'], 'phase', issues);
  dedupe(
    file.sources.map((s) => s.id),
    ['sources'],
    'source',
    issues,
  );
  const roleIds = file.roles ? new Set(file.roles.map((r) => r.id)) : undefined;
  if (file.roles)
    dedupe(
      file.roles.map((r) => r.id),
      ['roles'],
      'role',
      issues,
    );
  if (file.signoffs) checkSignOffs(file, index, roleIds, issues);
  const seenSteps = new Map<string, IssuePath>();
  const prefilled = new Map<string, string>();
  definition.phases.forEach((phase, p) => {
    phase.steps.forEach((step, s) => {
      const path: IssuePath = ['phases', p, 'steps', s];
      const add = (where: IssuePath, message: string) =>
        issues.push({ path: [...path, ...where], message, stepId: step.id });
      const first = seenSteps.get(step.id);
      if (first) add(['id'], `duplicate step id "${step.id}" (first at ${first.join('.')})`);
      else seenSteps.set(step.id, path);
      dedupe(
        step.fields.map((f) => f.id),
        [...path, 'fields'],
        'field',
        issues,
        step.id,
      );
      step.sources.forEach((id, i) => {
        if (!sourceIds.has(id)) add(['sources', i], `unknown source "${id}"`);
      });
      if (step.basis === 'guidance' && step.sources.length === 0)
        add(
          ['sources'],
          'a step based on guidance must cite at least one source (or say basis: good-practice)',
        );
      step.requires.forEach((id, i) => {
        if (!index.steps.has(id)) add(['requires', i], `unknown step "${id}"`);
        if (id === step.id) add(['requires', i], 'a step cannot require itself');
      });
      if (step.when)
        checkCondition(step.when, [...path, 'when'], step.id, index, referenceTables, issues);
      if (step.approval && roleIds && !roleIds.has(step.approval.role))
        add(
          ['approval', 'role'],
          `unknown role "${step.approval.role}": name one of the checklist's roles (${[...roleIds].join(', ')})`,
        );
      if (step.outcomes.includes('risk-accepted') && !step.approval)
        add(['outcomes'], 'risk acceptance needs an approver: add "approval" with the role');
      if (
        !step.outcomes.includes('completed') &&
        !step.outcomes.includes('not-applicable') &&
        !step.outcomes.includes('risk-accepted')
      )
        add(['outcomes'], 'a step needs at least one outcome');
      step.fields.forEach((field, f) => {
        const fpath = ['fields', f];
        // One field carries each fact, so the record has one value for it.
        if (field.type === 'text' && field.prefill) {
          const carrier = prefilled.get(field.prefill);
          if (carrier)
            add(
              [...fpath, 'prefill'],
              `"${field.prefill}" is already carried by ${carrier}: one field may carry each fact`,
            );
          else prefilled.set(field.prefill, `${step.id}.${field.id}`);
        }
        if (
          (field.type === 'choice' || field.type === 'multi-choice') &&
          field.options.length === 0
        )
          add(fpath, `field "${field.id}" has no options`);
        if (field.type === 'choice' || field.type === 'multi-choice')
          dedupe(
            field.options.map((o) => o.value),
            [...path, ...fpath, 'options'],
            'option',
            issues,
            step.id,
            'value',
          );
        if (
          field.type === 'number' &&
          field.min !== undefined &&
          field.max !== undefined &&
          field.min > field.max
        )
          add(fpath, `field "${field.id}" has min above max`);
        if (field.type === 'kb-list')
          flagListsOf(field).forEach((flag, i) => {
            const where = Array.isArray(field.flagFrom)
              ? [...fpath, 'flagFrom', i]
              : [...fpath, 'flagFrom'];
            const table = referenceTables[flag.table];
            if (!table)
              add([...where, 'table'], `table "${flag.table}" is not listed in references`);
            else if (!(flag.list in table.lists))
              add([...where, 'list'], `table "${table.id}" has no list "${flag.list}"`);
          });
      });
    });
  });

  const cycle = findDependencyCycle(index);
  if (cycle) {
    const start = cycle[0] ?? '';
    issues.push({
      path: [...(index.pathOf.get(start) ?? []), 'requires'],
      stepId: start,
      message: `steps wait for each other in a cycle: ${cycle.join(' → ')}`,
    });
  }
  return { definition, issues };
}

/**
 * Sign-offs: each names a declared role; every phase is covered by exactly one, in the order
 * the phases come; and no step waits for (requires, or reads the answers of) a step covered by
 * a later sign-off, which could never be done before the earlier one is signed.
 */
function checkSignOffs(
  file: ChecklistFile,
  index: ChecklistIndex,
  roleIds: Set<string> | undefined,
  issues: Issue[],
): void {
  const signoffs = file.signoffs ?? [];
  dedupe(
    signoffs.map((s) => s.id),
    ['signoffs'],
    'sign-off',
    issues,
  );
  if (!roleIds)
    issues.push({
      path: ['signoffs'],
      message: 'sign-offs need the roles that sign them: add "roles"',
    });
  const phaseOrder = file.phases.map((p) => p.id);
  const stageOfPhase = new Map<string, number>();
  signoffs.forEach((signoff, i) => {
    if (roleIds && !roleIds.has(signoff.role))
      issues.push({
        path: ['signoffs', i, 'role'],
        message: `unknown role "${signoff.role}": name one of the checklist's roles`,
      });
    signoff.phases.forEach((phaseId, j) => {
      if (!phaseOrder.includes(phaseId))
        issues.push({ path: ['signoffs', i, 'phases', j], message: `unknown phase "${phaseId}"` });
      else if (stageOfPhase.has(phaseId))
        issues.push({
          path: ['signoffs', i, 'phases', j],
          message: `phase "${phaseId}" is already covered by sign-off "${signoffs[stageOfPhase.get(phaseId) ?? 0]?.id ?? ''}"`,
        });
      else stageOfPhase.set(phaseId, i);
    });
  });
  let last = 0;
  phaseOrder.forEach((phaseId, p) => {
    const stage = stageOfPhase.get(phaseId);
    if (stage === undefined)
      issues.push({
        path: ['phases', p, 'id'],
        message: `phase "${phaseId}" is not covered by any sign-off: add it to one in "signoffs"`,
      });
    else if (stage < last)
      issues.push({
        path: ['phases', p, 'id'],
        message: `phase "${phaseId}" is covered by sign-off "${signoffs[stage]?.id ?? ''}", which comes before the sign-off of an earlier phase: list the phases of each sign-off in the order they come`,
      });
    else last = stage;
  });
  for (const [stepId, step] of index.steps) {
    const own = stageOfPhase.get(index.phaseOf.get(stepId) ?? '') ?? 0;
    for (const dep of dependenciesOf(step)) {
      const theirs = stageOfPhase.get(index.phaseOf.get(dep) ?? '') ?? 0;
      if (theirs > own)
        issues.push({
          path: [...(index.pathOf.get(stepId) ?? []), 'requires'],
          stepId,
          message: `step "${stepId}" waits for "${dep}", which is covered by a later sign-off ("${signoffs[theirs]?.id ?? ''}"): it could never be done before "${signoffs[own]?.id ?? ''}" is signed`,
        });
    }
  }
}

function dedupe(
  ids: string[],
  path: IssuePath,
  what: string,
  issues: Issue[],
  stepId?: string,
  key = 'id',
): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id))
      issues.push({
        path: [...path, i, key],
        message: `duplicate ${what} ${key} "${id}"`,
        ...(stepId ? { stepId } : {}),
      });
    seen.add(id);
  });
}
