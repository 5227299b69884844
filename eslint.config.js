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
    files: ['src/checklist/**', 'src/run/**', 'src/record/**', 'src/inventory/**'],
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
);
