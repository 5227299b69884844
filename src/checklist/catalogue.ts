// The checklists this build ships: a small catalogue for the first page, and the full
// definitions (loaded on demand, in their own precached chunk).
import catalogue from 'virtual:checklists/catalogue';
import type { HashedChecklist } from './schema.ts';

export interface CatalogueEntry {
  id: string;
  version: string;
  title: string;
  summary: string;
  perDevice: boolean;
  stepCount: number;
  contentHash: string;
}

export const bundledCatalogue: readonly CatalogueEntry[] = catalogue;

let loading: Promise<HashedChecklist[]> | undefined;

/** Every checklist definition shipped with this version of the app. */
export function loadBundledChecklists(): Promise<HashedChecklist[]> {
  loading ??= import('virtual:checklists').then((m) => m.default);
  return loading;
}
