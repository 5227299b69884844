// Chrome's own installability check, and axe on every page the app has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  foreignRequests,
  launch,
  mainHeading,
  serveBuiltApp,
  waitForActivatedServiceWorker,
  type Browser,
  type Server,
  expectNoAxeViolations,
} from './harness.ts';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  server = await serveBuiltApp();
  browser = await launch();
});

afterAll(async () => {
  await browser.close();
  await server.close();
});

describe('installability', () => {
  it('passes Chrome’s installability check with no errors', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await mainHeading(page);
    await waitForActivatedServiceWorker(page);
    const cdp = await browser.context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors).toEqual([]);
    const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
    expect(manifest.url).toBe(`${server.origin}/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    await page.close();
  });
});

describe('accessibility', () => {
  const pages = [
    { path: '/', heading: /Reconnect safely/ },
    { path: '/no-such-page', heading: /Page not found/ },
  ];

  for (const { path, heading } of pages) {
    it(`axe finds no violations on ${path}`, async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.origin}${path}`);
      expect(await mainHeading(page)).toMatch(heading);
      await expectNoAxeViolations(page);
      await page.close();
    });
  }

  it('reaches the main content from the skip link by keyboard', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await mainHeading(page);
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent.trim()))
      .toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(page.url()).toBe(`${server.origin}/#maincontent`);
    await page.close();
  });

  it('asked no other host', () => {
    expect(foreignRequests(browser.requests, server.origin)).toEqual([]);
  });
});
