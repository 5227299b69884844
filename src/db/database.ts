// The app's IndexedDB database: every schema version the app has ever shipped, in order.
// This folder is the only place that imports Dexie; everything else goes through it.
import { Dexie, type Table } from 'dexie';
import type { HashedChecklist } from '../checklist/schema.ts';
import type { RunHeader } from '../run/header.ts';
import type { LogEntry } from '../run/log.ts';
import type { RunState } from '../run/replay.ts';
import type { Progress } from '../run/status.ts';
import type { ClearanceStatus } from '../run/fleet.ts';
import type { StoredApprover } from '../record/keys.ts';
import type { ForkResolution } from '../exchange/format.ts';
import type { HeldForApproval } from '../exchange/plan.ts';
import { schemaVersions } from './schema.ts';

export interface SettingRow {
  key: string;
  value: unknown;
  updatedAt?: string;
}

/** A checklist definition as a run pinned it, kept so old runs keep working after updates. */
export interface PinnedChecklistRow extends HashedChecklist {
  id: string;
}

/**
 * A record's row. Once created, it is written only by appendEvent, together with the event it
 * follows from (and by a schema upgrade): the direct save relies on the head of the chain
 * telling two copies of a row apart.
 */
export interface RunRow extends RunHeader {
  /** Cache of replay(events): always equal to it (a test checks). */
  snapshot: RunState;
  head: { seq: number; hash: string };
  progress: Progress;
  updatedAt: string;
  updatedBy: string;
  /** Came here in a sign-off request: read-only but for the approver's actions (merge.ts). */
  heldForApproval?: HeldForApproval;
}

/**
 * One or more consecutive events of one branch of a run (each the next link of the one before),
 * keyed by the first one's hash. Read and written only through eventStore.ts.
 */
export interface EventPackRow {
  firstHash: string;
  runId: string;
  /** The place in the run of the first event and of the last. */
  first: number;
  last: number;
  /** Every event's hash, in order: an index finds any event by its hash. */
  hashes: string[];
  events: LogEntry[];
}

export interface FileRow {
  id: string;
  runId: string;
  stepId: string;
  fieldId: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
  blob: Blob;
  addedAt: string;
  addedBy: string;
}

/** A device as the inventory describes it. */
export interface InventoryDevice {
  id: string;
  /** Hostname in lower case, else "asset:" and the asset tag: how re-imports find it. */
  key: string;
  hostname?: string;
  assetTag?: string;
  ip?: string;
  mac?: string;
  osCaption?: string;
  osVersion?: string;
  servicePack?: string;
  /** Row of the MS17-010 reference table, or null when not recognised (yet). */
  osRow: string | null;
  osBecause: string;
  location?: string;
  owner?: string;
  deviceClass?: string;
  /** The last logon (or last seen) as the inventory wrote it. */
  lastLogon?: string;
  /** Other identifiers the inventory had (serial number, objectGUID, SID…), by heading. */
  identifiers?: Record<string, string>;
  source: { file: string; line: number; importedAt: string; importedBy: string };
}

/** An organisation record's whole inventory, one row. */
export interface InventoryRow {
  orgRunId: string;
  devices: InventoryDevice[];
  updatedAt: string;
}

/** A device whose clearance has started: its run and cached status. */
export interface DeviceStateRow {
  deviceId: string;
  orgRunId: string;
  clearanceRunId: string;
  status: ClearanceStatus;
  updatedAt: string;
}

/** A device with its clearance state, as pages show it. */
export interface DeviceRow extends InventoryDevice {
  orgRunId: string;
  clearanceRunId?: string;
  status: ClearanceStatus;
}

/** A signed completion record: the exact file as signed, and what lists need to show it. */
export interface SignedRecordRow {
  recordId: string;
  runId: string;
  digest: string;
  /** The exported file, byte for byte. */
  text: string;
  signer: { name: string; role: string; keyFingerprint: string };
  outcome: 'approved' | 'approved-with-conditions';
  createdAt: string;
  /** The staged sign-off it is (the go-ahead, the closure), when the checklist stages them. */
  stage?: { id: string; title: string };
}

/** A fork a person resolved: which branch was kept, and what became of the other one's actions. */
export type ResolutionRow = ForkResolution;

/** A bundle this device made or took in: shown on the home page and the exchange page. */
export interface ExchangeRow {
  id: string;
  direction: 'export' | 'import';
  kind: string;
  at: string;
  by: string;
  /** The device that made the bundle, by name and key fingerprint. */
  device: { name: string; fingerprint: string };
  summary: string;
  /** The branch ends a bundle brought: how a fork's other version is traced to its device. */
  heads?: string[];
}

export class ReconnectDatabase extends Dexie {
  settings!: Table<SettingRow, string>;
  checklists!: Table<PinnedChecklistRow, string>;
  runs!: Table<RunRow, string>;
  /** Events in packs of consecutive events of one branch; read and write them via eventStore.ts. */
  eventPacks!: Table<EventPackRow, string>;
  files!: Table<FileRow, string>;
  inventories!: Table<InventoryRow, string>;
  deviceStates!: Table<DeviceStateRow, string>;
  /** Approvers who sign here (with a wrapped key) and, public key only, those who sign elsewhere. */
  approvers!: Table<StoredApprover, string>;
  signedRecords!: Table<SignedRecordRow, string>;
  resolutions!: Table<ResolutionRow, string>;
  exchanges!: Table<ExchangeRow, string>;

  constructor(name = 'reconnect') {
    // "Saved" must survive a flat battery, not just a closed tab: ask Chromium to flush each
    // transaction to disk before reporting it committed. Live queries re-read what changed
    // rather than serve Dexie's in-memory query cache: the common save is written without Dexie
    // (directAppend.ts), and a cache that only Dexie's own writes update could show an old run.
    super(name, { chromeTransactionDurability: 'strict', cache: 'disabled' });
    for (const version of schemaVersions) {
      const declared = this.version(version.version).stores(version.stores);
      const upgrade = version.upgrade;
      if (upgrade) declared.upgrade((tx) => upgrade(tx));
    }
  }
}

let shared: ReconnectDatabase | undefined;

/** The database the app uses (one per page). Tests create their own with a fresh name. */
export function getDatabase(): ReconnectDatabase {
  shared ??= new ReconnectDatabase();
  return shared;
}
