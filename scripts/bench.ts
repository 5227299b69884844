// `npm run bench`: measures what the issues set targets for, and prints one JSON object on its
// last line. Not a test: it reports figures, it does not pass or fail.
import { measureInitialLoadAndColdStart } from './bench/browser.ts';
import { measureCompileAll, measureReplay } from './bench/engine.ts';
import { compileChecklist } from '../src/checklist/machine.ts';
import { loadChecklists } from './lib/checklistLoader.ts';

const results: Record<string, number> = {};

function log(message: string) {
  process.stderr.write(`${message}\n`);
}

log('bench: compiling every checklist…');
results.compile_all_ms = measureCompileAll();

log('bench: replaying a run of 1,000 events…');
{
  // The largest shipped checklist gives the heaviest replay.
  const largest = loadChecklists()
    .checklists.map((c) => compileChecklist(c))
    .sort((a, b) => b.index.order.length - a.index.order.length)[0];
  if (!largest) throw new Error('no checklists');
  const replayed = measureReplay(largest, 1000);
  results.replay_1000_events_ms = replayed.ms;
  results.replay_events = replayed.events;
}

log('bench: initial load and offline cold start (Chromium)…');
Object.assign(results, await measureInitialLoadAndColdStart());

console.log(JSON.stringify(results));
