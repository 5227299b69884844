// The scripted run that makes the sample record answers every step from its fields, so it
// completes every checklist — shipped or test fixture — with no script at all, through the real
// machine, and its events replay and chain like any run's.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadChecklists } from '../../../scripts/lib/checklistLoader.ts';
import { playScript } from '../../../scripts/lib/scriptedRun.ts';
import { compileChecklist } from '../../../src/checklist/machine.ts';
import type { RunHeader } from '../../../src/run/header.ts';
import { verifyChain } from '../../../src/run/log.ts';
import { replay } from '../../../src/run/replay.ts';
import { progressOf, stepStatuses } from '../../../src/run/status.ts';

const root = join(import.meta.dirname, '../../..');
const sets = [join(root, 'checklists'), join(root, 'test/fixtures/checklists')].map((dir) =>
  loadChecklists(dir),
);
const checklists = sets.flatMap((s) => s.checklists);

describe('a scripted run with no script', () => {
  it('loads every checklist', () => {
    expect(sets.flatMap((s) => s.problems).map(formatProblem)).toEqual([]);
    expect(checklists.map((c) => c.definition.id)).toContain('org-reconnection');
  });

  it.each(checklists.map((c) => [c.definition.id, c] as const))(
    'completes %s through its machine, and its log replays and chains',
    (_id, checklist) => {
      const compiled = compileChecklist(checklist);
      const header: RunHeader = {
        runId: `run-${checklist.definition.id}`,
        kind: 'organisation',
        organisation: { name: 'Test Trust' },
        checklist: {
          id: checklist.definition.id,
          version: checklist.definition.version,
          contentHash: checklist.contentHash,
        },
        createdAt: '2017-05-13T07:00:00.000Z',
        createdBy: 'Sam',
      };
      const played = playScript({
        compiled,
        header,
        start: '2017-05-13T08:05',
        team: ['Sam', 'Alex'],
        people: [{ name: 'Jo Director', role: 'IT director' }],
        approver: { name: 'Pat Manager', role: 'SIRO' },
        fleet: { total: 2, cleared: 2, excepted: 0, outstanding: 0 },
        steps: {},
      });
      expect(progressOf(stepStatuses(compiled, played.state)).complete).toBe(true);
      const replayed = replay(
        compiled,
        played.entries.map((e) => e.event),
      );
      expect(replayed.rejected).toEqual([]);
      expect(replayed.state).toEqual(played.state);
      expect(verifyChain(header, played.entries)).toMatchObject({ intact: true });
    },
    60_000,
  );
});
