// KB (Microsoft Knowledge Base) numbers as technicians paste them: "kb4012212, KB4012215"
// or one per line, normalised to upper case, de-duplicated, in the order given; and which of
// them a reference table lists as not counting as evidence.
import type { FlagList, ReferenceTable } from './schema.ts';

interface FlaggingField {
  flagFrom?: FlagList | FlagList[] | undefined;
}

export const kbNumberPattern = /^KB\d{6,7}$/;

export interface KbParse {
  kbs: string[];
  invalid: string[];
}

export function parseKbList(input: string | readonly string[]): KbParse {
  const tokens = (typeof input === 'string' ? input.split(/[\s,;]+/) : [...input])
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  const kbs: string[] = [];
  const invalid: string[] = [];
  for (const token of tokens) {
    const normal = /^\d{6,7}$/.test(token) ? `KB${token}` : token.toUpperCase();
    if (!kbNumberPattern.test(normal)) invalid.push(token);
    else if (!kbs.includes(normal)) kbs.push(normal);
  }
  return { kbs, invalid };
}

/** The reference lists a kb-list field flags from: one or several, as the checklist gives them. */
export function flagListsOf(field: FlaggingField): FlagList[] {
  if (!field.flagFrom) return [];
  return Array.isArray(field.flagFrom) ? field.flagFrom : [field.flagFrom];
}

export interface FlaggedGroup {
  table: string;
  listId: string;
  list: ReferenceTable['lists'][string];
  /** The KBs given that are on this list, in the order given. */
  kbs: string[];
}

/** Which of the given KBs are on the lists the field flags from, list by list. */
export function flaggedKbs(
  field: FlaggingField,
  referenceTables: Readonly<Record<string, ReferenceTable>>,
  input: string | readonly string[],
): FlaggedGroup[] {
  const { kbs } = parseKbList(input);
  const groups: FlaggedGroup[] = [];
  for (const ref of flagListsOf(field)) {
    const list = referenceTables[ref.table]?.lists[ref.list];
    if (!list) continue;
    const found = kbs.filter((kb) => list.values.includes(kb));
    if (found.length > 0) groups.push({ table: ref.table, listId: ref.list, list, kbs: found });
  }
  return groups;
}
