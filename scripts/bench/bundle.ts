// Record bundles in Chromium: a record with 10,000 devices of which 2,000 have a clearance run
// of 15 events, made in Node as a bundle, imported through the app's share page (file chooser,
// check, import) and exported again from it.
//
// - bundle_check_ms: what a person waits for after choosing the file, before the preview shows
//   what importing it would do ('reconnect:bundle-check': reading the file, checking its
//   signature, digests, every event's hash and link, and planning the merge, every new branch
//   replayed through its checklist machine).
// - bundle_import_ms: what a person waits for after choosing to import what the preview showed
//   (the import door's own measure, 'reconnect:bundle-import': the one transaction that reads
//   this device's side again, plans again if it changed since the preview — else keeps the
//   preview's plan — and writes it). The file the preview checked is not read again.
//   bundle_import_write_ms is its part from the writes issued to their commit
//   ('reconnect:merge-write'): the browser's own work on the rows.
// - bundle_export_ms: the export's own measure ('reconnect:bundle-export': gathering the parts,
//   digests, signing, the file's text).
// - bundle_import_ratio: bundle_import_ms over a bare IndexedDB put of the same rows (events,
//   runs, inventory, device states) in one transaction, in the same page. Events are stored in
//   packs (src/db/eventStore.ts: one row per branch of a run, keyed by its first hash, indexed by
//   run and place and by every hash it holds), so the bare put writes the same pack rows, cut
//   the same way (src/db/eventPacks.ts), into a store with the same key and indexes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MachineEvent } from '../../src/checklist/events.ts';
import { compileChecklist } from '../../src/checklist/machine.ts';
import { makeBundle } from '../../src/exchange/bundle.ts';
import { emptyParts, type Manifest, type Parts } from '../../src/exchange/format.ts';
import { jwkThumbprint, PublicJwkSchema } from '../../src/record/keys.ts';
import type { RunHeader } from '../../src/run/header.ts';
import { nextEntry, type LogEntry } from '../../src/run/log.ts';
import { packsOf } from '../../src/db/eventPacks.ts';
import { applyEvent, initialRunState } from '../../src/run/replay.ts';
import { loadChecklists } from '../lib/checklistLoader.ts';
import type { Page } from 'playwright-core';
import { launchBench, serveBench } from './browser.ts';

const DEFAULT_DEVICES = 10_000;
const DEFAULT_STARTED = 2_000;
const DEFAULT_EVENTS = 15;

/**
 * The bundle a coordinator's laptop would make for such a record: DEVICES in the inventory, the
 * first STARTED of them with a clearance run of EVENTS saves.
 */
