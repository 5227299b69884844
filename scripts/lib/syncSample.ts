// Real hash-chained events for sync tests, the sync load test and the benchmark: a run header
// and a chain of saves, each hashed exactly as the app hashes them.
import type { MachineEvent } from '../../src/checklist/events.ts';
import type { RunHeader } from '../../src/run/header.ts';
import { nextEntry, type LogEntry } from '../../src/run/log.ts';

export function header(runId: string, createdBy = 'Sam Patel'): RunHeader {
  return {
    runId,
    kind: 'device',
    organisation: { name: 'Example NHS Trust', odsCode: 'RXX' },
    checklist: { id: 'device-clearance', version: '1.1.0', contentHash: 'a'.repeat(64) },
    parentRunId: 'org-run',
    deviceId: runId,
    createdAt: '2017-05-15T08:00:00.000Z',
    createdBy,
  };
}

/** `count` saves on one run, chained from its header. */
export function chain(runHeader: RunHeader, count: number, by = 'Sam Patel'): LogEntry[] {
  const entries: LogEntry[] = [];
  for (let i = 0; i < count; i++) {
    const event: MachineEvent = {
      type: 'step.save',
      stepId: `step-${String(i % 15)}`,
      changes: { notes: `note ${String(i)} on ${runHeader.runId}` },
      actor: { name: by },
      at: new Date(Date.UTC(2017, 4, 15, 8, 0, i)).toISOString(),
    };
    entries.push(nextEntry(runHeader, entries[entries.length - 1], event));
  }
  return entries;
}
