// Two profiles syncing through a CouchDB-protocol server (pouchdb-server, started here on
// 127.0.0.1), for what must hold when both hold the same record: the same events, handed over
// in a file and then synced from both, are one document each on the server, at revision 1, with
// no conflict; both go offline (sync says so at once), answer the same step differently, come
// back online and sync carries on by itself, and each then shows the fork plainly, as with
// files; a record signed on one profile verifies on the other, with the signer's public key
// arriving too. Every record page, including the versions and completion-record pages, carries
// the sync status line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgDatabase,
  createUser,
  startCouchServer,
  type CouchServer,
} from '../../scripts/lib/couchServer.ts';
import { installDesignDoc } from '../../src/sync/installDesignDoc.ts';
import { readStore, readStoredEvents } from './flows';
import { serveBuiltApp, type Server } from './harness';
import {
  expectServerDown,
  go,
  listBoundaries,
  openProfile,
  serverDocs,
  setUpSync,
  signIn,
  startRecordInApp,
  statusLineSays,
  upToDate,
  type Person,
} from './syncFlows';

const database = 'forks-reconnect';
const passphrase = 'purple lantern quietly sings';
const dir = mkdtempSync(join(tmpdir(), 'reconnect-sync-forks-'));
let app: Server;
let couch: CouchServer;
const people: Record<'ann' | 'ben', Person> = {} as never;
let runId = '';

interface StoredEvent {
  hash: string;
  runId: string;
  seq: number;
}

async function eventsOf(page: Page, id: string): Promise<StoredEvent[]> {
  return (await readStoredEvents<StoredEvent>(page))
    .filter((e) => e.runId === id)
    .sort((a, b) => a.hash.localeCompare(b.hash));
}

/** Hands a record over in a file, as team.test.ts does by hand: download, then import. */
async function handOver(from: Page, to: Page, record: string) {
  await from.goto(`${app.origin}/share`);
  await from.getByRole('heading', { level: 1, name: 'Share and back up' }).waitFor();
  await from.getByLabel(record, { exact: true }).check();
  await from.getByLabel(/^To carry on on another device/).check();
  const download = from.waitForEvent('download');
  await from.getByRole('button', { name: 'Download the file' }).click();
  const path = join(dir, 'hand-off.reconnect');
  await (await download).saveAs(path);
  await to.goto(`${app.origin}/share`);
  await to.getByLabel('Reconnect file (.reconnect)').setInputFiles(path);
  await to.getByRole('heading', { name: /checked:/ }).waitFor({ timeout: 90_000 });
  await to.getByRole('button', { name: 'Import', exact: true }).click();
  await to.getByText(/^Imported /).waitFor({ timeout: 90_000 });
}

beforeAll(async () => {
  app = await serveBuiltApp();
  couch = await startCouchServer({ corsOrigins: [app.origin] });
  await createOrgDatabase(couch, database);
  await createUser(couch, 'ann', 'ann-sync-password');
  await createUser(couch, 'ben', 'ben-sync-password');
  await installDesignDoc(`${couch.url}/${database}`, couch.adminAuthorization);
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
  rmSync(dir, { recursive: true, force: true });
});

