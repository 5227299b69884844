// What each event in a log changed, in words, for the audit log: the answers that changed
// (old → new), reasons, approvers and review dates.
import { emptyDraftState, mergeDraft, type DraftState } from '../checklist/draftMerge.ts';
import type { MachineEvent } from '../checklist/events.ts';
import type { CompiledChecklist } from '../checklist/machine.ts';
import type { Field } from '../checklist/schema.ts';
import { formatDate } from './display.ts';

/** Blank in every form it is saved in: nothing, an empty string, an empty list. */
function blank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** An answer in the words the person chose: option labels, not their codes. */
function showAnswer(field: Field | undefined, value: unknown): string {
  if (field && !blank(value)) {
    if (field.type === 'choice' && typeof value === 'string')
      return show(field.options.find((o) => o.value === value)?.label ?? value);
    if (field.type === 'multi-choice' && Array.isArray(value))
      return value
        .map((v) => field.options.find((o) => o.value === v)?.label ?? String(v))
        .join(', ');
  }
  return show(value);
}

function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '(blank)';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value))
    return value.length === 0
      ? '(none)'
      : value
          .map((v) =>
            typeof v === 'object' && v !== null && 'name' in v
              ? String((v as { name: unknown }).name)
              : show(v),
          )
          .join(', ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('name' in o && 'role' in o) return `${show(o.name)}, ${show(o.role)}`;
    return JSON.stringify(value);
  }
  if (typeof value === 'string')
    return `“${value.length > 120 ? `${value.slice(0, 117)}…` : value}”`;
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** One list of change descriptions per event, in order. */
export function describeLog(
  compiled: CompiledChecklist,
  events: readonly MachineEvent[],
): string[][] {
  const known = new Map<string, DraftState>();
  const fieldOf = (stepId: string, fieldId: string) =>
    compiled.index.fields.get(`${stepId}.${fieldId}`);
  const label = (stepId: string, fieldId: string) => fieldOf(stepId, fieldId)?.label ?? fieldId;
  const diff = (stepId: string, next: Record<string, unknown>): string[] => {
    const before = known.get(stepId)?.draft ?? {};
    const lines: string[] = [];
    for (const key of new Set([...Object.keys(before), ...Object.keys(next)])) {
      // Blank before and blank now is no change, whatever form the blank took.
      if (blank(before[key]) && blank(next[key])) continue;
      const a = JSON.stringify(before[key] ?? null);
      const b = JSON.stringify(next[key] ?? null);
      const field = fieldOf(stepId, key);
      if (a !== b)
        lines.push(
          `${label(stepId, key)}: ${showAnswer(field, before[key])} → ${showAnswer(field, next[key])}`,
        );
    }
    known.set(stepId, { ...emptyDraftState, draft: next });
    return lines;
  };
  // A save of changes only: merged as the machine merges it, and said in full — what changed,
  // what was kept side by side for a person to choose, and what a choice set aside.
  const merge = (event: Extract<MachineEvent, { type: 'step.save' }>): string[] => {
    const { state, outcome } = mergeDraft(
      known.get(event.stepId) ?? emptyDraftState,
      {
        changes: event.changes ?? {},
        ...(event.base ? { base: event.base } : {}),
        ...(event.resolves ? { resolves: event.resolves } : {}),
      },
      { by: event.actor.name, at: event.at },
    );
    known.set(event.stepId, state);
    const name = (field: string) => label(event.stepId, field);
    const answer = (field: string, value: unknown) =>
      showAnswer(fieldOf(event.stepId, field), value);
    return [
      ...outcome.applied
        .filter((a) => !(blank(a.from) && blank(a.to)))
        .map((a) => `${name(a.field)}: ${answer(a.field, a.from)} → ${answer(a.field, a.to)}`),
      ...outcome.conflicted.map(
        (c) =>
          `${name(c.field)}: different answers saved, all kept for a person to choose — ${c.candidates.map((v) => `${answer(c.field, v.value)} by ${v.by}`).join('; ')}`,
      ),
      ...outcome.dropped
        .filter((d) => d.because === 'settled')
        .map((d) => `${name(d.field)}: chose another answer over ${answer(d.field, d.value)}`),
    ];
  };
  return events.map((event): string[] => {
    switch (event.type) {
      case 'step.save':
        return event.draft ? diff(event.stepId, event.draft) : merge(event);
      case 'step.complete':
        return diff(event.stepId, event.evidence);
      case 'step.not-applicable':
        return [`Reason: ${event.reason}`];
      case 'step.risk-accept':
        return [`Reason: ${event.reason}`, `Review by ${formatDate(event.reviewDate)}`];
      case 'step.approve':
        return [
          `Approver: ${event.approver.name} (${event.approver.role})`,
          ...(event.approver.keyFingerprint
            ? [`Key fingerprint: ${event.approver.keyFingerprint}`]
            : []),
          ...(event.statement ? [`Statement: ${event.statement}`] : []),
        ];
      case 'step.reject':
        return [`By ${event.approver.name} (${event.approver.role})`, `Reason: ${event.reason}`];
      case 'step.reopen':
        return [`Reason: ${event.reason}`];
      case 'run.return':
        return [
          `By ${event.approver.name} (${event.approver.role})`,
          ...event.returns.map(
            (r) => `${compiled.index.steps.get(r.stepId)?.title ?? r.stepId}: ${r.reason}`,
          ),
        ];
      case 'run.signoff':
        return [`Sign-off: ${event.signoff}`, `Record digest: ${event.recordDigest}`];
      case 'run.lock':
        return [`Record digest: ${event.recordDigest}`];
    }
  });
}
