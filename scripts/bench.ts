// `npm run bench`: measures what the issues set targets for, and prints one JSON object on its
// last line. Not a test: it reports figures, it does not pass or fail.
import { measureInitialLoadAndColdStart } from './bench/browser.ts';

const results: Record<string, number> = {};

function log(message: string) {
  process.stderr.write(`${message}\n`);
}

log('bench: initial load and offline cold start (Chromium)…');
Object.assign(results, await measureInitialLoadAndColdStart());

console.log(JSON.stringify(results));
