// Nothing the screen said was saved is ever lost, in real Chromium against the built app,
// offline: not on reload, not when the browser process is killed, not when storage runs out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastCommitPath, lastFailedPath, readStoredEvents, setActor, startRecord } from './flows';
import {
  foreignRequests,
  mainHeading,
  serveBuiltApp,
  spawnBrowser,
  waitForActivatedServiceWorker,
  type Server,
  type SpawnedBrowser,
} from './harness';

const smbChecklist = /Block SMB at the network boundary/;

describe('durability', () => {
  let server: Server;
  let profile: string;
  let browser: SpawnedBrowser;
  let runId: string;
  const requests: string[] = [];

  const watch = (b: SpawnedBrowser) => {
    b.context.on('request', (r) => requests.push(r.url()));
  };

  beforeAll(async () => {
    server = await serveBuiltApp();
    profile = mkdtempSync(join(tmpdir(), 'reconnect-durable-'));
    browser = await spawnBrowser(profile);
    watch(browser);
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await mainHeading(page);
    await waitForActivatedServiceWorker(page);
    await setActor(page, 'Sam Technician');
    runId = await startRecord(page, server.origin, 'Durable Trust', smbChecklist);
    await page.close();
    // From here on the network is gone and so is the server.
    await server.close();
  });

  afterAll(async () => {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('keeps a saved draft across a reload mid-form', async () => {
    await browser.context.setOffline(true);
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/records/${runId}/steps/list-boundaries`);
    await page.getByLabel('Number of boundaries').fill('3');
    await page.getByText(/^Saved at/).waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel('Number of boundaries').inputValue()).toBe('3');
    await page.close();
  });

  it('loses no saved answer when the browser is killed right after "Saved" appears (20 times)', async () => {
    const lines: string[] = [];
    const paths: string[] = [];
    let lost = 0;
    for (let i = 1; i <= 20; i++) {
      await browser.context.setOffline(true);
      const page = browser.context.pages()[0] ?? (await browser.context.newPage());
      await page.goto(`${server.origin}/records/${runId}/steps/list-boundaries`);
      const field = page.getByLabel('Boundaries and the device that controls each');
      const shown = await field.inputValue();
      const missing = lines.filter((line) => !shown.split('\n').includes(line));
      lost += missing.length;
      lines.push(`Boundary ${String(i)} – firewall FW${String(i)}`);
      await field.fill(lines.join('\n'));
      await page.getByText(/^Saved at/).waitFor();
      paths.push(await lastCommitPath(page));
      await browser.kill();
      browser = await spawnBrowser(profile);
      watch(browser);
    }
    await browser.context.setOffline(true);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${server.origin}/records/${runId}/steps/list-boundaries`);
    const final = await page
      .getByLabel('Boundaries and the device that controls each')
      .inputValue();
    lost += lines.filter((line) => !final.split('\n').includes(line)).length;
    expect(lost).toBe(0);
    expect(final.split('\n')).toEqual(lines);
    // Every one of those saves took the direct IndexedDB path, which these kills are here to test.
    expect(paths).toEqual(Array.from({ length: 20 }, () => 'direct'));
    // The log is intact after all that killing.
    await page.goto(`${server.origin}/records/${runId}/log`);
    await page.getByText('Hash chain intact').waitFor();
  }, 300_000);

  it('says so clearly when storage is full, and loses nothing already saved', async () => {
    await browser.context.setOffline(true);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${server.origin}/records/${runId}/steps/list-boundaries`);
    const before = await readStoredEvents<{ seq: number }>(page);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.origin, quotaSize: 1 });
    await page.getByLabel('Number of boundaries').fill('42');
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('run out of storage space');
    expect(await summary.textContent()).toContain('Everything saved before is safe');
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.origin });
    const after = await readStoredEvents<{ seq: number }>(page);
    expect(after.length).toBe(before.length);
    // The save was refused on the direct IndexedDB path, the one most saves take.
    expect(await lastFailedPath(page)).toBe('direct');
    // A reload shows the last saved value, not the one that could not be stored.
    await page.reload();
    await expect.poll(() => page.getByLabel('Number of boundaries').inputValue()).toBe('3');
  });

  it('asked no other host', () => {
    expect(foreignRequests(requests, server.origin)).toEqual([]);
  });
});
