import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { checklistsPlugin } from './scripts/lib/checklistsPlugin.ts';
import { cspMetaTag } from './scripts/lib/csp.ts';
import { reactAliases } from './scripts/lib/reactAlias.ts';

export const appManifest = {
  name: 'Reconnect — safe reconnection checklists',
  short_name: 'Reconnect',
  description:
    'Work through the checks for reconnecting an organisation to national networks after a precautionary disconnection, offline, with evidence and a signed record.',
  id: '/',
  start_url: '/',
  scope: '/',
  display: 'standalone' as const,
  orientation: 'any' as const,
  lang: 'en-GB',
  theme_color: '#005eb8',
  background_color: '#f0f4f5',
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    {
      src: '/icons/icon-maskable-512.png',
      sizes: '512x512',
      type: 'image/png',
      purpose: 'maskable',
    },
  ],
};

/**
 * For `npm run bench` only (mode "bench"): a blank static page, precached and served exactly as
 * the app is, so the benchmark can compare the app's offline cold start with a blank page's.
 */
function benchBlankPage(): Plugin {
  return {
    name: 'reconnect:bench-blank-page',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'bench-blank.html',
        source:
          '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>Blank</title></head>' +
          '<body><h1>Blank</h1></body></html>\n',
      });
    },
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [
    react(),
    checklistsPlugin(),
    cspMetaTag(),
    ...(mode === 'bench' ? [benchBlankPage()] : []),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeManifestIcons: false,
      manifestFilename: 'manifest.webmanifest',
      manifest: appManifest,
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,txt,json}'],
        navigateFallback: 'index.html',
        // Widens connect-src to a sync server's origin once a person has configured one.
        importScripts: ['sync-csp-sw.js'],
        cleanupOutdatedCaches: true,
        // The first visit's page is taken over as soon as the worker is active, so the chunks
        // it loads later (the database code, most pages) come from the precache even if the
        // network has gone by then. A new version still waits for the person to accept it.
        clientsClaim: true,
        // Checklist data and the CSV worker are part of the app: precache whatever size.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  resolve: { alias: reactAliases },
  build: {
    target: 'es2022',
    modulePreload: {
      polyfill: false,
      // The first page preloads every file its script imports (the bundler's runtime is a file of
      // its own), so nothing waits for the script to be parsed before it is asked for. A page
      // loaded later preloads only its stylesheet: its chunks come from the precache.
      resolveDependencies: (_file, deps, { hostType }) =>
        hostType === 'html' ? deps : deps.filter((d) => d.endsWith('.css')),
    },
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Everything the first page needs in one file: on an offline cold start each file is a
        // separate round trip through the service worker, so the first screen waits for the
        // slowest of them. Pages loaded later import what they share from this one.
        codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] },
      },
    },
  },
  preview: { port: 4173, strictPort: false },
}));
