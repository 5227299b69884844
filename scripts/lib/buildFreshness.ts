// Whether a build folder is older than the sources it was built from. The browser tests run
// against `dist/`; after a change to the sources without a rebuild they would wait for pages
// that the old build never shows, and fail only at their time limits.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Files and folders, relative to the project, whose changes a build picks up. */
export const buildInputs = ['src', 'checklists', 'public', 'index.html', 'vite.config.ts'];

function newest(path: string): { file: string; mtimeMs: number } | undefined {
  if (!existsSync(path)) return undefined;
  const stat = statSync(path);
  if (!stat.isDirectory()) return { file: path, mtimeMs: stat.mtimeMs };
  let best: { file: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(path)) {
    const found = newest(join(path, entry));
    if (found && (!best || found.mtimeMs > best.mtimeMs)) best = found;
  }
  return best;
}

/**
 * A sentence saying which source changed after the build in `outDir` was made, or undefined if
 * the build is newer than every input. A missing build is reported too.
 */
export function staleBuild(root: string, outDir: string, inputs = buildInputs): string | undefined {
  const built = join(root, outDir, 'index.html');
  if (!existsSync(built)) return `${outDir}/ has no build: run \`npx vite build\` first.`;
  const buildTime = statSync(built).mtimeMs;
  for (const input of inputs) {
    const found = newest(join(root, input));
    if (found && found.mtimeMs > buildTime)
      return `${outDir}/ is older than ${relative(root, found.file)}: run \`npx vite build\` (npm test does) before the browser tests.`;
  }
  return undefined;
}
