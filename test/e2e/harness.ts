// Shared helpers for browser tests: serve the built app, drive Debian's Chromium with a real
// profile, watch every request, and wait for the service worker.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { preview, type PreviewServer } from 'vite';
import { staleBuild } from '../../scripts/lib/buildFreshness.ts';
import { chromiumArgs, chromiumPath } from '../../scripts/lib/chromium.ts';

export { chromiumArgs, chromiumPath };

export interface Server {
  url: string;
  origin: string;
  close: () => Promise<void>;
}

/** Serves `dist/` (or another build folder) on a localhost port, as `npm start` does. */
export async function serveBuiltApp(port = 0, outDir = 'dist'): Promise<Server> {
  const root = join(import.meta.dirname, '../..');
  // Fail at once, saying why, rather than wait for pages an old build never shows.
  if (outDir === 'dist') {
    const stale = staleBuild(root, outDir);
    if (stale) throw new Error(stale);
  }
  const server: PreviewServer = await preview({
    root,
    build: { outDir },
    logLevel: 'silent',
    preview: { port, strictPort: port !== 0, host: '127.0.0.1', open: false },
  });
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('no server address');
  const origin = `http://127.0.0.1:${String(address.port)}`;
  return {
    url: `${origin}/`,
    origin,
    close: () => server.close(),
  };
}

/**
 * What the pages in a context said went wrong: every console error (from pages and workers), every
 * uncaught error, and every Content-Security-Policy violation the page reported. A browser test
 * fails if any is left when its browser closes, unless the test said it expects it.
 */
export interface PageProblems {
  problems: string[];
  /**
   * Allows console errors matching this pattern (a test that provokes one on purpose), and, if
   * `where` is given, only from a URL matching it.
   */
  expectConsoleError: (pattern: RegExp, where?: RegExp) => void;
  /** Throws, listing them, if there were problems no test expected. */
  assertNone: () => void;
}

/** Collects console errors, uncaught errors and CSP violations from a context's pages and workers. */
export async function watchPageProblems(context: BrowserContext): Promise<PageProblems> {
  const problems: string[] = [];
  const expected: { pattern: RegExp; where?: RegExp }[] = [];
  // A CSP violation is also a console error in Chromium, but the event says it for certain
  // and names the directive, so a violation is reported even if the console message changes.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} in ${event.sourceFile}:${String(event.lineNumber)}`,
      );
    });
  });
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const where = message.location().url;
    if (!expected.some((e) => e.pattern.test(text) && (!e.where || e.where.test(where))))
      problems.push(`console error${where ? ` (${where})` : ''}: ${text}`);
  });
  context.on('weberror', (error) => {
    problems.push(`uncaught error: ${error.error().message}`);
  });
  return {
    problems,
    expectConsoleError: (pattern, where) => {
      expected.push(where ? { pattern, where } : { pattern });
    },
    assertNone: () => {
      if (problems.length > 0)
        throw new Error(
          `The pages reported ${String(problems.length)} problem(s):\n${problems.join('\n')}`,
        );
    },
  };
}

export interface Browser extends PageProblems {
  context: BrowserContext;
  profileDir: string;
  /** Every URL any page or worker in the context asked for. */
  requests: string[];
  /** Closes the browser, then fails if any page reported a problem no test expected. */
  close: () => Promise<void>;
}

export function newProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'reconnect-profile-'));
}

/** A Chromium with a persistent profile: data survives a relaunch with the same directory. */
export async function launch(
  profileDir = newProfileDir(),
  options: { removeProfileOnClose?: boolean; acceptDownloads?: boolean } = {},
): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    acceptDownloads: options.acceptDownloads ?? true,
    viewport: { width: 1280, height: 900 },
  });
  const requests: string[] = [];
  context.on('request', (request) => {
    requests.push(request.url());
  });
  const watch = await watchPageProblems(context);
  return {
    ...watch,
    context,
    profileDir,
    requests,
    close: async () => {
      await context.close();
      if (options.removeProfileOnClose ?? true)
        rmSync(profileDir, { recursive: true, force: true });
      watch.assertNone();
    },
  };
}

