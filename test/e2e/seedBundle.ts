// A prepared organisation record as a signed bundle, for browser tests that need a record far
// along without typing it all: the shipped organisation checklist walked through its real
// machine up to the go-ahead, with a few devices each cleared through the shipped device
// checklist. The test imports it through the app's own import door (the Share page's file
// chooser), so the app checks, replays and stores it as it would any bundle from another
// device. Nothing here is signed by an approver: decisions that need one are left waiting for
// one, for the test to take in the app.
import type { MachineEvent } from '../../src/checklist/events.ts';
import { compileChecklist, type CompiledChecklist } from '../../src/checklist/machine.ts';
import { makeBundle } from '../../src/exchange/bundle.ts';
import { emptyParts, type Parts } from '../../src/exchange/format.ts';
import { jwkThumbprint, PublicJwkSchema } from '../../src/record/keys.ts';
import type { Organisation, RunHeader } from '../../src/run/header.ts';
import { nextEntry, type LogEntry } from '../../src/run/log.ts';
import { loadChecklists } from '../../scripts/lib/checklistLoader.ts';
import { ev, kinds, run } from '../helpers/checklists.ts';
import { answers, walk, type Answers } from '../helpers/walk.ts';

export interface SeedDevice {
  hostname: string;
  assetTag: string;
  /** A row of the windows-ms17-010 table, e.g. windows-7-sp1. */
  os: string;
  /** srv.sys at or above the table's minimum for `os`, so the device clears without a scan. */
  srvSys: string;
}

export interface SeedOptions {
  organisation: Organisation;
  /** Links "Record what was disconnected" says were cut (their go or no-go steps are needed). */
  linksCut: string[];
  devices: SeedDevice[];
  createdBy: string;
  /** The first step's answers where they differ from what the record was started with. */
  firstStep?: Answers;
}

