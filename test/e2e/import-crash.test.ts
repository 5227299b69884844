// An import is one transaction: a browser killed with SIGKILL while a large bundle is being
// written leaves the database exactly as it was, and the app opens normally afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largeBundle } from '../../scripts/bench/bundle.ts';
import { readStore, readStoredEvents, setActor, startRecord } from './flows';
import {
  mainHeading,
  serveBuiltApp,
  spawnBrowser,
  waitForActivatedServiceWorker,
  type Server,
  type SpawnedBrowser,
} from './harness';

describe('a browser killed during a large import', () => {
  let server: Server;
  let profile: string;
  let browser: SpawnedBrowser;
  const dir = mkdtempSync(join(tmpdir(), 'reconnect-import-crash-'));
  const file = join(dir, 'large.reconnect');

  beforeAll(async () => {
    writeFileSync(file, (await largeBundle()).text);
    server = await serveBuiltApp();
    profile = mkdtempSync(join(tmpdir(), 'reconnect-import-crash-profile-'));
    browser = await spawnBrowser(profile);
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await mainHeading(page);
    await waitForActivatedServiceWorker(page);
    await setActor(page, 'Sam Technician');
    await startRecord(page, server.origin, 'Already Here Trust', /Block SMB at the network/);
    await page.close();
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the database exactly as it was', async () => {
    let page = await browser.context.newPage();
    await page.goto(`${server.origin}/`);
    const before = {
      runs: await readStore(page, 'runs'),
      events: await readStoredEvents(page),
      inventories: await readStore(page, 'inventories'),
    };
    await page.goto(`${server.origin}/share`);
    await page.getByLabel('Reconnect file (.reconnect)').setInputFiles(file, { timeout: 300_000 });
    await page.getByRole('heading', { name: /checked:/ }).waitFor({ timeout: 300_000 });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    // Killed once every write is issued, before the transaction can commit.
    await expect
      .poll(
        () =>
          page.evaluate(
            () => performance.getEntriesByName('reconnect:bundle-import-writing').length,
          ),
        { timeout: 300_000, interval: 10 },
      )
      .toBe(1);
    await browser.kill();

    browser = await spawnBrowser(profile);
    page = await browser.context.newPage();
    await page.goto(`${server.origin}/`);
    await page
      .getByRole('link', { name: 'Already Here Trust', exact: true })
      .waitFor({ timeout: 60_000 });
    expect(await page.getByRole('link', { name: 'Bench Bundle Trust', exact: true }).count()).toBe(
      0,
    );
    expect({
      runs: await readStore(page, 'runs'),
      events: await readStoredEvents(page),
      inventories: await readStore(page, 'inventories'),
    }).toEqual(before);
  }, 400_000);
});
