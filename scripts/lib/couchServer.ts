// A CouchDB-protocol server for tests: pouchdb-server (npm) on 127.0.0.1, storing its databases
// in a temporary folder so that a killed and restarted server still holds what it had. Tests
// start it, stop it, kill it mid-work and restart it on the same port and folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const serverBin = join(import.meta.dirname, '../../node_modules/pouchdb-server/bin/pouchdb-server');

/** How long a start may take on a busy machine before the test gives up. */
const startTimeoutMs = 90_000;

export interface CouchServer {
  url: string;
  port: number;
  dir: string;
  admin: { name: string; password: string };
  /** The admin's Authorization header (HTTP Basic). */
  adminAuthorization: string;
  /** Fetch with the admin's credentials. */
  adminFetch: (path: string, init?: RequestInit) => Promise<Response>;
  /** Ends the server as an operator would (SIGTERM) and waits for it to exit. */
  stop: () => Promise<void>;
  /** Ends it abruptly (SIGKILL), as a crash or a pulled plug would. */
  kill: () => Promise<void>;
  /** Starts it again on the same port and folder. */
  restart: () => Promise<void>;
  /** Stops it and deletes its folder. */
  dispose: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`pouchdb-server exited while starting:\n${log()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`pouchdb-server did not answer:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
}

/**
 * Starts a server with an admin account (so that databases can be secured and wrong passwords
 * refused) and CORS open to `corsOrigins`, the origins the app under test is served from.
 */
export async function startCouchServer(
  options: { corsOrigins?: string[] } = {},
): Promise<CouchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'reconnect-couch-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${String(port)}`;
  const admin = { name: 'admin', password: 'admin-password-for-tests' };
  const basic = `Basic ${Buffer.from(`${admin.name}:${admin.password}`).toString('base64')}`;
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async () => {
    output = '';
    const started = spawn(
      process.execPath,
      [serverBin, '--port', String(port), '--host', '127.0.0.1', '--dir', dir, '--no-color'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    started.stdout.on('data', keep);
    started.stderr.on('data', keep);
    await waitUntilUp(`${url}/`, started, () => output);
  };

  const adminFetch = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: basic },
    });

  await launch();
  // Leave "admin party" (everyone an admin) as a real deployment would.
  const made = await fetch(`${url}/_config/admins/${admin.name}`, {
    method: 'PUT',
    body: JSON.stringify(admin.password),
  });
  if (!made.ok) throw new Error(`could not create the admin: ${await made.text()}`);
  const settings: [string, string, string][] = [
    ['httpd', 'enable_cors', 'true'],
    ['cors', 'origins', (options.corsOrigins ?? []).join(',') || '*'],
    ['cors', 'credentials', 'true'],
    ['cors', 'methods', 'GET, PUT, POST, HEAD, DELETE'],
    ['cors', 'headers', 'accept, authorization, content-type, origin, referer'],
  ];
  for (const [section, key, value] of settings) {
    const response = await adminFetch(`/_config/${section}/${key}`, {
      method: 'PUT',
      body: JSON.stringify(value),
    });
    if (!response.ok) throw new Error(`could not set ${section}/${key}: ${await response.text()}`);
  }

  const stopWith = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (!running) return;
    running.kill(signal);
    await exited(running);
  };

  return {
    url,
    port,
    dir,
    admin,
    adminAuthorization: basic,
    adminFetch,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    restart: async () => {
      await stopWith('SIGTERM');
      await launch();
    },
    dispose: async () => {
      await stopWith('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a database for one organisation, readable and writable by users with `role`. */
export async function createOrgDatabase(
  server: CouchServer,
  db: string,
  role = 'reconnect',
): Promise<void> {
  const created = await server.adminFetch(`/${db}`, { method: 'PUT' });
  if (!created.ok) throw new Error(`could not create ${db}: ${await created.text()}`);
  const security = await server.adminFetch(`/${db}/_security`, {
    method: 'PUT',
    body: JSON.stringify({
      admins: { names: [], roles: [] },
      members: { names: [], roles: [role] },
    }),
  });
  if (!security.ok) throw new Error(`could not secure ${db}: ${await security.text()}`);
}

/** Registers a CouchDB user (a technician) with the given roles. */
export async function createUser(
  server: CouchServer,
  name: string,
  password: string,
  roles = ['reconnect'],
): Promise<void> {
  const response = await server.adminFetch(`/_users/org.couchdb.user:${name}`, {
    method: 'PUT',
    body: JSON.stringify({ name, password, roles, type: 'user' }),
  });
  if (!response.ok) throw new Error(`could not create user ${name}: ${await response.text()}`);
}
