// The device fleet in real Chromium against the built app, offline: importing 10,000 devices
// with a progress bar, re-importing without duplicates, hostile files refused with stored
// data untouched, search, a bulk action recorded per device, export, and axe on each page.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleInventoryCsv } from '../../scripts/lib/sampleInventory.ts';
import { setActor, startRecord } from './flows';
import {
  foreignRequests,
  launch,
  mainHeading,
  serveBuiltApp,
  waitForActivatedServiceWorker,
  type Browser,
  type Server,
  expectNoAxeViolations,
} from './harness';

const IDENTIFY = 'Identify the device and its Windows version';
let server: Server;
let browser: Browser;
let page: Page;
let runId: string;
const dir = mkdtempSync(join(tmpdir(), 'reconnect-devices-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function shownCount(): Promise<string> {
  return (await page.getByTestId('shown-count').textContent()) ?? '';
}

beforeAll(async () => {
  server = await serveBuiltApp();
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(server.url);
  await mainHeading(page);
  await waitForActivatedServiceWorker(page);
  await setActor(page, 'Dee Devices');
  runId = await startRecord(
    page,
    server.origin,
    'Fleet Trust',
    /^Reconnect the organisation after a precautionary disconnection/,
  );
  await browser.context.setOffline(true);
  await server.close();
});

afterAll(async () => {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('importing the inventory', () => {
  it('imports 10,000 devices, showing a progress bar while it works', async () => {
    await page.goto(`${server.origin}/records/${runId}/devices/import`);
    await page.getByRole('heading', { name: 'Import devices from a CSV file' }).waitFor();
    await expectNoAxeViolations(page);
    // Watch for the progress bar from before the file is chosen: it may be brief.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('progress');
        if (bar)
          seen.push(
            `${document.querySelector('label[for="import-progress"]')?.textContent ?? ''} ${bar.getAttribute('value') ?? ''}`,
          );
      }).observe(document.body, { childList: true, subtree: true, attributes: true });
    });
    await page
      .getByLabel('Inventory file (CSV)')
      .setInputFiles(file('sccm-10000.csv', sampleInventoryCsv(10_000)));
    await page.getByText('sccm-10000.csv: 10000 rows').waitFor();
    expect(await page.getByLabel('Hostname').inputValue()).toBe('0');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Check every row' }).click();
    await page.getByRole('button', { name: 'Import 10000 devices' }).click();
    await page.getByText('Imported: 10000 new devices, 0 updated').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(
      () => (window as unknown as { progressSeen: string[] }).progressSeen,
    );
    expect(seen.some((s) => s.startsWith('Reading the file'))).toBe(true);
    expect(await shownCount()).toBe('Showing 10000 of 10000 devices');
    // Virtualised: only a screenful of rows is in the page.
    const rendered = await page.locator('[role="row"][aria-rowindex]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(await page.getByText('Clearance: 0 of 10000 done, 10000 outstanding').count()).toBe(1);
    await expectNoAxeViolations(page);
  }, 120_000);

  it('updates devices on re-import instead of duplicating them', async () => {
    await page.goto(`${server.origin}/records/${runId}/devices/import`);
    await page
      .getByLabel('Inventory file (CSV)')
      .setInputFiles(file('sccm-again.csv', sampleInventoryCsv(10_000)));
    await page.getByRole('button', { name: 'Check every row' }).click();
    await page.getByRole('button', { name: 'Import 10000 devices' }).click();
    await page.getByText('Imported: 0 new devices, 10000 updated').waitFor({ timeout: 60_000 });
    expect(await shownCount()).toBe('Showing 10000 of 10000 devices');
  }, 120_000);

  it('refuses hostile files with a clear message and leaves the devices untouched', async () => {
    await page.goto(`${server.origin}/records/${runId}/devices/import`);
    await page
      .getByLabel('Inventory file (CSV)')
      .setInputFiles(
        file('export.xlsx', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 8, 0, 0x21, 0])),
      );
    await page.getByText('This is not a CSV text file: it contains binary data.').waitFor();

    // Excel's plain "CSV" is Windows-1252: read as such, said so, and the accent kept.
    const cp1252 = Buffer.concat([
      Buffer.from('Hostname,Location\r\nPC-X,Caf'),
      Buffer.from([0xe9]),
    ]);
    await page.getByLabel('Inventory file (CSV)').setInputFiles(file('excel.csv', cp1252));
    await page.getByText(/it was read as Windows-1252 \(Western European\)/).waitFor();
    expect(await page.getByRole('cell', { name: 'Café' }).count()).toBe(1);
    await page.goto(`${server.origin}/records/${runId}/devices/import`);

    const hostile =
      'Hostname,Location,Owner\r\nEVIL-1,=HYPERLINK("http://x"),IT\r\nEVIL-2,"<script>alert(1)</script>",IT\r\nGOOD-3,Ward 1,IT\r\nEVIL-4,"Ward 2';
    await page.getByLabel('Inventory file (CSV)').setInputFiles(file('hostile.csv', hostile));
    await page.getByRole('button', { name: 'Check every row' }).click();
    await page.getByText('Nothing was imported').waitFor();
    const rejected = page.getByRole('region', { name: 'Rejected rows' });
    expect(await rejected.getByRole('row').count()).toBe(4);
    expect(await rejected.textContent()).toContain(
      '“Location” starts with “=”, which a spreadsheet would run as a formula',
    );
    expect(await rejected.textContent()).toContain('contains markup');
    expect(await rejected.textContent()).toContain('a quoted field is never closed');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the rejected rows (CSV)' }).click();
    const saved = readFileSync(await (await download).path(), 'utf8');
    expect(saved).toContain(`"'=HYPERLINK(""http://x"")"`);
    await page.goto(`${server.origin}/records/${runId}/devices`);
    await page.getByText('Showing 10000 of 10000 devices').waitFor();
  }, 60_000);
});

