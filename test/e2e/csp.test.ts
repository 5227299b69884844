// The Content-Security-Policy holds with no violation: the built app never tries what the policy
// forbids (zod's `new Function` probe included, see src/checklist/jitless.ts), and the harness
// that every browser test uses does notice a violation when one happens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, mainHeading, serveBuiltApp, type Browser, type Server } from './harness.ts';

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

describe('content security policy in the browser', () => {
  it('sends the policy and reports no violation on pages that parse with zod', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await mainHeading(page);
    expect(
      await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'),
    ).toContain("script-src 'self'");
    // The record form (zod schemas for the organisation header) and the Verify page.
    await page
      .getByRole('link', { name: /start a new record/i })
      .first()
      .click();
    await mainHeading(page);
    await page.goto(`${server.origin}/verify`);
    expect(await mainHeading(page)).toMatch(/Verify/);
    expect(browser.problems).toEqual([]);
    await page.close();
  });

  it('notices a violation when the page tries to run inline script', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await mainHeading(page);
    // Script evaluated through the DevTools protocol is exempt from the policy, so the page is
    // given an inline script element, which the policy forbids just as it forbids eval.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.head.append(script);
    });
    await expect
      .poll(() => browser.problems.some((p) => p.includes('CSP violation: script-src')), {
        timeout: 15_000,
      })
      .toBe(true);
    // Handled: the harness would otherwise fail this file when the browser closes.
    browser.problems.length = 0;
    await page.close();
  });
});
