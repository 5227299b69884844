// Prepares an organisation's database on a CouchDB server for Reconnect: creates it if it is
// missing, lets only users with the given role read and write it (_security), and installs the
// design document that refuses edits and deletions (src/sync/designDoc.ts).
//
//   COUCH_ADMIN_PASSWORD=… npx tsx scripts/couch-setup.ts \
//     --url https://couch.trust.example:6984 --db rxx-reconnect --admin admin [--role reconnect]
import { parseArgs } from 'node:util';
import { installDesignDoc } from '../src/sync/installDesignDoc.ts';

export interface SetupOptions {
  url: string;
  db: string;
  admin: string;
  password: string;
  role: string;
}

export async function setUpDatabase(options: SetupOptions): Promise<string[]> {
  const base = options.url.replace(/\/+$/, '');
  if (!/^[a-z][a-z0-9_$()+/-]*$/.test(options.db))
    throw new Error(
      `"${options.db}" is not a CouchDB database name: use lower-case letters, digits and _$()+-/, starting with a letter`,
    );
  const authorization = `Basic ${Buffer.from(`${options.admin}:${options.password}`).toString('base64')}`;
  const headers = { authorization, 'content-type': 'application/json' };
  const dbUrl = `${base}/${encodeURIComponent(options.db)}`;
  const done: string[] = [];

  const existing = await fetch(dbUrl, { headers });
  if (existing.status === 401) throw new Error('The admin name or password is wrong.');
  if (existing.status === 404) {
    const created = await fetch(dbUrl, { method: 'PUT', headers });
    if (!created.ok) throw new Error(`Could not create ${options.db}: ${await created.text()}`);
    done.push(`created database ${options.db}`);
  } else if (!existing.ok) {
    throw new Error(`Could not read ${options.db}: ${await existing.text()}`);
  } else {
    done.push(`database ${options.db} already exists`);
  }

  const security = await fetch(`${dbUrl}/_security`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({
      admins: { names: [], roles: [] },
      members: { names: [], roles: [options.role] },
    }),
  });
  if (!security.ok) throw new Error(`Could not set who may use it: ${await security.text()}`);
  done.push(`only users with the role "${options.role}" (and admins) may read or write it`);

  const installed = await installDesignDoc(dbUrl, authorization);
  if (!installed.ok) throw new Error(`Could not install the design document: ${installed.reason}`);
  done.push(`design document ${installed.action}`);
  return done;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      db: { type: 'string' },
      admin: { type: 'string', default: 'admin' },
      role: { type: 'string', default: 'reconnect' },
    },
  });
  const password = process.env.COUCH_ADMIN_PASSWORD;
  if (!values.url || !values.db || !password) {
    console.error(
      'Usage: COUCH_ADMIN_PASSWORD=… npx tsx scripts/couch-setup.ts --url URL --db NAME [--admin NAME] [--role ROLE]',
    );
    process.exit(2);
  }
  try {
    const done = await setUpDatabase({
      url: values.url,
      db: values.db,
      admin: values.admin,
      password,
      role: values.role,
    });
    for (const line of done) console.log(`- ${line}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
