// Reads the service worker the build generated and checks it precaches everything the app
// needs to start offline. Needs `npm run build` first (the test command does that).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '../../dist');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(dist, path)];
  });
}

function precacheUrls(): string[] {
  const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
  const match = /precacheAndRoute\((\[[^\]]*\])/.exec(sw);
  if (!match?.[1]) throw new Error('sw.js has no precacheAndRoute([...]) list');
  const list = match[1].replace(/(\w+):/g, '"$1":');
  return (JSON.parse(list) as { url: string }[]).map((entry) => entry.url);
}

describe('built service worker', () => {
  it('exists (run npm run build first)', () => {
    expect(existsSync(join(dist, 'sw.js'))).toBe(true);
  });

  const urls = existsSync(join(dist, 'sw.js')) ? precacheUrls() : [];

  it('precaches the page, the manifest and the icons', () => {
    expect(urls).toContain('index.html');
    expect(urls).toContain('manifest.webmanifest');
    for (const icon of [
      'icons/icon-192.png',
      'icons/icon-512.png',
      'icons/icon-maskable-512.png',
    ]) {
      expect(urls).toContain(icon);
    }
  });

  it('precaches every emitted script and stylesheet', () => {
    const emitted = filesUnder(join(dist, 'assets')).filter((f) => /\.(js|css)$/.test(f));
    expect(emitted.length).toBeGreaterThan(0);
    for (const file of emitted) expect(urls).toContain(file);
  });

  it('lists each entry once', () => {
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('serves index.html for navigations, so deep links open offline', () => {
    const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
    expect(sw).toMatch(/NavigationRoute\(\w+\.createHandlerBoundToURL\("index\.html"\)/);
  });
});

describe('built web app manifest', () => {
  const manifest = existsSync(join(dist, 'manifest.webmanifest'))
    ? (JSON.parse(readFileSync(join(dist, 'manifest.webmanifest'), 'utf8')) as Record<
        string,
        unknown
      >)
    : {};

  it('has every member an installable app needs', () => {
    for (const key of [
      'name',
      'short_name',
      'description',
      'start_url',
      'scope',
      'theme_color',
      'background_color',
    ]) {
      expect(manifest[key], key).toBeTruthy();
    }
    expect(manifest.display).toBe('standalone');
  });

  it('has 192 and 512 pixel icons and a maskable one, all present in the build', () => {
    const icons = manifest.icons as { src: string; sizes: string; purpose?: string }[];
    expect(icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(icons.some((i) => i.purpose?.includes('maskable'))).toBe(true);
    for (const icon of icons) expect(existsSync(join(dist, icon.src))).toBe(true);
  });
});

describe('built page', () => {
  const html = existsSync(join(dist, 'index.html'))
    ? readFileSync(join(dist, 'index.html'), 'utf8')
    : '';

  it('carries the CSP before any script or stylesheet', () => {
    const csp = html.indexOf('http-equiv="Content-Security-Policy"');
    expect(csp).toBeGreaterThan(-1);
    expect(csp).toBeLessThan(html.indexOf('<script'));
    expect(csp).toBeLessThan(html.indexOf('<link rel="stylesheet"'));
  });

  it('has no inline script', () => {
    const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
    for (const script of scripts) {
      expect(script).toMatch(/src="\/assets\//);
      expect(script.replace(/<script\b[^>]*>|<\/script>/g, '').trim()).toBe('');
    }
  });

  it('loads nothing from another host', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const css = filesUnder(join(dist, 'assets'))
      .filter((f) => f.endsWith('.css'))
      .map((f) => readFileSync(join(dist, f), 'utf8'))
      .join('\n');
    expect(css).not.toMatch(/url\(["']?(https?:)?\/\//);
    expect(css).not.toMatch(/@import/);
  });
});