export interface Seed {
  /** The bundle file's text. */
  text: string;
  runId: string;
  /** Steps the seed left waiting for an approver (completed, not approved). */
  awaitingApproval: string[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const uuid = (prefix: number, n: number) => `${pad(prefix, 8)}-0000-4000-8000-${pad(n, 12)}`;

/** Events that resolve every open step the go-ahead covers, leaving approvals to a person. */
function upToGoAhead(
  c: CompiledChecklist,
  given: Record<string, Answers>,
  fleet: { total: number; cleared: number; excepted: number; outstanding: number },
): { events: MachineEvent[]; awaitingApproval: string[] } {
  const goAhead = c.definition.signoffs?.[0];
  if (!goAhead) throw new Error('the organisation checklist has no staged sign-off');
  const covered = new Set(
    c.definition.phases
      .filter((p) => goAhead.phases.includes(p.id))
      .flatMap((p) => p.steps.map((s) => s.id)),
  );
  const events: MachineEvent[] = [];
  const awaitingApproval: string[] = [];
  for (let guard = 0; guard < 200; guard++) {
    const statuses = kinds(c, run(c, events));
    const next = c.index.order.find(
      (id) => covered.has(id) && (statuses[id] === 'not-started' || statuses[id] === 'in-progress'),
    );
    if (!next) return { events, awaitingApproval };
    const step = c.index.steps.get(next);
    if (!step) throw new Error(`no step ${next}`);
    if (!step.outcomes.includes('completed'))
      throw new Error(`The seed cannot resolve "${next}" without an approver: answer around it.`);
    events.push(
      ev.complete(
        next,
        answers(c, next, given[next]),
        step.requiresFleetClearance ? { fleet } : {},
      ),
    );
    if (step.approval) awaitingApproval.push(next);
  }
  throw new Error('the seed did not reach the go-ahead');
}

/** Builds the bundle: the organisation record, its inventory and each device's clearance run. */
export async function seedBundle(options: SeedOptions): Promise<Seed> {
  const loaded = loadChecklists().checklists;
  const orgLoaded = loaded.find((l) => l.definition.id === 'org-reconnection');
  const deviceLoaded = loaded.find((l) => l.definition.id === 'device-clearance');
  if (!orgLoaded || !deviceLoaded) throw new Error('the shipped checklists are missing');
  const org = compileChecklist(orgLoaded);
  const device = compileChecklist(deviceLoaded);
  const pin = (c: CompiledChecklist) => ({
    id: c.definition.id,
    version: c.definition.version,
    contentHash: c.contentHash,
  });
  const createdAt = new Date(Date.UTC(2017, 4, 15, 7, 0, 0)).toISOString();
  const runId = uuid(13, 1);
  const parts: Parts = emptyParts();
  parts.checklists.push(
    { contentHash: orgLoaded.contentHash, definition: orgLoaded.definition as never },
    { contentHash: deviceLoaded.contentHash, definition: deviceLoaded.definition as never },
  );
  const heads: { runId: string; seq: number; hash: string }[] = [];
  const addRun = (header: RunHeader, events: MachineEvent[]) => {
    parts.runs.push(header);
    let previous: LogEntry | undefined;
    for (const event of events) {
      previous = nextEntry(header, previous, event);
      parts.events.push(previous);
    }
    heads.push({ runId: header.runId, seq: previous?.seq ?? 0, hash: previous?.hash ?? '' });
  };

  const organisation = options.organisation;
  const orgHeader: RunHeader = {
    runId,
    kind: 'organisation',
    organisation,
    checklist: pin(org),
    createdAt,
    createdBy: options.createdBy,
  };
  const inventory = options.devices.map((d, i) => ({
    id: uuid(14, i + 1),
    key: d.hostname.toLowerCase(),
    hostname: d.hostname,
    assetTag: d.assetTag,
    osRow: d.os,
    osBecause: 'recognised',
    source: { file: 'inventory.csv', line: i + 2, importedAt: createdAt, importedBy: 'Seed' },
  }));
  parts.inventories.push({ orgRunId: runId, devices: inventory, updatedAt: createdAt });

  const fleet = {
    total: options.devices.length,
    cleared: options.devices.length,
    excepted: 0,
    outstanding: 0,
  };
  const seeded = upToGoAhead(
    org,
    {
      'open-record': {
        organisation: organisation.name,
        'ods-code': organisation.odsCode,
        'incident-reference': organisation.incidentReference,
        ...options.firstStep,
      },
      'infection-status': { 'any-infected': false, 'device-count': 0 },
      disconnections: { links: options.linksCut },
      'unpatchable-devices': { 'left-connected': false },
    },
    fleet,
  );
  addRun(orgHeader, seeded.events);

  options.devices.forEach((d, i) => {
    const inventoried = inventory[i];
    if (!inventoried) return;
    const events = walk(device, {
      identify: {
        'asset-tag': d.assetTag,
        hostname: d.hostname,
        os: d.os,
        'vendor-controlled': false,
      },
      'infection-check': { infected: false },
      'patch-evidence': { 'srv-sys-version': d.srvSys },
      'smbv1-state': { disabled: true },
    });
    const status = kinds(device, run(device, events));
    if (status.clearance !== 'completed')
      throw new Error(`The seeded device ${d.hostname} did not clear: ${JSON.stringify(status)}`);
    addRun(
      {
        runId: uuid(15, i + 1),
        kind: 'device',
        organisation,
        checklist: pin(device),
        parentRunId: runId,
        deviceId: inventoried.id,
        createdAt,
        createdBy: options.createdBy,
      },
      events,
    );
  });

  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const publicJwk = PublicJwkSchema.parse({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  const { text } = await makeBundle(
    parts,
    heads,
    { kind: 'handoff', createdBy: options.createdBy },
    {
      identity: {
        id: 'seed-device',
        name: 'Coordinator laptop',
        publicJwk,
        fingerprint: await jwkThumbprint(publicJwk),
      },
      privateKey: pair.privateKey,
    },
  );
  return { text, runId, awaitingApproval: seeded.awaitingApproval };
}
