// A realistic, complete completion record for tests, the demo script and the benchmark: a
// fictional acute trust that disconnected as a precaution on 12 May 2017 and reconnected after
// working through the organisation checklist. Deterministic: the same options give the same record.
import { sha256Hex } from '../../src/checklist/canonical.ts';
import type {
  CompletionRecord,
  EvidenceEntry,
  Person,
  RecordApproval,
  RecordDevice,
  RecordException,
  RecordFile,
  RecordStep,
} from '../../src/record/format.ts';

export interface SampleOptions {
  /** How many devices the fleet has (default 3,200, a district general hospital). */
  devices?: number;
  /** Who signs the record. The default names a placeholder key: replace it to sign. */
  signer?: CompletionRecord['signer'];
}

// The organisation and everyone in it are invented; the ODS code is not a real trust's.
const organisation = {
  name: 'Wessex Vale Hospitals NHS Foundation Trust',
  odsCode: 'R9Z',
  site: 'Wessex Vale General Hospital, Kingsbridge Road',
  incidentReference: 'WVH-INC-2017-0512',
};
const incidentLead: Person = { name: 'Mark Ellison', role: 'Deputy Chief Operating Officer' };
const itLead: Person = { name: 'Priya Raman', role: 'Head of IT Infrastructure' };
const siro: Person = { name: 'Dr Alison Hart', role: 'Director of Finance and SIRO' };
const network = 'Tom Baxter';
const desktop = 'Aisha Khan';
const servers = 'Gareth Lloyd';

/** A placeholder fingerprint: a record signed with a real key must name that key instead. */
export const SAMPLE_SIGNER_FINGERPRINT = 'SAMPLE-KEY-FINGERPRINT-REPLACE-WHEN-SIGNING';

const MRI_REVIEW_DATE = '2017-08-31';
const MRI_ZONE = 'VLAN 240 (MRI, isolated)';

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2017-05-15" → "15 May 2017", without Intl so the sample is the same everywhere. */
function day(iso: string): string {
  const [y = '', m = '', d = ''] = iso.split('-');
  return `${String(Number(d))} ${months[Number(m) - 1] ?? m} ${y}`;
}

/** A local date-time as the form stores it ("2017-05-14T16:20") → "14 May 2017 at 16:20". */
function dayTime(local: string): string {
  const [date = '', time = ''] = local.split('T');
  return `${day(date)} at ${time}`;
}

/** British Summer Time (UTC+1) local time → the instant the app records. */
function at(local: string): string {
  return new Date(`${local}:00+01:00`).toISOString();
}

function show(value: EvidenceEntry['value']): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value.toLocaleString('en-GB');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value))
    return value
      .map((v) => (typeof v === 'string' ? v : `${v.name} (${v.sha256.slice(0, 12)}…)`))
      .join(', ');
  return `${value.name}, ${value.role}`;
}

function ev(
  field: string,
  label: string,
  value: EvidenceEntry['value'],
  display?: string,
): EvidenceEntry {
  return { field, label, display: display ?? show(value), value };
}

const choice = (pairs: [string, string][]) => ({
  values: pairs.map(([v]) => v),
  display: pairs.map(([, label]) => label).join('; '),
});

function multi(field: string, label: string, pairs: [string, string][]): EvidenceEntry {
  const { values, display } = choice(pairs);
  return ev(field, label, values, display);
}

function approval(person: Person, when: string, statement: string): RecordApproval {
  return { name: person.name, role: person.role, at: at(when), statement };
}

interface Phase {
  id: string;
  title: string;
}
const phases = {
  governance: { id: 'governance', title: 'Open the record and agree who decides' },
  guidance: { id: 'guidance', title: 'Have the guidance and alerts in hand' },
  estate: { id: 'estate', title: 'Know the estate' },
  patch: { id: 'patch', title: 'Patch against MS17-010' },
  network: { id: 'network', title: 'Control SMB on the network' },
  endpoints: { id: 'endpoints', title: 'Protect devices and decide on the ones you cannot patch' },
  compromise: { id: 'compromise', title: 'Look for compromise' },
  recovery: { id: 'recovery', title: 'Backups and credentials' },
  fleet: { id: 'fleet', title: 'Clear every device' },
  plan: { id: 'plan', title: 'Plan the reconnection' },
  reconnect: { id: 'reconnect', title: 'Reconnect link by link' },
  after: { id: 'after', title: 'After reconnecting' },
} satisfies Record<string, Phase>;

