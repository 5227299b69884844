// The readiness summary's figures, read afresh from the database: the pure readiness check
// (run/readiness.ts) over the stored record, its audit log, its devices and any open forks.
// Apart from the sign-off (signoff.ts), so the summary shows without loading the signing code.
import { verifyChain } from '../run/log.ts';
import { readiness, type Readiness } from '../run/readiness.ts';
import { getDatabase, type ReconnectDatabase, type RunRow } from './database.ts';
import { countDevicesByStatus } from './fleetCount.ts';
import { recordForks } from './forks.ts';
import { headerOf, loadPinnedChecklist, readEvents } from './runs.ts';

export interface ReadinessReport extends Readiness {
  run: RunRow;
  chainLength: number;
}

/** Everything the readiness summary shows, read afresh. */
export async function readinessReport(
  runId: string,
  db: ReconnectDatabase = getDatabase(),
): Promise<ReadinessReport> {
  const run = await db.runs.get(runId);
  if (!run) throw new Error(`There is no record ${runId} on this device.`);
  const compiled = await loadPinnedChecklist(run.checklist, db);
  const events = await readEvents(runId, db);
  const chain = verifyChain(headerOf(run), events);
  const fleet = await countDevicesByStatus(runId, db);
  const chainState = chain.intact
    ? chain.head === (run.head.seq === 0 ? chain.head : run.head.hash)
      ? { intact: true }
      : { intact: false, problem: 'the stored head does not match the last event' }
    : { intact: false, problem: chain.reason };
  const report = readiness(compiled, run.snapshot, fleet, chainState);
  // Sign-off needs one version of everything: a fork from merging two devices' work must be
  // reconciled by a person first.
  const forks = await recordForks(runId, db);
  const open = forks.runForks.length + forks.deviceForks.length;
  if (open > 0)
    report.blockers.push({
      kind: 'chain',
      message: `${String(open)} ${open === 1 ? 'part of this record has' : 'parts of this record have'} two versions from different devices: reconcile them first`,
    });
  return {
    ...report,
    ready: report.ready && open === 0,
    run,
    chainLength: events.length,
  };
}
