// Lighthouse (performance category, its default mobile preset: a mid-range phone on a slow 4G
// link, simulated) against the bench build in Debian's Chromium, on the pages people use most:
// home, a record's task list, a step, the fleet, the readiness summary, the completion record
// and verify. The record is seeded first through the app as a person would (who is working, a
// new record, 200 devices imported), and Lighthouse runs in the same profile with storage
// kept: the app as it is used, installed on the device with its data.
//
// Each page is audited three times and scored by the run Lighthouse's computeMedianRun picks.
//
// - lighthouse_mobile_performance_min: the lowest performance score of those pages (0–100).
// - lighthouse_cls_max: the highest cumulative layout shift of those pages, in any run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { computeMedianRun } from 'lighthouse/core/lib/median-run.js';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../lib/chromium.ts';
import { sampleInventoryCsv } from '../lib/sampleInventory.ts';
import { serveBench } from './browser.ts';

type LighthouseResult = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];
/** Lighthouse runs per page; LIGHTHOUSE_RUNS=1 for a quick look. */
// Its declaration names Lighthouse's global LH namespace, which this project does not load.
const medianRun = computeMedianRun as unknown as (runs: LighthouseResult[]) => LighthouseResult;
const RUNS = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 3));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

export async function measureLighthouse(
  log: (message: string) => void = () => undefined,
): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'reconnect-lighthouse-'));
  const inventory = join(dir, 'inventory.csv');
  writeFileSync(inventory, sampleInventoryCsv(200));
  const port = await freePort();
  const server = await serveBench();
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: chromiumPath,
    args: [...chromiumArgs, `--remote-debugging-port=${String(port)}`],
    headless: true,
  });
  try {
    const page = await context.newPage();
    const origin = server.origin;
    await page.goto(`${origin}/`);
    await page.getByLabel('Who is working?').fill('Bench Technician');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText(/^Working as /).waitFor();
    await page.getByText('Working as Bench Technician.').waitFor();
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const worker = registration.active;
      if (worker && worker.state !== 'activated')
        await new Promise<void>((resolve) => {
          worker.addEventListener('statechange', () => {
            if (worker.state === 'activated') resolve();
          });
        });
    });
    await page.goto(`${origin}/records/new`);
    await page.getByLabel('Organisation name').fill('Lighthouse Community Trust');
    await page
      .getByLabel(/^Reconnect the organisation after a precautionary disconnection/)
      .check();
    await page.getByRole('button', { name: 'Start record' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lighthouse Community Trust' }).waitFor();
    const runId = /\/records\/([^/?#]+)/.exec(page.url())?.[1] ?? '';
    const next = await page.getByRole('link', { name: /^Continue: / }).getAttribute('href');
    await page.goto(`${origin}/records/${runId}/devices/import`);
    await page.getByLabel('Inventory file (CSV)').setInputFiles(inventory);
    await page.getByRole('button', { name: 'Check every row' }).click();
    await page.getByRole('button', { name: 'Import 200 devices' }).click();
    await page.getByText('Imported: 200 new devices').waitFor({ timeout: 120_000 });
    await page.close();

    const pages: [string, string][] = [
      ['home', '/'],
      ['task_list', `/records/${runId}`],
      ['step', next ?? `/records/${runId}`],
      ['fleet', `/records/${runId}/devices`],
      ['summary', `/records/${runId}/summary`],
      ['record', `/records/${runId}/record`],
      ['verify', '/verify'],
    ];
    // LIGHTHOUSE_PAGES=step,fleet measures only those pages (to iterate on one).
    const wanted = process.env.LIGHTHOUSE_PAGES?.split(',').map((p) => p.trim());
    const results: Record<string, number> = {};
    let performanceMin = 100;
    let clsMax = 0;
    for (const [name, path] of pages) {
      if (wanted && !wanted.includes(name)) continue;
      // Several runs, and the run Lighthouse's own computeMedianRun picks (nearest the median
      // first paint and time to interactive): a single run's score moves by several points on
      // a busy 2-core machine (93-100 for the same page on one day), and Lighthouse's
      // documentation on variability finds the median of 5 runs twice as stable as one run.
      const runs: LighthouseResult[] = [];
      for (let n = 0; n < RUNS; n++) {
        const result = await lighthouse(`${origin}${path}`, {
          port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance'],
          // The records live in this profile's IndexedDB: keep them.
          disableStorageReset: true,
        });
        if (!result) throw new Error(`Lighthouse gave no result for ${path}`);
        if (result.lhr.runtimeError)
          throw new Error(`Lighthouse on ${path}: ${result.lhr.runtimeError.message}`);
        runs.push(result.lhr);
      }
      const lhr = medianRun(runs);
      const scoreOf = (run: LighthouseResult) =>
        Math.round((run.categories.performance?.score ?? 0) * 100);
      log(
        `  ${name}: scores of ${String(RUNS)} runs ${runs.map(scoreOf).join(', ')}; the median run:`,
      );
      const score = Math.round((lhr.categories.performance?.score ?? 0) * 100);
      // Layout shift is the worst of every run, not the median run's.
      const cls = Math.max(
        ...runs.map((run) => run.audits['cumulative-layout-shift']?.numericValue ?? Number.NaN),
      );
      const lcp = lhr.audits['largest-contentful-paint']?.numericValue ?? Number.NaN;
      const ms = (id: string) => String(Math.round(lhr.audits[id]?.numericValue ?? Number.NaN));
      log(
        `  ${name}: performance ${String(score)}, CLS ${cls.toFixed(3)}, LCP ${String(Math.round(lcp))} ms, FCP ${ms('first-contentful-paint')} ms, TBT ${ms('total-blocking-time')} ms, SI ${ms('speed-index')} ms`,
      );
      if (process.env.LIGHTHOUSE_DEBUG) {
        const shifts = lhr.audits['layout-shifts']?.details as
          | { items?: { node?: { snippet?: string; selector?: string }; score?: number }[] }
          | undefined;
        for (const item of shifts?.items ?? [])
          log(
            `    shift ${String(item.score)}: ${item.node?.selector ?? ''} ${item.node?.snippet ?? ''}`,
          );
        const tasks = lhr.audits['long-tasks']?.details as
          { items?: { url?: string; startTime?: number; duration?: number }[] } | undefined;
        for (const item of tasks?.items ?? [])
          log(
            `    long task ${String(Math.round(item.duration ?? 0))} ms at ${String(Math.round(item.startTime ?? 0))}: ${item.url ?? ''}`,
          );
        const bootup = lhr.audits['bootup-time']?.details as
          { items?: { url?: string; total?: number; scripting?: number }[] } | undefined;
        for (const item of bootup?.items ?? [])
          log(
            `    script ${item.url ?? ''}: ${String(Math.round(item.total ?? 0))} ms (scripting ${String(Math.round(item.scripting ?? 0))})`,
          );
      }
      results[`lighthouse_performance_${name}`] = score;
      performanceMin = Math.min(performanceMin, score);
      clsMax = Math.max(clsMax, cls);
    }
    return {
      lighthouse_mobile_performance_min: performanceMin,
      lighthouse_cls_max: Math.round(clsMax * 1000) / 1000,
      ...results,
    };
  } finally {
    await context.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
