// A record's open forks (two versions of a run from two devices, or two runs for one device),
// for its pages and its sign-off. Apart from the import door (merge.ts), which resolves them,
// so record pages load neither its signing nor its bundle code.
import { openForks, type RunFork } from '../exchange/forks.ts';
import { getDatabase, type ExchangeRow, type ReconnectDatabase, type RunRow } from './database.ts';
import { forkedRuns, runEvents } from './eventStore.ts';

export interface DeviceFork {
  deviceId: string;
  /** The run this device shows for the device, and the other one. */
  current: RunRow;
  other: RunRow;
}

export interface RecordForks {
  runForks: (RunFork & { kind: RunRow['kind']; deviceId?: string; otherFrom?: ExchangeRow })[];
  deviceForks: DeviceFork[];
}

/** The open forks of an organisation record and its devices' runs. */
export async function recordForks(
  orgRunId: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<RecordForks> {
  const states = await db.deviceStates.where('orgRunId').equals(orgRunId).toArray();
  const deviceIds = new Set(states.map((s) => s.deviceId));
  const treeRuns = new Set([orgRunId, ...states.map((s) => s.clearanceRunId)]);
  const resolutions = await db.resolutions.toArray();
  const abandonedRuns = new Set(
    resolutions.flatMap((r) => (r.abandonedRunId ? [r.abandonedRunId] : [])),
  );
  // Runs with two events at one place: read only their keys to find them.
  const forked = [...(await forkedRuns(db))].filter((run) => treeRuns.has(run));
  const exchanges = await db.exchanges.toArray();
  const runForks: RecordForks['runForks'] = [];
  for (const runId of forked) {
    const run = await db.runs.get(runId);
    if (!run) continue;
    const events = await runEvents(db, runId);
    for (const fork of openForks(
      runId,
      run.head.hash,
      events,
      resolutions.filter((r) => r.runId === runId),
    )) {
      const otherFrom = exchanges.find(
        (x) => x.direction === 'import' && x.heads?.includes(fork.other.head.hash),
      );
      runForks.push({
        ...fork,
        kind: run.kind,
        ...(run.deviceId ? { deviceId: run.deviceId } : {}),
        ...(otherFrom ? { otherFrom } : {}),
      });
    }
  }
  const deviceForks: DeviceFork[] = [];
  const byDevice = new Map(states.map((s) => [s.deviceId, s]));
  // A device run is a second version only if it is not its device's current run: read the keys
  // of every device run, and whole rows (with their snapshots) only for those few.
  const currentRuns = new Set(states.flatMap((s) => (s.clearanceRunId ? [s.clearanceRunId] : [])));
  const deviceRunIds: string[] = await db.runs.where('kind').equals('device').primaryKeys();
  const candidates = deviceRunIds.filter((id) => !currentRuns.has(id) && !abandonedRuns.has(id));
  const others = candidates.length > 0 ? await db.runs.bulkGet(candidates) : [];
  for (const run of others) {
    if (!run?.deviceId || !deviceIds.has(run.deviceId)) continue;
    const state = byDevice.get(run.deviceId);
    if (!state?.clearanceRunId || state.clearanceRunId === run.runId) continue;
    const current = await db.runs.get(state.clearanceRunId);
    if (current?.kind === 'device')
      deviceForks.push({ deviceId: run.deviceId, current, other: run });
  }
  return { runForks, deviceForks };
}
