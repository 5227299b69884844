// Live list of the approvers registered on this device.
import { useLiveQuery } from 'dexie-react-hooks';
import type { ApproverKey } from '../record/keys.ts';
import { getDatabase } from './database.ts';
import { loaded, type Loading } from './liveLists.ts';

export function useApprovers(): Loading<ApproverKey[]> {
  return loaded(useLiveQuery(() => getDatabase().approvers.orderBy('id').toArray(), []));
}
