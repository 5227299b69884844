// Two people, two browser profiles, one CouchDB-protocol server (pouchdb-server, started here on
// 127.0.0.1): each sets up sync on the sync page, types their password, and sees the other's
// answers arrive through the server. A wrong password gets a plain message. No request goes to
// any host but the app's own origin and the configured server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrgDatabase,
  createUser,
  startCouchServer,
  type CouchServer,
} from '../../scripts/lib/couchServer.ts';
import { installDesignDoc } from '../../src/sync/installDesignDoc.ts';
import { startRecord } from './flows';
import { serveBuiltApp, type Server } from './harness';
import { go, openProfile, setUpSync as setUp, signIn, upToDate, type Person } from './syncFlows';

const database = 'team-reconnect';
let app: Server;
let couch: CouchServer;
const people: Record<'ann' | 'ben', Person> = {} as never;
let runId = '';

const open = (name: string) => openProfile(app.url, couch, database, name);
const setUpSync = (page: Person['page'], username: string) =>
  setUp(page, app.origin, couch, database, username);

beforeAll(async () => {
  app = await serveBuiltApp();
  couch = await startCouchServer({ corsOrigins: [app.origin] });
  await createOrgDatabase(couch, database);
  await createUser(couch, 'ann', 'ann-sync-password');
  await createUser(couch, 'ben', 'ben-sync-password');
  await installDesignDoc(`${couch.url}/${database}`, couch.adminAuthorization);
  people.ann = await open('Ann Technician');
  people.ben = await open('Ben Technician');
}, 120_000);

afterAll(async () => {
  for (const p of Object.values(people)) await p.browser.close();
  await couch.dispose();
  await app.close();
});

describe('two profiles syncing through a server', () => {
  it('says plainly when the password is wrong', async () => {
    const { page, browser } = people.ann;
    browser.expectConsoleError(/status of 401 \(Unauthorized\)/, new RegExp(`^${couch.url}/`));
    await setUpSync(page, 'ann');
    await signIn(page, 'not-the-password');
    await page
      .getByRole('alert')
      .filter({ hasText: /did not accept the user name “ann”/ })
      .waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Stop syncing' }).click();
    await page.getByLabel('Sync password').waitFor();
  }, 120_000);

  it('carries one person’s answers to the other, and back', async () => {
    const ann = people.ann.page;
    const ben = people.ben.page;
    runId = await startRecord(ann, app.origin, 'Sync Trust', /^Block SMB at the network boundary/);
    await ann.goto(`${app.origin}/records/${runId}/steps/list-boundaries`);
    await ann.getByLabel('Number of boundaries').fill('2');
    await ann
      .getByLabel('Boundaries and the device that controls each')
      .fill('Internet – FW01\nN3 – FW02');
    await ann.getByRole('button', { name: 'Mark as complete' }).click();
    await ann
      .getByRole('heading', { level: 1, name: 'Block SMB ports at each boundary' })
      .waitFor();
    await go(ann, '/sync');
    await signIn(ann, 'ann-sync-password');
    await upToDate(ann);

    await setUpSync(ben, 'ben');
    await signIn(ben, 'ben-sync-password');
    await upToDate(ben);
    // Ann's completed step, as she recorded it, on Ben's profile.
    await go(ben, `/records/${runId}/steps/list-boundaries`);
    await ben.getByText(/^Completed by Ann Technician on /).waitFor({ timeout: 60_000 });
    expect(await ben.locator('main').innerText()).toMatch(/Number of boundaries\s+2/);
    // Every record page says how sync stands.
    expect(await ben.getByRole('status', { name: 'Sync status' }).textContent()).toMatch(
      /Sync settings/,
    );

    // Ben answers the next step; it reaches Ann while her tab is open.
    await go(ben, `/records/${runId}/steps/block-smb-ports`);
    await ben.getByLabel('Change or rule reference').fill('CHG-0417');
    await ben.getByRole('button', { name: 'Save draft' }).click();
    await ben.getByText(/^Saved at /).waitFor();
    await upToDate(ben);
    await expect
      .poll(
        async () => {
          await go(ann, `/records/${runId}`);
          await ann.getByRole('heading', { level: 1, name: 'Sync Trust' }).waitFor();
          await go(ann, `/records/${runId}/steps/block-smb-ports`);
          await ann.getByLabel('Change or rule reference').waitFor();
          return ann.getByLabel('Change or rule reference').inputValue();
        },
        { timeout: 60_000 },
      )
      .toBe('CHG-0417');
    // Still syncing in Ann's tab: nothing waits.
    await upToDate(ann);
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
