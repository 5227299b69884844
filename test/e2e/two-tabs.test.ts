// Two tabs on one step, in real Chromium against the built app: answers to different fields are
// both kept; the same field saved two ways is shown as a choice with both values, and nothing
// is lost until a person chooses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readStoredEvents, setActor, startRecord } from './flows';
import { launch, mainHeading, serveBuiltApp, type Browser, type Server } from './harness';

const reconnection = /^Reconnect the organisation after a precautionary disconnection/;

describe('two tabs on one step', () => {
  let server: Server;
  let browser: Browser;
  let runId: string;
  let tabA: Page;
  let tabB: Page;

  beforeAll(async () => {
    server = await serveBuiltApp();
    browser = await launch();
    tabA = await browser.context.newPage();
    await tabA.goto(server.url);
    await mainHeading(tabA);
    await setActor(tabA, 'Alex Tab');
    runId = await startRecord(tabA, server.origin, 'Two Tab Trust', reconnection);
    tabB = await browser.context.newPage();
    for (const tab of [tabA, tabB]) {
      await tab.goto(`${server.origin}/records/${runId}/steps/open-record`);
      await tab.getByLabel('Organisation name').waitFor();
    }
  });

  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  /** Saves now (if the draft has not saved itself already) and waits until it is stored. */
  async function saveDraft(tab: Page) {
    await tab.getByRole('button', { name: 'Save draft' }).click();
    await tab
      .getByTestId('save-state')
      .getByText(/^Saved at/)
      .waitFor({ timeout: 20_000 });
  }

  it('keeps both tabs’ answers to different fields, and shows each tab the other’s', async () => {
    // Both forms were opened on the same empty draft (the name as the record was started);
    // each changes one field.
    await tabA.getByLabel('Organisation name').fill('Two Tab Trust NHS');
    await tabB.getByLabel('Local incident reference').fill('INC-2017-0512');
    await saveDraft(tabA);
    await saveDraft(tabB);
    // Each open form shows the other's saved answer in the field it had not touched.
    await expect
      .poll(() => tabB.getByLabel('Organisation name').inputValue(), { timeout: 20_000 })
      .toBe('Two Tab Trust NHS');
    await expect
      .poll(() => tabA.getByLabel('Local incident reference').inputValue(), { timeout: 20_000 })
      .toBe('INC-2017-0512');
    await tabA.reload();
    await expect
      .poll(() => tabA.getByLabel('Organisation name').inputValue(), { timeout: 20_000 })
      .toBe('Two Tab Trust NHS');
    expect(await tabA.getByLabel('Local incident reference').inputValue()).toBe('INC-2017-0512');
  });

  it('shows the same field saved two ways as a choice, loses neither, and keeps the one chosen', async () => {
    // Both type into the same field before either has seen the other's save.
    await tabA.getByLabel('ODS code').fill('RA1');
    await tabB.getByLabel('ODS code').fill('RB2');
    await saveDraft(tabA);
    await saveDraft(tabB);

    for (const tab of [tabA, tabB]) {
      const choice = tab.getByRole('group', {
        name: 'Which answer should be kept for “ODS code”?',
      });
      await choice.waitFor({ timeout: 20_000 });
      await expect.poll(() => choice.getByRole('radio').count()).toBe(2);
      await choice.getByLabel('RA1').waitFor();
      await choice.getByLabel('RB2').waitFor();
      expect(await choice.getByText('Saved by Alex Tab', { exact: false }).count()).toBe(2);
    }
    // Still both after a reload: nothing was overwritten.
    await tabA.reload();
    const choice = tabA.getByRole('group', { name: 'Which answer should be kept for “ODS code”?' });
    await choice.getByLabel('RA1').waitFor({ timeout: 20_000 });
    await choice.getByLabel('RB2').waitFor();
    const events = await readStoredEvents<{
      runId: string;
      seq: number;
      event: { changes?: Record<string, unknown> };
    }>(tabA);
    // The store is keyed by each event's hash, so it is read back in hash order: put the run's
    // events back in the order they were made.
    const odsSaves = events
      .filter((e) => e.runId === runId)
      .sort((a, b) => a.seq - b.seq)
      .map((e) => e.event.changes?.['ods-code'])
      .filter(Boolean);
    // Both saves are kept, once each; which tab's committed first is not the point (either
    // tab's "Saved at" line may still show an earlier save when the next click comes).
    expect(odsSaves.sort()).toEqual(['RA1', 'RB2']);

    // The person chooses; both tabs then show the chosen answer, and no choice is left.
    await choice.getByLabel('RB2').check();
    await tabA.getByRole('button', { name: 'Keep this answer for “ODS code”' }).click();
    for (const tab of [tabA, tabB]) {
      await tab.getByTestId('draft-conflicts').waitFor({ state: 'detached', timeout: 20_000 });
      await expect
        .poll(() => tab.getByLabel('ODS code').inputValue(), { timeout: 20_000 })
        .toBe('RB2');
    }
    await tabB.reload();
    await expect
      .poll(() => tabB.getByLabel('ODS code').inputValue(), { timeout: 20_000 })
      .toBe('RB2');
    expect(await tabB.getByLabel('Organisation name').inputValue()).toBe('Two Tab Trust NHS');
    expect(await tabB.getByLabel('Local incident reference').inputValue()).toBe('INC-2017-0512');
    expect(await tabB.getByTestId('draft-conflicts').count()).toBe(0);
  });
});
