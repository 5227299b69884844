// Forks: two devices that both added to a run from the same point leave two branches of its
// hash chain. Both are kept. A fork is open until a person chooses the branch to keep; the
// other branch's actions are then replayed on top as new events, and the branch itself stays
// stored and verifiable. These functions find the branches and say how they differ.
import type { LogEntry } from '../run/log.ts';
import type { ForkResolution } from './format.ts';

export type { ForkResolution };

/** The chain that ends at `head`, oldest first (empty for a run with no events yet). */
export function chainTo(
  byHash: ReadonlyMap<string, LogEntry>,
  head: string | undefined,
): LogEntry[] {
  const chain: LogEntry[] = [];
  let at = head ? byHash.get(head) : undefined;
  while (at) {
    chain.push(at);
    at = at.seq > 1 ? byHash.get(at.prevHash) : undefined;
  }
  return chain.reverse();
}

/** Events no other event follows: the ends of the run's branches. */
export function tips(events: readonly LogEntry[]): LogEntry[] {
  const followed = new Set(events.map((e) => e.prevHash));
  return events.filter((e) => !followed.has(e.hash));
}

export interface Branch {
  head: LogEntry;
  /** The branch's own events, after the point where it left the other one. */
  events: LogEntry[];
}

export interface RunFork {
  runId: string;
  /** The last event both branches share (0: they differ from the first event). */
  sinceSeq: number;
  current: Branch;
  other: Branch;
}

/**
 * The open forks of a run: every branch end that is neither on the branch the run shows
 * (ending at `head`) nor left behind by a resolution.
 */
export function openForks(
  runId: string,
  head: string,
  events: readonly LogEntry[],
  resolutions: readonly Pick<ForkResolution, 'abandonedHead'>[],
): RunFork[] {
  const byHash = new Map(events.map((e) => [e.hash, e]));
  const current = chainTo(byHash, head);
  const onCurrent = new Set(current.map((e) => e.hash));
  const settled = new Set(resolutions.map((r) => r.abandonedHead));
  const forks: RunFork[] = [];
  for (const tip of tips(events)) {
    if (onCurrent.has(tip.hash) || settled.has(tip.hash)) continue;
    const other = chainTo(byHash, tip.hash);
    let shared = 0;
    while (shared < other.length && other[shared]?.hash === current[shared]?.hash) shared++;
    const headEntry = current[current.length - 1];
    if (!headEntry) continue;
    forks.push({
      runId,
      sinceSeq: shared,
      current: { head: headEntry, events: current.slice(shared) },
      other: { head: tip, events: other.slice(shared) },
    });
  }
  return forks;
}

/** The people who made a branch's events, in order of first appearance. */
export function peopleOf(branch: Branch): string[] {
  return [...new Set(branch.events.map((e) => e.event.actor.name))];
}

/** Steps a branch touched, in order of first appearance. */
export function stepsOf(branch: Branch): string[] {
  const steps: string[] = [];
  for (const e of branch.events)
    if ('stepId' in e.event && !steps.includes(e.event.stepId)) steps.push(e.event.stepId);
  return steps;
}