function completed(
  phase: Phase,
  id: string,
  title: string,
  by: string,
  when: string,
  evidence: EvidenceEntry[],
  stepApproval?: RecordApproval,
): RecordStep {
  return {
    id,
    phaseId: phase.id,
    phaseTitle: phase.title,
    title,
    status: 'completed',
    evidence,
    ...(stepApproval ? { approval: stepApproval } : {}),
    by,
    at: at(when),
  };
}

function notNeeded(phase: Phase, id: string, title: string, reason: string): RecordStep {
  return {
    id,
    phaseId: phase.id,
    phaseTitle: phase.title,
    title,
    status: 'not-needed',
    reason,
    evidence: [],
  };
}

// Evidence files: their bytes stay in the app; the record carries name, size and digest.
const scanOutput = {
  id: 'file-7d2c1a90',
  name: 'nmap-smb-vuln-ms17-010-2017-05-14.xml',
  size: 1_843_211,
  type: 'application/xml',
  sha256: sha256Hex('sample: nmap smb-vuln-ms17-010 output, 14 May 2017'),
};
const blockTest = {
  id: 'file-3be04f11',
  name: 'boundary-smb-block-test-2017-05-14.txt',
  size: 6_412,
  type: 'text/plain',
  sha256: sha256Hex('sample: boundary SMB block test, 14 May 2017'),
};

const goReadiness = (link: string) =>
  `Every step above is resolved. Open exception: the three MRI scanners stay on VLAN 240 with no route to ${link}.`;