export async function largeBundle(
  DEVICES = DEFAULT_DEVICES,
  STARTED = DEFAULT_STARTED,
  EVENTS = DEFAULT_EVENTS,
): Promise<{ text: string; runId: string; parts: Parts; heads: Manifest['heads'] }> {
  const all = loadChecklists().checklists;
  const org = all.find((c) => c.definition.id === 'org-reconnection');
  const device = all.find((c) => c.definition.id === 'device-clearance');
  if (!org || !device) throw new Error('checklists missing');
  const compiledDevice = compileChecklist(device);
  const parts: Parts = emptyParts();
  const at = (n: number) => new Date(Date.UTC(2017, 4, 15, 9, 0, 0) + n * 1000).toISOString();
  const runId = 'bench-org-0000-4000-8000-000000000000';
  const orgHeader: RunHeader = {
    runId,
    kind: 'organisation',
    organisation: { name: 'Bench Bundle Trust' },
    checklist: {
      id: org.definition.id,
      version: org.definition.version,
      contentHash: org.contentHash,
    },
    createdAt: at(0),
    createdBy: 'Cat Coordinator',
  };
  parts.runs.push(orgHeader);
  parts.checklists.push(
    { contentHash: org.contentHash, definition: org.definition as never },
    { contentHash: device.contentHash, definition: device.definition as never },
  );
  const devices: Parts['inventories'][number]['devices'] = [];
  for (let i = 0; i < DEVICES; i++) {
    const hostname = `PC${String(i).padStart(5, '0')}`;
    devices.push({
      id: `dev-${String(i).padStart(32, '0')}`,
      key: hostname.toLowerCase(),
      hostname,
      assetTag: `A${String(i).padStart(6, '0')}`,
      ip: `10.${String(i >> 16)}.${String((i >> 8) & 255)}.${String(i & 255)}`,
      osCaption: 'Microsoft Windows 7 Enterprise',
      osVersion: '6.1.7601',
      osRow: 'windows-7-sp1',
      osBecause: 'recognised',
      location: `Ward ${String(i % 40)}`,
      source: { file: 'sccm.csv', line: i + 2, importedAt: at(1), importedBy: 'Cat Coordinator' },
    });
  }
  parts.inventories.push({ orgRunId: runId, devices, updatedAt: at(1) });
  const heads = [{ runId, seq: 0, hash: '' }];
  for (let d = 0; d < STARTED; d++) {
    const header: RunHeader = {
      runId: `bench-dev-${String(d).padStart(27, '0')}`,
      kind: 'device',
      organisation: orgHeader.organisation,
      checklist: {
        id: device.definition.id,
        version: device.definition.version,
        contentHash: device.contentHash,
      },
      parentRunId: runId,
      deviceId: devices[d]?.id ?? '',
      createdAt: at(2),
      createdBy: 'Ann Technician',
    };
    parts.runs.push(header);
    let state = initialRunState(compiledDevice);
    let previous: LogEntry | undefined;
    let location = devices[d]?.location ?? '';
    for (let e = 0; e < EVENTS; e++) {
      const next = `Ward ${String(d % 40)}, bay ${String(e)}`;
      const event: MachineEvent = {
        type: 'step.save',
        stepId: 'identify',
        changes: { location: next },
        ...(e > 0 ? { base: { location } } : {}),
        actor: { name: 'Ann Technician' },
        at: at(10 + d * EVENTS + e),
      };
      const result = applyEvent(compiledDevice, state, event);
      if (!result.ok) throw new Error(result.rejection.message);
      state = result.state;
      previous = nextEntry(header, previous, result.event);
      parts.events.push(previous);
      location = next;
    }
    heads.push({ runId: header.runId, seq: previous?.seq ?? 0, hash: previous?.hash ?? '' });
  }
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const publicJwk = PublicJwkSchema.parse({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  const { text } = await makeBundle(
    parts,
    heads,
    { kind: 'handoff', createdBy: 'Cat Coordinator' },
    {
      identity: {
        id: 'bench-device',
        name: 'Coordinator laptop',
        publicJwk,
        fingerprint: await jwkThumbprint(publicJwk),
      },
      privateKey: pair.privateKey,
    },
  );
  return { text, runId, parts, heads };
}

/** The duration of the page's latest performance measure of that name (NaN if none). */
export function lastMeasure(page: Page, name: string): Promise<number> {
  return page.evaluate(
    (n) => performance.getEntriesByName(n, 'measure').at(-1)?.duration ?? NaN,
    name,
  );
}

/** Names who is working, as a person does on the home page (the app asks before anything). */
export async function setBenchActor(page: Page, name = 'Bench Technician'): Promise<void> {
  await page.getByLabel('Who is working?').fill(name);
  await page.getByRole('button', { name: 'Save name' }).click();
  await page.getByText(/^Working as /).waitFor();
}

/**
 * Imports a bundle file through the share page (file chooser, check, import) and returns the
 * import door's own measure, 'reconnect:bundle-import' (see importBundle.ts).
 */
export async function importThroughSharePage(
  page: Page,
  origin: string,
  file: string,
): Promise<number> {
  await page.goto(`${origin}/share`);
  await page.getByLabel('Reconnect file (.reconnect)').setInputFiles(file);
  await page.getByRole('heading', { name: /checked:/ }).waitFor({ timeout: 300_000 });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText(/^Imported /).waitFor({ timeout: 300_000 });
  return lastMeasure(page, 'reconnect:bundle-import');
}

export async function measureBundle(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'reconnect-bundle-'));
  const { text } = await largeBundle();
  const file = join(dir, 'large.reconnect');
  writeFileSync(file, text);
  const server = await serveBench();
  const browser = await launchBench();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/`);
    await setBenchActor(page);
    const importMs = await importThroughSharePage(page, server.origin, file);
    const checkMs = await lastMeasure(page, 'reconnect:bundle-check');
    const writeMs = await lastMeasure(page, 'reconnect:merge-write');

    // The same rows, put bare into a database of the same shape, in one transaction: the
    // events as the same pack rows the app stores them in.
    const packs = JSON.stringify(packsOf((JSON.parse(text) as { parts: Parts }).parts.events));
    const bareMs = await page.evaluate(
      async ([bundleText, packText]) => {
        const bundle = JSON.parse(bundleText) as { parts: Parts };
        const packRows = JSON.parse(packText) as object[];
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('bench-bare', 1);
          open.onupgradeneeded = () => {
            const d = open.result;
            const events = d.createObjectStore('eventPacks', { keyPath: 'firstHash' });
            events.createIndex('[runId+first+last]', ['runId', 'first', 'last']);
            events.createIndex('hashes', 'hashes', { unique: true, multiEntry: true });
            const runs = d.createObjectStore('runs', { keyPath: 'runId' });
            runs.createIndex('updatedAt', 'updatedAt');
            runs.createIndex('kind', 'kind');
            runs.createIndex('parentRunId', 'parentRunId');
            d.createObjectStore('inventories', { keyPath: 'orgRunId' });
            d.createObjectStore('deviceStates', { keyPath: 'deviceId' }).createIndex(
              'orgRunId',
              'orgRunId',
            );
          };
          open.onsuccess = () => {
            resolve(open.result);
          };
          open.onerror = () => {
            reject(open.error ?? new Error('open failed'));
          };
        });
        const start = performance.now();
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction(
            ['eventPacks', 'runs', 'inventories', 'deviceStates'],
            'readwrite',
            { durability: 'strict' },
          );
          for (const p of packRows) tx.objectStore('eventPacks').put(p);
          for (const r of bundle.parts.runs)
            tx.objectStore('runs').put({ ...r, updatedAt: r.createdAt });
          for (const i of bundle.parts.inventories) tx.objectStore('inventories').put(i);
          for (const r of bundle.parts.runs)
            if (r.deviceId)
              tx.objectStore('deviceStates').put({
                deviceId: r.deviceId,
                orgRunId: r.parentRunId,
                clearanceRunId: r.runId,
                status: 'in-progress',
              });
          tx.oncomplete = () => {
            resolve();
          };
          tx.onerror = () => {
            reject(tx.error ?? new Error('put failed'));
          };
        });
        const ms = performance.now() - start;
        db.close();
        return ms;
      },
      [text, packs] as const,
    );

    const download = page.waitForEvent('download');
    await page.getByLabel('Bench Bundle Trust', { exact: true }).check();
    await page.getByLabel(/^To carry on on another device/).check();
    await page.getByRole('button', { name: 'Download the file' }).click();
    await download;
    const exportMs = await lastMeasure(page, 'reconnect:bundle-export');
    return {
      bundle_export_ms: Math.round(exportMs),
      bundle_check_ms: Math.round(checkMs),
      bundle_import_ms: Math.round(importMs),
      bundle_import_write_ms: Math.round(writeMs),
      bundle_import_ratio: Math.round((importMs / bareMs) * 100) / 100,
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
