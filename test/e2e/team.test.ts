// A team in real Chromium, three browser profiles as three people, passing files by hand
// (real downloads, real file choosers), offline: two technicians change the same record from
// the same point; the coordinator imports the other's file, sees two versions, keeps one and
// no answer is lost; the approver approves a step and signs the record on their own profile;
// the technician imports the replies and the record locks and verifies. Also: the same file
// twice changes nothing, a file with one byte changed is refused with nothing written, and a
// backup restores into an empty profile event for event.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStore, readStoredEvents, setActor, startRecord } from './flows';
import {
  launch,
  mainHeading,
  serveBuiltApp,
  waitForActivatedServiceWorker,
  type Browser,
  type Server,
} from './harness';

const passphrase = 'purple lantern quietly sings';
const dir = mkdtempSync(join(tmpdir(), 'reconnect-team-'));
let server: Server;
const people: Record<'ann' | 'ben' | 'pat', { browser: Browser; page: Page }> = {} as never;
let runId = '';
let origin = '';

async function open(name: string) {
  const browser = await launch();
  const page = await browser.context.newPage();
  await page.goto(server.url);
  await mainHeading(page);
  await waitForActivatedServiceWorker(page);
  await setActor(page, name);
  return { browser, page };
}

async function exportFile(page: Page, purpose: RegExp, file: string, record = 'Team Trust') {
  await page.goto(`${origin}/share`);
  await page.getByRole('heading', { level: 1, name: 'Share and back up' }).waitFor();
  await page.getByLabel(record, { exact: true }).check();
  await page.getByLabel(purpose).check();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the file' }).click();
  const path = join(dir, file);
  await (await download).saveAs(path);
  return path;
}

async function importFile(page: Page, path: string) {
  await page.goto(`${origin}/share`);
  await page.getByRole('heading', { level: 1, name: 'Share and back up' }).waitFor();
  await page.getByLabel('Reconnect file (.reconnect)').setInputFiles(path);
  await page.getByRole('heading', { name: /checked:/ }).waitFor({ timeout: 90_000 });
  const preview = (await page.getByTestId('import-preview-summary').textContent()) ?? '';
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByText(/^Imported /).waitFor({ timeout: 90_000 });
  return preview;
}

async function approveStep(page: Page) {
  await page.goto(`${origin}/records/${runId}/steps/block-smb-ports`);
  await page.getByLabel('Pat Manager, Senior Information Risk Owner').check();
  await page.getByLabel('Approver’s passphrase').fill(passphrase);
  await page.getByLabel('Approve', { exact: true }).check();
  await page.getByRole('button', { name: 'Sign and record decision' }).click();
  await page
    .getByText(/Approved by Pat Manager \(Senior Information Risk Owner\)/)
    .waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  server = await serveBuiltApp();
  origin = server.origin;
  people.ann = await open('Ann Technician');
  people.ben = await open('Ben Technician');
  people.pat = await open('Pat Manager');
  for (const p of Object.values(people)) await p.browser.context.setOffline(true);
}, 120_000);

