// The app is written against React's API and rendered by Preact (preact/compat), which answers
// that API in about a sixth of the code: the first page's script is about 20 KB gzip instead of
// about 80, so a ward PC or a phone starting offline compiles and runs far less before the first
// screen. The app, its libraries (react-hook-form, XState's hooks, Dexie's hooks, TanStack
// Virtual) and the tests all resolve `react` and `react-dom` through this one table, so what the
// tests render is what ships. To go back to React itself, drop these aliases.
import type { Alias } from 'vite';

export const reactAliases: Alias[] = [
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
  { find: /^react$/, replacement: 'preact/compat' },
];

/**
 * Libraries that import React and must therefore be bundled through the aliases in tests too
 * (Vitest would otherwise load them from node_modules with React itself).
 */
export const reactDependents: RegExp[] = [
  /@testing-library\/preact/,
  /react-hook-form/,
  /@hookform\/resolvers/,
  /@xstate\/react/,
  /dexie-react-hooks/,
  /@tanstack\/react-virtual/,
  /use-sync-external-store/,
];
