// Steps shared by the browser tests that sync through a CouchDB-protocol server (pouchdb-server,
// started by each test file on 127.0.0.1): open a profile, set up sync on the sync page as a
// person does, sign in, move within the app without reloading (the sync password lives only in
// the open tab), and read how sync stands.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { CouchServer } from '../../scripts/lib/couchServer.ts';
import { setActor } from './flows';
import { launch, mainHeading, waitForActivatedServiceWorker, type Browser } from './harness';

export interface Person {
  browser: Browser;
  page: Page;
}

/**
 * Opens a new profile on the app and names who is working. Replication looks for its checkpoint
 * on the server before the first one is written: CouchDB answers 404, which Chromium logs. Only
 * that answer, from only that server's database, is expected.
 */
export async function openProfile(
  appUrl: string,
  couch: CouchServer,
  database: string,
  name: string,
): Promise<Person> {
  const browser = await launch();
  const local = new RegExp(`^${escape(couch.url)}/${database}/_local/`);
  browser.expectConsoleError(/status of 404 \(Not Found\)/, local);
  const page = await browser.context.newPage();
  await page.goto(appUrl);
  await mainHeading(page);
  await waitForActivatedServiceWorker(page);
  await setActor(page, name);
  return { browser, page };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Failed requests to the server while it is down or the device is offline: Chromium logs each
 * ("Failed to load resource: net::ERR_…"). Expected from that server only.
 */
export function expectServerDown(browser: Browser, couch: CouchServer): void {
  browser.expectConsoleError(
    /net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|EMPTY_RESPONSE|INTERNET_DISCONNECTED|CONNECTION_CLOSED|NETWORK_CHANGED|INCOMPLETE_CHUNKED_ENCODING|FAILED)/,
    new RegExp(`^${escape(couch.url)}/`),
  );
}

/** Sets up sync on the sync page as a person does: server, database, user name. */
export async function setUpSync(
  page: Page,
  origin: string,
  couch: CouchServer,
  database: string,
  username: string,
): Promise<void> {
  await page.goto(`${origin}/sync`);
  await page.getByRole('heading', { level: 1, name: 'Sync with a server' }).waitFor();
  await page.getByLabel('Sync server address').fill(couch.url);
  await page.getByLabel('Database name').fill(database);
  await page.getByLabel('Sync user name').fill(username);
  await page.getByRole('button', { name: 'Save and allow this server' }).click();
  // Saving reloads the app under a policy that lets it reach this server.
  await page.getByLabel('Sync password').waitFor({ timeout: 30_000 });
}

/** Types the password on the sync page (the page must be showing it) and starts syncing. */
export async function signIn(page: Page, password: string): Promise<void> {
  await page.getByLabel('Sync password').fill(password);
  await page.getByRole('button', { name: 'Start syncing' }).click();
}

/**
 * Moves within the app as its links do, without loading the page again: the sync password lives
 * only in the open tab, so a reload would pause sync until it is typed again.
 */
export async function go(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    window.history.pushState(null, '', to);
    window.dispatchEvent(new Event('reconnect:navigate'));
  }, path);
}

/** Waits until the sync page says everything is sent and received. */
export async function upToDate(page: Page, timeout = 90_000): Promise<void> {
  await go(page, '/sync');
  await expect
    .poll(async () => page.getByTestId('sync-state').textContent(), { timeout })
    .toBe('Up to date');
}

/** The sync status line of the record page shown, once it matches `pattern`. */
export async function statusLineSays(page: Page, pattern: RegExp, timeout = 90_000) {
  const line = page.getByRole('status', { name: 'Sync status' });
  await expect.poll(async () => (await line.count()) > 0, { timeout }).toBe(true);
  await expect.poll(async () => (await line.textContent()) ?? '', { timeout }).toMatch(pattern);
  return (await line.textContent()) ?? '';
}

/** Starts a record from the new-record page, reached in-app; returns its id. */
export async function startRecordInApp(
  page: Page,
  organisation: string,
  checklistTitle: RegExp,
): Promise<string> {
  await go(page, '/records/new');
  await page.getByLabel('Organisation name').fill(organisation);
  await page.getByLabel(checklistTitle).check();
  await page.getByRole('button', { name: 'Start record' }).click();
  await page.getByRole('heading', { level: 1, name: organisation }).waitFor();
  const match = /\/records\/([^/?#]+)/.exec(page.url());
  if (!match?.[1]) throw new Error(`not on a record page: ${page.url()}`);
  return match[1];
}

/** The first step of the SMB boundary checklist, as a technician completes it. */
export async function listBoundaries(page: Page, runId: string): Promise<void> {
  await go(page, `/records/${runId}/steps/list-boundaries`);
  await page.getByLabel('Number of boundaries').fill('2');
  await page
    .getByLabel('Boundaries and the device that controls each')
    .fill('Internet – FW01\nN3 – FW02');
  await page.getByRole('button', { name: 'Mark as complete' }).click();
  await page.getByRole('heading', { level: 1, name: 'Block SMB ports at each boundary' }).waitFor();
}

interface AllDocs {
  total_rows: number;
  rows: {
    id: string;
    key: string;
    error?: string;
    value?: { rev: string };
    doc?: { _id: string; _rev: string; _conflicts?: string[] };
  }[];
}

/** Documents on the server (as its admin), by ids or by an id range, with any conflicts. */
export async function serverDocs(
  couch: CouchServer,
  database: string,
  query: { keys: string[] } | { startkey: string; endkey: string },
): Promise<AllDocs['rows']> {
  const base = `/${database}/_all_docs?include_docs=true&conflicts=true`;
  const json = (value: string) => encodeURIComponent(JSON.stringify(value));
  const response =
    'keys' in query
      ? await couch.adminFetch(base, { method: 'POST', body: JSON.stringify({ keys: query.keys }) })
      : await couch.adminFetch(
          `${base}&startkey=${json(query.startkey)}&endkey=${json(query.endkey)}`,
        );
  if (!response.ok) throw new Error(`_all_docs: ${String(response.status)}`);
  return ((await response.json()) as AllDocs).rows;
}

/** How many documents the server's database holds. */
export async function serverDocCount(couch: CouchServer, database: string): Promise<number> {
  const response = await couch.adminFetch(`/${database}`);
  if (!response.ok) throw new Error(`database info: ${String(response.status)}`);
  return ((await response.json()) as { doc_count: number }).doc_count;
}
