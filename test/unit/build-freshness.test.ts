// The browser tests' guard against an old build: it names the source that changed after it.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { staleBuild } from '../../scripts/lib/buildFreshness.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'freshness-'));
  made.push(root);
  mkdirSync(join(root, 'src/ui'), { recursive: true });
  writeFileSync(join(root, 'src/ui/Page.tsx'), 'export {};');
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  return root;
}

const at = (path: string, seconds: number) => {
  utimesSync(path, seconds, seconds);
};

describe('staleBuild', () => {
  it('says there is no build, then nothing once the build is newer than every source', () => {
    const root = project();
    expect(staleBuild(root, 'dist')).toMatch(/dist\/ has no build/);
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist/index.html'), '<!doctype html>');
    at(join(root, 'src/ui/Page.tsx'), 1_000);
    at(join(root, 'index.html'), 1_000);
    at(join(root, 'dist/index.html'), 2_000);
    expect(staleBuild(root, 'dist')).toBeUndefined();
  });

  it('names the source changed after the build', () => {
    const root = project();
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist/index.html'), '<!doctype html>');
    at(join(root, 'index.html'), 1_000);
    at(join(root, 'dist/index.html'), 2_000);
    at(join(root, 'src/ui/Page.tsx'), 3_000);
    expect(staleBuild(root, 'dist')).toBe(
      'dist/ is older than src/ui/Page.tsx: run `npx vite build` (npm test does) before the browser tests.',
    );
  });
});
