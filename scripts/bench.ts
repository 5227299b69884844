// `npm run bench`: measures what the issues set targets for, and prints one JSON object on its
// last line. Not a test: it reports figures, it does not pass or fail.
import { measureInitialLoadAndColdStart } from './bench/browser.ts';
import { measureBulkIdentify } from './bench/bulk.ts';
import { measureBundle } from './bench/bundle.ts';
import { measureAnswerCommit } from './bench/commit.ts';
import { measureCompileAll, measureReplay } from './bench/engine.ts';
import { measureFleetFilter, measureImport } from './bench/inventory.ts';
import { measureLighthouse } from './bench/lighthouse.ts';
import { measureSignVerify } from './bench/record.ts';
import { measureSync } from './bench/sync.ts';
import { compileChecklist } from '../src/checklist/machine.ts';
import { loadChecklists } from './lib/checklistLoader.ts';

const results: Record<string, number> = {};

// BENCH_ONLY=bundle,import (comma-separated part names) runs only those parts, to iterate on
// one of them; without it every part runs and the output keys are always the same.
const only = new Set(
  (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const runs = (part: string) => only.size === 0 || only.has(part);

function log(message: string) {
  process.stderr.write(`${message}\n`);
}

if (runs('compile')) {
  log('bench: compiling every checklist…');
  results.compile_all_ms = measureCompileAll();
}

if (runs('replay')) {
  log('bench: replaying a run of 1,000 events on each checklist…');
  // Report the slowest shipped checklist: that is the one a user waits for.
  let slowest = { ms: 0, id: '' };
  for (const checklist of loadChecklists().checklists) {
    const compiled = compileChecklist(checklist);
    const { ms } = measureReplay(compiled, 1000);
    log(`  ${compiled.definition.id}: ${String(ms)} ms`);
    if (ms > slowest.ms) slowest = { ms, id: compiled.definition.id };
  }
  results.replay_1000_events_ms = slowest.ms;
}

if (runs('load')) {
  log('bench: initial load and offline cold start (Chromium)…');
  Object.assign(results, await measureInitialLoadAndColdStart());
}

if (runs('commit')) {
  log('bench: answer commit against a bare IndexedDB put (Chromium)…');
  Object.assign(results, await measureAnswerCommit());
}

if (runs('import')) {
  log('bench: importing 10,000 devices, against bare Papa Parse + bulkPut (Chromium)…');
  Object.assign(results, await measureImport());
}

if (runs('bulk')) {
  log('bench: one bulk identify over 2,000 devices, against single saves (Chromium)…');
  Object.assign(results, await measureBulkIdentify());
}

if (runs('bundle')) {
  log(
    'bench: a record bundle of 10,000 devices, 2,000 device runs, exported and imported (Chromium)…',
  );
  Object.assign(results, await measureBundle());
}

if (runs('sync')) {
  log(
    'bench: 20,000 events pushed to and pulled from a local pouchdb-server, against a bundle import (Chromium)…',
  );
  Object.assign(results, await measureSync(log));
}

if (runs('lighthouse')) {
  log('bench: Lighthouse, mobile preset, on seven pages (Chromium)…');
  Object.assign(results, await measureLighthouse(log));
}

if (runs('filter')) {
  log('bench: filtering 10,000 devices…');
  results.fleet_filter_ms = measureFleetFilter();
}

if (runs('sign')) {
  log('bench: signing and verifying a record with 10,000 devices…');
  Object.assign(results, await measureSignVerify());
}

console.log(JSON.stringify(results));
