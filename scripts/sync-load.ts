// A bounded load test of sync on loopback: a CouchDB-protocol server (pouchdb-server), and N
// scripted laptops (PouchDB in memory, not browsers), each holding E events of its own device
// runs. Every laptop pushes at once; then every laptop pulls everything at once. Prints events
// per second for the push and the time until every laptop holds every event (convergence).
//
//   npm run sync:load                 # 20 laptops × 2,000 events
//   npm run sync:load -- 4 500        # a smaller run
import PouchDB, { type PouchDoc } from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import memoryAdapter from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import { eventToDoc, runToDoc } from '../src/sync/couchDocs.ts';
import { installDesignDoc } from '../src/sync/installDesignDoc.ts';
import { recordsFilterName } from '../src/sync/designDoc.ts';
import { createOrgDatabase, createUser, startCouchServer } from './lib/couchServer.ts';
import { chain, header } from './lib/syncSample.ts';

PouchDB.plugin(httpAdapter).plugin(memoryAdapter).plugin(replication);

const EVENTS_PER_RUN = 15;
const BATCH = 500;

export interface SyncLoadResult {
  laptops: number;
  eventsPerLaptop: number;
  totalEvents: number;
  push_ms: number;
  push_events_per_s: number;
  converge_ms: number;
  pull_events_per_s: number;
  server_docs: number;
  conflicts_found: number;
}

/** One laptop's documents: its own device runs, each a header and a chain of saves. */
function laptopDocs(laptop: number, events: number): { docs: PouchDoc[]; events: number } {
  const docs: PouchDoc[] = [];
  let left = events;
  let runIndex = 0;
  while (left > 0) {
    const count = Math.min(EVENTS_PER_RUN, left);
    const run = header(
      `laptop${String(laptop)}-device${String(runIndex)}`,
      `Technician ${String(laptop)}`,
    );
    docs.push(runToDoc(run) as unknown as PouchDoc);
    for (const entry of chain(run, count, `Technician ${String(laptop)}`))
      docs.push(eventToDoc(entry) as unknown as PouchDoc);
    left -= count;
    runIndex++;
  }
  return { docs, events };
}

export async function runSyncLoad(
  laptops: number,
  eventsPerLaptop: number,
): Promise<SyncLoadResult> {
  const server = await startCouchServer();
  try {
    const dbName = 'rxx-reconnect';
    await createOrgDatabase(server, dbName);
    const installed = await installDesignDoc(`${server.url}/${dbName}`, server.adminAuthorization);
    if (!installed.ok) throw new Error(`design document: ${installed.reason}`);

    const clients = [];
    for (let i = 0; i < laptops; i++) {
      const user = { username: `tech${String(i)}`, password: `password-${String(i)}` };
      await createUser(server, user.username, user.password);
      const local = new PouchDB(`laptop-${String(i)}`, { adapter: 'memory' });
      const { docs } = laptopDocs(i, eventsPerLaptop);
      const written = await local.bulkDocs(docs, { new_edits: false });
      if (written.some((r) => r.error)) throw new Error('a laptop could not store its events');
      const remote = new PouchDB(`${server.url}/${dbName}`, { auth: user, skip_setup: true });
      clients.push({ local, remote, ownDocs: docs.length });
    }
    const totalDocs = clients.reduce((sum, c) => sum + c.ownDocs, 0);
    const totalEvents = laptops * eventsPerLaptop;

    const pushStart = performance.now();
    const pushes = await Promise.all(
      clients.map((c) => c.local.replicate.to(c.remote, { batch_size: BATCH, batches_limit: 4 })),
    );
    const pushMs = performance.now() - pushStart;
    const failures = pushes.reduce((sum, r) => sum + r.doc_write_failures, 0);
    if (failures > 0) throw new Error(`the server refused ${String(failures)} pushed documents`);

    const pullStart = performance.now();
    const pulls = await Promise.all(
      clients.map((c) =>
        c.local.replicate.from(c.remote, {
          batch_size: BATCH,
          batches_limit: 4,
          filter: recordsFilterName,
        }),
      ),
    );
    const convergeMs = performance.now() - pullStart;
    if (pulls.some((r) => r.doc_write_failures > 0)) throw new Error('a pull failed to write');

    let conflicts = 0;
    for (const c of clients) {
      const info = await c.local.info();
      if (info.doc_count !== totalDocs)
        throw new Error(
          `a laptop holds ${String(info.doc_count)} of ${String(totalDocs)} documents`,
        );
      const sample = await c.local.allDocs({ limit: 200, conflicts: true, include_docs: true });
      conflicts += sample.rows.filter((row) => row.doc && '_conflicts' in row.doc).length;
    }
    const serverInfo = (await (await server.adminFetch(`/${dbName}`)).json()) as {
      doc_count: number;
    };
    for (const c of clients) await c.local.destroy();
    return {
      laptops,
      eventsPerLaptop,
      totalEvents,
      push_ms: Math.round(pushMs),
      push_events_per_s: Math.round(totalEvents / (pushMs / 1000)),
      converge_ms: Math.round(convergeMs),
      pull_events_per_s: Math.round((totalEvents * laptops) / (convergeMs / 1000)),
      server_docs: serverInfo.doc_count,
      conflicts_found: conflicts,
    };
  } finally {
    await server.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const laptops = Number(process.argv[2] ?? 20);
  const events = Number(process.argv[3] ?? 2000);
  const result = await runSyncLoad(laptops, events);
  console.log(JSON.stringify(result, null, 2));
}
