// A bulk action in Chromium: one bulk identify over 2,000 devices of an Active Directory export
// with no asset tags (each device a device-run event), started from the devices page as a
// person does, against the same number of single direct saves measured in the same page.
//
// - bulk_identify_2000_ms: from the click to the last committed batch (the page's own
//   'reconnect:bulk-action' measure).
// - bulk_event_ratio: that time, over 2,000 times the median single save (appendEvent's direct
//   path on an organisation step): at most 1 means a device costs no more in bulk than alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBench, serveBench } from './browser.ts';
import { median } from './stats.ts';

function adExport(count: number): string {
  const lines = [
    'DNSHostName,OperatingSystem,OperatingSystemVersion,OperatingSystemServicePack,ObjectGUID,SID',
  ];
  for (let i = 1; i <= count; i++)
    lines.push(
      `PC${String(i).padStart(5, '0')}.trust.nhs.uk,Windows 7 Enterprise,6.1 (7601),Service Pack 1,6f1d2a3b-0000-4000-8000-${String(i).padStart(12, '0')},S-1-5-21-1-2-3-${String(1000 + i)}`,
    );
  return `${lines.join('\r\n')}\r\n`;
}

export async function measureBulkIdentify(count = 2000): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'reconnect-bulk-'));
  const file = join(dir, 'ad-export.csv');
  writeFileSync(file, adExport(count));
  const server = await serveBench();
  const browser = await launchBench();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/`);
    await page.getByLabel('Who is working?').fill('Bench Technician');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText(/^Working as /).waitFor();
    await page.goto(`${server.origin}/records/new`);
    await page.getByLabel('Organisation name').fill('Bench Bulk Trust');
    await page
      .getByLabel(/^Reconnect the organisation after a precautionary disconnection/)
      .check();
    await page.getByRole('button', { name: 'Start record' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bench Bulk Trust' }).waitFor();
    const runId = /\/records\/([^/?#]+)/.exec(page.url())?.[1] ?? '';

    await page.goto(`${server.origin}/records/${runId}/devices/import`);
    await page.getByLabel('Inventory file (CSV)').setInputFiles(file);
    await page.getByRole('button', { name: 'Check every row' }).click();
    await page.getByRole('button', { name: `Import ${String(count)} devices` }).click();
    await page.getByText(`Imported: ${String(count)} new devices`).waitFor({ timeout: 120_000 });

    await page.getByRole('button', { name: `Select all ${String(count)} shown` }).click();
    await page
      .getByLabel('Step', { exact: true })
      .selectOption({ label: 'Identify the device and its Windows version' });
    const form = page.getByRole('form', { name: /^Bulk answers for Identify the device/ });
    await form
      .getByRole('textbox', { name: 'Location (site, ward or room)' })
      .fill('Main hospital site');
    await form.getByRole('textbox', { name: 'Business owner' }).fill('IT Services');
    await form.getByLabel('Desktop PC').check();
    await form.getByLabel('64-bit (x64)').check();
    await form
      .getByRole('group', { name: /medical device, or controlled by its manufacturer/ })
      .getByLabel('No')
      .check();
    await form.getByRole('button', { name: /^Record “Identify the device/ }).click();
    await page
      .getByText(`Recorded for ${String(count)} devices`, { exact: true })
      .waitFor({ timeout: 120_000 });
    const bulk = await page.evaluate(
      () => performance.getEntriesByName('reconnect:bulk-action').pop()?.duration ?? Number.NaN,
    );

    // Single direct saves in the same page, as the answer-commit bench makes them.
    await page.goto(`${server.origin}/records/${runId}/steps/open-record`);
    await page.getByLabel('Out-of-band contacts').waitFor();
    await page.waitForFunction(() => 'reconnectBench' in window);
    const singles = await page.evaluate(
      async ({ id, samples }) => {
        const bench = (
          window as unknown as {
            reconnectBench: { appendEvent: (runId: string, event: unknown) => Promise<unknown> };
          }
        ).reconnectBench;
        const times: number[] = [];
        let previous: string | undefined;
        for (let i = 0; i < samples + 5; i++) {
          const text = `Bridge line ${String(i)}`;
          await bench.appendEvent(id, {
            type: 'step.save',
            stepId: 'open-record',
            changes: { 'out-of-band': text },
            ...(previous ? { base: { 'out-of-band': previous } } : {}),
            actor: { name: 'Bench Technician' },
            at: new Date().toISOString(),
          });
          previous = text;
          const measures = performance.getEntriesByName('reconnect:answer-commit');
          times.push(measures[measures.length - 1]?.duration ?? Number.NaN);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return times.slice(5);
      },
      { id: runId, samples: 40 },
    );
    const single = median(singles);
    return {
      bulk_identify_2000_ms: Math.round(bulk),
      bulk_single_save_ms_median: single,
      bulk_event_ratio: Math.round((bulk / (count * single)) * 1000) / 1000,
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
