// Sign-off in real Chromium, offline: complete a small record, approve a step and sign the
// record with a registered approver's key, print it to PDF and read it back, export it, and
// verify the file — valid as exported, not valid after one character changes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setActor, startRecord } from './flows';
import {
  foreignRequests,
  launch,
  mainHeading,
  serveBuiltApp,
  waitForActivatedServiceWorker,
  type Browser,
  type Server,
  expectNoAxeViolations,
} from './harness';

const passphrase = 'purple lantern quietly sings';
let server: Server;
let browser: Browser;
let page: Page;
let runId: string;
let fingerprint = '';
const dir = mkdtempSync(join(tmpdir(), 'reconnect-signoff-'));

beforeAll(async () => {
  server = await serveBuiltApp();
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(server.url);
  await mainHeading(page);
  await waitForActivatedServiceWorker(page);
  await browser.context.setOffline(true);
  await server.close();
  await setActor(page, 'Sam Technician');
});

afterAll(async () => {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('signing a record off', () => {
  it('registers an approver, offline', async () => {
    await page.goto(`${server.origin}/approvers`);
    await page.getByRole('heading', { level: 1, name: 'Approvers' }).waitFor();
    await page.getByLabel('Full name').fill('Pat Manager');
    await page.getByLabel('Role').fill('Senior Information Risk Owner');
    await page.getByLabel('Passphrase', { exact: true }).fill('too short');
    await page.getByLabel('Passphrase again').fill('too short');
    await page.getByRole('button', { name: 'Register approver' }).click();
    await page
      .getByRole('link', { name: 'The passphrase must be at least 12 characters' })
      .waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByLabel('Passphrase again').fill(passphrase);
    await page.getByRole('button', { name: 'Register approver' }).click();
    const banner = page.getByText(/^Pat Manager is registered\. Key fingerprint: /);
    await banner.waitFor({ timeout: 30_000 });
    fingerprint = ((await banner.textContent()) ?? '').replace(/^.*Key fingerprint: /, '');
    expect(fingerprint.replace(/ /g, '')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expectNoAxeViolations(page);
  }, 60_000);

  it('completes a small record, with a step approved by the registered approver', async () => {
    runId = await startRecord(
      page,
      server.origin,
      'Signed Off Community Trust',
      /^Block SMB at the network boundary/,
    );
    await page.goto(`${server.origin}/records/${runId}/steps/list-boundaries`);
    await page.getByLabel('Number of boundaries').fill('2');
    await page
      .getByLabel('Boundaries and the device that controls each')
      .fill('Internet – FW01\nN3 – FW02');
    await page.getByRole('button', { name: 'Mark as complete' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Block SMB ports at each boundary' })
      .waitFor();
    await page.getByLabel('Change or rule reference').fill('CHG-0417');
    await page
      .getByRole('group', { name: 'Are the ports blocked at every boundary listed?' })
      .getByLabel('Yes')
      .check();
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.getByText('Saved: “Block SMB ports at each boundary”').waitFor();
    await page.goto(`${server.origin}/records/${runId}/steps/block-smb-ports`);
    await page.getByLabel('Pat Manager, Senior Information Risk Owner').check();
    await page.getByLabel('Approver’s passphrase').fill('not the right one');
    await page.getByLabel('Approve', { exact: true }).check();
    await page.getByRole('button', { name: 'Sign and record decision' }).click();
    await page
      .getByText('The passphrase is not right for Pat Manager')
      .first()
      .waitFor({ timeout: 30_000 });
    await page.getByLabel('Approver’s passphrase').fill(passphrase);
    await page.getByRole('button', { name: 'Sign and record decision' }).click();
    await page
      .getByText(/Approved by Pat Manager \(Senior Information Risk Owner\)/)
      .waitFor({ timeout: 30_000 });
    await page.goto(`${server.origin}/records/${runId}/steps/test-block`);
    const when = page.getByRole('group', { name: 'When the test was run' });
    await when.getByLabel('Day').fill('16');
    await when.getByLabel('Month').fill('5');
    await when.getByLabel('Year').fill('2017');
    await when.getByLabel('Time (24-hour clock)').fill('10:30');
    for (const direction of [
      'Inbound TCP 139 and 445, from outside',
      'Outbound TCP 139 and 445, from inside',
      'UDP 137 and 138 (scan plus firewall logs or counters)',
    ])
      await page.getByLabel(direction).check();
    await page.getByLabel('Every port tested was filtered or closed at every boundary').check();
    await page.getByLabel('Scan output (optional)').setInputFiles({
      name: 'nmap-boundary.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('445/tcp filtered\n139/tcp filtered\n'),
    });
    await page.getByText('nmap-boundary.txt').first().waitFor();
    await page.getByRole('button', { name: 'Mark as complete' }).click();
    await page.getByText('Saved: “Test the block in both directions”').waitFor();
    expect(await page.getByTestId('progress').textContent()).toBe('5 of 5 steps done');
  }, 90_000);

  it('shows the readiness summary and signs the record with the approver’s key', async () => {
    await page.goto(`${server.origin}/records/${runId}/summary`);
    await page.getByRole('heading', { level: 1, name: 'Readiness summary' }).waitFor();
    await page.getByText('The record is ready for sign-off.', { exact: false }).waitFor();
    expect(await page.getByText('nmap-boundary.txt').count()).toBeGreaterThan(0);
    await expectNoAxeViolations(page);
    await page.getByLabel('Approve reconnection', { exact: true }).check();
    // A gap is named in the summary and on the field, which points to its message.
    await page.getByRole('button', { name: 'Sign the record' }).click();
    await page.getByRole('link', { name: 'Enter your statement for the record' }).waitFor();
    const describedBy = (await page.getByLabel('Your statement').getAttribute('aria-describedby'))
      ?.split(' ')
      .map((id) => page.locator(`[id="${id}"]`).textContent());
    expect(await Promise.all(describedBy ?? [])).toContain(
      'Error: Enter your statement for the record',
    );
    await expectNoAxeViolations(page);
    await page
      .getByLabel('Your statement')
      .fill('I have reviewed the evidence. The boundary is closed to SMB; reconnect.');
    await page.getByLabel('Pat Manager, Senior Information Risk Owner').check();
    await page.getByLabel('Approver’s passphrase').fill(passphrase);
    await page.getByRole('button', { name: 'Sign the record' }).click();
    await page.getByText('Signature valid').waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { level: 1, name: 'Signed Off Community Trust' }).waitFor();
    await expectNoAxeViolations(page);
  }, 60_000);

  it('prints on A4 with the organisation, decision and key fingerprint', async () => {
    const pdf = join(dir, 'record.pdf');
    await page.emulateMedia({ media: 'print' });
    writeFileSync(pdf, await page.pdf({ format: 'A4', printBackground: true }));
    if (process.env.KEEP_RECORD_PDF) writeFileSync(process.env.KEEP_RECORD_PDF, readFileSync(pdf));
    await page.emulateMedia({ media: 'screen' });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Signed Off Community Trust');
    expect(text).toContain('Reconnection approved');
    expect(text.replace(/\s+/g, ' ')).toContain(fingerprint);
    expect(text).toContain('Pat Manager');
    expect(text).not.toContain('Print (A4)');
    const pages = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    // A4 is 595 × 842 points.
    expect(pages).toMatch(/Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts/);
  }, 60_000);

  it('exports the signed file, which verifies, and fails after one character changes', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export the signed record (.json)' }).click();
    const saved = join(dir, 'exported.json');
    await (await download).saveAs(saved);
    const original = readFileSync(saved, 'utf8');

    await page.goto(`${server.origin}/verify`);
    await page.getByRole('heading', { level: 1, name: 'Verify a completion record' }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel('Record file').setInputFiles(saved);
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Intact');
    // Who signed is looked up among this device's approvers just after the integrity check.
    await result
      .getByText(/signed by Pat Manager \(Senior Information Risk Owner\)/)
      .first()
      .waitFor();
    expect((await result.textContent())?.replace(/\s+/g, ' ')).toContain(fingerprint);

    // One character of the signed payload, changed.
    const at = original.indexOf('"payload":"') + 40;
    const swapped = original[at] === 'A' ? 'B' : 'A';
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, original.slice(0, at) + swapped + original.slice(at + 1));
    await page.getByLabel('Record file').setInputFiles(tampered);
    await page.getByText('Not valid').waitFor();
    expect(await page.getByTestId('verify-result').textContent()).toContain('tampered.json');
  }, 60_000);

  it('locks the record: steps can no longer be changed', async () => {
    await page.goto(`${server.origin}/records/${runId}/steps/list-boundaries`);
    await page
      .getByRole('heading', { level: 1, name: 'List every boundary where SMB could cross' })
      .waitFor();
    expect(await page.getByText('Correct this step').count()).toBe(0);
  });

  it('asked no other host', () => {
    expect(foreignRequests(browser.requests, server.origin)).toEqual([]);
  });
});
