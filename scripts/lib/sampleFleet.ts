// The sample organisation's device fleet: a 2017 acute-trust estate of any size, the same every
// time (a seeded generator), with its three MRI scanner consoles kept on an isolated VLAN under
// an approved exception. Used by the sample record (sampleRecord.ts).
import type { RecordDeviceSource } from '../../src/record/build.ts';
import type { FleetSummary } from '../../src/checklist/events.ts';

export type SampleDevice = RecordDeviceSource;

export const siro = { name: 'Dr Alison Hart', role: 'Director of Finance and SIRO' };
export const MRI_REVIEW_DATE = '2017-08-31';
export const MRI_ZONE = 'VLAN 240 (MRI, isolated)';
const MRI_EXCEPTION = {
  reason:
    'MRI scanner console on Windows XP Embedded; the manufacturer has not yet validated ' +
    'MS17-010. Isolated on VLAN 240: no route to N3 or the internet, DICOM to PACS only.',
  reviewDate: MRI_REVIEW_DATE,
  approver: siro,
};

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

export function buildDevices(count: number): SampleDevice[] {
  const next = random(20170512);
  const devices: SampleDevice[] = [];
  const mriCount = Math.min(3, count);
  for (let i = 1; i <= mriCount; i++) {
    devices.push({
      hostname: `WVH-MRI-0${String(i)}`,
      assetTag: `WVH-ME-04${String(10 + i)}`,
      os: 'Windows XP Embedded SP3',
      status: 'excepted',
      zone: MRI_ZONE,
      exception: MRI_EXCEPTION,
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
    const device: SampleDevice = {
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

/** The fleet as a gated step sees it: every device cleared or excepted. */
export function fleetSummary(devices: readonly SampleDevice[]): FleetSummary {
  const cleared = devices.filter((d) => d.status === 'cleared').length;
  return { total: devices.length, cleared, excepted: devices.length - cleared, outstanding: 0 };
}
