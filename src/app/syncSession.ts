// One sync session in this tab, kept in step with the organisation's CouchDB database by
// PouchDB's replication: what this device holds goes through the outbox into a local mirror
// (PouchDB on IndexedDB) and is pushed from there; what is pulled goes straight through the
// import door (the mirror keeps only what the door holds back). Loaded on demand (its own
// chunk) only when a person starts sync: with sync not configured none of this loads.
import PouchDB, { type PouchDoc } from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import idbAdapter from 'pouchdb-adapter-idb';
import replication from 'pouchdb-replication';
import { sha256Hex } from '../checklist/canonical.ts';
import { readSetting, writeSetting } from '../db/settings.ts';
import { heldByDevice, receiveDocs, type Pending } from '../db/syncDoor.ts';
import { SyncOutbox, watchDatabase } from '../db/syncOutbox.ts';
import { heldBefore } from '../sync/doorTarget.ts';
import { mirrorOutbox, mirrorReader } from '../sync/mirrorAccess.ts';
import { Replicator, type SyncStatus } from '../sync/replicator.ts';
import type { SyncTarget } from '../sync/status.ts';

PouchDB.plugin(idbAdapter).plugin(httpAdapter).plugin(replication);

const PENDING_SETTING = 'sync-pending';
const LAST_SYNCED_SETTING = 'sync-last-synced';

export interface SyncSession {
  stop(): Promise<void>;
}

function pendingOf(value: unknown): Pending {
  const v = value as Partial<Pending> | undefined;
  const strings = (list: unknown) =>
    Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  return { runIds: strings(v?.runIds), docIds: strings(v?.docIds) };
}

/** Starts syncing with `target`. The password is used for requests and kept nowhere else. */
export async function startSession(
  target: SyncTarget,
  password: string,
  onStatus: (status: SyncStatus) => void,
): Promise<SyncSession> {
  // The benchmark reads these marks (scripts/bench/sync.ts): when sync started, each batch of
  // pulled documents through the door ('reconnect:sync-receive'), and each time sync became up
  // to date with nothing waiting ('reconnect:sync-up-to-date').
  performance.mark('reconnect:sync-start');
  let pending = pendingOf(await readSetting(PENDING_SETTING));
  const lastSyncedAt = await readSetting(LAST_SYNCED_SETTING);
  const mirrorName = `reconnect-sync-${sha256Hex(`${target.server}/${target.database}`).slice(0, 16)}`;
  const source = {
    kind: 'sync',
    by: target.username,
    device: { name: `${target.server}/${target.database}`, fingerprint: '' },
    at: '',
  };
  let saved = typeof lastSyncedAt === 'string' ? lastSyncedAt : undefined;
  let reader: ReturnType<typeof mirrorReader> | undefined;
  let upToDate = false;
  const replicator: Replicator = new Replicator({
    PouchDB,
    mirrorName,
    adapter: 'idb',
    target,
    auth: { username: target.username, password },
    receive: async (docs: PouchDoc[]) => {
      reader ??= mirrorReader(replicator.local);
      const began = performance.now();
      const result = await receiveDocs(docs, reader, pending, {
        ...source,
        at: new Date().toISOString(),
      });
      // Written only when it changes: every write wakes the outbox and live queries. Written
      // before the documents held back go into the mirror (doorTarget.ts), so that a reload in
      // between finds them named here or fetches them again, never neither.
      if (JSON.stringify(result.pending) !== JSON.stringify(pending)) {
        pending = result.pending;
        await writeSetting(PENDING_SETTING, pending);
      }
      performance.measure('reconnect:sync-receive', { start: began, end: performance.now() });
      return { refused: result.refused, held: result.held };
    },
    holds: (revs) => heldByDevice(revs),
    // What the server and this device both hold is never sent back.
    onHeld: (ids) => {
      outbox.noteHeld(ids);
    },
    onStatus: (status) => {
      const now = status.state === 'idle' && status.waiting === 0 && !status.problem;
      if (now && !upToDate) performance.mark('reconnect:sync-up-to-date');
      upToDate = now;
      if (status.lastSyncedAt && status.lastSyncedAt !== saved) {
        saved = status.lastSyncedAt;
        void writeSetting(LAST_SYNCED_SETTING, saved);
      }
      onStatus(status);
    },
    ...(saved ? { lastSyncedAt: saved } : {}),
  });
  const outbox = new SyncOutbox(mirrorOutbox(replicator.local, (docs) => replicator.send(docs)));
  // What earlier sessions pulled is not in the mirror: the outbox learns it is on the server.
  outbox.noteHeld(await heldBefore(replicator.local));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flushSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      void outbox.flush();
    }, 250);
  };
  // Any change to this device's database, from this tab or another, is sent on.
  const unwatch = watchDatabase(flushSoon);
  // Sync pauses while the device has no network and carries on as soon as it is back, rather
  // than waiting out the retry delay.
  const onOffline = () => {
    replicator.networkLost();
  };
  const onOnline = () => {
    replicator.networkBack();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);
  if (!navigator.onLine) replicator.networkLost();
  await outbox.flush();
  replicator.start();
  return {
    async stop() {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      unwatch();
      clearTimeout(timer);
      await replicator.close();
    },
  };
}
