// A small history-API router: the app has a handful of routes and must work offline, so it
// needs no more than matching a path, pushing history and telling React when it changed.
import { useSyncExternalStore } from 'react';

const NAVIGATE_EVENT = 'reconnect:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function currentLocation(): string {
  return window.location.pathname + window.location.search;
}

/** The current path and query, updating on navigation. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, currentLocation, () => '/');
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentLocation()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export type RouteParams = Record<string, string>;

/**
 * Matches a pattern such as `/records/:recordId/steps/:stepId` against a path.
 * Returns the decoded parameters, or null when the path does not match.
 */
export function matchPath(pattern: string, path: string): RouteParams | null {
  const pathname = path.split('?')[0] ?? '';
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = pathname.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < patternParts.length; i++) {
    const want = patternParts[i] ?? '';
    const got = pathParts[i] ?? '';
    if (want.startsWith(':')) {
      try {
        params[want.slice(1)] = decodeURIComponent(got);
      } catch {
        return null;
      }
    } else if (want !== got) {
      return null;
    }
  }
  return params;
}

export function queryParam(location: string, name: string): string | null {
  const query = location.split('?')[1];
  return query === undefined ? null : new URLSearchParams(query).get(name);
}
