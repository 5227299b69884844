// Filtering, searching and sorting the device list, and counting it by status and OS — pure,
// so it is measured (npm run bench: fleet_filter_ms) and tested without a browser.
import type { ClearanceStatus } from '../run/fleet.ts';

export interface FleetDevice {
  id: string;
  hostname?: string;
  assetTag?: string;
  ip?: string;
  location?: string;
  owner?: string;
  osCaption?: string;
  osRow: string | null;
  status: ClearanceStatus;
}

export type SortKey = 'hostname' | 'status' | 'os' | 'location';

export interface FleetQuery {
  status?: ClearanceStatus | 'outstanding' | '';
  os?: string;
  search?: string;
  sort?: SortKey;
}

const statusOrder: Record<ClearanceStatus, number> = {
  'not-started': 0,
  'in-progress': 1,
  'needs-approval': 2,
  excepted: 3,
  cleared: 4,
};

export const unrecognisedOs = 'unrecognised';

/**
 * Made once, on first use: making a collator reads the browser's collation data, which costs
 * more than sorting a few thousand names, and the fleet is filtered on every keystroke.
 */
let collator: Intl.Collator | undefined;

export function filterDevices<T extends FleetDevice>(
  devices: readonly T[],
  query: FleetQuery,
  osLabel: (row: string | null) => string,
): T[] {
  const needle = (query.search ?? '').trim().toLowerCase();
  const result = devices.filter((d) => {
    if (query.status === 'outstanding') {
      if (d.status === 'cleared' || d.status === 'excepted') return false;
    } else if (query.status && d.status !== query.status) return false;
    if (query.os && (d.osRow ?? unrecognisedOs) !== query.os) return false;
    if (needle) {
      const haystack =
        `${d.hostname ?? ''}\u0000${d.assetTag ?? ''}\u0000${d.ip ?? ''}\u0000${d.location ?? ''}\u0000${d.owner ?? ''}`.toLowerCase();
      if (!haystack.includes(needle)) return false;
    }
    return true;
  });
  const key = query.sort ?? 'hostname';
  const text = (d: FleetDevice): string =>
    key === 'os'
      ? osLabel(d.osRow)
      : key === 'location'
        ? (d.location ?? '')
        : (d.hostname ?? d.assetTag ?? '');
  collator ??= new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });
  const { compare } = collator;
  return result.sort((a, b) =>
    key === 'status'
      ? statusOrder[a.status] - statusOrder[b.status] || compare(a.hostname ?? '', b.hostname ?? '')
      : compare(text(a), text(b)),
  );
}

export function countBy<T>(
  items: readonly T[],
  key: (item: T) => string,
): { key: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts]
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}
