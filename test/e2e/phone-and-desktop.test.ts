// Every page on a phone and on a ward PC, in real Chromium against the built app: axe with the
// WCAG 2.2 AA tags at 390 px and at 1280 px wide, no sideways scrolling at 320 px (WCAG 1.4.10
// reflow) nor with text at 200 % (WCAG 1.4.4), the fleet as device cards on a phone, and the bulk actions a few key presses away.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleInventoryCsv } from '../../scripts/lib/sampleInventory.ts';
import { setActor, startRecord } from './flows';
import {
  launch,
  mainHeading,
  serveBuiltApp,
  waitForActivatedServiceWorker,
  type Browser,
  type Server,
} from './harness';

let server: Server;
let browser: Browser;
let page: Page;
let runId: string;
let emptyRunId: string;
let firstStep: string;
let deviceId: string;
const dir = mkdtempSync(join(tmpdir(), 'reconnect-phone-'));

beforeAll(async () => {
  server = await serveBuiltApp();
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(server.url);
  await mainHeading(page);
  await waitForActivatedServiceWorker(page);
  await setActor(page, 'Pat Phone');
  const org = /^Reconnect the organisation after a precautionary disconnection/;
  emptyRunId = await startRecord(page, server.origin, 'Empty Fleet Trust', org);
  // A long name, to see that it wraps rather than pushes the page sideways.
  runId = await startRecord(
    page,
    server.origin,
    'Northamptonshire Healthcare and Community Services NHS Foundation Trust',
    org,
  );
  firstStep =
    /\/steps\/([^/?#]+)/.exec(
      (await page.getByRole('link', { name: /^Continue: / }).getAttribute('href')) ?? '',
    )?.[1] ?? '';
  const file = join(dir, 'inventory.csv');
  writeFileSync(file, sampleInventoryCsv(60));
  await page.goto(`${server.origin}/records/${runId}/devices/import`);
  await page.getByLabel('Inventory file (CSV)').setInputFiles(file);
  await page.getByRole('button', { name: 'Check every row' }).click();
  await page.getByRole('button', { name: 'Import 60 devices' }).click();
  await page.getByText('Imported: 60 new devices').waitFor({ timeout: 60_000 });
  const href = await page.locator('[role="row"] a').first().getAttribute('href');
  deviceId = href?.split('/').pop() ?? '';
}, 120_000);

afterAll(async () => {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every page the app has, with the heading that says it is ready. */
function pages(): { path: string; heading: RegExp }[] {
  return [
    { path: '/', heading: /^Reconnect safely/ },
    { path: '/records/new', heading: /^Start a new record$/ },
    { path: '/approvers', heading: /^Approvers$/ },
    { path: '/verify', heading: /^Verify a completion record$/ },
    { path: '/no-such-page', heading: /^Page not found$/ },
    { path: `/records/${runId}`, heading: /^Northamptonshire/ },
    { path: `/records/${runId}/steps/${firstStep}`, heading: /./ },
    { path: `/records/${runId}/log`, heading: /^Audit log/ },
    { path: `/records/${runId}/devices`, heading: /^Devices$/ },
    { path: `/records/${emptyRunId}/devices`, heading: /^Devices$/ },
    { path: `/records/${runId}/devices/import`, heading: /^Import devices/ },
    { path: `/records/${runId}/devices/${deviceId}`, heading: /./ },
    { path: `/records/${runId}/summary`, heading: /^Readiness summary$/ },
    { path: `/records/${runId}/record`, heading: /./ },
    { path: `/records/${runId}/delete`, heading: /./ },
  ];
}

async function open(path: string, heading: RegExp): Promise<void> {
  await page.goto(`${server.origin}${path}`);
  expect(await mainHeading(page)).toMatch(heading);
  // Live queries and the summary's checks fill the page in after the heading: wait for their
  // messages to go.
  await expect
    .poll(() => page.getByText(/^(Loading|Checking the record)/).count(), { timeout: 15_000 })
    .toBe(0);
}

async function axeViolations(): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`,
  );
}

describe('axe with the WCAG 2.2 AA tags', () => {
  for (const width of [390, 1280]) {
    it(`finds nothing on any page at ${String(width)} px`, async () => {
      await page.setViewportSize({ width, height: 844 });
      const found: string[] = [];
      for (const { path, heading } of pages()) {
        await open(path, heading);
        for (const v of await axeViolations()) found.push(`${path}: ${v}`);
      }
      expect(found).toEqual([]);
    }, 240_000);
  }
});

describe('reflow (WCAG 1.4.10)', () => {
  it('scrolls no page sideways at 320 px', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    const wide: string[] = [];
    for (const { path, heading } of pages()) {
      await open(path, heading);
      const overflow = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      if (overflow.scroll > overflow.client)
        wide.push(`${path}: ${String(overflow.scroll)} px wide in ${String(overflow.client)} px`);
    }
    expect(wide).toEqual([]);
  }, 240_000);

  // Text at 200 % (WCAG 1.4.4 with 1.4.10), as a person gets it from the browser's text-size
  // setting: the default font size doubled (every rem and em with it, media queries included),
  // on a ward PC's screen and on a phone. Nothing may push the page sideways.
  for (const width of [1280, 390]) {
    it(`scrolls no page sideways with text at 200 % at ${String(width)} px`, async () => {
      await page.setViewportSize({ width, height: 800 });
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send('Page.enable');
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32, fixed: 26 } });
      try {
        const wide: string[] = [];
        for (const { path, heading } of pages()) {
          await open(path, heading);
          const overflow = await page.evaluate(() => {
            const root = document.documentElement;
            // The text really is twice the size, or this test would prove nothing.
            const rootSize = parseFloat(getComputedStyle(root).fontSize);
            // What sticks out past the right edge, to say where to look.
            // (the last in document order: the innermost), outside any box that scrolls it.
            const clipped = (el: Element) => {
              for (let a = el.parentElement; a && a !== root; a = a.parentElement)
                if (getComputedStyle(a).overflowX !== 'visible') return true;
              return false;
            };
            const culprit = [...document.querySelectorAll('body *')].findLast((el) => {
              const box = el.getBoundingClientRect();
              return box.width > 0 && box.right > root.clientWidth + 0.5 && !clipped(el);
            });
            return {
              rootSize,
              scroll: root.scrollWidth,
              client: root.clientWidth,
              culprit: culprit
                ? `${culprit.tagName.toLowerCase()}.${[...culprit.classList].join('.')}`
                : '',
            };
          });
          expect(overflow.rootSize).toBe(32);
          if (overflow.scroll > overflow.client)
            wide.push(
              `${path}: ${String(overflow.scroll)} px wide in ${String(overflow.client)} px (${overflow.culprit})`,
            );
        }
        expect(wide).toEqual([]);
      } finally {
        await cdp.send('Page.setFontSizes', { fontSizes: { standard: 16, fixed: 13 } });
        await cdp.detach();
      }
    }, 240_000);
  }

  it('shows the fleet as device cards on a phone, each one whole', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    await open(`/records/${runId}/devices`, /^Devices$/);
    const row = page.locator('.app-device-scroll [role="row"]').first();
    await row.waitFor();
    const box = await row.boundingBox();
    const scroller = await page.locator('.app-device-scroll').boundingBox();
    if (!box || !scroller) throw new Error('no device rows');
    // A card: as wide as the list, tall enough for its lines, not a 56 px table row.
    expect(box.width).toBeGreaterThan(scroller.width - 20);
    expect(box.height).toBeGreaterThan(80);
    // Its content fits inside it: nothing is cut off at the card's edge.
    const cut = await row.evaluate((el) =>
      [...el.querySelectorAll('[role="cell"]')].some(
        (cell) => cell.getBoundingClientRect().bottom > el.getBoundingClientRect().bottom + 1,
      ),
    );
    expect(cut).toBe(false);
    await expect.poll(() => row.getByText('Operating system:').isVisible()).toBe(true);
  }, 60_000);
});

describe('bulk actions by keyboard', () => {
  it('reaches the bulk actions in a handful of presses after selecting', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(`/records/${runId}/devices`, /^Devices$/);
    await page.getByRole('button', { name: 'Select all 60 shown' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('60 selected').first().waitFor();
    let presses = 0;
    const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');
    while (!(await focusedText()).startsWith('Go to actions for 60 selected devices')) {
      await page.keyboard.press('Tab');
      presses++;
      if (presses > 5) throw new Error('the bulk actions link is not within 5 presses');
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('bulk-actions');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('bulk-step');
  }, 60_000);
});
