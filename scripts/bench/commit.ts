// Answer commit in Chromium: from an action to its committed transaction, against a bare
// IndexedDB put of the same size and durability in the same page.
//
// - answer_commit_ms_median: the app's save path (appendEvent: read the run, ask the machine,
//   hash, append the event, update the snapshot, commit) called as the UI calls it, with the
//   step page and its live queries mounted. It ends at the commit; the live views are told
//   of the change just after (src/db/runs.ts). The bench build exposes it as
//   window.reconnectBench (src/app/main.tsx); production builds do not.
// - answer_commit_click_ms_median: the same save started by clicking "Save draft", which adds
//   the browser's own work for a click (focus, styles, layout, paint) before IndexedDB replies.
import type { BrowserContext, Page } from 'playwright-core';
import { launchBench, serveBench } from './browser.ts';
import { median } from './stats.ts';

async function startRecord(
  context: BrowserContext,
  origin: string,
): Promise<{ page: Page; runId: string }> {
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.getByLabel('Who is working?').fill('Bench Technician');
  await page.getByRole('button', { name: 'Save name' }).click();
  // The name is saved through the database code, loaded on demand: wait until it is stored.
  await page.getByText('Working as Bench Technician.').waitFor();
  await page.goto(`${origin}/records/new`);
  await page.getByLabel('Organisation name').fill('Bench Trust');
  await page.getByLabel(/^Reconnect the organisation after a precautionary disconnection/).check();
  await page.getByRole('button', { name: 'Start record' }).click();
  await page.getByRole('heading', { level: 1, name: 'Bench Trust' }).waitFor();
  const runId = /\/records\/([^/?#]+)/.exec(page.url())?.[1];
  if (!runId) throw new Error('no record');
  return { page, runId };
}

const draftText = (i: number) =>
  `Incident bridge: 07700 900${String(100 + i)}. Fallback: WhatsApp group "Command" (${String(i)}).`;

export async function measureAnswerCommit(samples = 40): Promise<Record<string, number>> {
  const server = await serveBench();
  const browser = await launchBench();
  try {
    const { page, runId } = await startRecord(browser.context, server.origin);
    await page.goto(`${server.origin}/records/${runId}/steps/open-record`);
    const field = page.getByLabel('Out-of-band contacts');
    await field.waitFor();
    await page.waitForFunction(() => 'reconnectBench' in window);

    // The app's save path, as the UI calls it.
    const direct = await page.evaluate(
      async ({ id, count, texts }) => {
        const bench = (
          window as unknown as {
            reconnectBench: { appendEvent: (runId: string, event: unknown) => Promise<unknown> };
          }
        ).reconnectBench;
        const times: number[] = [];
        const paths: string[] = [];
        for (let i = 0; i < count + 5; i++) {
          // As the form saves: the changed field, on top of the value it last saw.
          await bench.appendEvent(id, {
            type: 'step.save',
            stepId: 'open-record',
            changes: { 'out-of-band': texts[i % texts.length] },
            ...(i > 0 ? { base: { 'out-of-band': texts[(i - 1) % texts.length] } } : {}),
            actor: { name: 'Bench Technician' },
            at: new Date().toISOString(),
          });
          // appendEvent's own measure, from its call to the commit, as for the clicks below
          // (timing around the call here would add the bench hook's module lookup).
          const measures = performance.getEntriesByName('reconnect:answer-commit');
          const last = measures[measures.length - 1] as PerformanceMeasure | undefined;
          times.push(last?.duration ?? Number.NaN);
          paths.push(String((last?.detail as { path?: unknown } | undefined)?.path));
          // Let the live views re-render between actions, as they would between a user's.
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return { times: times.slice(5), paths: paths.slice(5) };
      },
      { id: runId, count: samples, texts: Array.from({ length: 10 }, (_, i) => draftText(i)) },
    );

    // The same through a click on "Save draft".
    await page.reload();
    await field.waitFor();
    const before = await page.evaluate(
      () => performance.getEntriesByName('reconnect:answer-commit').length,
    );
    for (let i = 0; i < 20; i++) {
      await field.fill(draftText(100 + i));
      // A person moves from the field to the button in well over 200 ms; the draft autosaves
      // only after 800 ms, so this click is what saves.
      await page.waitForTimeout(200);
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.waitForFunction(
        (n) => performance.getEntriesByName('reconnect:answer-commit').length > n,
        before + i,
      );
    }
    const clicks = await page.evaluate(() =>
      performance.getEntriesByName('reconnect:answer-commit').map((e) => e.duration),
    );

    // The bytes one action writes: the new event (a pack of one, src/db/eventStore.ts) and the
    // updated record row.
    const bytes = await page.evaluate(
      (id) =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('reconnect');
          open.onerror = () => {
            reject(new Error('open failed'));
          };
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction(['eventPacks', 'runs'], 'readonly');
            const packs = tx.objectStore('eventPacks').getAll();
            const run = tx.objectStore('runs').get(id);
            tx.oncomplete = () => {
              const last = (packs.result as { runId: string; last: number }[])
                .filter((p) => p.runId === id)
                .sort((a, b) => a.last - b.last)
                .pop();
              db.close();
              resolve(JSON.stringify(last).length + JSON.stringify(run.result).length);
            };
          };
        }),
      runId,
    );

    const raw = await page.evaluate(
      async ({ size, count }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('bench-raw', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('rows', { keyPath: 'id' });
          open.onsuccess = () => {
            resolve(open.result);
          };
          open.onerror = () => {
            reject(new Error('open failed'));
          };
        });
        const times: number[] = [];
        for (let i = 0; i < count + 5; i++) {
          const row = { id: i, payload: 'x'.repeat(size) };
          const start = performance.now();
          await new Promise<void>((resolve, reject) => {
            const tx = db.transaction('rows', 'readwrite', { durability: 'strict' });
            tx.objectStore('rows').put(row);
            tx.oncomplete = () => {
              resolve();
            };
            tx.onerror = () => {
              reject(new Error('put failed'));
            };
          });
          times.push(performance.now() - start);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        db.close();
        return times.slice(5);
      },
      { size: bytes, count: samples },
    );
    const commit = median(direct.times);
    const put = median(raw);
    return {
      answer_commit_ms_median: commit,
      answer_commit_click_ms_median: median(clicks.slice(-20)),
      raw_idb_put_ms_median: put,
      answer_commit_ratio: Math.round((commit / put) * 100) / 100,
      answer_commit_bytes: bytes,
      // Share of the measured saves that took appendEvent's direct IndexedDB path (1 = all).
      answer_commit_direct_share: direct.paths.filter((p) => p === 'direct').length / samples,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
