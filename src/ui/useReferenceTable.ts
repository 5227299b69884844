// The MS17-010 reference table as this version of the app ships it (from the device clearance
// checklist), for naming operating systems and mapping unknown ones.
import { useEffect, useState } from 'react';
import { loadBundledChecklists } from '../checklist/catalogue.ts';
import type { HashedChecklist, ReferenceTable } from '../checklist/schema.ts';

export const deviceChecklistId = 'device-clearance';
export const windowsTableId = 'windows-ms17-010';

export function useDeviceChecklist(): HashedChecklist | undefined {
  const [checklist, setChecklist] = useState<HashedChecklist>();
  useEffect(() => {
    let cancelled = false;
    void loadBundledChecklists().then((all) => {
      if (!cancelled) setChecklist(all.find((c) => c.definition.id === deviceChecklistId));
    });
    return () => {
      cancelled = true;
    };
  }, []);
  return checklist;
}

export function useReferenceTable(): ReferenceTable | undefined {
  return useDeviceChecklist()?.definition.referenceTables[windowsTableId];
}
