// Merging a draft save into the draft as stored, so that no answer is overwritten unseen. A save
// carries only the fields its form changed, each with the value the form started from (its
// base). Where the stored value is still that base, the change applies; where someone else has
// saved a different value since (another tab, another laptop's events merged in), both values
// are kept as a conflict, with who wrote each, until a person chooses — and the save that
// chooses names the values it chose between. So a saved value leaves the draft only through an
// event that names it: as the base it replaced, or as one of the values it chose between.
import { canonicalJson } from './canonical.ts';

export interface FieldAuthor {
  by: string;
  at: string;
}

/** One value a field holds while in conflict, and who saved it when. */
export interface DraftCandidate extends FieldAuthor {
  value: unknown;
}

/** What a save says: the changed fields, the values they replace, the conflicts it settles. */
export interface DraftSave {
  /** The new value of each field this form changed (or chose, settling a conflict). */
  changes: Readonly<Record<string, unknown>>;
  /**
   * For each changed field, the stored value the form started from; a changed field missing
   * here means the form saw no stored value for it.
   */
  base?: Readonly<Record<string, unknown>>;
  /** For each conflict this save settles: every value the person was shown to choose from. */
  resolves?: Readonly<Record<string, readonly unknown[]>>;
}

export interface DraftState {
  draft: Readonly<Record<string, unknown>>;
  /** Who last saved each field of the draft. */
  draftBy: Readonly<Record<string, FieldAuthor>>;
  /** Fields saved with different values by writers who had not seen each other's. */
  conflicts: Readonly<Record<string, readonly DraftCandidate[]>>;
}

export interface DraftMergeOutcome {
  /** Fields whose value this save set, with the value each replaced (undefined: none). */
  applied: { field: string; from: unknown; to: unknown }[];
  /** Fields left in conflict by this save, with every value now held for a person to choose. */
  conflicted: { field: string; candidates: DraftCandidate[] }[];
  /** Values this save dropped, each named by the save (as its base, or as settled). */
  dropped: { field: string; value: unknown; because: 'replaced' | 'settled' }[];
}

export const emptyDraftState: DraftState = { draft: {}, draftBy: {}, conflicts: {} };

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return canonicalJson(a) === canonicalJson(b);
}

function includesValue(list: readonly unknown[], value: unknown): boolean {
  return list.some((v) => sameValue(v, value));
}

/** Every field a save touches: the ones it changes and the conflicts it settles. */
export function touchedFields(save: DraftSave): string[] {
  return [...new Set([...Object.keys(save.changes), ...Object.keys(save.resolves ?? {})])];
}

/**
 * Applies one save to the stored draft. `author` is who saved it; `fallback` stands for the
 * writer of stored values saved before writers were recorded per field.
 */
export function mergeDraft(
  stored: DraftState,
  save: DraftSave,
  author: FieldAuthor,
  fallback: FieldAuthor = author,
): { state: DraftState; outcome: DraftMergeOutcome } {
  const draft: Record<string, unknown> = { ...stored.draft };
  const draftBy: Record<string, FieldAuthor> = { ...stored.draftBy };
  const conflicts: Record<string, readonly DraftCandidate[]> = { ...stored.conflicts };
  const outcome: DraftMergeOutcome = { applied: [], conflicted: [], dropped: [] };

  for (const field of touchedFields(save)) {
    const has = Object.hasOwn(draft, field);
    const current = draft[field];
    const changes = Object.hasOwn(save.changes, field);
    // What the field holds now: its stored value first, then any other values in conflict.
    const holding: DraftCandidate[] =
      conflicts[field]?.map((c) => ({ ...c })) ??
      (has ? [{ value: current, ...(draftBy[field] ?? fallback) }] : []);
    const chosen: DraftCandidate | undefined = changes
      ? { value: save.changes[field], ...author }
      : holding[0];
    if (!chosen) continue; // settling a conflict on a field that holds nothing: nothing to do
    const settled = save.resolves?.[field] ?? [];
    const base = save.base && Object.hasOwn(save.base, field) ? [save.base[field]] : [];
    // A value this save has seen (its base, or one it chose between) may be replaced.
    const seen = (value: unknown) => includesValue(base, value) || includesValue(settled, value);

    const kept: DraftCandidate[] = [];
    for (const candidate of holding) {
      if (sameValue(candidate.value, chosen.value)) {
        // The same value: keep it once, with whoever saved it first.
        if (!kept.some((k) => sameValue(k.value, chosen.value))) kept.push(candidate);
      } else if (seen(candidate.value)) {
        outcome.dropped.push({
          field,
          value: candidate.value,
          because: includesValue(settled, candidate.value) ? 'settled' : 'replaced',
        });
      } else kept.push(candidate);
    }
    if (!kept.some((k) => sameValue(k.value, chosen.value))) kept.push(chosen);

    if (kept.length === 1) {
      const only = kept[0] ?? chosen;
      if (!has || !sameValue(current, only.value))
        outcome.applied.push({ field, from: has ? current : undefined, to: only.value });
      draft[field] = only.value;
      draftBy[field] = { by: only.by, at: only.at };
      Reflect.deleteProperty(conflicts, field);
    } else {
      // Values saved without sight of each other: all kept, the first shown as the draft's.
      const first = kept[0] ?? chosen;
      draft[field] = first.value;
      draftBy[field] = { by: first.by, at: first.at };
      conflicts[field] = kept;
      outcome.conflicted.push({ field, candidates: kept });
    }
  }
  return { state: { draft, draftBy, conflicts }, outcome };
}
