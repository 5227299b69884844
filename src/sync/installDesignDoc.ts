// Installs (or updates) the design document in an organisation's database, with an admin's
// credentials. Used by `scripts/couch-setup.ts` and by tests; it needs only `fetch`.
import { designDoc, designDocId, designDocVersion } from './designDoc.ts';

export type InstallResult =
  | { ok: true; action: 'installed' | 'updated' | 'already-current' }
  | { ok: false; status: number; reason: string };

async function reasonOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { reason?: unknown; error?: unknown };
    if (typeof body.reason === 'string') return body.reason;
    if (typeof body.error === 'string') return body.error;
    return response.statusText;
  } catch {
    return response.statusText;
  }
}

/**
 * `databaseUrl` is the database's URL (for example https://couch.trust.nhs.uk/rxx-reconnect);
 * `authorization` an admin's Authorization header.
 */
export async function installDesignDoc(
  databaseUrl: string,
  authorization: string,
  fetcher: typeof fetch = fetch,
): Promise<InstallResult> {
  const base = databaseUrl.replace(/\/+$/, '');
  const headers = { authorization, 'content-type': 'application/json' };
  const docUrl = `${base}/${designDocId}`;
  const existing = await fetcher(docUrl, { headers });
  let rev: string | undefined;
  if (existing.ok) {
    const current = (await existing.json()) as { _rev?: string; reconnectVersion?: number };
    if ((current.reconnectVersion ?? 0) >= designDocVersion)
      return { ok: true, action: 'already-current' };
    rev = current._rev;
  } else if (existing.status !== 404) {
    return { ok: false, status: existing.status, reason: await reasonOf(existing) };
  }
  const body = { ...designDoc(), ...(rev === undefined ? {} : { _rev: rev }) };
  const put = await fetcher(docUrl, { method: 'PUT', headers, body: JSON.stringify(body) });
  if (!put.ok) return { ok: false, status: put.status, reason: await reasonOf(put) };
  return { ok: true, action: rev === undefined ? 'installed' : 'updated' };
}
