// The event log of a run: each entry carries the hash of the one before it, and the first
// carries the hash of the run's header, so any change — to the header or an event, edited,
// removed or reordered — shows as a broken link.
import { canonicalJson, sha256Hex } from '../checklist/canonical.ts';
import type { MachineEvent } from '../checklist/events.ts';
import type { RunHeader } from './header.ts';

export interface LogEntry {
  runId: string;
  /** 1, 2, 3 … with no gaps. */
  seq: number;
  event: MachineEvent;
  /** The previous entry's hash; for the first entry, the header's hash. */
  prevHash: string;
  hash: string;
}

export function genesisHash(header: RunHeader): string {
  return sha256Hex(canonicalJson({ reconnectRunHeader: 1, ...header }));
}

export function hashEntry(entry: Omit<LogEntry, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      runId: entry.runId,
      seq: entry.seq,
      event: entry.event,
      prevHash: entry.prevHash,
    }),
  );
}

/** The entry that follows `previous` (or starts the chain after the header). */
export function nextEntry(
  header: RunHeader,
  previous: Pick<LogEntry, 'seq' | 'hash'> | undefined,
  event: MachineEvent,
): LogEntry {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.hash ?? genesisHash(header);
  const entry = { runId: header.runId, seq, event, prevHash };
  return { ...entry, hash: hashEntry(entry) };
}

export type ChainCheck =
  | { intact: true; head: string; length: number }
  | { intact: false; brokenAt: number; reason: string };

/** Checks the chain from the header on; names the first entry that does not fit. */
export function verifyChain(header: RunHeader, entries: readonly LogEntry[]): ChainCheck {
  let prevHash = genesisHash(header);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!entry) break;
    const expectedSeq = i + 1;
    if (entry.runId !== header.runId)
      return {
        intact: false,
        brokenAt: entry.seq,
        reason: `event ${String(entry.seq)} belongs to another record`,
      };
    if (entry.seq !== expectedSeq)
      return {
        intact: false,
        brokenAt: expectedSeq,
        reason: `event ${String(expectedSeq)} is missing or out of order (found ${String(entry.seq)})`,
      };
    if (entry.prevHash !== prevHash)
      return {
        intact: false,
        brokenAt: entry.seq,
        reason:
          entry.seq === 1
            ? 'the record’s details (organisation, checklist or start) have been altered'
            : `event ${String(entry.seq)} does not follow the event before it`,
      };
    if (hashEntry(entry) !== entry.hash)
      return {
        intact: false,
        brokenAt: entry.seq,
        reason: `event ${String(entry.seq)} has been altered`,
      };
    prevHash = entry.hash;
  }
  return { intact: true, head: prevHash, length: entries.length };
}
