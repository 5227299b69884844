// Renders the app icons (PNG) from an inline SVG with the Debian Chromium the tests use.
// Run by hand when the icon changes: node scripts/make-icons.mjs. The PNGs are committed.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const mark = (inset) => `
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100%" height="100%">
  <rect width="100" height="100" fill="#005eb8"/>
  <g transform="translate(${inset} ${inset}) scale(${(100 - 2 * inset) / 100})">
    <rect x="8" y="8" width="84" height="84" rx="16" fill="none" stroke="#fff" stroke-width="6"/>
    <path d="M28 52l14 14 30-32" fill="none" stroke="#fff" stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/>
  </g>
</svg>`;

const targets = [
  { file: 'public/icons/icon-192.png', size: 192, inset: 4 },
  { file: 'public/icons/icon-512.png', size: 512, inset: 4 },
  // Maskable: keep the mark inside the central 80% safe zone.
  { file: 'public/icons/icon-maskable-512.png', size: 512, inset: 16 },
];

mkdirSync('public/icons', { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
for (const t of targets) {
  const page = await browser.newPage({ viewport: { width: t.size, height: t.size } });
  await page.setContent(`<html><body style="margin:0">${mark(t.inset)}</body></html>`);
  await page.screenshot({ path: t.file, omitBackground: false });
  await page.close();
}
await browser.close();
console.log('icons written');
