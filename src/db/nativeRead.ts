// Reads for the first screen, straight from IndexedDB. The home page and "who is working" need a
// few rows; Dexie (about 30 KB gzip to download, parse and open) is not needed to read them, so
// the first page does without it. Everything else — every write, and every other page — goes
// through Dexie, which owns the schema and its upgrades: these reads only ever open the database
// at the version Dexie made it, and hand anything else (a first run, an older shape to upgrade)
// back to Dexie.
//
// Like Dexie's live queries, these reads re-run whenever Dexie reports a change: in this tab
// through its DOM event, in others through its BroadcastChannel (a test holds Dexie to both).
import { useEffect, useState, type DependencyList } from 'react';
import { latestSchemaVersion } from './schema.ts';

/** The app's database (database.ts names it the same). */
export const databaseName = 'reconnect';

/** IndexedDB's version of the schema Dexie declares: Dexie stores its version times ten. */
export const nativeVersion = latestSchemaVersion * 10;

/**
 * Dexie's name for its change notice: the DOM event it dispatches in this tab after a commit,
 * and the BroadcastChannel on which other tabs hear of it.
 */
export const dexieChangeNotice = 'x-storagemutated-1';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => {
      resolve(req.result);
    };
    req.onerror = () => {
      reject(req.error ?? new Error('The browser could not read this device’s records.'));
    };
  });
}

/**
 * Opens the database at whatever version it is, without creating it: on a first run (no
 * database yet) it answers null and leaves nothing behind, so Dexie later creates it as usual.
 */
function openAsItIs(name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    let absent = false;
    open.onupgradeneeded = () => {
      // Only a database that does not exist yet asks for an upgrade when opened without a
      // version: do not create it here.
      absent = true;
      open.transaction?.abort();
    };
    open.onsuccess = () => {
      resolve(open.result);
    };
    open.onerror = (event) => {
      if (absent) {
        event.preventDefault();
        resolve(null);
      } else reject(open.error ?? new Error('The browser could not open this device’s records.'));
    };
  });
}

interface Connection {
  name: string;
  db: Promise<IDBDatabase | null>;
}

let connection: Connection | undefined;

async function connect(name: string, version: number): Promise<IDBDatabase | null> {
  let db = await openAsItIs(name);
  if (db && db.version !== version) {
    // Stored in an older shape (an update arrived), or by a newer version of the app: Dexie
    // upgrades it, or says why it cannot, exactly as it does for every other page.
    db.close();
    const { ReconnectDatabase, getDatabase } = await import('./database.ts');
    const dexie = name === databaseName ? getDatabase() : new ReconnectDatabase(name);
    await dexie.open();
    if (name !== databaseName) dexie.close();
    db = await openAsItIs(name);
    if (db && db.version !== version) {
      db.close();
      throw new Error(
        `This device’s records are at version ${String(db.version / 10)}, this app reads version ${String(version / 10)}. Reload the page.`,
      );
    }
  }
  return db;
}

/**
 * The open database, or null when there is none yet. The connection is kept between reads and
 * closed as soon as another connection asks to upgrade the database, so it never holds one up.
 */
function database(name: string, version: number): Promise<IDBDatabase | null> {
  if (connection?.name === name) return connection.db;
  connection?.db.then(
    (db) => db?.close(),
    () => undefined,
  );
  const current: Connection = { name, db: connect(name, version) };
  connection = current;
  const forget = () => {
    if (connection === current) connection = undefined;
  };
  current.db.then((db) => {
    if (!db) {
      forget(); // no database yet: look again on the next read
      return;
    }
    db.onversionchange = () => {
      db.close();
      forget();
    };
    db.onclose = forget;
  }, forget);
  return current.db;
}

/**
 * Runs `read` on one read-only transaction over `stores`, or returns `empty` when there is no
 * database yet. `read` must make all its requests before it first awaits.
 */
export async function readNative<T>(
  stores: string[],
  read: (tx: IDBTransaction) => Promise<T>,
  empty: T,
  name: string = databaseName,
): Promise<T> {
  const db = await database(name, nativeVersion);
  if (!db) return empty;
  return read(db.transaction(stores, 'readonly'));
}

export { request as idbRequest };

type Listener = () => void;
const listeners = new Set<Listener>();
let listening = false;

function notify() {
  for (const listener of [...listeners]) listener();
}

function listen() {
  if (listening) return;
  listening = true;
  if (typeof addEventListener === 'function') {
    addEventListener(dexieChangeNotice, notify);
    // Back from the back/forward cache: anything may have changed meanwhile.
    addEventListener('pageshow', (event) => {
      if (event.persisted) notify();
    });
  }
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(dexieChangeNotice);
    channel.onmessage = notify;
    (channel as { unref?: () => void }).unref?.();
  }
}

/** Calls `listener` after each change Dexie commits, in this tab or another; returns an undo. */
export function onStorageChange(listener: Listener): () => void {
  listen();
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

function sameDeps(a: DependencyList, b: DependencyList): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

/**
 * The result of `query`, re-read after every change; undefined until the first read answers
 * (and again while new `deps` are read). A read that a later one overtakes is dropped.
 */
export function useNativeQuery<T>(query: () => Promise<T>, deps: DependencyList): T | undefined {
  const [result, setResult] = useState<{ deps: DependencyList; value: T }>();
  useEffect(() => {
    let latest = 0;
    let stopped = false;
    const run = () => {
      const ticket = ++latest;
      query().then(
        (value) => {
          if (!stopped && ticket === latest) setResult({ deps, value });
        },
        (error: unknown) => {
          // As a live query does: keep what is shown, and say why in the console.
          console.error(error);
        },
      );
    };
    const stop = onStorageChange(run);
    run();
    return () => {
      stopped = true;
      stop();
    };
    // `deps` are the query's inputs, as for useLiveQuery.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return result && sameDeps(result.deps, deps) ? result.value : undefined;
}