/** Waits until this page's origin has a service worker in the `activated` state. */
export async function waitForActivatedServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (!worker) throw new Error('no active service worker');
    if (worker.state === 'activated') return;
    await new Promise<void>((resolve) => {
      worker.addEventListener('statechange', () => {
        if (worker.state === 'activated') resolve();
      });
    });
  });
}

/** Requests that went anywhere but the app's own origin (data: and blob: stay on the device). */
export function foreignRequests(requests: string[], origin: string): string[] {
  return requests.filter(
    (url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'),
  );
}

export async function mainHeading(page: Page): Promise<string> {
  const heading = page.getByRole('heading', { level: 1 });
  await heading.waitFor({ state: 'visible', timeout: 15_000 });
  return (await heading.textContent()) ?? '';
}

export interface SpawnedBrowser extends PageProblems {
  browser: import('playwright-core').Browser;
  context: BrowserContext;
  pid: number;
  /** Kills the browser process with SIGKILL (no chance to flush or clean up). */
  kill: () => Promise<void>;
  /** Closes the browser, then fails if any page reported a problem no test expected. */
  close: () => Promise<void>;
}

/**
 * Starts Chromium as its own process on a profile directory and connects over CDP, so a test
 * can kill it outright (SIGKILL) and start it again on the same profile.
 */
export async function spawnBrowser(profileDir: string): Promise<SpawnedBrowser> {
  const { spawn } = await import('node:child_process');
  const child = spawn(
    chromiumPath,
    [...chromiumArgs, `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', 'about:blank'],
    // Its own process group: killing the browser kills its helper processes too, and closing
    // it waits until none is left writing to the profile.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      reject(new Error(`Chromium did not start: ${buffer}`));
    }, 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(buffer);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${String(code)}): ${buffer}`));
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0];
  if (!context || child.pid === undefined) throw new Error('no default context');
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const pid = child.pid;
  const signalGroup = (signal: NodeJS.Signals | 0) => {
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false; // no process of the group is left
    }
  };
  /** Resolves once the main process has exited and every helper process has gone. */
  const allGone = async () => {
    await exited;
    while (liveInGroup(pid)) {
      signalGroup('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const watch = await watchPageProblems(context);
  return {
    ...watch,
    browser,
    context,
    pid,
    kill: async () => {
      signalGroup('SIGKILL');
      await allGone();
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      signalGroup('SIGTERM');
      await allGone();
      watch.assertNone();
    },
  };
}

/** Whether any process of a process group is still running (zombies, already dead, do not count). */
function liveInGroup(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it exited while we looked
    }
    // "pid (name) state ppid pgrp …": the name may hold spaces, so read after its last ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const labelled = el.getAttribute('aria-label');
    if (labelled) return labelled;
    const id = el.id;
    const label = id ? document.querySelector(`label[for="${CSS.escape(id)}"]`) : null;
    return (label?.textContent ?? el.textContent).replace(/\s+/g, ' ').trim();
  });
}

/** Presses the down arrow (inside a radio group) until the focused option matches. */
export async function arrowTo(page: Page, name: string | RegExp, limit = 30): Promise<void> {
  for (let i = 0; i < limit; i++) {
    const focused = await focusedName(page);
    if (typeof name === 'string' ? focused === name : name.test(focused)) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`could not reach "${String(name)}" with the arrow keys`);
}

/** Presses Tab until the focused element's accessible name matches, as a keyboard user would. */
export async function tabTo(page: Page, name: string | RegExp, limit = 120): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await focusedName(page);
    if (typeof name === 'string' ? focused === name : name.test(focused)) return;
  }
  throw new Error(`could not reach "${String(name)}" with the Tab key`);
}

// Every page is checked against WCAG 2.2 AA and axe's best practices; a failure names each rule
// and the elements that break it.
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  expect(
    results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`,
    ),
  ).toEqual([]);
}
