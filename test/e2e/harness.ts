// Shared helpers for browser tests: serve the built app, drive Debian's Chromium with a real
// profile, watch every request, and wait for the service worker.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface Server {
  url: string;
  origin: string;
  close: () => Promise<void>;
}

/** Serves `dist/` (or another build folder) on a localhost port, as `npm start` does. */
export async function serveBuiltApp(port = 0, outDir = 'dist'): Promise<Server> {
  const server: PreviewServer = await preview({
    root: join(import.meta.dirname, '../..'),
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

export interface Browser {
  context: BrowserContext;
  profileDir: string;
  /** Every URL any page or worker in the context asked for. */
  requests: string[];
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
  return {
    context,
    profileDir,
    requests,
    close: async () => {
      await context.close();
      if (options.removeProfileOnClose ?? true)
        rmSync(profileDir, { recursive: true, force: true });
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
