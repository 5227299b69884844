// Staged sign-off in real Chromium, offline: a record brought to the go-ahead (imported through
// the app's own import door, made by walking the shipped checklists' machines), then the
// decisive parts through the UI — approvers registered with roles, the clinical approval, the
// go-ahead signed with the post-reconnection steps still open, each link's decision refused to
// an approver without the role and taken by one with it, the after steps, the closure. Both
// signed records, downloaded, verify with scripts/verify-record.mjs and on the Verify page,
// every approval signature included; the closure printed to A4 PDF has "Page X of Y", the
// running header on every page and each device's asset tag.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setActor } from './flows';
import {
  foreignRequests,
  launch,
  mainHeading,
  serveBuiltApp,
  waitForActivatedServiceWorker,
  type Browser,
  type Server,
} from './harness';
import { seedBundle, type SeedDevice } from './seedBundle';

const passphrase = 'amber kettle softly hums';
// Started without the incident reference, which the first step then records: the record and
// its print show it (one value for each fact).
const organisation = { name: 'Staged Vale NHS Trust', odsCode: 'RZ9' };
const incidentReference = 'SV-INC-0512';
const devices: SeedDevice[] = [
  {
    hostname: 'SV-PC-00001',
    assetTag: 'SV-AT-100231',
    os: 'windows-7-sp1',
    srvSys: '6.1.7601.23689',
  },
  {
    hostname: 'SV-PC-00002',
    assetTag: 'SV-AT-100232',
    os: 'windows-7-sp1',
    srvSys: '6.1.7601.23807',
  },
  {
    hostname: 'SV-SRV-001',
    assetTag: 'SV-AT-200017',
    os: 'server-2012-r2',
    srvSys: '6.3.9600.18604',
  },
];
const siro = {
  name: 'Sasha Siro',
  role: 'Director of Finance',
  roles: ['Board data-security lead (SIRO)'],
};
const lead = {
  name: 'Ines Lead',
  role: 'Deputy Chief Operating Officer',
  roles: ['Incident lead'],
};
const clinician = { name: 'Cleo Clinical', role: 'Medical Director', roles: ['Clinical lead'] };

let server: Server;
let browser: Browser;
let page: Page;
let runId: string;
const fingerprints = new Map<string, string>();
const saved = new Map<string, string>();
const dir = mkdtempSync(join(tmpdir(), 'reconnect-staged-'));

beforeAll(async () => {
  const seed = await seedBundle({
    organisation,
    linksCut: ['internal', 'email'],
    firstStep: { 'incident-reference': incidentReference },
    devices,
    createdBy: 'Sam Technician',
  });
  expect(seed.awaitingApproval).toEqual(['clinical-continuity']);
  runId = seed.runId;
  writeFileSync(join(dir, 'seed.reconnect'), seed.text);
  server = await serveBuiltApp();
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(server.url);
  await mainHeading(page);
  await waitForActivatedServiceWorker(page);
  await browser.context.setOffline(true);
  await server.close();
  await setActor(page, 'Sam Technician');
}, 120_000);

afterAll(async () => {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
});

const approverLabel = (p: { name: string; role: string }) => `${p.name}, ${p.role}`;

async function approve(stepId: string, who: { name: string; role: string }, title: RegExp) {
  await page.goto(`${server.origin}/records/${runId}/steps/${stepId}`);
  await page.getByRole('heading', { name: 'Approver’s decision' }).waitFor();
  await page.getByLabel(approverLabel(who)).check();
  await page.getByLabel('Approve', { exact: true }).check();
  await page.getByLabel('Approver’s passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Sign and record decision' }).click();
  await page.getByText(title).first().waitFor({ timeout: 60_000 });
}

async function signStage(approve: string, statement: string): Promise<void> {
  await page.goto(`${server.origin}/records/${runId}/summary`);
  await page.getByLabel(approve, { exact: true }).check();
  await page.getByLabel('Your statement').fill(statement);
  await page.getByLabel(approverLabel(siro)).check();
  await page.getByLabel('Approver’s passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Sign the record' }).click();
  await page.getByText('Signature valid').first().waitFor({ timeout: 60_000 });
}

