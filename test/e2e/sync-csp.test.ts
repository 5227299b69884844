// The page may reach its own origin only, until a person configures a sync server: then the
// service worker (public/sync-csp-sw.js) serves the page with connect-src widened to that one
// origin, and to no other. Clearing the setting narrows it again. A real CouchDB-protocol
// server (pouchdb-server) answers on 127.0.0.1 to show the widened policy lets requests through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startCouchServer, type CouchServer } from '../../scripts/lib/couchServer.ts';
import {
  launch,
  mainHeading,
  serveBuiltApp,
  waitForActivatedServiceWorker,
  type Browser,
  type Server,
} from './harness.ts';

let app: Server;
let couch: CouchServer;
let browser: Browser;

beforeAll(async () => {
  app = await serveBuiltApp();
  couch = await startCouchServer({ corsOrigins: [app.origin] });
  browser = await launch();
});

afterAll(async () => {
  await browser.close();
  await couch.dispose();
  await app.close();
});

function connectSources(page: Page): Promise<string> {
  return page.evaluate(() => {
    const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
    const policy = meta?.getAttribute('content') ?? '';
    const connect = policy.split(';').find((part) => part.trim().startsWith('connect-src '));
    return connect?.trim() ?? '';
  });
}

/** What the sync settings store: the server's origin, read by the service worker. */
function configureSyncOrigin(page: Page, origin: string | null): Promise<unknown> {
  return page.evaluate(async (value) => {
    const cache = await caches.open('reconnect-sync-settings');
    if (value === null) await cache.delete('/__reconnect/sync-origin');
    else await cache.put('/__reconnect/sync-origin', new Response(value));
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (!worker) throw new Error('no service worker');
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => {
        resolve(event.data);
      };
      worker.postMessage({ type: 'reconnect:sync-origin-changed' }, [channel.port2]);
    });
  }, origin);
}

function tryFetch(page: Page, url: string): Promise<string> {
  return page.evaluate(async (target) => {
    try {
      const response = await fetch(target, { credentials: 'omit' });
      return `status ${String(response.status)}`;
    } catch (error) {
      return `failed: ${String(error)}`;
    }
  }, url);
}

describe('the sync server origin in the content security policy', () => {
  it('allows only the configured server, and only once one is configured', async () => {
    const page = await browser.context.newPage();
    await page.goto(app.url);
    await mainHeading(page);
    await waitForActivatedServiceWorker(page);
    await page.reload();
    await mainHeading(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    // Nothing configured: own origin only; the server is out of reach.
    expect(await connectSources(page)).toBe("connect-src 'self'");
    expect(await tryFetch(page, `${couch.url}/`)).toMatch(/^failed/);
    await expect
      .poll(() => browser.problems.some((p) => p.includes('CSP violation: connect-src')), {
        timeout: 15_000,
      })
      .toBe(true);
    browser.problems.length = 0;

    // Configured: the page, served again, may reach that server and no other.
    expect(await configureSyncOrigin(page, couch.url)).toEqual({ origin: couch.url });
    await page.reload();
    await mainHeading(page);
    expect(await connectSources(page)).toBe(`connect-src 'self' ${couch.url}`);
    expect(await tryFetch(page, `${couch.url}/`)).toBe('status 200');
    expect(await tryFetch(page, 'http://127.0.0.2:9/')).toMatch(/^failed/);
    await expect
      .poll(() => browser.problems.some((p) => p.includes('CSP violation: connect-src')), {
        timeout: 15_000,
      })
      .toBe(true);
    browser.problems.length = 0;

    // A value that is not a bare origin is ignored, never written into the policy.
    await configureSyncOrigin(page, "https://evil.example 'unsafe-inline'");
    await page.reload();
    await mainHeading(page);
    expect(await connectSources(page)).toBe("connect-src 'self'");

    // Cleared: own origin only again.
    await configureSyncOrigin(page, couch.url);
    await configureSyncOrigin(page, null);
    await page.reload();
    await mainHeading(page);
    expect(await connectSources(page)).toBe("connect-src 'self'");
    await page.close();
  });
});
