// A realistic, complete completion record for tests, the demo script and the benchmark: a
// fictional acute trust that disconnected as a precaution on 12 May 2017 and reconnected after
// working through the organisation checklist. It is made the way the app makes one: a scripted
// run is played through the shipped checklist's real machine (scriptedRun.ts), its events
// hash-chained, and the record built from the run's state by buildCompletionRecord — so it
// cannot drift from what the app would make. Steps the script says nothing about get answers
// derived from their fields. Deterministic: the same options give the same record.
import { join } from 'node:path';
import { compileChecklist, type CompiledChecklist } from '../../src/checklist/machine.ts';
import { buildCompletionRecord } from '../../src/record/build.ts';
import type { CompletionRecord } from '../../src/record/format.ts';
import type { RunHeader } from '../../src/run/header.ts';
import { formatProblem, loadChecklists } from './checklistLoader.ts';
import { buildDevices, fleetSummary, MRI_REVIEW_DATE, siro } from './sampleFleet.ts';
import { playScript, type Person, type StepScript } from './scriptedRun.ts';

export interface SampleOptions {
  /** How many devices the fleet has (default 3,200, a district general hospital). */
  devices?: number;
  /** Who signs the record. The default names a placeholder key: replace it to sign. */
  signer?: CompletionRecord['signer'];
}

/** A placeholder fingerprint: a record signed with a real key must name that key instead. */
export const SAMPLE_SIGNER_FINGERPRINT = 'SAMPLE-KEY-FINGERPRINT-REPLACE-WHEN-SIGNING';

// The organisation and everyone in it are invented; the ODS code is not a real trust's.
const organisation = {
  name: 'Wessex Vale Hospitals NHS Foundation Trust',
  odsCode: 'R9Z',
  site: 'Wessex Vale General Hospital, Kingsbridge Road',
  incidentReference: 'WVH-INC-2017-0512',
};
const incidentLead: Person = { name: 'Mark Ellison', role: 'Deputy Chief Operating Officer' };
const itLead: Person = { name: 'Priya Raman', role: 'Head of IT Infrastructure' };
const team = [itLead.name, 'Tom Baxter', 'Aisha Khan', 'Gareth Lloyd'];

const riskReason =
  'The three MRI scanner consoles (WVH-MRI-01 to WVH-MRI-03) run Windows XP Embedded under the ' +
  "manufacturer's control and must not be patched by us until the manufacturer releases a " +
  'validated MS17-010 update. They stay on VLAN 240, which has no route to N3 or the internet ' +
  'and allows only DICOM (TCP 104) to the two PACS servers.';

// What this trust's run says where derived answers would not do: who leads, that nothing was
// infected, the MRI scanners' risk, and the supplier links left for later. Answers for fields
// a step no longer has are ignored; a step not named here is answered from its fields.
const script: Record<string, StepScript> = {
  'open-record': {
    by: itLead.name,
    evidence: {
      organisation: organisation.name,
      'ods-code': organisation.odsCode,
      'incident-reference': organisation.incidentReference,
      'incident-lead': incidentLead,
      'it-lead': itLead,
      'board-lead': siro,
      'out-of-band':
        'Incident room: ext 4400 and 01632 960 441 (direct line). Mobile numbers for the incident ' +
        'lead, IT lead and SIRO are on the printed call-out sheet in the incident room.',
    },
  },
  'infection-status': {
    evidence: {
      'any-infected': false,
      'device-count': 0,
      'how-found':
        'No ransom notes reported to the service desk; no @WanaDecryptor@ files or WannaCry ' +
        'services found by the anti-virus console or the SCCM inventory query run at 08:30.',
    },
  },
  disconnections: {
    evidence: {
      details:
        'N3 and internet gateway: 12 May 2017 at 15:10, decided by Mark Ellison on NHS Digital ' +
        'advice. NHSmail relay: 12 May 2017 at 15:25, same decision. Supplier VPNs: 12 May 2017 ' +
        'at 15:40, decided by Priya Raman.',
    },
  },
  'av-signatures': {
    evidence: {
      product: 'Sophos Endpoint Security and Control 10.6',
      'signature-version': '5.41',
      'current-percent': 99.4,
      'scanned-percent': 98.7,
      detections: 0,
    },
  },
  'unpatchable-risk': {
    outcome: 'risk-accepted',
    reason: riskReason,
    reviewDate: MRI_REVIEW_DATE,
    evidence: {
      summary:
        'WVH-MRI-01, WVH-MRI-02, WVH-MRI-03 on VLAN 240: no route to N3 or the internet, DICOM ' +
        '(TCP 104) to PACS only, SMB blocked at the VLAN boundary.',
      monitoring:
        'Firewall alerts on any TCP 139 or 445 attempt from VLAN 240; daily review by the network team.',
    },
    approvalStatement:
      'Accepted after hearing from clinical engineering and the radiology service manager.',
  },
  'doublepulsar-sweep': { evidence: { hits: 0 } },
  'go-third-party': {
    outcome: 'not-applicable',
    reason:
      'Supplier VPNs stay off until each supplier confirms its own side in writing; they are ' +
      'tracked as separate changes (CHG-17-1002 to CHG-17-1006), not part of this reconnection.',
    approvalStatement: 'Agreed: not part of this reconnection.',
  },
};