function buildSteps(devices: RecordDevice[]): RecordStep[] {
  const p = phases;
  // Windows XP (including XP Embedded) and Server 2003: the out-of-band update's audience.
  const oobCount = devices.filter((d) => /XP|2003/.test(d.os)).length;
  const mriCount = devices.filter((d) => d.status === 'excepted').length;
  const riskReason =
    'The three MRI scanner consoles (WVH-MRI-01 to WVH-MRI-03) run Windows XP Embedded under the ' +
    "manufacturer's control and must not be patched by us until the manufacturer releases a " +
    'validated MS17-010 update. They stay on VLAN 240, which has no route to N3 or the internet ' +
    'and allows only DICOM (TCP 104) to the two PACS servers.';
  return [
    completed(
      p.governance,
      'open-record',
      'Open the readiness record',
      itLead.name,
      '2017-05-13T08:05',
      [
        ev('organisation', 'Organisation name', organisation.name),
        ev('ods-code', 'ODS code', organisation.odsCode),
        ev('incident-reference', 'Local incident reference', organisation.incidentReference),
        ev('incident-lead', 'Incident lead', incidentLead),
        ev('it-lead', 'IT lead', itLead),
        ev('board-lead', 'Board data-security lead (SIRO)', siro),
        ev(
          'out-of-band',
          'Out-of-band contacts',
          'Incident room: ext 4400 and 01632 960 441 (direct line). Mobile numbers for the incident ' +
            'lead, IT lead and SIRO are on the printed call-out sheet in the incident room. Regional ' +
            'NHS England incident team by telephone; no email until NHSmail is reconnected.',
        ),
      ],
    ),
    completed(
      p.governance,
      'infection-status',
      'Was anything infected, or was the disconnection a precaution?',
      itLead.name,
      '2017-05-13T09:40',
      [
        ev(
          'any-infected',
          'Has any device been infected, or is any suspected of infection?',
          false,
        ),
        ev('device-count', 'Number of devices infected or suspected', 0),
        ev(
          'how-found',
          'How the infection was found',
          'No ransom notes reported to the service desk; no @WanaDecryptor@ files or WannaCry ' +
            'services found by the anti-virus console or the SCCM inventory query run at 08:30.',
        ),
      ],
    ),
    notNeeded(
      p.governance,
      'report-infection',
      'Report the infection',
      'Needed only when a device has been infected or is suspected of infection.',
    ),
    completed(
      p.governance,
      'disconnections',
      'Record what was disconnected, and when',
      network,
      '2017-05-13T10:15',
      [
        multi('links', 'Links that were cut', [
          ['national-network', 'National network (N3 / Transition Network)'],
          ['internet', 'Internet gateway'],
          ['email', 'NHSmail or mail relay'],
          ['third-party', 'VPNs and third-party links'],
        ]),
        ev(
          'details',
          'For each link, when it was cut and who decided',
          'N3 and internet gateway: 12 May 2017 at 15:10, decided by Mark Ellison on NHS Digital ' +
            'advice. NHSmail relay: 12 May 2017 at 15:25, same decision. Supplier VPNs (pathology ' +
            'LIMS and PACS vendors): 12 May 2017 at 15:40, decided by Priya Raman.',
        ),
        ev(
          'systems-lost',
          'Systems lost as a result',
          'NHSmail, Spine demographics (PDS), e-Referrals, GP results messaging, PACS image ' +
            'transfer to the regional archive, remote vendor support.',
        ),
      ],
    ),
    completed(
      p.guidance,
      'guidance-in-hand',
      'List the guidance you are working from',
      itLead.name,
      '2017-05-13T11:00',
      [
        multi('documents', 'Guidance in hand', [
          ['nhsd-patching', 'NHS Digital technical guide for patching'],
          ['nhsd-reconnecting', 'NHS Digital technical guidance on reconnecting'],
          ['nhsd-nhsmail', 'NHS Digital confirmation that NHSmail is safe'],
          ['ncsc-enterprise', 'NCSC guidance for enterprise administrators'],
          ['microsoft', 'Microsoft customer guidance for WannaCrypt'],
        ]),
        ev(
          'versions',
          'Version or date of each, and where the copy came from',
          'NHS Digital guides as issued on 13 May 2017, received by telephone-dictated summary and ' +
            'printed copies from the regional team; NCSC and Microsoft guidance of 13 May 2017, ' +
            'downloaded from a standalone 4G laptop.',
        ),
      ],
    ),
    completed(
      p.guidance,
      'alerts-actioned',
      'Check the alerts of March to May 2017 were acted on',
      servers,
      '2017-05-13T12:30',
      [
        ev(
          'alerts',
          'Alerts received from March to May 2017, and what was done about each',
          'CareCERT CC-1381 (MS17-010, 14 March 2017): approved in WSUS 21 March, deployed to 88% ' +
            'of Windows 7 devices by 12 May. CareCERT CC-1446 (WannaCry, 12 May 2017): acted on below.',
        ),
        ev('confirmed-by', 'Who confirmed the alerts were acted on', itLead),
      ],
    ),
    completed(
      p.estate,
      'estate-inventory',
      'Count the Windows devices by version',
      desktop,
      '2017-05-13T14:10',
      [
        ev(
          'counts',
          'Number of devices for each Windows version',
          'See the device list in this record; counts by version are in the device summary.',
        ),
        multi('count-sources', 'Where the numbers come from', [
          ['sccm', 'Configuration Manager (SCCM)'],
          ['active-directory', 'Active Directory'],
          ['asset-register', 'Asset register'],
        ]),
        ev('unaccounted', 'Devices whose Windows version is not known', 0),
        ev(
          'oob-count',
          'Devices on Windows XP (including XP Embedded), Server 2003 or Windows 8 (not 8.1)',
          oobCount,
        ),
        ev(
          'special-count',
          'Other devices that cannot be patched, or must not be patched by you',
          3,
        ),
      ],
    ),
    completed(
      p.patch,
      'ms17-010-deployed',
      'Deploy MS17-010 and prove it is installed',
      servers,
      '2017-05-14T13:20',
      [
        ev('compliant-percent', 'Share of Windows devices shown as patched', 99.9, '99.9%'),
        multi('deployed-with', 'How the update was deployed', [
          ['wsus', 'WSUS'],
          ['sccm', 'Configuration Manager (SCCM)'],
          ['manual', 'Installed by hand'],
        ]),
        multi('proof', 'How patching was proved', [
          ['srv-sys', 'srv.sys version checked against the minimum'],
          ['network-scan', 'Network scan'],
        ]),
        ev(
          'report-reference',
          'Report name or reference',
          'SCCM report "MS17-010 srv.sys compliance", run 14 May 2017 12:55',
        ),
        ev(
          'not-patched',
          'Devices not shown as patched, and what happens to each',
          'WVH-MRI-01 to WVH-MRI-03: manufacturer-controlled, isolated under the risk acceptance below.',
        ),
      ],
    ),
    oobCount === 0
      ? notNeeded(
          p.patch,
          'out-of-band-update',
          'Install the out-of-band update on Windows XP, Server 2003 and Windows 8',
          'Needed only when there are devices on Windows XP, Server 2003 or Windows 8.',
        )
      : completed(
          p.patch,
          'out-of-band-update',
          'Install the out-of-band update on Windows XP, Server 2003 and Windows 8',
          desktop,
          '2017-05-14T18:45',
          [
            ev('installed-count', 'Devices the update was installed on', oobCount - mriCount),
            ev(
              'not-installed',
              'Devices it could not be installed on, and why',
              'WVH-MRI-01 to WVH-MRI-03: the manufacturer forbids local patching.',
            ),
            ev(
              'downloaded-from',
              'Where the update was downloaded from',
              'Microsoft Update Catalog (KB4012598), from the standalone 4G laptop',
            ),
          ],
        ),
    completed(
      p.patch,
      'verification-scan',
      'Scan the network for devices still vulnerable',
      network,
      '2017-05-14T21:30',
      [
        multi('tools', 'Tools used', [['nmap', 'nmap smb-vuln-ms17-010']]),
        ev('ranges', 'Address ranges scanned', '10.40.0.0/16, 10.41.0.0/16, 172.20.0.0/16'),
        ev('scanned-at', 'When the scan finished', '2017-05-14T21:05', dayTime('2017-05-14T21:05')),
        ev('vulnerable-count', 'Devices reported vulnerable', 3),
        ev(
          'vulnerable-handling',
          'What happened to each vulnerable device',
          'The three MRI consoles on VLAN 240; isolated, see the risk acceptance.',
        ),
        ev('output', 'Scan output', [scanOutput]),
      ],
    ),
    completed(
      p.network,
      'boundary-block',
      'Block SMB at the internet and national network boundaries',
      network,
      '2017-05-14T16:20',
      [
        ev(
          'boundaries',
          'Each boundary, the device that controls it, and the rule reference',
          'N3 edge: Cisco ASA WVH-FW-N3, ACL N3-IN rule 5 denies TCP 139 and 445 both ways. Internet ' +
            'edge: Check Point WVH-FW-INET, rule 12 denies TCP 139 and 445 both ways.',
        ),
        ev('change-reference', 'Change reference', 'CHG-17-0981 (emergency change)'),
        ev(
          'tested-at',
          'When the block was tested',
          '2017-05-14T16:05',
          dayTime('2017-05-14T16:05'),
        ),
        ev('test-output', 'Test output', [blockTest]),
      ],
    ),
    completed(
      p.network,
      'internal-segmentation',
      'Restrict SMB between internal segments',
      network,
      '2017-05-15T11:10',
      [
        ev(
          'segments',
          'Segments and the SMB rules between them',
          'Client VLANs 110, 120 and 130 may reach file servers on VLAN 10 on TCP 445 only; client to ' +
            'client SMB is blocked by private VLANs and Windows Firewall Group Policy.',
        ),
        ev(
          'isolated',
          'Where legacy and medical devices are isolated',
          'MRI consoles on VLAN 240; other medical devices on VLAN 230.',
        ),
        ev('rule-references', 'Rule or change references', 'CHG-17-0984, CHG-17-0985'),
      ],
    ),
    completed(
      p.network,
      'smbv1-disabled',
      'Disable SMBv1 where you can',
      servers,
      '2017-05-15T12:40',
      [
        ev(
          'method',
          'Group Policy object or tool used',
          'GPO "WVH - Disable SMBv1 (server and client)"',
        ),
        ev(
          'scope',
          'Devices covered',
          'All Windows 7, 8.1, 10 and Server 2008 R2 to 2016 devices in the domain.',
        ),
        ev(
          'exceptions',
          'Devices where SMBv1 stays on, and why',
          'Windows XP and Server 2003 devices (no SMBv2 fallback); MRI consoles.',
        ),
      ],
    ),
    completed(
      p.network,
      'kill-switch',
      'Keep the kill-switch domains reachable',
      network,
      '2017-05-14T17:00',
      [
        ev(
          'behind-proxy',
          'Do clients need a proxy, or internal-only DNS, to reach the web?',
          true,
        ),
        ev(
          'internal-records',
          'Internal DNS records and the web server they point at',
          'Both kill-switch domains resolve internally to the IIS sinkhole WVH-WEB-SINK (10.40.1.80)',
        ),
        ev('test-device', 'Test device', 'WVH-PC-0042 (Windows 7, clinical VLAN)'),
        ev('dns-result', 'DNS result for both domains', 'Both resolve to 10.40.1.80'),
        ev(
          'http-result',
          'Result of connecting on TCP 80',
          'HTTP 200 from the sinkhole for both domains',
        ),
        ev('tested-at', 'When it was tested', '2017-05-14T16:50', dayTime('2017-05-14T16:50')),
      ],
    ),
    completed(
      p.endpoints,
      'av-signatures',
      'Update anti-virus signatures and run full scans',
      desktop,
      '2017-05-15T09:30',
      [
        ev('product', 'Anti-virus product', 'Sophos Endpoint Security and Control 10.6'),
        ev('signature-version', 'Signature version', '5.41'),
        ev('signature-date', 'Date of the signatures', '2017-05-14', day('2017-05-14')),
        ev('current-percent', 'Share of devices with current signatures', 99.4, '99.4%'),
        ev('scanned-percent', 'Share of devices with a finished full scan', 98.7, '98.7%'),
        ev('detections', 'Detections found', 0),
      ],
    ),
    completed(
      p.endpoints,
      'unpatchable-devices',
      'Decide what happens to each unsupported or unpatchable device',
      itLead.name,
      '2017-05-15T10:30',
      [
        ev(
          'devices',
          'Each device or group, and what happens to it',
          'Windows XP and Server 2003 devices: out-of-band update installed, replacement by ' +
            'March 2018. MRI consoles WVH-MRI-01 to 03: stay isolated on VLAN 240 until the ' +
            'manufacturer validates the patch.',
        ),
        ev(
          'manufacturer-references',
          'Manufacturer references for medical devices',
          'Manufacturer customer safety advisory of 13 May 2017, case 4471-0917.',
        ),
        ev(
          'left-connected',
          'Will any of these devices stay connected to a network while unpatched or unsupported?',
          true,
        ),
      ],
    ),
    {
      id: 'unpatchable-risk',
      phaseId: p.endpoints.id,
      phaseTitle: p.endpoints.title,
      title: 'Accept the risk of unpatched devices left connected',
      status: 'risk-accepted',
      evidence: [
        ev(
          'summary',
          'Devices left connected, and how each is isolated',
          'WVH-MRI-01, WVH-MRI-02, WVH-MRI-03 on VLAN 240: no route to N3 or the internet, DICOM ' +
            '(TCP 104) to PACS only, SMB blocked at the VLAN boundary.',
        ),
        ev(
          'monitoring',
          'Compensating monitoring',
          'Firewall alerts on any TCP 139 or 445 attempt from VLAN 240; daily review by the network team.',
        ),
      ],
      reason: riskReason,
      reviewDate: MRI_REVIEW_DATE,
      approval: approval(
        siro,
        '2017-05-15T15:00',
        'Accepted after hearing from clinical engineering and the radiology service manager.',
      ),
      by: itLead.name,
      at: at('2017-05-15T15:00'),
    },
    notNeeded(
      p.compromise,
      'ioc-sweep',
      'Sweep every device for WannaCry indicators',
      'Needed only when a device has been infected or is suspected of infection.',
    ),
    completed(
      p.compromise,
      'doublepulsar-sweep',
      'Scan for the DoublePulsar backdoor',
      network,
      '2017-05-15T08:15',
      [
        multi('tools', 'Tools used', [
          ['countercept', 'Countercept detection scripts'],
          ['nmap', 'nmap smb-double-pulsar-backdoor'],
        ]),
        ev('ranges', 'Address ranges swept', '10.40.0.0/16, 10.41.0.0/16, 172.20.0.0/16'),
        ev('hits', 'Devices where it was found', 0),
      ],
    ),
    completed(
      p.compromise,
      'log-review',
      'Review logs for signs of spread',
      network,
      '2017-05-15T13:30',
      [
        multi('log-sources', 'Logs reviewed', [
          ['firewall', 'Firewall'],
          ['proxy', 'Web proxy'],
          ['dns', 'DNS'],
          ['anti-virus', 'Anti-virus console'],
        ]),
        ev('period', 'Period covered', '1 May 2017 00:00 to 15 May 2017 12:00'),
        ev(
          'findings',
          'What was found',
          'No TCP 445 scanning between client VLANs; no lookups of the kill-switch domains before 14 May.',
        ),
      ],
    ),
    completed(
      p.recovery,
      'backups',
      'Check offline backups and test a restore',
      servers,
      '2017-05-15T16:45',
      [
        ev(
          'systems',
          'Systems covered by offline backups',
          'Patient administration system, PACS index, pathology LIMS, file servers, Active Directory.',
        ),
        ev('offline-date', 'Date of the latest offline copy', '2017-05-12', day('2017-05-12')),
        ev('restore-worked-on', 'Date a test restore worked', '2017-05-15', day('2017-05-15')),
        ev(
          'restore-details',
          'What was restored in the test, and any problems found and fixed',
          'Restored the PAS database to the test server and one file share; both opened and matched checksums.',
        ),
      ],
    ),
    notNeeded(
      p.recovery,
      'credential-reset',
      'Reset credentials from a clean device',
      'Needed only when a device has been infected or is suspected of infection.',
    ),
    completed(
      p.fleet,
      'fleet-clearance',
      'Every device cleared or isolated under an approved exception',
      desktop,
      '2017-05-15T19:30',
      [
        ev(
          'notes',
          'Notes on the device roll-up',
          'All devices cleared except the three MRI consoles, which are excepted.',
        ),
      ],
    ),
    completed(
      p.plan,
      'reconnection-plan',
      'Plan a staged reconnection',
      itLead.name,
      '2017-05-15T20:00',
      [
        ev(
          'plan',
          'Each link, its owner, its planned time, and what would make you disconnect it again',
          'Internal site links (Tom Baxter) 16 May 07:00; NHSmail (Priya Raman) 16 May 10:00; N3 ' +
            '(Priya Raman) 16 May 14:00; internet (Tom Baxter) 17 May 09:00. Any TCP 445 traffic at ' +
            'a boundary or any WannaCry detection means disconnecting that link again.',
        ),
        ev(
          'plan-location',
          'Where the plan is kept',
          'Incident room folder, section 4; copy on the IT shared drive',
        ),
      ],
    ),
    completed(
      p.plan,
      'notify-before-reconnecting',
      'Tell the people who need to know before you reconnect',
      incidentLead.name,
      '2017-05-15T20:30',
      [
        multi('told', 'Who was told', [
          ['network-provider', 'National network provider'],
          ['nhs-digital', 'NHS Digital Data Security Centre (CareCERT)'],
          ['nhs-england', 'NHS England regional incident team'],
          ['staff', 'Staff and service desk'],
        ]),
        ev(
          'details',
          'Who was told, when, and any reference',
          'By telephone on 15 May 2017 between 17:00 and 18:30; CareCERT reference CC-1446-0877.',
        ),
      ],
    ),
    completed(
      p.reconnect,
      'go-internal',
      'Go or no-go: internal segments and site links',
      network,
      '2017-05-16T07:05',
      [
        ev(
          'readiness',
          'Readiness for this link, and any open exceptions',
          goReadiness('the other sites'),
        ),
        ev(
          'planned-at',
          'When the link will be reconnected',
          '2017-05-16T07:00',
          dayTime('2017-05-16T07:00'),
        ),
        ev(
          'rollback',
          'What would make you disconnect it again',
          'Any TCP 445 traffic between sites',
        ),
      ],
      approval(incidentLead, '2017-05-16T06:55', 'Go.'),
    ),
    completed(
      p.reconnect,
      'go-nhsmail',
      'Go or no-go: NHSmail',
      itLead.name,
      '2017-05-16T10:05',
      [
        ev('readiness', 'Readiness for this link, and any open exceptions', goReadiness('NHSmail')),
        ev(
          'planned-at',
          'When the link will be reconnected',
          '2017-05-16T10:00',
          dayTime('2017-05-16T10:00'),
        ),
        ev(
          'rollback',
          'What would make you disconnect it again',
          'Malicious attachments reaching mailboxes',
        ),
      ],
      approval(incidentLead, '2017-05-16T09:50', 'Go.'),
    ),
    completed(
      p.reconnect,
      'go-national-network',
      'Go or no-go: the national network (N3 / Transition Network)',
      itLead.name,
      '2017-05-16T14:05',
      [
        ev('readiness', 'Readiness for this link, and any open exceptions', goReadiness('N3')),
        ev(
          'planned-at',
          'When the link will be reconnected',
          '2017-05-16T14:00',
          dayTime('2017-05-16T14:00'),
        ),
        ev(
          'rollback',
          'What would make you disconnect it again',
          'Any TCP 445 traffic at the N3 edge',
        ),
        ev('siro-agreed', 'Board data-security lead (SIRO) who agreed', siro),
      ],
      approval(incidentLead, '2017-05-16T13:45', 'Go, with the SIRO’s agreement.'),
    ),
    completed(
      p.reconnect,
      'go-internet',
      'Go or no-go: the internet',
      network,
      '2017-05-17T09:05',
      [
        ev(
          'readiness',
          'Readiness for this link, and any open exceptions',
          goReadiness('the internet'),
        ),
        ev(
          'planned-at',
          'When the link will be reconnected',
          '2017-05-17T09:00',
          dayTime('2017-05-17T09:00'),
        ),
        ev(
          'rollback',
          'What would make you disconnect it again',
          'Any TCP 445 traffic at the internet edge',
        ),
        ev('siro-agreed', 'Board data-security lead (SIRO) who agreed', siro),
      ],
      approval(incidentLead, '2017-05-17T08:50', 'Go, with the SIRO’s agreement.'),
    ),
    {
      id: 'go-third-party',
      phaseId: p.reconnect.id,
      phaseTitle: p.reconnect.title,
      title: 'Go or no-go: third-party links',
      status: 'not-applicable',
      evidence: [],
      reason:
        'Supplier VPNs stay off until each supplier confirms its own side in writing; they are ' +
        'tracked as separate changes (CHG-17-1002 to CHG-17-1006), not part of this reconnection.',
      approval: approval(
        incidentLead,
        '2017-05-17T09:30',
        'Agreed: not part of this reconnection.',
      ),
      by: itLead.name,
      at: at('2017-05-17T09:30'),
    },
    completed(
      p.after,
      'interfaces-checked',
      'Check interfaces and synchronisation',
      servers,
      '2017-05-17T15:00',
      [
        ev(
          'systems',
          'Each system checked, and the result',
          'PDS tracing, e-Referrals, GP results messaging and PACS regional archive: all working.',
        ),
      ],
    ),
    completed(
      p.after,
      'monitoring-window',
      'Watch closely for a set period',
      network,
      '2017-05-24T17:00',
      [
        ev('days', 'Length of the period', 7, '7 days'),
        multi('watched', 'What was watched', [
          ['smb-traffic', 'TCP 445 traffic'],
          ['anti-virus', 'Anti-virus alerts'],
          ['sweeps', 'Repeat indicator and DoublePulsar sweeps'],
          ['kill-switch', 'Lookups of the kill-switch domains'],
        ]),
        ev(
          'late-devices',
          'How devices switched on late were checked',
          'SCCM compliance query each morning; 41 late devices patched before network access.',
        ),
        ev('ended-on', 'Date the period ended', '2017-05-24', day('2017-05-24')),
      ],
    ),
    completed(
      p.after,
      'recovery-complete',
      'Declare recovery complete',
      incidentLead.name,
      '2017-05-25T15:10',
      [
        ev('criteria', 'How each readiness criterion was met', 'See each step of this record.'),
        ev(
          'residual-risks',
          'Remaining risks and open exceptions',
          'MRI consoles isolated under the risk acceptance, review by 31 August 2017.',
        ),
        ev(
          'lessons',
          'Lessons learned, with an owner for each',
          'Patch critical alerts within 14 days (Priya Raman); keep an offline contact sheet (Mark Ellison).',
        ),
        ev('board-date', 'Date of the report to the board', '2017-06-01', day('2017-06-01')),
      ],
      approval(siro, '2017-05-25T15:30', 'Recovery complete.'),
    ),
  ];
}