afterAll(async () => {
  for (const p of Object.values(people)) await p.browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a team passing one record between three profiles', () => {
  it('hands the record from one technician to the other', async () => {
    const { page } = people.ann;
    runId = await startRecord(page, origin, 'Team Trust', /^Block SMB at the network boundary/);
    await page.goto(`${origin}/records/${runId}/steps/list-boundaries`);
    await page.getByLabel('Number of boundaries').fill('2');
    await page
      .getByLabel('Boundaries and the device that controls each')
      .fill('Internet – FW01\nN3 – FW02');
    await page.getByRole('button', { name: 'Mark as complete' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Block SMB ports at each boundary' })
      .waitFor();
    const file = await exportFile(page, /^To carry on on another device/, 'start.reconnect');
    const preview = await importFile(people.ben.page, file);
    expect(preview).toMatch(/new changes, 1 new and 0 updated checklists/);
    await people.ben.page.goto(`${origin}/records/${runId}`);
    await people.ben.page.getByRole('heading', { level: 1, name: 'Team Trust' }).waitFor();

    // The same file again: nothing new.
    await people.ben.page.goto(`${origin}/share`);
    await people.ben.page.getByLabel('Reconnect file (.reconnect)').setInputFiles(file);
    await people.ben.page
      .getByText('Nothing: everything in it is already on this device.')
      .waitFor({ timeout: 30_000 });
  }, 120_000);

  it('keeps both versions when both change the record, and loses no answer reconciling', async () => {
    const ann = people.ann.page;
    const ben = people.ben.page;
    await ann.goto(`${origin}/records/${runId}/steps/block-smb-ports`);
    await ann.getByLabel('Change or rule reference').fill('CHG-0417');
    await ann.getByRole('button', { name: 'Save draft' }).click();
    await ann.getByText(/^Saved at /).waitFor();
    await ben.goto(`${origin}/records/${runId}/steps/block-smb-ports`);
    await ben
      .getByRole('group', { name: 'Are the ports blocked at every boundary listed?' })
      .getByLabel('Yes')
      .check();
    await ben.getByRole('button', { name: 'Save draft' }).click();
    await ben.getByText(/^Saved at /).waitFor();

    const file = await exportFile(ben, /^To carry on on another device/, 'ben.reconnect');
    // One byte changed in Ben's file: refused, naming what is wrong, and nothing written.
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('FW01');
    expect(at).toBeGreaterThan(0);
    const tampered = join(dir, 'tampered.reconnect');
    writeFileSync(tampered, `${text.slice(0, at)}X${text.slice(at + 1)}`);
    const before = (await readStoredEvents(ann)).length;
    await ann.goto(`${origin}/share`);
    await ann.getByLabel('Reconnect file (.reconnect)').setInputFiles(tampered);
    await ann
      .getByRole('alert')
      .getByText(/has been changed since the bundle was made/)
      .waitFor({ timeout: 30_000 });
    expect((await readStoredEvents(ann)).length).toBe(before);

    const preview = await importFile(ann, file);
    expect(preview).toContain('both versions will be kept');
    await ann.goto(`${origin}/records/${runId}`);
    await ann.getByRole('link', { name: 'Reconcile the versions' }).click();
    await ann.getByRole('heading', { level: 1, name: 'Two versions to reconcile' }).waitFor();
    await ann.getByText(/two versions since change \d+/).waitFor();
    await ann.getByText(/1 change by Ben Technician to block-smb-ports/).waitFor();
    await ann.getByText(/Ben Technician’s device/).waitFor();
    await ann.getByRole('button', { name: 'Keep this version (shown here)' }).click();
    await ann.getByText(/Reconciled: 1 change was replayed/).waitFor();

    await ann.goto(`${origin}/records/${runId}/steps/block-smb-ports`);
    expect(await ann.getByLabel('Change or rule reference').inputValue()).toBe('CHG-0417');
    expect(
      await ann
        .getByRole('group', { name: 'Are the ports blocked at every boundary listed?' })
        .getByLabel('Yes')
        .isChecked(),
    ).toBe(true);
    await ann.getByRole('button', { name: 'Submit for approval' }).click();
    await ann.getByText('Saved: “Block SMB ports at each boundary”').waitFor();
  }, 120_000);

  it('has a step approved and the record signed on the approver’s own profile', async () => {
    const ann = people.ann.page;
    const pat = people.pat.page;
    await pat.goto(`${origin}/approvers`);
    await pat.getByLabel('Full name').fill('Pat Manager');
    await pat.getByLabel('Role').fill('Senior Information Risk Owner');
    await pat.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await pat.getByLabel('Passphrase again').fill(passphrase);
    await pat.getByRole('button', { name: 'Register approver' }).click();
    const banner = pat.getByText(/^Pat Manager is registered\. Key fingerprint: /);
    await banner.waitFor({ timeout: 30_000 });
    const fingerprint = ((await banner.textContent()) ?? '').replace(/^.*Key fingerprint: /, '');

    // The step's approval: request, decision on Pat's profile, reply.
    await importFile(
      pat,
      await exportFile(ann, /^For an approver to review/, 'approval-request.reconnect'),
    );
    await approveStep(pat);
    // On Pat's device the record is there to be approved: the step the approval opened shows
    // no form, and the devices page offers no device actions.
    await pat.goto(`${origin}/records/${runId}/steps/test-block`);
    await pat.getByTestId('held-for-approval').waitFor();
    await pat.getByText('This step has not been done yet.').waitFor();
    expect(await pat.getByRole('heading', { name: 'Record what you did' }).count()).toBe(0);
    expect(await pat.getByRole('button', { name: /Save|Mark as complete/ }).count()).toBe(0);
    expect(await pat.locator('main').getByRole('textbox').count()).toBe(0);
    expect(await pat.locator('main').getByRole('checkbox').count()).toBe(0);
    await pat.goto(`${origin}/records/${runId}/devices`);
    await pat.getByTestId('held-for-approval').waitFor();
    expect(await pat.getByRole('link', { name: 'Import devices from CSV' }).count()).toBe(0);
    const reply = await exportFile(
      pat,
      /^To send back what the approver did/,
      'approval.reconnect',
    );
    await ann.goto(`${origin}/share`);
    await ann.getByLabel('Reconnect file (.reconnect)').setInputFiles(reply);
    const shown = ann.getByRole('listitem').filter({ hasText: 'Pat Manager' });
    await shown.waitFor({ timeout: 30_000 });
    expect((await shown.textContent())?.replace(/\s/g, '')).toContain(
      fingerprint.replace(/\s/g, ''),
    );
    await ann.getByRole('button', { name: 'Import', exact: true }).click();
    await ann.getByText(/^Imported /).waitFor({ timeout: 30_000 });
    // Pat's public key is known here, but Pat cannot sign on Ann's profile.
    expect(
      (await readStore<{ fingerprint: string; wrapped?: unknown }>(ann, 'approvers')).map((a) => [
        a.fingerprint,
        a.wrapped === undefined,
      ]),
    ).toEqual([[fingerprint.replace(/\s/g, ''), true]]);

    // The last step, then sign-off on Pat's profile.
    await ann.goto(`${origin}/records/${runId}/steps/test-block`);
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

    await importFile(pat, await exportFile(ann, /^For an approver to review/, 'request.reconnect'));
    await pat.goto(`${origin}/records/${runId}/summary`);
    await pat.getByText('The record is ready for sign-off.', { exact: false }).waitFor();
    await pat.getByLabel('Approve reconnection', { exact: true }).check();
    await pat.getByLabel('Your statement').fill('Reviewed on my own device. Reconnect.');
    await pat.getByLabel('Pat Manager, Senior Information Risk Owner').check();
    await pat.getByLabel('Approver’s passphrase').fill(passphrase);
    await pat.getByRole('button', { name: 'Sign the record' }).click();
    await pat.getByText('Signature valid').waitFor({ timeout: 30_000 });

    await importFile(
      ann,
      await exportFile(pat, /^To send back what the approver did/, 'signed.reconnect'),
    );
    await ann.goto(`${origin}/records/${runId}/record`);
    await ann.getByText('Signature valid').waitFor({ timeout: 30_000 });
    const runs = await readStore<{ runId: string; snapshot: { context: { locked?: unknown } } }>(
      ann,
      'runs',
    );
    expect(runs.find((r) => r.runId === runId)?.snapshot.context.locked).toBeTruthy();
  }, 240_000);

  it('restores a backup into an empty profile, event for event', async () => {
    const ann = people.ann.page;
    await ann.goto(`${origin}/share`);
    const download = ann.waitForEvent('download');
    await ann.getByRole('button', { name: 'Download a backup' }).click();
    const path = join(dir, 'backup.reconnect');
    await (await download).saveAs(path);
    await ann.goto(`${origin}/`);
    await ann
      .getByTestId('last-backup')
      .getByText(/Last backup made on this device/)
      .waitFor();

    // A new profile, as on a new laptop: nothing in it but the app.
    await people.ben.browser.close();
    const fresh = await open('Ben Technician');
    people.ben.browser = fresh.browser;
    people.ben.page = fresh.page;
    await importFile(fresh.page, path);
    const byHash = (a: { hash: string }, b: { hash: string }) => a.hash.localeCompare(b.hash);
    const restored = (await readStoredEvents<{ hash: string }>(fresh.page)).sort(byHash);
    const original = (await readStoredEvents<{ hash: string }>(ann)).sort(byHash);
    expect(restored).toEqual(original);
    await fresh.page.goto(`${origin}/records/${runId}/record`);
    await fresh.page.getByText('Signature valid').waitFor({ timeout: 90_000 });
  }, 300_000);
});