let shipped: CompiledChecklist | undefined;

/** The shipped organisation checklist, loaded and compiled as the app's build does. */
function organisationChecklist(): CompiledChecklist {
  if (shipped) return shipped;
  const { checklists, problems } = loadChecklists(join(import.meta.dirname, '../../checklists'));
  const found = checklists.find((c) => c.definition.id === 'org-reconnection');
  if (problems.length > 0 || !found)
    throw new Error(
      `The organisation checklist does not load: ${problems.map(formatProblem).join('; ')}`,
    );
  shipped = compileChecklist(found);
  return shipped;
}

/** A complete, valid record of a fictional trust's reconnection in May 2017. */
export function buildSampleRecord(options: SampleOptions = {}): CompletionRecord {
  const deviceCount = options.devices ?? 3_200;
  if (!Number.isInteger(deviceCount) || deviceCount < 0)
    throw new RangeError('devices must be a whole number of 0 or more');
  const devices = buildDevices(deviceCount);
  const compiled = organisationChecklist();
  const header: RunHeader = {
    runId: '0b9e6a55-5c1e-4f0a-8f43-2a7d1c9e3b60',
    kind: 'organisation',
    organisation,
    checklist: {
      id: compiled.definition.id,
      version: compiled.definition.version,
      contentHash: compiled.contentHash,
    },
    createdAt: '2017-05-13T07:00:00.000Z',
    createdBy: itLead.name,
  };
  const played = playScript({
    compiled,
    header,
    start: '2017-05-13T08:05',
    team,
    people: [incidentLead, itLead, siro],
    approver: siro,
    fleet: fleetSummary(devices),
    steps: script,
  });
  const last = played.entries.at(-1);
  if (!last) throw new Error('The scripted run recorded no events.');
  // Signed off the morning after the last step, as a board would.
  const signedAt = Date.parse(`${played.end}:00+01:00`) + 24 * 60 * 60 * 1000;
  const createdAt = new Date(signedAt).toISOString();
  return buildCompletionRecord({
    recordId: '6f1c2d3e-4b5a-4c7d-9e8f-0a1b2c3d4e5f',
    revision: { number: 1 },
    header,
    compiled,
    state: played.state,
    devices,
    auditLog: { events: played.entries.length, headHash: last.hash },
    decision: {
      outcome: 'approved-with-conditions',
      conditions: [
        'The three MRI scanner consoles stay on VLAN 240 with no route to N3 or the internet ' +
          "until the manufacturer's validated update is installed; review by 31 August 2017.",
        'Repeat the MS17-010 network scan every week until 30 June 2017 and report any vulnerable device to the incident lead.',
      ],
      statement:
        'I have reviewed this record and approve the reconnection of Wessex Vale Hospitals NHS ' +
        'Foundation Trust to internal site links, NHSmail, the national network and the ' +
        'internet, subject to the conditions above.',
      decidedAt: new Date(signedAt - 5 * 60 * 1000).toISOString(),
    },
    signer: options.signer ?? { ...siro, keyFingerprint: SAMPLE_SIGNER_FINGERPRINT },
    createdAt,
  });
}