async function download(name: string): Promise<string> {
  const event = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export the signed record (.json)' }).click();
  const path = join(dir, name);
  await (await event).saveAs(path);
  saved.set(name, path);
  return path;
}

async function linkDecision(stepId: string, title: string): Promise<void> {
  await page.goto(`${server.origin}/records/${runId}/steps/${stepId}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page
    .getByRole('group', { name: 'Decision for this link' })
    .getByLabel('Go: reconnect it')
    .check();
  await page
    .getByLabel('Readiness for this link and any open exceptions, or why it stays disconnected')
    .fill('Every device on it is cleared; watched for TCP 445 scanning for an hour first.');
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await page.getByText(`Saved: “${title}”`).waitFor();
}

describe('the go-ahead, link decisions by role, and the closure', () => {
  it('imports the prepared record through the import door', async () => {
    await page.goto(`${server.origin}/share`);
    await page.getByLabel('Reconnect file (.reconnect)').setInputFiles(join(dir, 'seed.reconnect'));
    await page.getByRole('heading', { name: /checked:/ }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
  }, 90_000);

  it('registers three approvers, each with their roles', async () => {
    for (const person of [siro, lead, clinician]) {
      await page.goto(`${server.origin}/approvers`);
      await page.getByRole('heading', { level: 1, name: 'Approvers' }).waitFor();
      await page.getByLabel('Full name').fill(person.name);
      await page.getByLabel('Role', { exact: true }).fill(person.role);
      const roles = page.getByRole('group', { name: 'Decisions they may take' });
      for (const role of person.roles) await roles.getByLabel(role, { exact: true }).check();
      await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
      await page.getByLabel('Passphrase again').fill(passphrase);
      await page.getByRole('button', { name: 'Register approver' }).click();
      const banner = page.getByText(
        new RegExp(`^${person.name} is registered\\. Key fingerprint: `),
      );
      await banner.waitFor({ timeout: 60_000 });
      fingerprints.set(
        person.name,
        ((await banner.textContent()) ?? '').replace(/^.*Key fingerprint: /, '').replace(/ /g, ''),
      );
    }
  }, 240_000);

  it('takes the clinical approval, then signs the go-ahead with the later steps still open', async () => {
    await approve('clinical-continuity', clinician, /Approved by Cleo Clinical/);
    await page.goto(`${server.origin}/records/${runId}/summary`);
    await page.getByRole('heading', { name: 'Sign-off: Go-ahead to reconnect' }).waitFor();
    // The sign-off is offered only to the holder of its role.
    expect(await page.getByLabel(approverLabel(lead)).count()).toBe(0);
    await signStage(
      'Approve: Go-ahead to reconnect',
      'Everything before reconnection is resolved: reconnect link by link.',
    );
    await download('go-ahead.json');
    // What comes after the go-ahead is still open.
    await page.goto(`${server.origin}/records/${runId}`);
    expect(await page.getByTestId('progress').textContent()).not.toMatch(/^(\d+) of \1 /);
  }, 180_000);

  it('refuses a link decision to an approver without the role, then takes it by the incident lead', async () => {
    await linkDecision('go-internal', 'Go or no-go: internal segments and site links');
    await page.goto(`${server.origin}/records/${runId}/steps/go-internal`);
    await page.getByRole('heading', { name: 'Approver’s decision' }).waitFor();
    // Offered to the holder of the role; the others may only send it back.
    await page
      .getByText('Registered as Incident lead: Ines Lead. Others may only send the step back.')
      .waitFor();
    await page.getByLabel(approverLabel(clinician)).check();
    await page.getByLabel('Approve', { exact: true }).check();
    await page.getByRole('button', { name: 'Sign and record decision' }).click();
    // Refused before any passphrase, with the reason in plain words.
    await page
      .getByText(
        'Cleo Clinical is not registered as Incident lead: only an approver with that role can take this decision.',
        { exact: false },
      )
      .first()
      .waitFor();
    await approve('go-internal', lead, /Approved by Ines Lead/);

    await linkDecision('go-nhsmail', 'Go or no-go: NHSmail');
    await approve('go-nhsmail', lead, /Approved by Ines Lead/);
  }, 240_000);
  it('records the after steps and signs the closure, which names the go-ahead', async () => {
    const step = async (stepId: string, title: string) => {
      await page.goto(`${server.origin}/records/${runId}/steps/${stepId}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
    };
    const date = async (legend: string) => {
      const group = page.getByRole('group', { name: legend });
      await group.getByLabel('Day').fill('26');
      await group.getByLabel('Month').fill('5');
      await group.getByLabel('Year').fill('2017');
    };
    await step('interfaces-checked', 'Check interfaces and synchronisation');
    await page
      .getByLabel('Each system checked, and the result')
      .fill('PAS, PACS and pathology interfaces caught up by 14:00; queues empty.');
    await page.getByRole('button', { name: 'Mark as complete' }).click();
    await page.getByText('Saved: “Check interfaces and synchronisation”').waitFor();

    await step('data-reconciliation', 'Reconcile the data once systems are back');
    await page
      .getByLabel('What was reconciled, system by system')
      .fill('Paper orders and results entered into PAS; pharmacy records checked.');
    await page
      .getByRole('group', {
        name: 'Have clinicians reviewed the results and messages that arrived late?',
      })
      .getByLabel('Yes')
      .check();
    const confirmedBy = page.getByRole('group', { name: 'Who confirmed the reconciliation' });
    await confirmedBy.getByLabel('Name').fill(clinician.name);
    await confirmedBy.getByLabel('Role').fill(clinician.role);
    await page.getByRole('button', { name: 'Mark as complete' }).click();
    await page.getByText('Saved: “Reconcile the data once systems are back”').waitFor();

    await step('monitoring-window', 'Watch closely for a set period');
    await page.getByLabel('Length of the period').fill('7');
    await page.getByLabel('TCP 445 traffic').check();
    await page.getByLabel('Anti-virus alerts').check();
    await page
      .getByLabel('How devices switched on late were checked')
      .fill('Each went through its device checklist before joining the network.');
    await date('Date the period ended');
    await page.getByRole('button', { name: 'Mark as complete' }).click();
    await page.getByText('Saved: “Watch closely for a set period”').waitFor();

    await step('recovery-complete', 'Declare recovery complete');
    await page
      .getByLabel('How each readiness criterion was met')
      .fill('See the go-ahead record and the link decisions.');
    await page.getByLabel('Remaining risks and open exceptions').fill('None open.');
    await page
      .getByLabel('Lessons learned, with an owner for each')
      .fill('Keep an offline contact sheet: owner, the incident lead.');
    await date('Date of the report to the board');
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.getByText('Saved: “Declare recovery complete”').waitFor();
    await approve('recovery-complete', siro, /Approved by Sasha Siro/);

    await page.goto(`${server.origin}/records/${runId}/summary`);
    await page.getByRole('heading', { name: 'Sign-off: Recovery complete' }).waitFor();
    await signStage('Approve: Recovery complete', 'Recovery is complete; the incident is closed.');
    await download('closure.json');
  }, 300_000);

  it('verifies both records, every approval signature, with the script outside the app', () => {
    const fingerprint = fingerprints.get(siro.name) ?? '';
    for (const [name, approvals] of [
      ['go-ahead.json', 1],
      ['closure.json', 4],
    ] as const) {
      const file = saved.get(name) ?? '';
      const result = spawnSync('node', ['scripts/verify-record.mjs', file, fingerprint], {
        encoding: 'utf8',
      });
      expect(result.stdout).toContain('VALID: signed by Sasha Siro');
      expect(result.stdout).toContain(
        `approvals       ${String(approvals)} of ${String(approvals)} signatures checked and valid`,
      );
      expect(result.status).toBe(0);
    }
    const closure = spawnSync(
      'node',
      ['scripts/verify-record.mjs', saved.get('closure.json') ?? '', fingerprint],
      { encoding: 'utf8' },
    ).stdout;
    const goAhead = /^record digest\s+([0-9a-f]{64})$/m.exec(
      spawnSync(
        'node',
        ['scripts/verify-record.mjs', saved.get('go-ahead.json') ?? '', fingerprint],
        {
          encoding: 'utf8',
        },
      ).stdout,
    )?.[1];
    expect(closure).toContain(
      `Recovery complete (after Go-ahead to reconnect, record digest ${goAhead ?? 'none'})`,
    );
  });

  it('verifies both records on the Verify page, through its file chooser', async () => {
    await page.goto(`${server.origin}/verify`);
    await page.getByRole('heading', { level: 1, name: 'Verify a completion record' }).waitFor();
    for (const [name, approvals] of [
      ['go-ahead.json', 1],
      ['closure.json', 4],
    ] as const) {
      await page.getByLabel('Record file').setInputFiles(saved.get(name) ?? '');
      const result = page.getByTestId('verify-result');
      await result.getByText(name).waitFor();
      await page
        .getByText(
          `${String(approvals)} of ${String(approvals)} approval signatures checked against the approvers’ keys the record carries, and valid.`,
        )
        .waitFor();
      expect((await result.textContent()) ?? '').toContain('Intact');
      // Who signed is looked up among this device's approvers just after the integrity check.
      await result
        .getByText(/signed by Sasha Siro/)
        .first()
        .waitFor();
    }
  }, 60_000);

  it('prints the closure on A4 with page numbers, the running header on every page and each asset tag', async () => {
    const record = JSON.parse(readFileSync(saved.get('closure.json') ?? '', 'utf8')) as {
      payload: string;
    };
    const payload = JSON.parse(Buffer.from(record.payload, 'base64url').toString('utf8')) as {
      recordId: string;
    };
    const digest = /^record digest\s+([0-9a-f]{64})$/m.exec(
      spawnSync(
        'node',
        ['scripts/verify-record.mjs', saved.get('closure.json') ?? '', '--key-checked-elsewhere'],
        { encoding: 'utf8' },
      ).stdout,
    )?.[1];
    expect(digest).toMatch(/^[0-9a-f]{64}$/);

    await page.goto(`${server.origin}/records/${runId}/record?signoff=closure`);
    await page.getByRole('heading', { level: 1, name: organisation.name }).waitFor();
    const pdf = join(dir, 'closure.pdf');
    await page.emulateMedia({ media: 'print' });
    writeFileSync(pdf, await page.pdf({ format: 'A4', printBackground: true }));
    await page.emulateMedia({ media: 'screen' });
    if (process.env.KEEP_RECORD_PDF) writeFileSync(process.env.KEEP_RECORD_PDF, readFileSync(pdf));
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(
      /Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts/,
    );
    const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
      .split('\f')
      .filter((p) => p.trim() !== '')
      .map((p) => p.replace(/\s+/g, ' '));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]).toContain(`ODS code ${organisation.odsCode} · Incident ${incidentReference}`);
    pages.forEach((text, i) => {
      expect(text).toContain(`Page ${String(i + 1)} of ${String(pages.length)}`);
      expect(text).toContain(`${organisation.name} (${organisation.odsCode})`);
      expect(text).toContain(`Record id ${payload.recordId}`);
      expect(text).toContain(`Record digest ${digest ?? ''}`);
    });
    const whole = pages.join(' ');
    const appendix = whole.slice(whole.indexOf('Appendix: every device'));
    for (const d of devices) expect(appendix).toContain(d.assetTag);
  }, 120_000);

  it('asked no other host', () => {
    expect(foreignRequests(browser.requests, server.origin)).toEqual([]);
  });
});
