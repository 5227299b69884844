// The event log of a run: each entry carries the hash of the one before it, so any change to an
// earlier entry — edited, removed or reordered — shows as a broken link.
import { canonicalJson, sha256Hex } from '../checklist/canonical.ts';
import type { MachineEvent } from '../checklist/events.ts';

export interface LogEntry {
  runId: string;
  /** 1, 2, 3 … with no gaps. */
  seq: number;
  event: MachineEvent;
  /** The previous entry's hash; the genesis value for the first entry. */
  prevHash: string;
  hash: string;
}

export function genesisHash(runId: string): string {
  return sha256Hex(`reconnect-run:${runId}`);
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

export function nextEntry(
  runId: string,
  previous: Pick<LogEntry, 'seq' | 'hash'> | undefined,
  event: MachineEvent,
): LogEntry {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.hash ?? genesisHash(runId);
  const entry = { runId, seq, event, prevHash };
  return { ...entry, hash: hashEntry(entry) };
}

export type ChainCheck =
  | { intact: true; head: string; length: number }
  | { intact: false; brokenAt: number; reason: string };

/** Checks the chain from the first entry; names the first entry that does not fit. */
export function verifyChain(runId: string, entries: readonly LogEntry[]): ChainCheck {
  let prevHash = genesisHash(runId);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!entry) break;
    const expectedSeq = i + 1;
    if (entry.runId !== runId)
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
        reason: `event ${String(entry.seq)} does not follow the event before it`,
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
