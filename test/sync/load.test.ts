// A small run of the sync load test (scripts/sync-load.ts): several scripted laptops push their
// own events to one server at once, then each pulls everything. Every laptop ends with every
// document, none twice and none in conflict.
import { expect, it } from 'vitest';
import { runSyncLoad } from '../../scripts/sync-load.ts';

it('converges: every laptop holds every event once, with no conflicts', async () => {
  const result = await runSyncLoad(3, 300);
  // 3 × 300 events in runs of 15 (20 runs each): 900 events + 60 run headers + the design document.
  expect(result.totalEvents).toBe(900);
  expect(result.server_docs).toBe(900 + 60 + 1);
  expect(result.conflicts_found).toBe(0);
}, 300_000);
