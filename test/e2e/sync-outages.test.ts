// Two profiles syncing through a CouchDB-protocol server (pouchdb-server, started here on
// 127.0.0.1) when things go wrong. The server is killed (SIGKILL) while a large push is under
// way and started again on the same port and folder: the status line says plainly that the
// server cannot be reached, sync resumes by itself, the server ends with every document once and
// the other profile with everything. A server that refuses a write (a user with read access
// only, enforced by a validate_doc_update as CouchDB deployments do) gives a plain message and
// nothing made here is lost: once the user may write, the refused work goes.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgDatabase,
  createUser,
  startCouchServer,
  type CouchServer,
} from '../../scripts/lib/couchServer.ts';
import { sampleInventoryCsv } from '../../scripts/lib/sampleInventory.ts';
import { installDesignDoc } from '../../src/sync/installDesignDoc.ts';
import { readStore, readStoredEvents } from './flows';
import { serveBuiltApp, type Server } from './harness';
import {
  expectServerDown,
  go,
  listBoundaries,
  openProfile,
  serverDocCount,
  serverDocs,
  setUpSync,
  signIn,
  startRecordInApp,
  statusLineSays,
  upToDate,
  type Person,
} from './syncFlows';

const database = 'outages-reconnect';
const devices = 3000;
let app: Server;
let couch: CouchServer;
const people: Record<'ann' | 'ben', Person> = {} as never;
const writer = ['reconnect', 'reconnect-writer'];

/**
 * How a CouchDB database is made read-only for some of its members: a second design document
 * whose validate_doc_update refuses writes from users without the writer role.
 */
const writersOnly = {
  _id: '_design/writers',
  validate_doc_update: `function (newDoc, oldDoc, userCtx) {
    if (userCtx.roles.indexOf('_admin') === -1 && userCtx.roles.indexOf('reconnect-writer') === -1)
      throw({ forbidden: 'user ' + userCtx.name + ' may read this database but not write to it' });
  }`,
};

async function setRoles(name: string, roles: string[]) {
  const path = `/_users/org.couchdb.user:${name}`;
  const user = (await (await couch.adminFetch(path)).json()) as Record<string, unknown>;
  const response = await couch.adminFetch(path, {
    method: 'PUT',
    body: JSON.stringify({ ...user, roles }),
  });
  expect(response.ok).toBe(true);
}

interface Inventory {
  orgRunId: string;
  devices: { id: string; hostname?: string }[];
}

async function devicesOf(page: Page, orgRunId: string) {
  const rows = await readStore<Inventory>(page, 'inventories');
  return rows.find((r) => r.orgRunId === orgRunId)?.devices ?? [];
}

async function eventHashes(page: Page, runId: string): Promise<string[]> {
  return (await readStoredEvents<{ hash: string; runId: string }>(page))
    .filter((e) => e.runId === runId)
    .map((e) => e.hash)
    .sort();
}

beforeAll(async () => {
  app = await serveBuiltApp();
  couch = await startCouchServer({ corsOrigins: [app.origin] });
  await createOrgDatabase(couch, database);
  await createUser(couch, 'ann', 'ann-sync-password', writer);
  await createUser(couch, 'ben', 'ben-sync-password', writer);
  await installDesignDoc(`${couch.url}/${database}`, couch.adminAuthorization);
  const put = await couch.adminFetch(`/${database}/_design/writers`, {
    method: 'PUT',
    body: JSON.stringify(writersOnly),
  });
  expect(put.ok).toBe(true);
  people.ann = await openProfile(app.url, couch, database, 'Ann Technician');
  people.ben = await openProfile(app.url, couch, database, 'Ben Technician');
  for (const [name, p] of Object.entries(people)) {
    expectServerDown(p.browser, couch);
    await setUpSync(p.page, app.origin, couch, database, name);
  }
}, 180_000);

afterAll(async () => {
  for (const p of Object.values(people)) await p.browser.close();
  await couch.dispose();
  await app.close();
});

