// The app after one online visit: the service worker activates, and with the network cut and
// the server stopped, a reload, a new tab and a relaunched browser all still show the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  foreignRequests,
  launch,
  mainHeading,
  serveBuiltApp,
  waitForActivatedServiceWorker,
  type Browser,
  type Server,
} from './harness.ts';

describe('offline after one visit', () => {
  let server: Server;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    server = await serveBuiltApp();
    origin = server.origin;
    browser = await launch(undefined, { removeProfileOnClose: false });
  });

  afterAll(async () => {
    await browser.close();
    await server.close().catch(() => undefined);
  });

  it('activates the service worker on the first visit', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    expect(await mainHeading(page)).toMatch(/Reconnect safely/);
    await waitForActivatedServiceWorker(page);
    const state = await page.evaluate(
      async () => (await navigator.serviceWorker.ready).active?.state,
    );
    expect(state).toBe('activated');
    await page.close();
  });

  it('works with the network cut and the server stopped', async () => {
    await browser.context.setOffline(true);
    await server.close();

    // The server really is gone: a plain fetch from Node fails.
    await expect(fetch(server.url)).rejects.toThrow();

    const page = await browser.context.newPage();
    await page.goto(server.url);
    expect(await mainHeading(page)).toMatch(/Reconnect safely/);

    await page.reload();
    expect(await mainHeading(page)).toMatch(/Reconnect safely/);

    // A deep link to an unknown page opens the app's own not-found page, not a browser error.
    const deep = await browser.context.newPage();
    await deep.goto(`${origin}/records/none-such`);
    expect(await mainHeading(deep)).toBe('Page not found');
    await deep.close();
    await page.close();
  });

  it('starts cold in a relaunched browser with no network', async () => {
    const profileDir = browser.profileDir;
    await browser.context.close();
    browser = await launch(profileDir);
    await browser.context.setOffline(true);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(server.url);
    expect(await mainHeading(page)).toMatch(/Reconnect safely/);
  });

  it('never asked any host but its own origin', () => {
    expect(browser.requests.length).toBeGreaterThan(0);
    expect(foreignRequests(browser.requests, origin)).toEqual([]);
  });
});
