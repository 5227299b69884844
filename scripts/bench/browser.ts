// Browser measurements for the benchmark: the initial download and the offline cold start,
// against the bench build (dist-bench), which carries a precached blank page for comparison.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext } from 'playwright-core';
import { preview } from 'vite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromiumArgs, chromiumPath } from '../lib/chromium.ts';
import { median } from './stats.ts';

export const benchDist = join(import.meta.dirname, '../../dist-bench');

export interface BenchServer {
  origin: string;
  close: () => Promise<void>;
}

export async function serveBench(): Promise<BenchServer> {
  const server = await preview({
    root: join(import.meta.dirname, '../..'),
    build: { outDir: 'dist-bench' },
    logLevel: 'silent',
    preview: { port: 0, host: '127.0.0.1', open: false },
  });
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    origin: `http://127.0.0.1:${String(address.port)}`,
    close: () => server.close(),
  };
}

export async function launchBench(): Promise<{
  context: BrowserContext;
  close: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'reconnect-bench-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const kb = (bytes: number) => Math.round((bytes / 1024) * 100) / 100;

/**
 * Loads the app once online and sums the gzip size of every script and stylesheet the page
 * fetched before its main heading showed: the initial load, as a user's browser sees it.
 */
export async function measureInitialLoadAndColdStart(): Promise<Record<string, number>> {
  const server = await serveBench();
  const browser = await launchBench();
  try {
    const page = await browser.context.newPage();
    const fetched = new Set<string>();
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (/\.(js|css)$/.test(path) && path !== '/sw.js' && !path.startsWith('/workbox-')) {
        fetched.add(path);
      }
    });
    await page.goto(`${server.origin}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    let js = 0;
    let css = 0;
    for (const path of fetched) {
      const gz = gzipSync(readFileSync(join(benchDist, path))).length;
      if (process.env.BENCH_DEBUG)
        process.stderr.write(`  initial: ${path} ${String(kb(gz))} KB\n`);
      if (path.endsWith('.js')) js += gz;
      else css += gz;
    }
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const worker = registration.active;
      if (worker && worker.state !== 'activated') {
        await new Promise<void>((resolve) => {
          worker.addEventListener('statechange', () => {
            if (worker.state === 'activated') resolve();
          });
        });
      }
    });
    // Make sure the blank page is controlled too: visit it once online.
    await page.goto(`${server.origin}/bench-blank.html`);
    await page.close();

    await browser.context.setOffline(true);
    await server.close();

    async function timeToHeading(url: string): Promise<number> {
      const tab = await browser.context.newPage();
      const start = performance.now();
      await tab.goto(url, { waitUntil: 'commit' });
      await tab.getByRole('heading', { level: 1 }).waitFor({ state: 'visible' });
      const elapsed = performance.now() - start;
      await tab.close();
      return elapsed;
    }

    const app: number[] = [];
    const blank: number[] = [];
    // Warm-up of each, then interleave so both see the same machine conditions.
    await timeToHeading(`${server.origin}/`);
    await timeToHeading(`${server.origin}/bench-blank.html`);
    for (let i = 0; i < 9; i++) {
      app.push(await timeToHeading(`${server.origin}/`));
      blank.push(await timeToHeading(`${server.origin}/bench-blank.html`));
    }
    const appMs = median(app);
    const blankMs = median(blank);
    return {
      bundle_js_gzip_kb: kb(js),
      bundle_css_gzip_kb: kb(css),
      bundle_initial_files: fetched.size,
      offline_cold_start_ms: appMs,
      blank_page_ms: blankMs,
      cold_start_ratio: Math.round((appMs / blankMs) * 100) / 100,
    };
  } finally {
    await browser.close();
    await server.close().catch(() => undefined);
  }
}