describe('sync when the server fails or refuses', () => {
  it('resumes after the server is killed mid-push, losing and duplicating nothing', async () => {
    const ann = people.ann.page;
    const ben = people.ben.page;
    await signIn(ann, 'ann-sync-password');
    await signIn(ben, 'ben-sync-password');
    await upToDate(ann);
    await upToDate(ben);
    const orgRunId = await startRecordInApp(
      ann,
      'Outage Trust',
      /^Reconnect the organisation after a precautionary disconnection/,
    );
    await upToDate(ann);
    const before = await serverDocCount(couch, database);

    // A large inventory: thousands of documents to push, in more than one batch. The push's
    // second request is held at the network until the server is dead, so the server dies
    // mid-push however fast or slow this machine is.
    let bulkRequests = 0;
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await ann.route(`${couch.url}/${database}/_bulk_docs`, async (route) => {
      bulkRequests += 1;
      if (bulkRequests > 1) await held;
      await route.continue().catch(() => undefined);
    });
    await go(ann, `/records/${orgRunId}/devices/import`);
    await ann.getByRole('heading', { name: 'Import devices from a CSV file' }).waitFor();
    await ann.getByLabel('Inventory file (CSV)').setInputFiles({
      name: 'sccm.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(sampleInventoryCsv(devices)),
    });
    await ann.getByRole('button', { name: 'Check every row' }).click();
    await ann.getByRole('button', { name: `Import ${String(devices)} devices` }).click();
    await ann
      .getByText(`Imported: ${String(devices)} new devices, 0 updated`)
      .waitFor({ timeout: 90_000 });

    // The push is under way (a later request held, the server holding some, not all): the
    // server dies. Both are waited for: under load, the new record's own events can still be on
    // their way when the count above is read, and the server's count grows with them before
    // the inventory's first request is sent.
    let seen = before;
    await expect
      .poll(
        async () => {
          seen = await serverDocCount(couch, database);
          return bulkRequests > 1 && seen > before;
        },
        { timeout: 90_000, interval: 50 },
      )
      .toBe(true);
    await couch.kill();
    release?.();
    await ann.unrouteAll({ behavior: 'ignoreErrors' });
    expect(bulkRequests).toBeGreaterThan(1);
    expect(seen).toBeLessThan(before + devices);

    // Ann sees it plainly on the record page she is on.
    await go(ann, `/records/${orgRunId}/devices`);
    const down = await statusLineSays(
      ann,
      /Cannot reach the sync server.*[1-9]\d* changes? waiting to be sent/s,
    );
    expect(down).toContain(`Cannot reach the sync server at ${couch.url}`);
    expect(down).toMatch(/Your work is saved on this device/);
    expect(down).toMatch(/[1-9]\d* changes? waiting to be sent/);

    // Back on the same port and folder: sync resumes by itself.
    await couch.restart();
    await statusLineSays(ann, /^Up to date\. .*Nothing waiting to be sent\./, 180_000);

    // The server holds every device once, every event once, nothing in conflict.
    const annDevices = await devicesOf(ann, orgRunId);
    expect(annDevices.length).toBe(devices);
    const deviceDocs = await serverDocs(couch, database, {
      startkey: `device:${orgRunId}:`,
      endkey: `device:${orgRunId}:\ufff0`,
    });
    expect(deviceDocs.length).toBe(devices);
    const annEvents = await eventHashes(ann, orgRunId);
    const eventDocs = await serverDocs(couch, database, {
      startkey: `event:${orgRunId}:`,
      endkey: `event:${orgRunId}:\ufff0`,
    });
    expect(eventDocs.map((r) => r.id.split(':')[2]).sort()).toEqual(annEvents);
    for (const row of [...deviceDocs, ...eventDocs]) {
      expect(row.doc?._rev).toMatch(/^1-/);
      expect(row.doc?._conflicts).toBeUndefined();
    }

    // Ben gets all of it, once.
    await expect
      .poll(async () => (await devicesOf(ben, orgRunId)).length, { timeout: 180_000 })
      .toBe(devices);
    const benDevices = await devicesOf(ben, orgRunId);
    expect(new Set(benDevices.map((d) => d.id))).toEqual(new Set(annDevices.map((d) => d.id)));
    expect(await eventHashes(ben, orgRunId)).toEqual(annEvents);
    // A device's own page is a record page: it says how sync stands.
    const one = benDevices[0];
    if (!one) throw new Error('no device');
    await go(ben, `/records/${orgRunId}/devices/${encodeURIComponent(one.id)}`);
    await ben.getByRole('heading', { level: 1, name: one.hostname ?? '' }).waitFor();
    await statusLineSays(ben, /^Up to date\./);
  }, 600_000);

  it('says plainly when the server refuses a change, and keeps it until it is allowed', async () => {
    const ann = people.ann.page;
    const ben = people.ben.page;
    // Ben may now only read the database.
    await setRoles('ben', ['reconnect']);
    const runId = await startRecordInApp(ben, 'Read Only Trust', /^Block SMB at the network/);
    await listBoundaries(ben, runId);
    const made = await eventHashes(ben, runId);
    expect(made.length).toBeGreaterThan(0);

    // One reading of the line must say all of it: the refusal, the server's reason, that the
    // work stays here, and how much is waiting (the count can trail the refusal by a moment).
    await statusLineSays(
      ben,
      /^(?=[\s\S]*The sync server refused to store)(?=[\s\S]*may read this database but not write to it)(?=[\s\S]*They stay on this device)(?=[\s\S]*[1-9]\d* changes? waiting to be sent)/,
    );
    await go(ben, '/sync');
    await ben
      .getByRole('alert')
      .filter({ hasText: /Sync problem/ })
      .getByText(/The sync server refused to store/)
      .waitFor();
    // Nothing reached the server; nothing here was lost.
    const [header] = await serverDocs(couch, database, { keys: [`run:${runId}`] });
    expect(header?.error).toBe('not_found');
    expect(await eventHashes(ben, runId)).toEqual(made);

    // Whoever runs the server lets Ben write; Ben starts sync again and the refused work goes.
    await setRoles('ben', writer);
    await ben.getByRole('button', { name: 'Stop syncing' }).click();
    await signIn(ben, 'ben-sync-password');
    await upToDate(ben);
    const events = await serverDocs(couch, database, {
      startkey: `event:${runId}:`,
      endkey: `event:${runId}:\ufff0`,
    });
    expect(events.map((r) => r.id.split(':')[2]).sort()).toEqual(made);
    await go(ann, `/records/${runId}/steps/list-boundaries`);
    await ann.getByText(/^Completed by Ben Technician on /).waitFor({ timeout: 90_000 });
  }, 300_000);
});
