// Inventory measurements: importing 10,000 devices through the app's own path in Chromium
// (read and check in the worker, then store), against bare Papa Parse + Dexie bulkPut of the
// same rows in the same page; and filtering 10,000 devices.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filterDevices, type FleetDevice } from '../../src/inventory/fleetView.ts';
import type { ClearanceStatus } from '../../src/run/fleet.ts';
import { sampleInventoryCsv } from '../lib/sampleInventory.ts';
import { launchBench, serveBench } from './browser.ts';
import { median } from './stats.ts';

export function measureFleetFilter(count = 10_000): number {
  const statuses: ClearanceStatus[] = [
    'not-started',
    'in-progress',
    'needs-approval',
    'cleared',
    'excepted',
  ];
  const devices: FleetDevice[] = Array.from({ length: count }, (_, i) => ({
    id: String(i),
    hostname: `NHS-PC-${String(i).padStart(5, '0')}`,
    assetTag: `A${String(i)}`,
    ip: `10.0.${String(i >> 8)}.${String(i & 255)}`,
    location: `Ward ${String(i % 12)}, room ${String(i % 40)}`,
    owner: 'Clinical Systems',
    osRow: i % 10 === 0 ? null : 'windows-7-sp1',
    status: statuses[i % statuses.length] ?? 'not-started',
  }));
  const label = (row: string | null) => row ?? 'Not recognised';
  const times: number[] = [];
  for (let i = 0; i < 25; i++) {
    const start = performance.now();
    filterDevices(devices, { status: 'outstanding', os: '', search: 'room 3', sort: 'os' }, label);
    times.push(performance.now() - start);
  }
  return median(times.slice(5));
}

export async function measureImport(count = 10_000): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'reconnect-inventory-'));
  const file = join(dir, `inventory-${String(count)}.csv`);
  writeFileSync(file, sampleInventoryCsv(count));
  const server = await serveBench();
  const browser = await launchBench();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/`);
    await page.getByLabel('Who is working?').fill('Bench Technician');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText(/^Working as /).waitFor();
    const app: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < 3; round++) {
      await page.goto(`${server.origin}/records/new`);
      await page.getByLabel('Organisation name').fill(`Bench Trust ${String(round)}`);
      await page
        .getByLabel(/^Reconnect the organisation after a precautionary disconnection/)
        .check();
      await page.getByRole('button', { name: 'Start record' }).click();
      await page.getByRole('heading', { level: 1, name: `Bench Trust ${String(round)}` }).waitFor();
      const runId = /\/records\/([^/?#]+)/.exec(page.url())?.[1] ?? '';
      await page.goto(`${server.origin}/records/${runId}/devices/import`);
      await page.getByLabel('Inventory file (CSV)').setInputFiles(file);
      await page.getByRole('button', { name: 'Check every row' }).click();
      await page.getByRole('button', { name: `Import ${String(count)} devices` }).click();
      await page.getByText(`Imported: ${String(count)} new devices`).waitFor({ timeout: 120_000 });
      const stages = await page.evaluate(() =>
        ['reconnect:import-read', 'reconnect:import-check', 'reconnect:import-store'].map(
          (name) => performance.getEntriesByName(name).pop()?.duration ?? Number.NaN,
        ),
      );
      app.push(stages.reduce((a, b) => a + b, 0));
      const text = sampleInventoryCsv(count);
      raw.push(
        await page.evaluate(async (csv) => {
          const bench = (
            window as unknown as {
              reconnectBench: { rawImport: (text: string) => Promise<number> };
            }
          ).reconnectBench;
          return bench.rawImport(csv);
        }, text),
      );
    }
    const appMs = median(app);
    const rawMs = median(raw);
    return {
      import_10k_ms: appMs,
      raw_import_10k_ms: rawMs,
      import_ratio: Math.round((appMs / rawMs) * 100) / 100,
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