describe('two profiles holding the same record', () => {
  it('sends the same events from both as one document each, with no conflict', async () => {
    const ann = people.ann.page;
    const ben = people.ben.page;
    // Before either syncs, Ann starts a record and hands it to Ben in a file: both now hold the
    // same events, made once.
    runId = await startRecordInApp(ann, 'Fork Trust', /^Block SMB at the network boundary/);
    await listBoundaries(ann, runId);
    await handOver(ann, ben, 'Fork Trust');
    const made = await eventsOf(ann, runId);
    expect(made.length).toBeGreaterThan(0);
    expect(await eventsOf(ben, runId)).toEqual(made);

    // Both start syncing at once: each sends every event it holds.
    for (const page of [ann, ben]) {
      await page.goto(`${app.origin}/sync`);
      await page.getByLabel('Sync password').waitFor({ timeout: 30_000 });
    }
    await Promise.all([signIn(ann, 'ann-sync-password'), signIn(ben, 'ben-sync-password')]);
    await upToDate(ann);
    await upToDate(ben);

    // On the server: one document per event, named by its hash, at revision 1, no conflict.
    const prefix = `event:${runId}:`;
    const onServer = await serverDocs(couch, database, {
      startkey: prefix,
      endkey: `${prefix}\ufff0`,
    });
    expect(onServer.map((r) => r.id).sort()).toEqual(made.map((e) => `${prefix}${e.hash}`));
    for (const row of onServer) {
      const hash = row.id.slice(prefix.length);
      expect(row.doc?._rev).toBe(`1-${hash.slice(0, 32)}`);
      expect(row.doc?._conflicts).toBeUndefined();
    }
    const [header] = await serverDocs(couch, database, { keys: [`run:${runId}`] });
    expect(header?.doc?._rev).toMatch(/^1-/);
    expect(header?.doc?._conflicts).toBeUndefined();
    // Neither profile gained an event or sees two versions.
    expect(await eventsOf(ann, runId)).toEqual(made);
    expect(await eventsOf(ben, runId)).toEqual(made);
    await go(ben, `/records/${runId}`);
    await ben.getByRole('heading', { level: 1, name: 'Fork Trust' }).waitFor();
    expect(await ben.getByRole('region', { name: 'Versions to reconcile' }).count()).toBe(0);
  }, 300_000);

  it('shows a fork made offline on both profiles once they are back online', async () => {
    const ann = people.ann.page;
    const ben = people.ben.page;
    for (const p of Object.values(people)) await p.browser.context.setOffline(true);
    // Ann: the step's answer while offline. Sync says at once that the device is offline.
    await go(ann, `/records/${runId}/steps/block-smb-ports`);
    await statusLineSays(ann, /This device is offline/);
    await ann.getByLabel('Change or rule reference').fill('CHG-0417');
    await ann.getByRole('button', { name: 'Save draft' }).click();
    await ann.getByText(/^Saved at /).waitFor();
    // Ben: the same step, answered differently, from the same point.
    await go(ben, `/records/${runId}/steps/block-smb-ports`);
    await statusLineSays(ben, /This device is offline/);
    await ben
      .getByRole('group', { name: 'Are the ports blocked at every boundary listed?' })
      .getByLabel('Yes')
      .check();
    await ben.getByRole('button', { name: 'Save draft' }).click();
    await ben.getByText(/^Saved at /).waitFor();
    await statusLineSays(ann, /[1-9]\d* changes? waiting to be sent/);
    await statusLineSays(ben, /[1-9]\d* changes? waiting to be sent/);

    // Back online: sync carries on by itself, nobody signs in again.
    for (const p of Object.values(people)) await p.browser.context.setOffline(false);
    await statusLineSays(ann, /^Up to date\. .*Nothing waiting to be sent\./);
    await statusLineSays(ben, /^Up to date\. .*Nothing waiting to be sent\./);

    for (const [page, other] of [
      [ann, 'Ben Technician'],
      [ben, 'Ann Technician'],
    ] as const) {
      await go(page, `/records/${runId}`);
      await page.getByRole('heading', { level: 1, name: 'Fork Trust' }).waitFor();
      const notice = page.getByRole('region', { name: 'Versions to reconcile' });
      await notice.waitFor({ timeout: 90_000 });
      expect(await notice.textContent()).toMatch(/One part of this record changed on two devices/);
      await notice.getByRole('link', { name: 'Reconcile the versions' }).click();
      await page.getByRole('heading', { level: 1, name: 'Two versions to reconcile' }).waitFor();
      await page.getByText(/two versions since change \d+/).waitFor();
      await page.getByText(new RegExp(`1 change by ${other} to block-smb-ports`)).waitFor();
      // The versions page is a record page too: it says how sync stands.
      await statusLineSays(page, /Up to date/);
    }
  }, 300_000);

  it('verifies on one profile a record signed on the other, with the signer’s key', async () => {
    const ann = people.ann.page;
    const ben = people.ben.page;
    await go(ann, '/approvers');
    await ann.getByRole('heading', { level: 1, name: 'Approvers' }).waitFor();
    await ann.getByLabel('Full name').fill('Pat Manager');
    await ann.getByLabel('Role').fill('Senior Information Risk Owner');
    await ann.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await ann.getByLabel('Passphrase again').fill(passphrase);
    await ann.getByRole('button', { name: 'Register approver' }).click();
    const banner = ann.getByText(/^Pat Manager is registered\. Key fingerprint: /);
    await banner.waitFor({ timeout: 30_000 });
    const fingerprint = ((await banner.textContent()) ?? '')
      .replace(/^.*Key fingerprint: /, '')
      .replace(/\s/g, '');

    const signedId = await startRecordInApp(ann, 'Signed Sync Trust', /^Block SMB at the network/);
    await listBoundaries(ann, signedId);
    await ann.getByLabel('Change or rule reference').fill('CHG-0417');
    await ann
      .getByRole('group', { name: 'Are the ports blocked at every boundary listed?' })
      .getByLabel('Yes')
      .check();
    await ann.getByRole('button', { name: 'Submit for approval' }).click();
    await ann.getByText('Saved: “Block SMB ports at each boundary”').waitFor();
    await go(ann, `/records/${signedId}/steps/block-smb-ports`);
    await ann.getByLabel('Pat Manager, Senior Information Risk Owner').check();
    await ann.getByLabel('Approver’s passphrase').fill(passphrase);
    await ann.getByLabel('Approve', { exact: true }).check();
    await ann.getByRole('button', { name: 'Sign and record decision' }).click();
    await ann
      .getByText(/Approved by Pat Manager \(Senior Information Risk Owner\)/)
      .waitFor({ timeout: 30_000 });
    await go(ann, `/records/${signedId}/steps/test-block`);
    const when = ann.getByRole('group', { name: 'When the test was run' });
    await when.getByLabel('Day').fill('16');
    await when.getByLabel('Month').fill('5');
    await when.getByLabel('Year').fill('2017');
    await when.getByLabel('Time (24-hour clock)').fill('10:30');
    for (const direction of [
      'Inbound TCP 139 and 445, from outside',
      'Outbound TCP 139 and 445, from inside',
      'UDP 137 and 138 (scan plus firewall logs or counters)',
    ])
      await ann.getByLabel(direction).check();
    await ann.getByLabel('Every port tested was filtered or closed at every boundary').check();
    await ann.getByRole('button', { name: 'Mark as complete' }).click();
    await ann.getByText('Saved: “Test the block in both directions”').waitFor();
    await go(ann, `/records/${signedId}/summary`);
    await ann.getByText('The record is ready for sign-off.', { exact: false }).waitFor();
    await ann.getByLabel('Approve reconnection', { exact: true }).check();
    await ann.getByLabel('Your statement').fill('Reviewed through sync. Reconnect.');
    await ann.getByLabel('Pat Manager, Senior Information Risk Owner').check();
    await ann.getByLabel('Approver’s passphrase').fill(passphrase);
    await ann.getByRole('button', { name: 'Sign the record' }).click();
    await ann.getByText('Signature valid').waitFor({ timeout: 30_000 });
    await upToDate(ann);

    // On Ben's profile: the signed record arrives, and its page (with the sync line) says valid.
    await upToDate(ben);
    await go(ben, `/records/${signedId}/record`);
    await ben
      .getByText('Signature valid')
      .waitFor({ timeout: 90_000 })
      .catch(async (error: unknown) => {
        // Say how sync stood on Ben's profile, to tell a lost document from a stalled pull.
        const shown = await ben.locator('main').innerText();
        await go(ben, '/sync');
        const sync = await ben.locator('main').innerText();
        throw new Error(`${String(error)}\nRecord page: ${shown}\nSync page: ${sync}`);
      });
    await statusLineSays(ben, /Up to date/);
    // Pat's public key came too (never the private one): the Verify page names the signer.
    expect(
      (await readStore<{ fingerprint: string; wrapped?: unknown }>(ben, 'approvers')).map((a) => [
        a.fingerprint,
        a.wrapped === undefined,
      ]),
    ).toEqual([[fingerprint, true]]);
    const download = ben.waitForEvent('download');
    await ben.getByRole('button', { name: 'Export the signed record (.json)' }).click();
    const saved = join(dir, 'signed.json');
    await (await download).saveAs(saved);
    await go(ben, '/verify');
    await ben.getByRole('heading', { level: 1, name: 'Verify a completion record' }).waitFor();
    await ben.getByLabel('Record file').setInputFiles(saved);
    const result = ben.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Intact');
    await result
      .getByText(/signed by Pat Manager \(Senior Information Risk Owner\)/)
      .first()
      .waitFor({ timeout: 30_000 });
    expect((await result.textContent())?.replace(/\s/g, '')).toContain(fingerprint);
  }, 300_000);

  it('reaches no host but its own origin and the configured server', () => {
    for (const p of Object.values(people)) {
      const foreign = p.browser.requests.filter(
        (url) => !url.startsWith(app.origin) && !url.startsWith(couch.url),
      );
      expect(foreign).toEqual([]);
    }
  });
});
