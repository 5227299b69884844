// Service-worker updates in real Chromium: the first visit says the app is ready offline; a
// new version waits behind a "Reload" prompt and never reloads the page on its own.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launch,
  mainHeading,
  serveBuiltApp,
  waitForActivatedServiceWorker,
  type Browser,
  type Server,
} from './harness.ts';

const root = join(import.meta.dirname, '../..');

describe('service worker update', () => {
  let server: Server;
  let browser: Browser;
  let nextBuild: string;

  beforeAll(async () => {
    // "Version 2" is the same build with a changed service worker, which is what makes the
    // browser install a new worker and wait for it.
    nextBuild = mkdtempSync(join(tmpdir(), 'reconnect-next-'));
    cpSync(join(root, 'dist'), nextBuild, { recursive: true });
    const sw = join(nextBuild, 'sw.js');
    writeFileSync(sw, `${readFileSync(sw, 'utf8')}\n// next version\n`);
    server = await serveBuiltApp();
    browser = await launch();
  });

  afterAll(async () => {
    await browser.close();
    await server.close();
    rmSync(nextBuild, { recursive: true, force: true });
  });

  it('says on the first visit that the app is available offline, and not again', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.getByText('Reconnect is now available offline').waitFor();
    await waitForActivatedServiceWorker(page);
    await page.reload();
    await mainHeading(page);
    await page.waitForTimeout(500);
    expect(await page.getByText('Reconnect is now available offline').count()).toBe(0);
    await page.close();
  });

  it('prompts for a new version and waits for the user', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await mainHeading(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    // Publish version 2 on the same origin.
    const port = new URL(server.url).port;
    await server.close();
    server = await serveBuiltApp(Number(port), relative(root, nextBuild));

    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'still here';
    });
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    await page.getByText('A new version is available').waitFor({ timeout: 15_000 });

    // Give it time: nothing reloads on its own.
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe(
      'still here',
    );

    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Reload' }).click(),
    ]);
    await mainHeading(page);
    expect(
      await page.evaluate(() => (window as unknown as { marker?: string }).marker),
    ).toBeUndefined();
    expect(await page.getByText('A new version is available').count()).toBe(0);
    const activeState = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return registration?.waiting === null && registration.active?.state;
    });
    expect(activeState).toBe('activated');
    await page.close();
  });
});
