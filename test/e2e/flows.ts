// Steps through the app as a user does, shared by browser tests.
import type { Page } from 'playwright-core';

export async function setActor(page: Page, name: string): Promise<void> {
  const input = page.getByLabel('Who is working?');
  // The question appears only once the stored name has been read: wait for it, or for the
  // name already set, before deciding whether to answer it.
  await input.or(page.getByTestId('who-is-working')).first().waitFor({ timeout: 30_000 });
  if (await input.count()) {
    await input.fill(name);
    await page.getByRole('button', { name: 'Save name' }).click();
  }
  await page.getByText(`Working as ${name}.`).waitFor();
}

/** Starts a record from the home page; returns its id. */
export async function startRecord(
  page: Page,
  origin: string,
  organisation: string,
  checklistTitle: RegExp,
): Promise<string> {
  await page.goto(`${origin}/records/new`);
  await page.getByLabel('Organisation name').fill(organisation);
  await page.getByLabel(checklistTitle).check();
  await page.getByRole('button', { name: 'Start record' }).click();
  await page.getByRole('heading', { level: 1, name: organisation }).waitFor();
  const match = /\/records\/([^/?#]+)/.exec(page.url());
  if (!match?.[1]) throw new Error(`not on a record page: ${page.url()}`);
  return match[1];
}

/** Reads a store of the app's IndexedDB directly, for assertions. */
export async function readStore<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('reconnect');
        open.onerror = () => {
          reject(open.error ?? new Error('open failed'));
        };
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction(name, 'readonly').objectStore(name).getAll();
          request.onsuccess = () => {
            db.close();
            resolve(request.result as T[]);
          };
          request.onerror = () => {
            reject(request.error ?? new Error('read failed'));
          };
        };
      }),
    store,
  );
}

/**
 * Every event the app stores, read directly: events are kept in packs (src/db/eventStore.ts),
 * flattened here and listed by hash, as a store keyed by hash would list them.
 */
export async function readStoredEvents<T>(page: Page): Promise<T[]> {
  const packs = await readStore<{ events: (T & { hash: string })[] }>(page, 'eventPacks');
  return packs
    .flatMap((p) => p.events)
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
}

/** Which path (direct IndexedDB or Dexie) the page's last committed action took. */
export async function lastCommitPath(
  page: Page,
  name = 'reconnect:answer-commit',
): Promise<string> {
  return page.evaluate((entryName) => {
    const entries = performance.getEntriesByName(entryName);
    const last = entries[entries.length - 1] as PerformanceMark | undefined;
    return String((last?.detail as { path?: unknown } | undefined)?.path);
  }, name);
}

/** Which path the page's last refused action took. */
export function lastFailedPath(page: Page): Promise<string> {
  return lastCommitPath(page, 'reconnect:answer-failed');
}
