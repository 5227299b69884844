// Test projects, one per layer (see test/README.md). The e2e and build projects need `dist/`
// (npm run build) and Debian's Chromium; the others run in Node alone.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { checklistsPlugin } from './scripts/lib/checklistsPlugin.ts';
import { reactAliases, reactDependents } from './scripts/lib/reactAlias.ts';

const stub = (file: string) => fileURLToPath(new URL(`./test/stubs/${file}`, import.meta.url));

export default defineConfig({
  plugins: [react(), checklistsPlugin()],
  resolve: {
    alias: [
      { find: 'virtual:pwa-register/react', replacement: stub('pwa-register-react.ts') },
      ...reactAliases,
    ],
  },
  test: {
    // Bundled through the aliases above, so the tests render with what ships.
    server: { deps: { inline: reactDependents } },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'checklists',
          include: ['test/checklists/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'db',
          include: ['test/db/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/setup/fake-indexeddb.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'component',
          include: ['test/component/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['test/setup/fake-indexeddb.ts', 'test/setup/component.ts'],
          // Each test renders the whole app and types into it; on a loaded machine that takes
          // tens of seconds, and waits inside a test give up after 15 s (test/setup/component.ts).
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: 'build', include: ['test/build/**/*.test.ts'], environment: 'node' },
      },
      {
        // Against a CouchDB-protocol server (pouchdb-server) each file starts on 127.0.0.1.
        extends: true,
        test: {
          name: 'sync',
          include: ['test/sync/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
