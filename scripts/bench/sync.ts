// Sync in Chromium through the real app, against a CouchDB-protocol server (pouchdb-server,
// started here on 127.0.0.1 and stopped afterwards, as the sync tests start it). The record: an
// organisation with 1,000 devices, each with a clearance run of 20 saves — 20,000 events.
//
// - sync_bundle_import_20k_events_ms: a fresh profile imports that record as a bundle through
//   the share page: the check the preview makes ('reconnect:bundle-check': reading and checking
//   the file, planning with every chain checked and replayed) plus the import that follows
//   ('reconnect:bundle-import': the one transaction). A pull does all of that work too, so the
//   ratio compares like with like.
// - sync_push_20k_events_ms: that profile, now holding the record, sets up sync on the sync page
//   and starts it. From the app's mark 'reconnect:sync-start' (the session starts: before the
//   outbox turns the record into documents) to its first mark 'reconnect:sync-up-to-date' after
//   it (push and pull both idle, and the server, asked with _revs_diff, lacks nothing: the outbox
//   reports nothing waiting). The bench then checks that the server holds every document.
// - sync_pull_20k_events_ms: a fresh profile sets up sync with the same server and starts it.
//   From 'reconnect:sync-start' to the end of the last 'reconnect:sync-receive' measure (a batch
//   of pulled documents through the verify-then-merge door, committed), once the bench has seen
//   every event in the profile's database and every record's head equal to the bundle's heads.
// - sync_pull_door_ms: the sum of the 'reconnect:sync-receive' measures (time in the door; the
//   rest of the pull is replication: HTTP and the local mirror).
// - sync_pull_ratio: sync_pull_20k_events_ms over sync_bundle_import_20k_events_ms.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { partsToDocs } from '../../src/sync/partDocs.ts';
import { installDesignDoc } from '../../src/sync/installDesignDoc.ts';
import { createOrgDatabase, createUser, startCouchServer } from '../lib/couchServer.ts';
import { launchBench, serveBench } from './browser.ts';
import { importThroughSharePage, largeBundle, lastMeasure, setBenchActor } from './bundle.ts';

const DEVICES = 1_000;
const EVENTS_PER_RUN = 20;
export const DATABASE = 'bench-reconnect';
export const USER = { name: 'bench', password: 'bench-sync-password' };
/** Generous: the figures are what this reports, not a pass or fail. */
const WAIT_MS = 30 * 60_000;

export async function waitForActivatedServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (!worker || worker.state === 'activated') return;
    await new Promise<void>((resolve) => {
      worker.addEventListener('statechange', () => {
        if (worker.state === 'activated') resolve();
      });
    });
  });
}

/** Sets up sync on the sync page as a person does, then types the password and starts it. */
export async function startSyncing(page: Page, origin: string, server: string): Promise<void> {
  await page.goto(`${origin}/sync`);
  await page.getByLabel('Sync server address').fill(server);
  await page.getByLabel('Database name').fill(DATABASE);
  await page.getByLabel('Sync user name').fill(USER.name);
  await page.getByRole('button', { name: 'Save and allow this server' }).click();
  // Saving reloads the app under a policy that lets it reach this server.
  await page.getByLabel('Sync password').waitFor({ timeout: 60_000 });
  await page.getByLabel('Sync password').fill(USER.password);
  await page.getByRole('button', { name: 'Start syncing' }).click();
}

/** Milliseconds from 'reconnect:sync-start' to the first 'reconnect:sync-up-to-date' after it. */
export async function untilUpToDate(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => {
      const start = performance.getEntriesByName('reconnect:sync-start', 'mark').at(-1);
      if (!start) return undefined;
      const done = performance
        .getEntriesByName('reconnect:sync-up-to-date', 'mark')
        .find((m) => m.startTime >= start.startTime);
      return done ? done.startTime - start.startTime : undefined;
    },
    undefined,
    { timeout: WAIT_MS, polling: 250 },
  );
  return Number(await handle.jsonValue());
}

