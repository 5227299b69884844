// Live lists of the approvers registered on this device.
import { useLiveQuery } from 'dexie-react-hooks';
import { canSignHere, type StoredApprover } from '../record/approverBasics.ts';
import type { ApproverKey } from '../record/keys.ts';
import { getDatabase } from './database.ts';
import { loaded, type Loading } from './liveLists.ts';

/** Approvers who can sign on this device (their wrapped key is here). */
export function useApprovers(): Loading<ApproverKey[]> {
  return loaded(
    useLiveQuery(
      async () => (await getDatabase().approvers.orderBy('id').toArray()).filter(canSignHere),
      [],
    ),
  );
}

/** Every approver known here, including those registered by public key only. */
export function useAllApprovers(): Loading<StoredApprover[]> {
  return loaded(useLiveQuery(() => getDatabase().approvers.orderBy('id').toArray(), []));
}
