// Lint: type-aware TypeScript rules, React hooks rules, and the module boundaries of the design
// (the pure core imports neither React nor Dexie; only src/db imports Dexie).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const reactAndDexie = [
  { name: 'react', message: 'The pure core must not depend on React.' },
  { name: 'react-dom', message: 'The pure core must not depend on React.' },
  { name: '@xstate/react', message: 'The pure core must not depend on React.' },
  { name: 'dexie', message: 'Only src/db may import Dexie.' },
  { name: 'dexie-react-hooks', message: 'Only src/db may import Dexie.' },
];
// The run rows have one writer (src/db/runs.ts, and its direct path src/db/directAppend.ts):
// the direct save reads a run, decides and writes it back in one native transaction, trusting
// that no other module changes a run row behind its remembered copy. Any other write to the
// `runs` table — through Dexie's table, a collection, or a raw object store — is refused here.
// The import door (src/db/merge.ts) is the third, declared writer: it writes merged runs in
// one transaction and tells the direct save to forget its remembered copy (forgetRun). Bulk
// device actions (src/db/bulkDevices.ts, split out of runs.ts as they were) are the fourth.
const runsWriters = [
  'src/db/runs.ts',
  'src/db/directAppend.ts',
  'src/db/merge.ts',
  'src/db/bulkDevices.ts',
];
const runsWriteMessage =
  'Only src/db/runs.ts, src/db/directAppend.ts, src/db/bulkDevices.ts and the import door src/db/merge.ts write the runs table (the direct save relies on knowing its writers): add a function there instead.';
const runsWriteRules = [
  {
    selector:
      "CallExpression[callee.type='MemberExpression'][callee.object.type='MemberExpression'][callee.object.property.name='runs'][callee.property.name=/^(add|bulkAdd|put|bulkPut|update|bulkUpdate|upsert|delete|bulkDelete|clear)$/]",
    message: runsWriteMessage,
  },
  {
    selector:
      "CallExpression[callee.property.name=/^(modify|delete|clear)$/]:has(MemberExpression[property.name='runs'])",
    message: runsWriteMessage,
  },
  {
    selector:
      "CallExpression[callee.property.name=/^(table|objectStore)$/][arguments.0.value='runs']",
    message: runsWriteMessage,
  },
  {
    selector:
      "CallExpression[callee.property.name='transaction'] > ArrayExpression > Literal[value='runs']",
    message: runsWriteMessage,
  },
];
// Events are stored in packs (src/db/eventStore.ts): every reader and writer goes through that
// module, so the shape of a row is known in one place. The schema's upgrade and the direct save
// (which writes a pack of one natively) are the other two that name the store.
const eventAccessors = ['src/db/eventStore.ts', 'src/db/schema.ts', 'src/db/directAppend.ts'];
const eventStoreMessage =
  'Events are stored in packs: read and write them through src/db/eventStore.ts (add a function there if need be).';
const eventStoreRules = [
  { selector: "MemberExpression[property.name='eventPacks']", message: eventStoreMessage },
  {
    selector:
      "CallExpression[callee.property.name=/^(table|objectStore|transaction)$/] Literal[value='eventPacks']",
    message: eventStoreMessage,
  },
];
const dexieOnly = reactAndDexie.filter((p) => p.name.startsWith('dexie'));
const shellFolders = (...folders) =>
  folders.map((f) => ({
    group: [`**/${f}/**`, `../${f}`, `../${f}/*`],
    message: `The pure core must not import src/${f}.`,
  }));

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'coverage', 'test-results', 'checklists/schema'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: dexieOnly }],
    },
  },
  {
    files: [
      'src/checklist/**',
      'src/run/**',
      'src/record/**',
      'src/inventory/**',
      'src/exchange/**',
      'src/sync/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: reactAndDexie, patterns: shellFolders('db', 'ui', 'app') },
      ],
    },
  },
  {
    files: ['src/checklist/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: reactAndDexie,
          patterns: shellFolders('db', 'ui', 'app', 'run', 'record', 'inventory'),
        },
      ],
    },
  },
  {
    files: ['src/run/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: reactAndDexie, patterns: shellFolders('db', 'ui', 'app', 'record', 'inventory') },
      ],
    },
  },
  {
    files: ['src/db/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: shellFolders('ui', 'app') }],
    },
  },
  {
    files: ['src/ui/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: dexieOnly, patterns: shellFolders('app') }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: [...runsWriters, ...eventAccessors],
    rules: { 'no-restricted-syntax': ['error', ...runsWriteRules, ...eventStoreRules] },
  },
  {
    files: runsWriters.filter((f) => !eventAccessors.includes(f)),
    rules: { 'no-restricted-syntax': ['error', ...eventStoreRules] },
  },
  {
    files: eventAccessors.filter((f) => !runsWriters.includes(f)),
    rules: { 'no-restricted-syntax': ['error', ...runsWriteRules] },
  },
);
