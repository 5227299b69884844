// Keeps this device in step with an organisation's CouchDB database, using PouchDB's replication
// (checkpoints, retries, resuming where it stopped). What the app sends goes into a local mirror
// and is pushed from there; what the server has is pulled, in batches, straight into `receive` —
// the app's one verify-then-merge door (doorTarget.ts) — and never written anywhere else; the
// mirror keeps only what the door holds back for later.
// The PouchDB constructor is passed in (IndexedDB in the browser, memory in Node tests), so this
// module loads only when sync is configured.
import type PouchDB from 'pouchdb-core';
import type { PouchDoc, Replication } from 'pouchdb-core';
import { DoorTarget, type DoorAnswer, type Refusal } from './doorTarget.ts';
import {
  describeNoNetwork,
  describeReceiveError,
  describeRefused,
  describeSyncError,
  type SyncProblem,
  type SyncTarget,
} from './status.ts';

export type { DoorAnswer, Refusal };

export interface SyncStatus {
  /** connecting: first contact; syncing: moving documents; idle: up to date; offline: waiting to retry. */
  state: 'connecting' | 'syncing' | 'idle' | 'offline' | 'stopped';
  /** When this device last finished an exchange with the server with nothing left to send. */
  lastSyncedAt?: string;
  /** Documents made here that the server does not have yet. */
  waiting: number;
  problem?: SyncProblem;
  /** Documents from the server the door refused, or documents the server would not store. */
  refusedFromServer: Refusal[];
  refusedByServer: Refusal[];
}

export interface ReplicatorOptions {
  PouchDB: typeof PouchDB;
  /** Name of the local mirror (one per server and database). */
  mirrorName: string;
  adapter: string;
  target: SyncTarget;
  /** How requests reach the server (the browser sends its session cookie). */
  fetch?: (url: string | Request, init?: RequestInit) => Promise<Response>;
  auth?: { username: string; password: string };
  /**
   * The verify-then-merge door: says which documents it refused, with why, and which this
   * device's database now holds. The rest wait in the mirror.
   */
  receive: (docs: PouchDoc[]) => Promise<DoorAnswer>;
  /** Of these ids (with the revisions asked about), those this device's database holds. */
  holds: (revs: Record<string, string[]>) => Promise<Set<string>>;
  /** Ids of documents the server and this device's database both hold. */
  onHeld?: (ids: string[]) => void;
  onStatus: (status: SyncStatus) => void;
  /** Starting value, kept by the caller across reloads. */
  lastSyncedAt?: string;
  now?: () => Date;
  /** Retry delay after a failure, in ms, given the previous one (default: 1 s doubling to 60 s). */
  backOff?: (previous: number) => number;
}

const PUSHED_CHECKPOINT = '_local/reconnect-pushed';
/** Documents per push batch (and per _revs_diff when counting what waits). */
const BATCH = 2000;
/**
 * Documents per pull batch. Each batch costs a checkpoint on both sides and a few round trips
 * besides the documents themselves, so a laptop catching up on thousands of documents takes them
 * in large batches. Pushing keeps BATCH: the server checks every document it is sent. Pulling
 * 22,003 documents from pouchdb-server took 13.5 s in batches of 5,000 and 10.3 s in batches of
 * 10,000 (11.0 s in one batch); a batch of 10,000 event documents is about 8 MB of JSON.
 */
const PULL_BATCH = 10_000;
/** Documents per mirror transaction when storing what this device made. */
const SEND_SLICE = 2000;

interface Checkpoint {
  _id: string;
  _rev?: string;
  seq: number | string;
}

function defaultBackOff(previous: number): number {
  return previous === 0 ? 1000 : Math.min(previous * 2, 60_000);
}

export class Replicator {
  private readonly mirror: PouchDB;
  private readonly remote: PouchDB;
  private push?: Replication;
  private pull?: Replication;
  private stopped = true;
  private status: SyncStatus;
  private readonly now: () => Date;
  /** Where the pull writes: the import door (doorTarget.ts). */
  private readonly door: DoorTarget;
  /** Set while the door's last batch failed (nothing was lost: the pull fetches it again). */
  private receiveFailed = false;

