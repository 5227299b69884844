// Loaded into the service worker (Workbox's importScripts) ahead of Workbox's own routes.
// The app's Content-Security-Policy lets it reach its own origin only. When a person configures
// a sync server, the app stores that server's origin here; this worker then serves the app's
// page with the policy's connect-src widened to that one origin, and to nothing else. With no
// server configured it does nothing, and Workbox answers every request exactly as before.
const SETTINGS_CACHE = 'reconnect-sync-settings';
const ORIGIN_KEY = '/__reconnect/sync-origin';

/** undefined: not read yet; null: no server configured; a string: the allowed origin. */
let syncOrigin;
let reading = null;

function validOrigin(text) {
  try {
    const url = new URL(text);
    if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text)
      return url.origin;
  } catch {
    // Not a URL: treat as not configured.
  }
  return null;
}

function readOrigin() {
  reading ??= caches
    .open(SETTINGS_CACHE)
    .then((cache) => cache.match(ORIGIN_KEY))
    .then((response) => (response ? response.text() : ''))
    .then((text) => {
      syncOrigin = validOrigin(text.trim());
      return syncOrigin;
    })
    .catch(() => {
      syncOrigin = null;
      return null;
    });
  return reading;
}

async function pageWithPolicy(request, origin) {
  const cached = await caches.match('/index.html', { ignoreSearch: true });
  const page = cached ?? (await fetch(request));
  if (!origin) return page;
  const html = await page.text();
  const widened = html.replace(/connect-src 'self'(?=[;"])/, `connect-src 'self' ${origin}`);
  const headers = new Headers(page.headers);
  headers.delete('content-length');
  return new Response(widened, { status: 200, statusText: 'OK', headers });
}

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'reconnect:sync-origin-changed') {
    syncOrigin = undefined;
    reading = null;
    const reply = event.ports[0];
    event.waitUntil(
      readOrigin().then((origin) => {
        if (reply) reply.postMessage({ origin });
      }),
    );
  }
});

self.addEventListener('fetch', (event) => {
  if (event.request.mode !== 'navigate') return;
  // Known to be unconfigured: leave the request to Workbox, as before sync existed.
  if (syncOrigin === null) return;
  event.respondWith(
    (syncOrigin === undefined ? readOrigin() : Promise.resolve(syncOrigin)).then((origin) =>
      pageWithPolicy(event.request, origin),
    ),
  );
});

readOrigin();