describe('the fleet', () => {
  it('searches, records a step for the selected devices, one event each, and exports', async () => {
    await page.goto(`${server.origin}/records/${runId}/devices`);
    await page.getByLabel('Search').fill('NHS-PC-0000');
    await page.getByText('Showing 9 of 10000 devices').waitFor();
    await page.getByRole('button', { name: 'Select all 9 shown' }).click();
    await page.getByLabel('Step', { exact: true }).selectOption({ label: IDENTIFY });
    await page.getByRole('group', { name: 'Kind of device' }).getByLabel('Desktop PC').check();
    await page.getByRole('group', { name: 'Architecture' }).getByLabel('64-bit (x64)').check();
    await page
      .getByRole('group', { name: /medical device/ })
      .getByLabel('No')
      .check();
    await page.getByRole('button', { name: `Record “${IDENTIFY}” for 9 devices` }).click();
    const banner = page.getByText(/^Recorded for \d+ devices?/);
    await banner.waitFor({ timeout: 60_000 });
    const done = Number(/Recorded for (\d+)/.exec((await banner.textContent()) ?? '')?.[1]);
    expect(done).toBeGreaterThan(0);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Status').selectOption('in-progress');
    await page.getByText(`Showing ${String(done)} of 10000 devices`).waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export devices (CSV)' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(10_001);
    expect(lines[0]).toContain('"Clearance status"');
    expect(lines.filter((l) => l.endsWith('"In progress"'))).toHaveLength(done);
  }, 120_000);

  it('opens a device, starts its clearance prefilled from the inventory', async () => {
    await page.goto(`${server.origin}/records/${runId}/devices`);
    await page.getByLabel('Search').fill('NHS-PC-00042');
    await page.getByRole('link', { name: 'NHS-PC-00042' }).click();
    await page.getByRole('heading', { level: 1, name: 'NHS-PC-00042' }).waitFor();
    // Its Windows version's reference facts, each with where it comes from.
    const reference = page.getByRole('region', { name: /^MS17-010 updates/ });
    await reference.getByRole('list', { name: 'Where this table comes from' }).waitFor();
    expect(await reference.getByRole('link').count()).toBeGreaterThan(5);
    expect(await reference.textContent()).not.toContain('`');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Start clearance' }).click();
    await page.getByRole('heading', { level: 1, name: 'NHS-PC-00042' }).waitFor();
    await page.getByRole('link', { name: IDENTIFY, exact: true }).click();
    expect(await page.getByLabel('Device name (hostname)').inputValue()).toBe('NHS-PC-00042');
    expect(await page.getByLabel('Asset tag').inputValue()).toBe('A00042');
  }, 60_000);

  it('holds the organisation’s fleet step back while devices are outstanding', async () => {
    await page.goto(`${server.origin}/records/${runId}/steps/fleet-clearance`);
    const rollup = page.getByTestId('fleet-rollup');
    await rollup.waitFor();
    expect(await rollup.textContent()).toMatch(/Devices on this record: 10000\. Cleared: 0\./);
    expect(await rollup.textContent()).toContain(
      'This step cannot be completed until every device is cleared or excepted.',
    );
  });

  it('asked no other host', () => {
    expect(foreignRequests(browser.requests, server.origin)).toEqual([]);
  });
});