/** Deterministic pseudo-random numbers (mulberry32), so every sample fleet is the same. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A 2017 acute-trust estate: mostly Windows 7, a tail of XP and Server 2003.
const estate: { os: string; weight: number; kind: 'client' | 'server' | 'medical' }[] = [
  { os: 'Windows 7 Enterprise SP1', weight: 780, kind: 'client' },
  { os: 'Windows 10 Enterprise 1607', weight: 60, kind: 'client' },
  { os: 'Windows XP Professional SP3', weight: 30, kind: 'client' },
  { os: 'Windows 8.1 Enterprise', weight: 10, kind: 'client' },
  { os: 'Windows Vista Business SP2', weight: 5, kind: 'client' },
  { os: 'Windows Server 2008 R2 SP1', weight: 40, kind: 'server' },
  { os: 'Windows Server 2012 R2', weight: 40, kind: 'server' },
  { os: 'Windows Server 2016', weight: 10, kind: 'server' },
  { os: 'Windows Server 2003 R2 SP2', weight: 5, kind: 'server' },
  { os: 'Windows XP Embedded SP3', weight: 20, kind: 'medical' },
];
const totalWeight = estate.reduce((sum, e) => sum + e.weight, 0);
const clientZones = [
  'VLAN 110 (clinical)',
  'VLAN 120 (administration)',
  'VLAN 130 (community sites)',
];

function buildDevices(count: number): RecordDevice[] {
  const next = random(20170512);
  const devices: RecordDevice[] = [];
  const mriCount = Math.min(3, count);
  for (let i = 1; i <= mriCount; i++) {
    devices.push({
      hostname: `WVH-MRI-0${String(i)}`,
      assetTag: `WVH-ME-04${String(10 + i)}`,
      os: 'Windows XP Embedded SP3',
      status: 'excepted',
      zone: MRI_ZONE,
      exceptionReviewDate: MRI_REVIEW_DATE,
    });
  }
  const counters = new Map<string, number>();
  const hostname = (prefix: string, width: number) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `WVH-${prefix}-${String(n).padStart(width, '0')}`;
  };
  let asset = 100_000;
  for (let i = devices.length; i < count; i++) {
    let pick = next() * totalWeight;
    const entry = estate.find((e) => (pick -= e.weight) < 0) ?? estate[0];
    if (!entry) break;
    const laptop = entry.kind === 'client' && next() < 0.2;
    const device: RecordDevice = {
      hostname:
        entry.kind === 'server'
          ? hostname('SRV', 3)
          : entry.kind === 'medical'
            ? hostname('MED', 3)
            : hostname(laptop ? 'LT' : 'PC', 5),
      os: entry.os,
      status: 'cleared',
      zone:
        entry.kind === 'server'
          ? 'VLAN 10 (data centre)'
          : entry.kind === 'medical'
            ? 'VLAN 230 (medical devices)'
            : (clientZones[Math.floor(next() * clientZones.length)] ?? 'VLAN 110 (clinical)'),
    };
    asset += 1 + Math.floor(next() * 3);
    // Some devices, mostly old ones, were never tagged: the inventory simply has no tag.
    if (next() < 0.93) device.assetTag = `WVH${String(asset).padStart(6, '0')}`;
    devices.push(device);
  }
  return devices.sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
}

function summarise(list: RecordDevice[]): CompletionRecord['devices']['summary'] {
  const byOs = new Map<string, number>();
  let cleared = 0;
  for (const d of list) {
    byOs.set(d.os, (byOs.get(d.os) ?? 0) + 1);
    if (d.status === 'cleared') cleared++;
  }
  return {
    total: list.length,
    cleared,
    excepted: list.length - cleared,
    outstanding: 0,
    byOs: [...byOs]
      .map(([os, count]) => ({ os, count }))
      .sort((a, b) => b.count - a.count || (a.os < b.os ? -1 : 1)),
  };
}

/** A complete, valid record of a fictional trust's reconnection in May 2017. */
export function buildSampleRecord(options: SampleOptions = {}): CompletionRecord {
  const deviceCount = options.devices ?? 3_200;
  if (!Number.isInteger(deviceCount) || deviceCount < 0)
    throw new RangeError('devices must be a whole number of 0 or more');
  const list = buildDevices(deviceCount);
  const steps = buildSteps(list);

  const riskStep = steps.find((s) => s.status === 'risk-accepted');
  const exceptions: RecordException[] = [];
  if (riskStep?.status === 'risk-accepted')
    exceptions.push({
      kind: 'step',
      subject: riskStep.id,
      reason: riskStep.reason,
      approver: { name: riskStep.approval.name, role: riskStep.approval.role },
      reviewDate: riskStep.reviewDate,
    });
  for (const device of list)
    if (device.status === 'excepted')
      exceptions.push({
        kind: 'device',
        subject: device.hostname,
        reason:
          'MRI scanner console on Windows XP Embedded; the manufacturer has not yet validated ' +
          'MS17-010. Isolated on VLAN 240: no route to N3 or the internet, DICOM to PACS only.',
        approver: siro,
        reviewDate: device.exceptionReviewDate ?? MRI_REVIEW_DATE,
      });

  const files: RecordFile[] = [];
  for (const step of steps)
    for (const entry of step.evidence)
      if (Array.isArray(entry.value))
        for (const item of entry.value)
          if (typeof item === 'object')
            files.push({ stepId: step.id, name: item.name, size: item.size, sha256: item.sha256 });

  return {
    format: 'reconnect-completion-record',
    formatVersion: 1,
    recordId: '6f1c2d3e-4b5a-4c7d-9e8f-0a1b2c3d4e5f',
    revision: { number: 1 },
    organisation,
    checklist: {
      id: 'org-reconnection',
      version: '1.0.0',
      // Stands in for the pinned definition's hash; a real record carries the run's pin.
      contentHash: sha256Hex('sample: org-reconnection 1.0.0'),
      title: 'Reconnect the organisation after a precautionary disconnection',
    },
    steps,
    exceptions,
    devices: { summary: summarise(list), list },
    files,
    auditLog: { events: 287, headHash: sha256Hex('sample: head of the event chain') },
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
      decidedAt: at('2017-05-25T16:30'),
    },
    signer: options.signer ?? { ...siro, keyFingerprint: SAMPLE_SIGNER_FINGERPRINT },
    createdAt: at('2017-05-25T16:35'),
  };
}