/** Every event and every record's head in the profile's database, as the bundle has them. */
export async function untilMerged(
  page: Page,
  events: number,
  heads: Record<string, string>,
): Promise<void> {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const done = await page.evaluate(
      async ({ events, heads }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('reconnect');
          open.onsuccess = () => {
            resolve(open.result);
          };
          open.onerror = () => {
            reject(open.error ?? new Error('open failed'));
          };
        });
        try {
          const count = await new Promise<number>((resolve, reject) => {
            // Events are stored in packs: the index of every hash counts events.
            const request = db
              .transaction('eventPacks', 'readonly')
              .objectStore('eventPacks')
              .index('hashes')
              .count();
            request.onsuccess = () => {
              resolve(request.result);
            };
            request.onerror = () => {
              reject(request.error ?? new Error('count failed'));
            };
          });
          if (count < events) return false;
          const runs = await new Promise<{ runId: string; head: { hash: string } }[]>(
            (resolve, reject) => {
              const request = db.transaction('runs', 'readonly').objectStore('runs').getAll();
              request.onsuccess = () => {
                resolve(request.result as { runId: string; head: { hash: string } }[]);
              };
              request.onerror = () => {
                reject(request.error ?? new Error('read failed'));
              };
            },
          );
          const held = new Map(runs.map((r) => [r.runId, r.head.hash]));
          return Object.entries(heads).every(([runId, hash]) => held.get(runId) === hash);
        } finally {
          db.close();
        }
      },
      { events, heads },
    );
    if (done) return;
    if (Date.now() > deadline) throw new Error('the pull did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The pull's end (the last batch through the door) from its start, and the door's total. */
export async function pullTimes(page: Page): Promise<{ pullMs: number; doorMs: number }> {
  return page.evaluate(() => {
    const start = performance.getEntriesByName('reconnect:sync-start', 'mark').at(-1);
    const batches = performance
      .getEntriesByName('reconnect:sync-receive', 'measure')
      .filter((m) => start && m.startTime >= start.startTime);
    const last = batches.at(-1);
    if (!start || !last) return { pullMs: NaN, doorMs: NaN };
    return {
      pullMs: last.startTime + last.duration - start.startTime,
      doorMs: batches.reduce((sum, m) => sum + m.duration, 0),
    };
  });
}

export async function measureSync(log: (message: string) => void): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'reconnect-sync-bench-'));
  const { text, parts, heads } = await largeBundle(DEVICES, DEVICES, EVENTS_PER_RUN);
  const file = join(dir, 'record.reconnect');
  writeFileSync(file, text);
  const expectedIds = partsToDocs(parts).map((d) => d._id);
  const expectedHeads = Object.fromEntries(
    heads.filter((h) => h.seq > 0).map((h) => [h.runId, h.hash]),
  );
  const app = await serveBench();
  const couch = await startCouchServer({ corsOrigins: [app.origin] });
  const profiles: Awaited<ReturnType<typeof launchBench>>[] = [];
  try {
    await createOrgDatabase(couch, DATABASE);
    await createUser(couch, USER.name, USER.password);
    const installed = await installDesignDoc(`${couch.url}/${DATABASE}`, couch.adminAuthorization);
    if (!installed.ok) throw new Error(`design document: ${installed.reason}`);

    const open = async () => {
      const profile = await launchBench();
      profiles.push(profile);
      const page = await profile.context.newPage();
      await page.goto(`${app.origin}/`);
      await waitForActivatedServiceWorker(page);
      await setBenchActor(page);
      return page;
    };

    const pusher = await open();
    const importMs =
      (await importThroughSharePage(pusher, app.origin, file)) +
      (await lastMeasure(pusher, 'reconnect:bundle-check'));
    log(
      `  bundle import of ${String(parts.events.length)} events: ${String(Math.round(importMs))} ms`,
    );
    await startSyncing(pusher, app.origin, couch.url);
    const pushMs = await untilUpToDate(pusher);
    const response = await couch.adminFetch(`/${DATABASE}/_all_docs`, {
      method: 'POST',
      body: JSON.stringify({ keys: expectedIds }),
    });
    const rows = ((await response.json()) as { rows: { error?: string }[] }).rows;
    const missing = rows.filter((r) => r.error).length;
    if (!response.ok || rows.length !== expectedIds.length || missing > 0)
      throw new Error(`after the push the server lacks ${String(missing)} documents`);
    log(`  push of ${String(expectedIds.length)} documents: ${String(Math.round(pushMs))} ms`);

    const puller = await open();
    await startSyncing(puller, app.origin, couch.url);
    await untilMerged(puller, parts.events.length, expectedHeads);
    const { pullMs, doorMs } = await pullTimes(puller);
    log(
      `  pull: ${String(Math.round(pullMs))} ms, of which the door ${String(Math.round(doorMs))} ms`,
    );
    return {
      sync_bundle_import_20k_events_ms: Math.round(importMs),
      sync_push_20k_events_ms: Math.round(pushMs),
      sync_pull_20k_events_ms: Math.round(pullMs),
      sync_pull_door_ms: Math.round(doorMs),
      sync_pull_ratio: Math.round((pullMs / importMs) * 100) / 100,
    };
  } finally {
    for (const p of profiles) await p.close();
    await couch.dispose();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
