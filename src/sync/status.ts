// What sync tells people: errors from the server or the network in plain words, saying what
// happened, what it means for their work, and what to do. Pure: it reads the shapes PouchDB and
// CouchDB report errors in, and never sees a password.

export type SyncProblemKind =
  | 'unreachable'
  | 'wrong-password'
  | 'no-access'
  | 'no-database'
  | 'refused'
  | 'unexpected'
  /** This device failed to store what it pulled; it retries on its own. */
  | 'not-stored';

export interface SyncProblem {
  kind: SyncProblemKind;
  /** One or two sentences for the record page and the sync settings page. */
  message: string;
}

export interface SyncTarget {
  /** The server's origin, as the user typed it (https://couch.trust.example:6984). */
  server: string;
  database: string;
  username: string;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = field(error, 'status');
  return typeof status === 'number' && status > 0 ? status : undefined;
}

function reasonOf(error: unknown): string | undefined {
  for (const name of ['reason', 'message']) {
    const value = field(error, name);
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** Reads an error from a sync attempt (a failed request or replication) into plain words. */
export function describeSyncError(error: unknown, target: SyncTarget): SyncProblem {
  const status = statusOf(error);
  const reason = reasonOf(error);
  if (status === undefined) {
    return {
      kind: 'unreachable',
      message: `Cannot reach the sync server at ${target.server}. Your work is saved on this device and will be sent when the server can be reached again.`,
    };
  }
  if (status === 401) {
    return {
      kind: 'wrong-password',
      message: `The sync server did not accept the user name “${target.username}” or its password. Sign in again in Sync settings; nothing is sent until then.`,
    };
  }
  if (status === 403) {
    return {
      kind: 'no-access',
      message: `The sync server refused ${target.username} access to the database “${target.database}”${reason ? ` (${reason})` : ''}. Ask whoever runs the server to give this user the organisation’s role.`,
    };
  }
  if (status === 404) {
    return {
      kind: 'no-database',
      message: `The sync server has no database called “${target.database}”. Check the name in Sync settings, or ask whoever runs the server to create it.`,
    };
  }
  return {
    kind: 'unexpected',
    message: `The sync server answered with an error (${String(status)}${reason ? `: ${reason}` : ''}). Your work is saved on this device; sync will try again.`,
  };
}

/** This device could not take in what it pulled (its own storage failed, not the server). */
export function describeReceiveError(error: unknown): SyncProblem {
  const reason = reasonOf(error);
  return {
    kind: 'not-stored',
    message: `This device could not store changes from the sync server${reason ? ` (${reason})` : ''}. Nothing is lost: they are kept and it will try again.`,
  };
}

/** The device itself has no network (the browser says it is offline). */
export function describeNoNetwork(target: SyncTarget): SyncProblem {
  return {
    kind: 'unreachable',
    message: `This device is offline, so it cannot reach the sync server at ${target.server}. Your work is saved on this device; sync carries on by itself when the network is back.`,
  };
}

/** Documents the server would not store (its design document refused them). */
export function describeRefused(
  refused: readonly { id: string; reason: string }[],
  target: SyncTarget,
): SyncProblem {
  const first = refused[0];
  const count = refused.length;
  return {
    kind: 'refused',
    message: `The sync server refused to store ${String(count)} ${count === 1 ? 'change' : 'changes'}${first ? ` (first: ${first.reason})` : ''}. They stay on this device; tell whoever runs the server at ${target.server}.`,
  };
}

/** "Last synced 5 minutes ago" style wording for a time, relative to now. */
export function lastSyncedWords(lastSyncedAt: string | undefined, now: Date): string {
  if (lastSyncedAt === undefined) return 'Not synced yet';
  const then = Date.parse(lastSyncedAt);
  if (Number.isNaN(then)) return 'Not synced yet';
  const minutes = Math.floor((now.getTime() - then) / 60_000);
  if (minutes < 1) return 'Last synced less than a minute ago';
  if (minutes === 1) return 'Last synced 1 minute ago';
  if (minutes < 60) return `Last synced ${String(minutes)} minutes ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `Last synced ${String(hours)} ${hours === 1 ? 'hour' : 'hours'} ago`;
  const days = Math.floor(hours / 24);
  return `Last synced ${String(days)} ${days === 1 ? 'day' : 'days'} ago`;
}

/**
 * Checks what a person typed for the server and database before anything is sent: the origin
 * the app will be allowed to reach, and a database name CouchDB accepts. Errors name the field.
 */
export function checkSyncTarget(input: {
  server: string;
  database: string;
  username: string;
}):
  { ok: true; origin: string; target: SyncTarget } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let origin = '';
  const server = input.server.trim();
  if (server === '')
    errors.server = 'Enter the sync server’s address, like https://couch.trust.example:6984';
  else {
    try {
      const url = new URL(server);
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        errors.server =
          'The sync server’s address must start with https:// (or http:// on the same machine)';
      else if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
        errors.server =
          'Enter only the server’s address, like https://couch.trust.example:6984, without a path';
      else if (url.username !== '' || url.password !== '')
        errors.server = 'Do not put a user name or password in the address: use the fields below';
      else origin = url.origin;
    } catch {
      errors.server = 'Enter the sync server’s address, like https://couch.trust.example:6984';
    }
  }
  const database = input.database.trim();
  if (database === '') errors.database = 'Enter the database name, like rxx-reconnect';
  else if (!/^[a-z][a-z0-9_$()+/-]*$/.test(database))
    errors.database =
      'The database name must start with a lower-case letter and use only lower-case letters, digits and _ $ ( ) + - /';
  const username = input.username.trim();
  if (username === '') errors.username = 'Enter your sync user name';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, origin, target: { server: origin, database, username } };
}