  constructor(private readonly options: ReplicatorOptions) {
    const { PouchDB: Pouch, target } = options;
    this.mirror = new Pouch(options.mirrorName, { adapter: options.adapter, revs_limit: 1 });
    this.remote = new Pouch(`${target.server}/${encodeURIComponent(target.database)}`, {
      skip_setup: true,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.auth ? { auth: options.auth } : {}),
    });
    // PouchDB's replication (8.x and 9.0) asks the source for its info after each batch, to
    // update a progress figure, and does not handle a failure: when the server goes away mid-pull
    // that rejection goes unhandled (in a browser, an "Uncaught (in promise)" error). Replication
    // itself notices the lost server through its next request and retries; the progress figure is
    // all the info is used for, so a failed info answers "no progress" instead.
    const info = this.remote.info.bind(this.remote);
    this.remote.info = () => info().catch(() => ({ doc_count: 0, update_seq: 0 }));
    this.now = options.now ?? (() => new Date());
    this.door = new DoorTarget({
      mirror: this.mirror,
      holds: options.holds,
      ...(options.onHeld ? { onHeld: options.onHeld } : {}),
      onRefused: (refused) => {
        this.update({ refusedFromServer: [...this.status.refusedFromServer, ...refused] });
      },
      receive: (docs) => this.receiveBatch(docs),
    });
    this.status = {
      state: 'stopped',
      waiting: 0,
      refusedFromServer: [],
      refusedByServer: [],
      ...(options.lastSyncedAt ? { lastSyncedAt: options.lastSyncedAt } : {}),
    };
  }

  get current(): SyncStatus {
    return this.status;
  }

  /** The local mirror: the import door reads it, the outbox asks it what it holds. */
  get local(): PouchDB {
    return this.mirror;
  }

  private update(change: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...change };
    if (change.problem === undefined && 'problem' in change) delete this.status.problem;
    this.options.onStatus(this.status);
  }

  /**
   * Stores documents made on this device in the mirror; the push sends them on. Written in
   * slices (each one mirror transaction), then counted once: counting reads every change since
   * the last confirmed push, so counting after each slice would read the first ones again and
   * again.
   */
  async send(docs: PouchDoc[]): Promise<void> {
    if (docs.length === 0) return;
    // They wait from now: the outbox hands over only documents the mirror lacks, and the push
    // may send (and the server fail on) the first slice before the last is written and counted.
    this.update({ waiting: this.status.waiting + docs.length });
    let failed = 0;
    for (let i = 0; i < docs.length; i += SEND_SLICE) {
      const slice = docs.slice(i, i + SEND_SLICE);
      const results = await this.mirror.bulkDocs(slice, { new_edits: false });
      failed += results.filter((r) => r.error).length;
    }
    if (failed > 0) throw new Error(`The sync mirror did not take ${String(failed)} documents`);
    await this.recount(false);
  }

  private async checkpoint(id: string): Promise<Checkpoint> {
    try {
      return (await this.mirror.get(id)) as unknown as Checkpoint;
    } catch {
      return { _id: id, seq: 0 };
    }
  }

  private checkpointWrites: Promise<void> = Promise.resolve();

  /** Writes a checkpoint; writes are queued, so two never race on the same local document. */
  private saveCheckpoint(id: string, seq: number | string): Promise<void> {
    const write = this.checkpointWrites.then(async () => {
      const current = await this.checkpoint(id);
      await this.mirror.put({ ...current, seq });
    });
    this.checkpointWrites = write.catch(() => undefined);
    return write;
  }

  /**
   * Documents made here that the server does not have. Offline, every document after the last
   * confirmed point counts; online, the server is asked (revs_diff) which of them it lacks, and
   * the confirmed point moves on when it lacks none.
   */
  private async countWaiting(askServer = false): Promise<void> {
    const confirmed = await this.checkpoint(PUSHED_CHECKPOINT);
    const changes = await this.mirror.changes({ since: confirmed.seq, include_docs: false });
    const own = changes.results.filter((c) => !c.id.startsWith('_'));
    if (!askServer || own.length === 0) {
      if (own.length === 0 && changes.results.length > 0)
        await this.saveCheckpoint(PUSHED_CHECKPOINT, changes.last_seq);
      this.update({ waiting: own.length });
      return;
    }
    let missing = 0;
    for (let i = 0; i < own.length; i += BATCH) {
      const slice = own.slice(i, i + BATCH);
      const diff = await this.remote.revsDiff(
        Object.fromEntries(slice.map((c) => [c.id, c.changes.map((x) => x.rev)])),
      );
      missing += Object.keys(diff).length;
    }
    if (missing > 0) {
      this.update({ waiting: missing });
      return;
    }
    await this.saveCheckpoint(PUSHED_CHECKPOINT, changes.last_seq);
    // The server holds everything: what it refused before has since been taken.
    const refusedBefore = this.status.problem?.kind === 'refused';
    this.update({
      waiting: 0,
      refusedByServer: [],
      ...(refusedBefore ? { problem: undefined } : {}),
    });
  }

  /**
   * One pulled batch through the door. A failure (this device's database would not take it) is
   * said in plain words; the pull stops, nothing moves past the batch, and it is fetched again
   * when the pull retries.
   */
  private async receiveBatch(docs: PouchDoc[]): Promise<DoorAnswer> {
    try {
      const answer = await this.options.receive(docs);
      if (this.receiveFailed) {
        this.receiveFailed = false;
        if (this.status.problem?.kind === 'not-stored') this.update({ problem: undefined });
      }
      return answer;
    } catch (error) {
      this.receiveFailed = true;
      if (!this.stopped) this.update({ problem: describeReceiveError(error) });
      throw error;
    }
  }

  private pushBusy = false;
  private pullBusy = false;
  private counting: Promise<void> = Promise.resolve();

  /** Recounts what waits (one count at a time, so an older count never overwrites a newer). */
  private recount(askServer: boolean): Promise<void> {
    this.counting = this.counting
      .then(() => this.countWaiting(askServer))
      .catch((failure: unknown) => {
        this.update({ problem: describeSyncError(failure, this.options.target) });
      });
    return this.counting;
  }

  /** The state follows both directions: syncing while either moves documents. */
  private settle(): void {
    if (this.stopped) return;
    if (this.pushBusy || this.pullBusy) {
      this.update({ state: 'syncing' });
      return;
    }
    const problem = this.status.problem;
    if (problem && problem.kind !== 'refused' && problem.kind !== 'not-stored') {
      this.update({ state: 'offline' });
      return;
    }
    if (
      this.status.waiting === 0 &&
      this.status.refusedByServer.length === 0 &&
      problem?.kind !== 'not-stored'
    )
      this.update({ state: 'idle', lastSyncedAt: this.now().toISOString(), problem: undefined });
    else this.update({ state: 'idle' });
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    this.update({ state: 'offline', problem: describeSyncError(error, this.options.target) });
  }

  /** Starts continuous push and pull; both retry on their own when the server comes back. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.recount(false);
    if (this.networkDown) this.showNetworkDown();
    else this.begin();
  }

  /**
   * The device has lost its network (the browser's `offline` event): stop trying until it is
   * back, and say so at once rather than when a request next fails.
   */
  networkLost(): void {
    this.networkDown = true;
    if (this.stopped) return;
    this.cancelReplications();
    this.showNetworkDown();
  }

  /** The network is back (the browser's `online` event): carry on from the checkpoints now. */
  networkBack(): void {
    if (!this.networkDown) return;
    this.networkDown = false;
    if (this.stopped) return;
    this.begin();
  }

  private networkDown = false;
  /** Counts replication starts: events from a cancelled pair are ignored. */
  private generation = 0;

  private showNetworkDown(): void {
    this.pushBusy = false;
    this.pullBusy = false;
    this.update({ state: 'offline', problem: describeNoNetwork(this.options.target) });
  }

  private cancelReplications(): void {
    this.generation++;
    this.push?.cancel();
    this.pull?.cancel();
    this.push = undefined;
    this.pull = undefined;
  }

  private begin(): void {
    this.cancelReplications();
    const generation = this.generation;
    const current = () => !this.stopped && generation === this.generation;
    this.pushBusy = true;
    this.pullBusy = true;
    this.update({ state: 'connecting' });
    // The push starts from the last point the server was known to hold everything before it,
    // not from PouchDB's own checkpoint: documents the server refused (and PouchDB skipped) are
    // offered again each time sync starts, in case whoever runs the server has since allowed
    // them. The server already holds the rest, so revs_diff filters them out cheaply.
    void this.checkpoint(PUSHED_CHECKPOINT)
      .catch(() => ({ seq: 0 }))
      .then((confirmed) => {
        if (current()) this.replicate(confirmed.seq, current);
      });
  }

  private replicate(pushedSince: number | string, current: () => boolean): void {
    const common = {
      live: true,
      retry: true,
      batch_size: BATCH,
      back_off_function: this.options.backOff ?? defaultBackOff,
    };
    const push = this.options.PouchDB.replicate(this.mirror, this.remote, {
      ...common,
      ...(pushedSince ? { since: pushedSince } : {}),
    });
    // Into the door, not the mirror (doorTarget.ts). No server-side filter: the door target
    // leaves design documents out itself (a filter function runs for every document on the
    // server, in CouchDB's JavaScript query server, and cost pouchdb-server as much time again
    // as the rest of the pull).
    const pull = this.options.PouchDB.replicate(this.remote, this.door as unknown as PouchDB, {
      ...common,
      batch_size: PULL_BATCH,
    });
    this.push = push;
    this.pull = pull;

    const clearTransient = () => {
      const problem = this.status.problem;
      if (problem && problem.kind !== 'refused' && problem.kind !== 'not-stored')
        this.update({ problem: undefined });
    };
    push.on('active', () => {
      if (!current()) return;
      this.pushBusy = true;
      clearTransient();
      this.settle();
    });
    pull.on('active', () => {
      if (!current()) return;
      this.pullBusy = true;
      clearTransient();
      this.settle();
    });
    push.on('paused', (error: unknown) => {
      if (!current()) return;
      this.pushBusy = false;
      if (error) {
        this.failed(error);
        return;
      }
      void this.recount(true).then(() => {
        if (current()) this.settle();
      });
    });
    pull.on('paused', (error: unknown) => {
      if (!current()) return;
      this.pullBusy = false;
      // Caught up (every batch has been through the door), or stopped by a failure. The door's
      // own failure has been said already (and the pull fetches that batch again).
      if (error && !this.receiveFailed) {
        this.failed(error);
        return;
      }
      this.settle();
    });
    push.on('denied', (error: { id?: string; reason?: string; message?: string }) => {
      if (!current()) return;
      const refusal = {
        id: error.id ?? '(unknown document)',
        reason: error.reason ?? error.message ?? 'refused',
      };
      const refusedByServer = [
        ...this.status.refusedByServer.filter((r) => r.id !== refusal.id),
        refusal,
      ];
      this.update({
        refusedByServer,
        problem: describeRefused(refusedByServer, this.options.target),
      });
    });
    push.on('error', (error: unknown) => {
      if (current()) this.failed(error);
    });
    pull.on('error', (error: unknown) => {
      if (current()) this.failed(error);
    });
  }

  /** Stops both directions; lets a batch already in the door finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelReplications();
    await this.door.idle();
    this.update({ state: 'stopped' });
  }

  /** Waits until the batch in the door, if any, is merged or kept (for tests and shutdown). */
  async settled(): Promise<void> {
    await this.door.idle();
  }

  async close(): Promise<void> {
    await this.stop();
    await this.mirror.close();
  }
}
