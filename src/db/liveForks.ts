// Live view of a record's open forks (two versions from two devices), for its pages.
import { useLiveQuery } from 'dexie-react-hooks';
import { loaded, type Loading } from './liveLists.ts';
import { recordForks, type RecordForks } from './forks.ts';

export function useRecordForks(orgRunId: string): Loading<RecordForks> {
  return loaded(useLiveQuery(() => recordForks(orgRunId), [orgRunId]));
}
