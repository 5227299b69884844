// The two stylesheets: pages.scss (loaded with every page after the first screen) repeats none of
// what main.scss (always on the page) already has, so a page's styles are parsed and matched once.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as sass from 'sass';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const options: sass.Options<'sync'> = {
  loadPaths: [join(root, 'node_modules')],
  style: 'compressed',
  logger: sass.Logger.silent,
};

const compile = (file: string) => sass.compile(join(root, 'src/ui/styles', file), options).css;

/** The plain rules of a stylesheet (outside and inside at-rules), as written. */
const rules = (css: string) => css.match(/[^{}]+\{[^{}]*\}/g) ?? [];

describe('stylesheets', () => {
  it('pages.scss starts from exactly the modules main.scss writes', () => {
    let written = '';
    sass.compileString(
      `@use 'src/ui/styles/main'; @use 'nhsuk-frontend/dist/nhsuk/core/tools/exports';
       @debug exports.$imported-modules;`,
      {
        ...options,
        loadPaths: [join(root, 'node_modules'), root],
        url: pathToFileURL(join(root, 'modules.scss')),
        logger: {
          debug: (message) => {
            written = message;
          },
        },
      },
    );
    const pages = compile('pages.scss');
    const listed = [...written.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(10);
    // Compiled with the list main.scss wrote, pages.scss writes none of those modules again.
    const source = sass.compileString(
      `@use 'src/ui/styles/pages'; @use 'nhsuk-frontend/dist/nhsuk/core/tools/exports';
       @debug exports.$imported-modules;`,
      {
        ...options,
        loadPaths: [join(root, 'node_modules'), root],
        url: pathToFileURL(join(root, 'pages-modules.scss')),
        logger: {
          debug: (message) => {
            written = message;
          },
        },
      },
    );
    expect(source.css).toBe(pages);
    const pagesList = [...written.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(pagesList.slice(0, listed.length)).toEqual(listed);
  }, 60_000);

  it('pages.css repeats no rule of the main stylesheet but the icon sizes the callout brings', () => {
    const main = new Set(rules(compile('main.scss')));
    const repeated = rules(compile('pages.scss')).filter((rule) => main.has(rule));
    expect(repeated.filter((rule) => !rule.startsWith('.nhsuk-icon'))).toEqual([]);
  }, 60_000);
});
