// How tests and the benchmark launch Debian's Chromium: one place for the binary and the flags,
// so a measured browser and a tested browser are the same browser.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // UK users: dates and the 24-hour clock as they see them.
  '--lang=en-GB',
];
