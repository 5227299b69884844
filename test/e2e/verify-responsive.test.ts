// The Verify page checks a file in a worker: with a 1,000,000-member JSON file (about 15 MB) it
// keeps answering clicks while the check runs, says why the file is refused in a message of
// bounded length, and can stop the check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, mainHeading, serveBuiltApp, type Browser, type Server } from './harness.ts';

let server: Server;
let browser: Browser;
let hostile: Buffer;

beforeAll(async () => {
  server = await serveBuiltApp();
  browser = await launch();
  const members: string[] = [];
  for (let i = 0; i < 1_000_000; i++) members.push(`"member${String(i)}":${String(i)}`);
  hostile = Buffer.from(`{${members.join(',')}}\n`);
});

afterAll(async () => {
  await browser.close();
  await server.close();
});

async function openVerify(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/verify`);
  expect(await mainHeading(page)).toBe('Verify a completion record');
  // How long each click waits before the page handles it: from the moment the browser made the
  // event (event.timeStamp) to its dispatch. A blocked main thread makes this grow.
  await page.evaluate(() => {
    const w = window as unknown as { clickDelays: number[] };
    w.clickDelays = [];
    document.addEventListener(
      'click',
      (event) => {
        w.clickDelays.push(performance.now() - event.timeStamp);
      },
      true,
    );
  });
  return page;
}

const choose = (page: Page) =>
  page.getByLabel('Record file').setInputFiles({
    name: 'million.json',
    mimeType: 'application/json',
    buffer: hostile,
  });

describe('verifying a 1,000,000-member file', () => {
  it('answers clicks throughout the check, then refuses the file in a short message', async () => {
    const page = await openVerify();
    await choose(page);
    await page.getByText('Checking million.json…').waitFor({ timeout: 30_000 });
    const heading = await page.getByRole('heading', { level: 1 }).boundingBox();
    if (!heading) throw new Error('no heading to click');
    const verdict = page.getByTestId('verify-result');
    // Click the heading (it does nothing) again and again until the verdict is shown. The mouse
    // goes straight to the browser, without waiting for the page to be idle first.
    let clicks = 0;
    while (!(await verdict.isVisible())) {
      await page.mouse.click(heading.x + 5, heading.y + 5);
      clicks++;
    }
    const delays = await page.evaluate(
      () => (window as unknown as { clickDelays: number[] }).clickDelays,
    );
    expect(clicks).toBeGreaterThanOrEqual(3);
    expect(delays.length).toBeGreaterThanOrEqual(3);
    // Checking in the page itself stalled it for 4–5 s on an idle machine; in the worker a click
    // is handled at once. The bound leaves room for a machine busy with other work.
    // Measured here: 151 clicks, the slowest handled after 28 ms. The typical click must be
    // answered within 100 ms, and none may wait long enough to look like a stall.
    const sorted = [...delays].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(100);
    expect(Math.max(...delays)).toBeLessThan(500);

    const message = (await page.locator('#verify-result-message').textContent()) ?? '';
    expect(message).toContain('a record file has exactly the members "payload", "protected"');
    expect(message).toContain('and 999,990 more');
    expect(message.length).toBeLessThan(2_000);
    await page.close();
  });

  it('stops the check when asked, and checks again when the file is chosen again', async () => {
    const page = await openVerify();
    await choose(page);
    const stop = page.getByRole('button', { name: 'Stop checking' });
    await stop.click({ timeout: 30_000 });
    await page
      .getByText('Checking million.json was stopped. It has not been verified')
      .waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('verify-result').count()).toBe(0);
    await choose(page);
    await page.getByRole('heading', { name: 'Not valid' }).waitFor({ timeout: 120_000 });
    await page.close();
  });
});
