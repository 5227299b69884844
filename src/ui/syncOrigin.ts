// Tells the service worker which sync server, if any, the app may reach (public/sync-csp-sw.js
// widens the page's connect-src to that one origin). Takes effect when the page next loads.
const SETTINGS_CACHE = 'reconnect-sync-settings';
const ORIGIN_KEY = '/__reconnect/sync-origin';

/** Stores `origin` (or clears it with null) and waits until the service worker has read it. */
export async function allowSyncOrigin(origin: string | null): Promise<void> {
  const cache = await caches.open(SETTINGS_CACHE);
  if (origin === null) await cache.delete(ORIGIN_KEY);
  else await cache.put(ORIGIN_KEY, new Response(origin));
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (!worker) return;
  await new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      resolve();
    };
    worker.postMessage({ type: 'reconnect:sync-origin-changed' }, [channel.port2]);
  });
}

/** The origins this page's policy lets it connect to, besides its own. */
export function allowedSyncOrigins(): string[] {
  const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  const policy = meta?.getAttribute('content') ?? '';
  const connect = policy
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('connect-src '));
  return (connect ?? '')
    .split(/\s+/)
    .slice(1)
    .filter((source) => source !== "'self'");
}
