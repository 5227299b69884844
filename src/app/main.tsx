// Entry point: zod's configuration (before any schema is made), styles, then the app.
import '../checklist/jitless.ts';
import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui/styles/main.scss';
import { App } from './App.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
// The first render is a transition, so React builds the first screen in short slices and the
// browser stays free to paint and to take a tap in between, rather than in one long task.
const reactRoot = createRoot(root);
startTransition(() => {
  reactRoot.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});

// For `npm run bench` only (a build in "bench" mode): the app's own save path, so the benchmark
// can time an action to its commit without the browser's rendering of a mouse click. Loaded
// only when called, so it does not change what the first page downloads.
if (import.meta.env.MODE === 'bench') {
  (window as unknown as { reconnectBench: unknown }).reconnectBench = {
    appendEvent: async (...args: Parameters<(typeof import('../db/runs.ts'))['appendEvent']>) =>
      (await import('../db/runs.ts')).appendEvent(...args),
    /** Bare Papa Parse and Dexie bulkPut of an inventory: the floor an import is compared with. */
    rawImport: async (text: string): Promise<number> => {
      const [{ default: Papa }, { Dexie }] = await Promise.all([
        import('papaparse'),
        import('dexie'),
      ]);
      // The naive design: one row per device, indexed by record, in a scratch database.
      const db = new Dexie('bench-raw');
      db.version(1).stores({ devices: 'id, orgRunId' });
      const orgRunId = `bench-raw-${crypto.randomUUID()}`;
      const start = performance.now();
      const parsed = Papa.parse<Record<string, string>>(text, {
        header: true,
        skipEmptyLines: true,
      });
      const now = new Date().toISOString();
      const rows = parsed.data.map((r, i) => ({
        id: crypto.randomUUID(),
        orgRunId,
        key: (r['Computer Name'] ?? '').toLowerCase(),
        hostname: r['Computer Name'] ?? '',
        assetTag: r['Asset Tag'] ?? '',
        ip: r['IP Address'] ?? '',
        mac: r['MAC Address'] ?? '',
        osCaption: r['Operating System'] ?? '',
        osVersion: r['OS Version'] ?? '',
        servicePack: r['Service Pack'] ?? '',
        location: r.Location ?? '',
        owner: r.Owner ?? '',
        deviceClass: r.Chassis ?? '',
        osRow: null,
        osBecause: '',
        source: { file: 'raw', line: i + 2, importedAt: now, importedBy: 'bench' },
        status: 'not-started' as const,
        updatedAt: now,
      }));
      await db.table('devices').bulkPut(rows);
      const elapsed = performance.now() - start;
      await db.delete();
      return elapsed;
    },
  };
}
